"""Leader election and heartbeats for the scheduler process.

Only one scheduler may run jobs. On PostgreSQL the leader holds a session
advisory lock (``pg_try_advisory_lock``) on a dedicated connection: if the
process dies, its connection closes and the lock is free at once. On SQLite
(and as the lease behind the PostgreSQL lock) a row in ``scheduler_lease``
names the holder until ``expires_at``; the holder renews it on every
heartbeat, and a standby takes it over once it has expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, or_, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from tracker.extensions import db
from tracker.models import OPEN_STATUSES, Concern, SchedulerHeartbeat, SchedulerLease

LEASE_NAME = "scheduler"
LEASE_TTL = timedelta(seconds=90)
MISSED_AFTER = timedelta(minutes=5)
ADVISORY_KEY = 0x7472_6163_6B65_72  # "tracker", the same for every process of one database


def acquire_lease(holder: str, now: datetime, ttl: timedelta = LEASE_TTL,
                  force: bool = False) -> bool:
    """Take or renew the lease when it is ours or has expired; True when we hold it.

    ``force`` takes it whoever holds it: for a process that has just won the PostgreSQL
    advisory lock, which proves the previous holder's session (and so the process) is gone.
    """
    mine_or_free = or_(SchedulerLease.holder == holder, SchedulerLease.expires_at < now)
    result = db.session.execute(
        update(SchedulerLease).where(SchedulerLease.name == LEASE_NAME,
                                     *(() if force else (mine_or_free,)))
        .values(holder=holder, expires_at=now + ttl,
                acquired_at=case((SchedulerLease.holder == holder, SchedulerLease.acquired_at),
                                 else_=now))
        .execution_options(synchronize_session=False))
    if result.rowcount == 1:  # type: ignore[attr-defined]
        db.session.commit()
        return True
    if db.session.get(SchedulerLease, LEASE_NAME) is not None:
        db.session.rollback()
        return False
    db.session.add(SchedulerLease(name=LEASE_NAME, holder=holder, acquired_at=now,
                                  expires_at=now + ttl))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another process created it first
        return False
    return True


def release_lease(holder: str, now: datetime) -> None:
    """Give the lease up on a clean shutdown, so a standby need not wait for it to expire."""
    db.session.execute(update(SchedulerLease).where(
        SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == holder)
        .values(expires_at=now - timedelta(seconds=1))
        .execution_options(synchronize_session=False))
    db.session.commit()


def lease_holder(now: datetime) -> str | None:
    """Who holds an unexpired lease, if anyone."""
    row = db.session.get(SchedulerLease, LEASE_NAME)
    return row.holder if row is not None and row.expires_at >= now else None


class AdvisoryLock:
    """A PostgreSQL session advisory lock held on its own connection for the process's life."""

    def __init__(self) -> None:
        self.conn: Any = None

    @property
    def held(self) -> bool:
        """Whether this process believes it holds the lock (checked again by try_acquire)."""
        return self.conn is not None

    def try_acquire(self) -> bool:
        """True when this process now holds the lock (or already did, on a live connection)."""
        if self.conn is not None:
            try:
                self.conn.execute(text("SELECT 1"))
                self.conn.commit()
                return True
            except DBAPIError:  # the connection died, and the lock with its session
                self.conn.invalidate()
                self.conn = None
        conn = db.engine.connect()
        got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY})
                   .scalar())
        conn.commit()
        if got:
            self.conn = conn
        else:
            conn.close()
        return got

    def release(self) -> None:
        """Unlock and close the dedicated connection."""
        if self.conn is not None:
            self.conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
            self.conn.commit()
            self.conn.close()
            self.conn = None


def beat(job_id: str, holder: str, now: datetime, result: dict[str, Any] | None,
         error: str | None = None) -> None:
    """Record one run of a job (the heartbeat row staff pages and readiness read)."""
    row = db.session.get(SchedulerHeartbeat, job_id)
    if row is None:
        row = SchedulerHeartbeat(job_id=job_id, holder=holder, last_run_at=now, runs=0,
                                 last_result={})
        db.session.add(row)
    row.holder, row.last_run_at, row.runs = holder, now, (row.runs or 0) + 1
    row.last_error = error
    if error is None:
        row.last_ok_at, row.last_result = now, dict(result or {})
    db.session.commit()


@dataclass(frozen=True)
class SchedulerHealth:
    """Whether the periodic jobs are running, in words staff pages can show."""

    ok: bool
    last_run_at: datetime | None
    message: str | None


def scheduler_health(now: datetime) -> SchedulerHealth:
    """Missed for 5 minutes: no sweep heartbeat that recent, or overdue items left unswept."""
    row = db.session.get(SchedulerHeartbeat, "sweep")
    if row is not None:
        if now - row.last_run_at <= MISSED_AFTER:
            return SchedulerHealth(True, row.last_run_at, None)
        return SchedulerHealth(False, row.last_run_at, "Escalations are not running: the "
                               "scheduler last ran more than 5 minutes ago. Overdue items are "
                               "not being passed on. Tell the administrator.")
    stale = db.session.scalar(select(Concern.id).where(
        Concern.status.in_(OPEN_STATUSES), Concern.next_deadline < now - MISSED_AFTER).limit(1))
    if stale is None:
        return SchedulerHealth(True, None, None)
    return SchedulerHealth(False, None, "Escalations are not running: the scheduler has never "
                           "run and some items are overdue. Tell the administrator.")
