"""Establishments and wings from the admin pages and CLI: add, rename, retire, lockdowns."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Establishment, User, Wing, WingLockdown
from tracker.services import clock_actions, setup
from tracker.services.errors import InvalidInput, NotFound, ServiceError
from tracker.services.people_admin import Actor, record

WING_CODE = re.compile(r"^[A-Za-z0-9-]{1,20}$")


@dataclass(frozen=True)
class WingRow:
    """A wing with its lockdown, if one is running."""

    wing: Wing
    lockdown: WingLockdown | None
    people: int


def wing_rows(est_id: int, include_retired: bool = True) -> list[WingRow]:
    """The establishment's wings, in use first."""
    stmt = select(Wing).where(Wing.establishment_id == est_id)
    if not include_retired:
        stmt = stmt.where(Wing.retired.is_(False))
    out = []
    for wing in db.session.scalars(stmt.order_by(Wing.retired, Wing.code)):
        lockdown = db.session.scalar(select(WingLockdown).where(
            WingLockdown.active_wing_id == wing.id))
        people = db.session.scalar(select(func.count()).select_from(User).where(
            User.wing_id == wing.id, User.active.is_(True))) or 0
        out.append(WingRow(wing, lockdown, people))
    return out


def _wing(est_id: int, code: str) -> Wing:
    wing = db.session.scalar(select(Wing).where(Wing.establishment_id == est_id,
                                                func.upper(Wing.code) == code.strip().upper()))
    if wing is None:
        raise NotFound(f"No wing {code!r} here.")
    return wing


def _snap(wing: Wing) -> dict[str, object]:
    return {"code": wing.code, "name": wing.name, "retired": wing.retired}


def add_wing(actor: Actor, est_id: int, code: str, name: str | None, now: datetime) -> Wing:
    """A new wing; codes are unique in the establishment (a retired wing's code stays taken)."""
    code = code.strip().upper()
    if not WING_CODE.match(code):
        raise InvalidInput({"code": ["A wing code is 1 to 20 letters, numbers or dashes."]})
    if db.session.scalar(select(Wing.id).where(Wing.establishment_id == est_id,
                                               func.upper(Wing.code) == code)):
        raise InvalidInput({"code": [f"There is already a wing {code} (retired wings keep "
                                     "their code)."]})
    wing = Wing(establishment_id=est_id, code=code, name=(name or "").strip() or f"{code} wing")
    db.session.add(wing)
    db.session.flush()
    record(actor, "wing_add", now, est_id, target=code, before=None, after=_snap(wing))
    db.session.commit()
    return wing


def rename_wing(actor: Actor, est_id: int, code: str, name: str, now: datetime) -> Wing:
    """Change the name people see; the code (used in references and history) stays."""
    name = name.strip()
    if not name or len(name) > 80:
        raise InvalidInput({"name": ["Give a name of 1 to 80 characters."]})
    wing = _wing(est_id, code)
    before = _snap(wing)
    wing.name = name
    record(actor, "wing_rename", now, est_id, target=wing.code, before=before, after=_snap(wing))
    db.session.commit()
    return wing


def retire_wing(actor: Actor, est_id: int, code: str, now: datetime,
                retired: bool = True) -> Wing:
    """Retire a wing (kept with its history, no longer offered) or bring it back."""
    wing = _wing(est_id, code)
    if retired and db.session.scalar(select(WingLockdown.id).where(
            WingLockdown.active_wing_id == wing.id)):
        raise InvalidInput({"code": [f"Wing {wing.code} is locked down; end the lockdown first."]})
    before = _snap(wing)
    wing.retired = retired
    record(actor, "wing_retire" if retired else "wing_unretire", now, est_id, target=wing.code,
           before=before, after=_snap(wing))
    db.session.commit()
    return wing


def start_lockdown(actor: Actor, est_id: int, code: str, reason: str, now: datetime,
                   until: datetime | None = None) -> int:
    """Record a lockdown with its reason: every open item of the wing pauses."""
    wing = _wing(est_id, code)
    record(actor, "lockdown_start", now, est_id, target=wing.code, before={"locked": False},
           after={"locked": True, "reason": reason.strip(),
                  "until": until.isoformat() if until else None})
    return _run(lambda: clock_actions.start_lockdown(actor.user, est_id, wing.code, reason, now,
                                                     until))


def end_lockdown(actor: Actor, est_id: int, code: str, now: datetime) -> int:
    """End the wing's lockdown: its items' clocks run again."""
    wing = _wing(est_id, code)
    record(actor, "lockdown_end", now, est_id, target=wing.code, before={"locked": True},
           after={"locked": False})
    return _run(lambda: clock_actions.end_lockdown(actor.user, est_id, wing.code, now))


def _run(action: Callable[[], int]) -> int:
    """The clock service commits the audit row with its own change, or nothing on error."""
    try:
        return action()
    except ServiceError:
        db.session.rollback()
        raise


def establishments() -> list[Establishment]:
    """Every establishment."""
    return list(db.session.scalars(select(Establishment).order_by(Establishment.name)))


def add_establishment(actor: Actor, name: str, code: str | None, wings: list[str],
                      now: datetime) -> Establishment:
    """A new prison with its wings and the default schemes (no leads yet: flagged)."""
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 120:
        errors["name"] = ["Give a name of 1 to 120 characters."]
    elif db.session.scalar(select(Establishment.id).where(
            func.lower(Establishment.name) == name.lower())):
        errors["name"] = [f"There is already an establishment called {name!r}."]
    code = (code or setup.code_for(name)).strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{2,10}", code):
        errors["code"] = ["A code is 2 to 10 letters or numbers."]
    elif db.session.scalar(select(Establishment.id).where(Establishment.code == code)):
        errors["code"] = [f"The code {code} is taken."]
    bad = [w for w in wings if not WING_CODE.match(w.strip())]
    if bad or not wings:
        errors["wings"] = ["List wing codes separated by commas, like A,B,C."]
    if errors:
        raise InvalidInput(errors)
    est = setup.create_establishment(name, wings, now, code=code)
    record(actor, "establishment_add", now, est.id, target=est.code, before=None,
           after={"name": est.name, "code": est.code, "wings": [w.code for w in est.wings]})
    db.session.commit()
    return est


def rename_establishment(actor: Actor, est_id: int, name: str, now: datetime) -> Establishment:
    """Change an establishment's name (its code, used in references, stays)."""
    est = db.session.get(Establishment, est_id)
    if est is None:
        raise NotFound("No such establishment.")
    name = name.strip()
    if not name or len(name) > 120:
        raise InvalidInput({"name": ["Give a name of 1 to 120 characters."]})
    if db.session.scalar(select(Establishment.id).where(
            func.lower(Establishment.name) == name.lower(), Establishment.id != est_id)):
        raise InvalidInput({"name": [f"There is already an establishment called {name!r}."]})
    before = {"name": est.name}
    est.name = name
    record(actor, "establishment_rename", now, est.id, target=est.code, before=before,
           after={"name": est.name})
    db.session.commit()
    return est
