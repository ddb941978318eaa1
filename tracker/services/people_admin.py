"""Managing people: add, edit, deactivate, reactivate, reset a secret; every change audited.

Each function works inside one establishment (the caller's scope), writes an audit row
with the person's state before and after, and commits once.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from tracker.extensions import db
from tracker.models import ROLES, Establishment, Scheme, User, UserSession, Wing
from tracker.services import audit, setup
from tracker.services.errors import InvalidInput, NotFound
from tracker.services.passwords import hash_secret


@dataclass(frozen=True)
class Actor:
    """Who makes an admin change, and from where (for the audit row)."""

    user: User | None
    remote_addr: str | None = None


def snapshot(user: User) -> dict[str, Any]:
    """What the audit row keeps of a person (never a secret or its hash)."""
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "wing": user.wing.code if user.wing else None,
            "schemes": sorted(s.key for s in user.schemes), "active": user.active,
            "status": user.status, "must_change_secret": user.must_change_secret}


def record(actor: Actor, action: str, now: datetime, est_id: int, **detail: Any) -> None:
    """One audit row for an admin change (in the caller's transaction)."""
    audit.record(actor.user, action, now, establishment_id=est_id,
                 remote_addr=actor.remote_addr, **detail)


def generate_secret(role: str) -> str:
    """A one-time PIN (6 numbers) for a supporter, or a 14-character password for staff."""
    if role == "supporter":
        return "".join(secrets.choice(string.digits) for _ in range(6))
    alphabet = string.ascii_letters + string.digits
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3)) + "x1"


def people(est_id: int, *, role: str | None = None, query: str | None = None) -> list[User]:
    """Everyone in the establishment, active first, then by name."""
    stmt = select(User).where(User.establishment_id == est_id)
    if role:
        stmt = stmt.where(User.role == role)
    if query:
        like = f"%{query.lower()}%"
        stmt = stmt.where(func.lower(User.username).like(like)
                          | func.lower(User.display_name).like(like))
    return list(db.session.scalars(stmt.order_by(User.active.desc(), User.display_name)))


def person(est_id: int, username: str) -> User:
    """One person of this establishment, by user name; others are NotFound."""
    user = db.session.scalar(select(User).where(
        User.establishment_id == est_id, func.lower(User.username) == username.strip().lower()))
    if user is None:
        raise NotFound(f"No one called {username!r} here.")
    return user


def add_person(actor: Actor, est_id: int, username: str, role: str, now: datetime, *,
               display_name: str | None = None, wing: str | None = None,
               schemes: Sequence[str] = (), cheap_hash: bool = False) -> tuple[User, str]:
    """Add someone with a generated secret, shown once and changed at first sign-in."""
    secret = generate_secret(role if role in ROLES else "officer")
    est = db.session.get(Establishment, est_id)
    if est is None:
        raise NotFound("No such establishment.")
    _refuse_retired_wing(est_id, wing)
    try:
        user = setup.new_user(username, role, secret, now, establishment=est.code, wing=wing,
                              schemes=schemes, display_name=display_name, cheap_hash=cheap_hash,
                              must_change_secret=True)
    except InvalidInput as exc:  # the form's field is "schemes"
        raise InvalidInput({("schemes" if k == "scheme" else k): v
                            for k, v in exc.fields.items()}) from exc
    record(actor, "user_add", now, est_id, target=user.username, before=None,
           after=snapshot(user))
    db.session.commit()
    return user, secret


def _refuse_retired_wing(est_id: int, wing: str | None) -> None:
    if wing and db.session.scalar(select(Wing.id).where(
            Wing.establishment_id == est_id, func.upper(Wing.code) == wing.strip().upper(),
            Wing.retired.is_(True))):
        raise InvalidInput({"wing": [f"Wing {wing.upper()} is retired; choose a wing in use."]})


