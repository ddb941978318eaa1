"""Sign-in throttling as admins see it: failure counts and lock-outs, and clearing them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import SignInThrottle, User
from tracker.services.errors import NotFound
from tracker.services.people_admin import Actor, record


@dataclass(frozen=True)
class LockRow:
    """One throttle row: a user name or an address, its failures and any running lock-out."""

    key: str
    kind: str  # user or ip
    name: str
    failures: int
    locked_until: datetime | None
    last_failure_at: datetime | None
    locked: bool


def _visible(est_id: int, key: str) -> bool:
    """User rows for this establishment's people (or unknown names), and kiosk addresses."""
    kind, _, name = key.partition(":")
    if kind != "user":
        return True
    owner = db.session.scalar(select(User.establishment_id).where(
        func.lower(User.username) == name))
    return owner is None or owner == est_id


def lock_rows(est_id: int, now: datetime) -> list[LockRow]:
    """Every throttle row this establishment may see, locked ones first."""
    rows = db.session.scalars(select(SignInThrottle).order_by(SignInThrottle.key))
    found = []
    for row in rows:
        if not _visible(est_id, row.key):
            continue
        kind, _, name = row.key.partition(":")
        locked = row.locked_until is not None and row.locked_until > now
        found.append(LockRow(row.key, kind, name, row.failures, row.locked_until,
                             row.last_failure_at, locked))
    return sorted(found, key=lambda r: (not r.locked, r.key))


def unlock(actor: Actor, est_id: int, key: str, now: datetime) -> None:
    """Clear one throttle row: the failures are forgotten and any lock-out ends now."""
    row = db.session.get(SignInThrottle, key)
    if row is None or not _visible(est_id, key):
        raise NotFound(f"No sign-in failures recorded for {key!r}.")
    before = {"key": row.key, "failures": row.failures,
              "locked_until": row.locked_until.isoformat() if row.locked_until else None}
    db.session.delete(row)
    record(actor, "signin_unlock", now, est_id, target=key, before=before, after=None)
    db.session.commit()


def unlock_user(actor: Actor, est_id: int, username: str, now: datetime) -> None:
    """Clear the lock-out of one user name."""
    unlock(actor, est_id, f"user:{username.strip().lower()}", now)
