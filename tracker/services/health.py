"""Readiness: is the database reachable, is its schema at head, is the scheduler alive?"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from tracker.extensions import db
from tracker.models.clockwork import SchedulerHeartbeat

# Once the scheduler (issue 4) writes heartbeats, a newest beat older than this fails readiness.
HEARTBEAT_MAX_AGE = timedelta(minutes=5)


@dataclass(frozen=True)
class Readiness:
    """Each check's state in words; ready only when none has failed."""

    ready: bool
    checks: dict[str, str] = field(default_factory=dict)


def database_reachable() -> bool:
    """One round trip to the database."""
    try:
        with db.engine.connect() as conn:
            conn.execute(select(1))
        return True
    except SQLAlchemyError:
        return False


def migration_heads() -> tuple[set[str], frozenset[str]]:
    """(revisions the database is at, head revisions the code ships)."""
    migrate = current_app.extensions["migrate"]
    script_heads = _script_heads(str(migrate.directory))
    with db.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current, script_heads


@cache
def _script_heads(directory: str) -> frozenset[str]:
    """The code's heads do not change while a process runs: read the scripts once."""
    config = current_app.extensions["migrate"].migrate.get_config(directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def scheduler_heartbeat_age(now: datetime) -> timedelta | None:
    """Age of the newest scheduler heartbeat; None when no heartbeat table or row exists yet."""
    try:
        with db.engine.connect() as conn:
            if not inspect(conn).has_table(SchedulerHeartbeat.__tablename__):
                return None
            latest = conn.execute(select(func.max(SchedulerHeartbeat.last_run_at))).scalar()
    except SQLAlchemyError:
        return None
    return now - latest if latest is not None else None


def readiness(now: datetime) -> Readiness:
    """Database up, schema at head, scheduler heartbeat fresh (or not yet reported)."""
    if not database_reachable():
        return Readiness(False, {"database": "unreachable", "migrations": "unknown",
                                 "scheduler": "unknown"})
    checks = {"database": "ok"}
    try:
        current, heads = migration_heads()
    except SQLAlchemyError:
        return Readiness(False, {**checks, "migrations": "unknown", "scheduler": "unknown"})
    checks["migrations"] = "ok" if current == heads else "behind"
    age = scheduler_heartbeat_age(now)
    if age is None:
        checks["scheduler"] = "unknown"  # no heartbeat written yet: not a reason to refuse traffic
    else:
        checks["scheduler"] = "ok" if age <= HEARTBEAT_MAX_AGE else "stale"
    return Readiness(all(v in ("ok", "unknown") for v in checks.values()), checks)
