"""The scheduler: one process runs the sweep, the outbox retry and the weekly digest.

Started only by ``tracker scheduler`` (its own process) or ``tracker demo``; never by
``create_app``, so the reloader and N web workers never mean N schedulers. Every
process schedules the jobs, but a job only does work in the elected leader (see
``tracker.services.scheduler_state``); the others stand by and take over when the
leader's lock or lease goes. The job functions take ``now`` so tests call them directly.

A leadership job every SCHEDULER_RENEW_SECONDS (10) renews the leader's lease (of
SCHEDULER_LEASE_SECONDS, 30) and lets a standby take over: on PostgreSQL as soon as the
dead leader's advisory lock is free, elsewhere once its lease has run out; the new leader
then runs the sweep and the outbox at once. So a standby takes over within 40 s.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from tracker.clock import utcnow
from tracker.extensions import db
from tracker.services import case_actions, digest, escalation, outbox, scheduler_state

log = logging.getLogger(__name__)
LONDON = ZoneInfo("Europe/London")
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 50}


def new_holder_id() -> str:
    """host:pid:random, so a log line says which process led."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Leadership:
    """Am I the one scheduler allowed to run jobs? Asked before every job run."""

    def __init__(self, holder: str, lease: timedelta = scheduler_state.LEASE_TTL) -> None:
        self.holder, self.lease = holder, lease
        self.advisory = scheduler_state.AdvisoryLock()
        self.leading = False
        self._lock = threading.Lock()  # jobs run in a thread pool

    def check(self, now: datetime) -> bool:
        """Hold (or take) the PostgreSQL advisory lock, and the lease row on every database.

        Winning the advisory lock afresh proves its last holder's session, and so that
        process, is gone: its lease is taken at once instead of being waited out.
        """
        with self._lock:
            fresh = False
            if db.engine.dialect.name == "postgresql":
                fresh = not self.advisory.held
                if not self.advisory.try_acquire():
                    self.leading = False
                    return False
            self.leading = scheduler_state.acquire_lease(self.holder, now, self.lease,
                                                         force=fresh)
            return self.leading

    def resign(self, now: datetime) -> None:
        """Let a standby take over at once."""
        with self._lock:
            self.leading = False
            scheduler_state.release_lease(self.holder, now)
            self.advisory.release()


def _guarded(job_id: str, holder: str, now: datetime, work: Callable[[], dict[str, Any]]) -> \
        dict[str, Any] | None:
    try:
        result = work()
    except Exception as exc:  # noqa: BLE001  (a failed run is recorded and retried next minute)
        db.session.rollback()
        log.exception("job %s failed", job_id)
        scheduler_state.beat(job_id, holder, now, None, f"{type(exc).__name__}: {exc}")
        return None
    scheduler_state.beat(job_id, holder, now, result)
    return result


def run_sweep(now: datetime, holder: str = "direct") -> dict[str, Any] | None:
    """Escalate what is due, then record the heartbeat."""
    return _guarded("sweep", holder, now, lambda: _sweep_and_close(now))


def _sweep_and_close(now: datetime) -> dict[str, Any]:
    """Escalate what is due; close resolved items unanswered for 5 working days (issue 5)."""
    result = escalation.escalate_due(now).as_dict()
    result["closed_unconfirmed"] = case_actions.close_unconfirmed(now)
    return result


def run_outbox(now: datetime, holder: str = "direct") -> dict[str, Any] | None:
    """Retry pending notifications with back-off; dead-letter the hopeless."""
    return _guarded("outbox", holder, now, lambda: outbox.deliver_pending(now).as_dict())


def run_digest(now: datetime, holder: str = "direct") -> dict[str, Any] | None:
    """The weekly digest slot (Monday 07:00 Europe/London)."""
    return _guarded("digest", holder, now, lambda: {"digests": digest.run_weekly(now)})


def _job(app: Flask, leadership: Leadership, body: Callable[[datetime, str], Any]) -> Callable[[], None]:
    def run() -> None:
        with app.app_context():
            try:
                now = utcnow()
                if leadership.check(now):
                    body(now, leadership.holder)
            finally:
                db.session.remove()
    return run


def _watch(app: Flask, leadership: Leadership, scheduler: BaseScheduler) -> Callable[[], None]:
    """Renew the lease, or take it over; a new leader runs the minute's jobs at once."""
    def run() -> None:
        with app.app_context():
            try:
                was = leadership.leading
                if leadership.check(utcnow()) and not was:
                    log.info("scheduler %s now leads", leadership.holder)
                    for job_id in ("sweep", "outbox"):
                        scheduler.modify_job(job_id, next_run_time=datetime.now(LONDON))
            finally:
                db.session.remove()
    return run


def periods(app: Flask) -> tuple[timedelta, timedelta, timedelta]:
    """(job interval, lease renewal, lease length) from the SCHEDULER_* settings."""
    cfg = app.config
    return (timedelta(seconds=float(cfg.get("SCHEDULER_TICK_SECONDS", 60))),
            timedelta(seconds=float(cfg.get("SCHEDULER_RENEW_SECONDS", 10))),
            timedelta(seconds=float(cfg.get("SCHEDULER_LEASE_SECONDS", 30))))


def build(app: Flask, *, blocking: bool, holder: str | None = None) -> tuple[BaseScheduler, Leadership]:
    """A scheduler with the three jobs and the leadership watch, deterministic ids, London time."""
    tick, renew, lease = periods(app)
    leadership = Leadership(holder or new_holder_id(), lease)
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(timezone=LONDON, job_defaults=JOB_DEFAULTS)
    minute = IntervalTrigger(seconds=tick.total_seconds(), timezone=LONDON)
    scheduler.add_job(_watch(app, leadership, scheduler),
                      IntervalTrigger(seconds=renew.total_seconds(), timezone=LONDON),
                      id="leadership", name="renew or take over the leader's lease",
                      replace_existing=True, next_run_time=datetime.now(LONDON))
    scheduler.add_job(_job(app, leadership, run_sweep), minute, id="sweep",
                      name="escalate overdue items", replace_existing=True)
    scheduler.add_job(_job(app, leadership, run_outbox), minute, id="outbox",
                      name="deliver and retry notifications", replace_existing=True)
    scheduler.add_job(_job(app, leadership, run_digest),
                      CronTrigger(day_of_week="mon", hour=7, minute=0, timezone=LONDON),
                      id="weekly_digest", name="weekly digest", replace_existing=True)
    return scheduler, leadership


def start_background(app: Flask) -> BackgroundScheduler:
    """For ``tracker demo``: the scheduler inside the demo process."""
    scheduler, _ = build(app, blocking=False)
    assert isinstance(scheduler, BackgroundScheduler)
    scheduler.start()
    app.extensions["tracker.scheduler"] = scheduler
    return scheduler


def run_forever(app: Flask) -> None:
    """For ``tracker scheduler``: block, running jobs while leader, standing by otherwise."""
    scheduler, leadership = build(app, blocking=True)
    log.info("scheduler %s starting (jobs run only while this process leads)", leadership.holder)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        with app.app_context():
            leadership.resign(utcnow())