def _find_wing(est_id: int, code: str | None, current: Wing | None) -> Wing | None:
    if not code:
        return None
    wing = db.session.scalar(select(Wing).where(Wing.establishment_id == est_id,
                                                func.upper(Wing.code) == code.strip().upper()))
    if wing is None:
        raise InvalidInput({"wing": [f"No wing {code!r} here."]})
    if wing.retired and wing is not current:
        raise InvalidInput({"wing": [f"Wing {wing.code} is retired; choose a wing in use."]})
    return wing


def _find_schemes(est_id: int, keys: Sequence[str]) -> list[Scheme]:
    rows = list(db.session.scalars(select(Scheme).where(Scheme.establishment_id == est_id,
                                                        Scheme.key.in_(list(keys)))))
    missing = sorted(set(keys) - {r.key for r in rows})
    if missing:
        raise InvalidInput({"schemes": [f"Unknown scheme {', '.join(missing)}."]})
    return sorted(rows, key=lambda s: s.id)


def edit_person(actor: Actor, est_id: int, username: str, now: datetime, *,
                display_name: str | None = None, role: str | None = None,
                wing: str | None = None, schemes: Sequence[str] | None = None,
                clear_wing: bool = False) -> User:
    """Change name, role, wing or schemes; None leaves a field as it is."""
    user = person(est_id, username)
    before = snapshot(user)
    if role is not None and role != user.role:
        _check_role_change(actor, user, role)
        user.role = role
    if display_name is not None:
        user.display_name = display_name
    if clear_wing:
        user.wing = None
    elif wing is not None:
        user.wing = _find_wing(est_id, wing, user.wing)
    if schemes is not None:
        user.schemes = _find_schemes(est_id, schemes)
    after = snapshot(user)
    if after != before:
        record(actor, "user_edit", now, est_id, target=user.username, before=before, after=after)
    db.session.commit()
    return user


def _check_role_change(actor: Actor, user: User, role: str) -> None:
    if role not in ROLES:
        raise InvalidInput({"role": [f"Unknown role {role!r}. Roles: {', '.join(ROLES)}."]})
    if (role == "supporter") != user.is_supporter:
        raise InvalidInput({"role": ["A supporter cannot become staff, nor staff a supporter: "
                                     "add a separate account instead."]})
    if actor.user is not None and actor.user.id == user.id:
        raise InvalidInput({"role": ["You cannot change your own role."]})


def _end_sessions(user: User, now: datetime, reason: str) -> None:
    db.session.execute(update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason).execution_options(synchronize_session=False))


def deactivate(actor: Actor, est_id: int, username: str, now: datetime) -> User:
    """Stop someone signing in; their sessions end now. Posts they hold show as empty."""
    user = person(est_id, username)
    if actor.user is not None and actor.user.id == user.id:
        raise InvalidInput({"username": ["You cannot deactivate yourself."]})
    before = snapshot(user)
    user.active = False
    _end_sessions(user, now, "deactivated")
    record(actor, "user_deactivate", now, est_id, target=user.username, before=before,
           after=snapshot(user))
    db.session.commit()
    return user


def reactivate(actor: Actor, est_id: int, username: str, now: datetime) -> User:
    """Let someone sign in again (a supporter who came back is active again)."""
    user = person(est_id, username)
    before = snapshot(user)
    user.active, user.status = True, "active"
    record(actor, "user_reactivate", now, est_id, target=user.username, before=before,
           after=snapshot(user))
    db.session.commit()
    return user


def reset_secret(actor: Actor, est_id: int, username: str, now: datetime,
                 cheap_hash: bool = False) -> tuple[User, str]:
    """A new generated password or PIN, shown once; it must be changed at the next sign-in."""
    user = person(est_id, username)
    before = snapshot(user)
    secret = generate_secret(user.role)
    user.secret_hash = hash_secret(secret, cheap_hash)
    user.must_change_secret = True
    _end_sessions(user, now, "secret_reset")
    record(actor, "user_reset_secret", now, est_id, target=user.username, before=before,
           after=snapshot(user))
    db.session.commit()
    return user, secret
