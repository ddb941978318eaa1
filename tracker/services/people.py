"""Looking up the people and places a form offers as choices."""

from __future__ import annotations

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import User, Wing


def wing_choices(establishment_id: int) -> list[tuple[str, str]]:
    """(code, name) of the wings in use."""
    rows = db.session.execute(select(Wing.code, Wing.name).where(
        Wing.establishment_id == establishment_id, Wing.retired.is_(False)).order_by(Wing.code))
    return [(code, name) for code, name in rows]


def staff_choices(establishment_id: int) -> list[tuple[str, str]]:
    """(username, display name) of active staff a concern could be about."""
    rows = db.session.execute(select(User.username, User.display_name).where(
        User.establishment_id == establishment_id, User.active.is_(True),
        User.role.not_in(("supporter", "admin"))).order_by(User.display_name))
    return [(u, n) for u, n in rows]
