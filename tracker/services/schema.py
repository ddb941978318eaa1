"""Database schema upkeep through Alembic migrations."""

from __future__ import annotations

from flask_migrate import upgrade as alembic_upgrade
from sqlalchemy import func, inspect, select

from tracker.extensions import db
from tracker.models import Establishment


def upgrade() -> None:
    """Bring the database to the newest migration (safe to run again)."""
    alembic_upgrade()


def has_establishments() -> bool:
    """Whether the database already holds a prison."""
    if not inspect(db.engine).has_table("establishment"):
        return False
    return bool(db.session.scalar(select(func.count()).select_from(Establishment)))
