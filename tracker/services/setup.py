"""Setting up an establishment: its wings, its schemes, and people."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import ROLES, Establishment, Scheme, User, Wing
from tracker.services import leadership
from tracker.services.errors import InvalidInput
from tracker.services.passwords import hash_secret

DEFAULT_SCHEMES = (
    ("listeners", "Listeners", "sealed"),
    ("insiders", "Insiders", "need_to_know"),
    ("buddies", "Buddies", "need_to_know"),
    ("equality_reps", "Equality Representatives", "need_to_know"),
    ("shannon_trust", "Shannon Trust mentors", "ordinary"),
    ("pal", "Prison Advice Line", "ordinary"),
    ("triage", "Triage (wing staff)", "ordinary"),
)
PIN = re.compile(r"^[0-9]{4,8}$")
MIN_PASSWORD = 10


def code_for(name: str) -> str:
    """A short code from a prison's name: 'HMP Leeford' -> 'LEE'."""
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.upper() not in {"HMP", "HMYOI", "YOI"}]
    return (words[0][:3] if words else "EST").upper()


def create_establishment(name: str, wings: Sequence[str], now: datetime,
                         code: str | None = None) -> Establishment:
    """A prison with its wings and the default schemes (no leads yet: that is flagged)."""
    est = Establishment(name=name, code=(code or code_for(name)).upper(), created_at=now)
    db.session.add(est)
    db.session.flush()
    for w in wings:
        db.session.add(Wing(establishment_id=est.id, code=w.strip().upper(),
                            name=f"{w.strip().upper()} wing"))
    for key, label, conf in DEFAULT_SCHEMES:
        db.session.add(Scheme(establishment_id=est.id, key=key, name=label, confidentiality=conf))
    db.session.commit()
    return est


def only_establishment() -> Establishment | None:
    """The establishment when there is exactly one (the usual single-prison install)."""
    rows = db.session.scalars(select(Establishment).limit(2)).all()
    return rows[0] if len(rows) == 1 else None


def find_establishment(name_or_code: str | None) -> Establishment:
    """By name or code; with none given, the only one there is."""
    if not name_or_code:
        est = only_establishment()
        if est is None:
            raise InvalidInput({"establishment": ["Say which establishment (there is not exactly one)."]})
        return est
    key = name_or_code.strip().lower()
    est = db.session.scalar(select(Establishment).where(
        (func.lower(Establishment.name) == key) | (func.lower(Establishment.code) == key)))
    if est is None:
        raise InvalidInput({"establishment": [f"No establishment called {name_or_code!r}."]})
    return est


def _check_secret(role: str, secret: str) -> list[str]:
    if role == "supporter" and not PIN.match(secret):
        return ["A kiosk PIN is 4 to 8 numbers."]
    if role != "supporter" and len(secret) < MIN_PASSWORD:
        return [f"A staff password needs at least {MIN_PASSWORD} characters."]
    return []


def add_user(username: str, role: str, secret: str, now: datetime, *,
             establishment: str | None = None, wing: str | None = None,
             schemes: Sequence[str] = (), display_name: str | None = None,
             cheap_hash: bool = False) -> User:
    """Add a supporter or member of staff; nothing is written if any part is wrong."""
    user = new_user(username, role, secret, now, establishment=establishment, wing=wing,
                    schemes=schemes, display_name=display_name, cheap_hash=cheap_hash)
    db.session.commit()
    return user


def new_user(username: str, role: str, secret: str, now: datetime, *,
             establishment: str | None = None, wing: str | None = None,
             schemes: Sequence[str] = (), display_name: str | None = None,
             cheap_hash: bool = False, must_change_secret: bool = False) -> User:
    """Validate and add a user to the current transaction (the caller commits)."""
    errors: dict[str, list[str]] = {}
    est = find_establishment(establishment)
    if role not in ROLES:
        errors["role"] = [f"Unknown role {role!r}. Roles: {', '.join(ROLES)}."]
    if not re.fullmatch(r"[A-Za-z0-9._-]{2,60}", username):
        errors["username"] = ["Use 2 to 60 letters, numbers, dots, dashes or underscores."]
    elif db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        errors["username"] = [f"The user name {username!r} is taken."]
    if secret_errors := _check_secret(role, secret):
        errors["secret"] = secret_errors
    wing_row = _wing(est.id, wing, errors)
    scheme_rows = _schemes(est.id, schemes, errors)
    if errors:
        raise InvalidInput(errors)
    user = User(establishment_id=est.id, username=username, role=role,
                display_name=display_name or username, wing_id=wing_row.id if wing_row else None,
                secret_hash=hash_secret(secret, cheap_hash), created_at=now, schemes=scheme_rows,
                must_change_secret=must_change_secret)
    db.session.add(user)
    db.session.flush()
    return user


def _wing(est_id: int, code: str | None, errors: dict[str, list[str]]) -> Wing | None:
    if not code:
        return None
    row = db.session.scalar(select(Wing).where(Wing.establishment_id == est_id,
                                               func.upper(Wing.code) == code.strip().upper()))
    if row is None:
        errors["wing"] = [f"No wing {code!r} here."]
    return row


def _schemes(est_id: int, keys: Sequence[str], errors: dict[str, list[str]]) -> list[Scheme]:
    rows = list(db.session.scalars(select(Scheme).where(Scheme.establishment_id == est_id,
                                                        Scheme.key.in_(list(keys)))))
    missing = sorted(set(keys) - {r.key for r in rows})
    if missing:
        errors["scheme"] = [f"Unknown scheme {', '.join(missing)}. Schemes: "
                            + ", ".join(k for k, _, _ in DEFAULT_SCHEMES) + "."]
    return rows


def set_scheme_lead(est_id: int, scheme: str, lead: User | None, deputy: User | None,
                    now: datetime | None = None) -> None:
    """Name a scheme's staff lead and deputy (with `now`, their history starts then)."""
    row = db.session.scalar(select(Scheme).where(Scheme.establishment_id == est_id,
                                                 Scheme.key == scheme))
    if row is None:
        raise InvalidInput({"scheme": [f"Unknown scheme {scheme!r}."]})
    if now is None:
        row.lead_id, row.deputy_id = (lead.id if lead else None), (deputy.id if deputy else None)
    else:
        leadership.assign(row, "lead", lead, now)
        leadership.assign(row, "deputy", deputy, now)
    db.session.commit()
