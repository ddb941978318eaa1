"""The outbox (SMTP down then up, dead letters) and the scheduler (jobs, heartbeat, leader lease)."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from tests.clock_helpers import count, raise_item, staff_leads
from tests.conftest import FakeClock
from tests.factories import Prison, make_prison
from tracker import scheduler
from tracker.extensions import db
from tracker.models import Concern, Notification, SchedulerHeartbeat
from tracker.services import outbox, scheduler_state


class FakeSMTP:
    """An SMTP server the test switches off and on; it remembers what it accepted."""

    up = False
    delivered: list[Any] = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        if not FakeSMTP.up:
            raise ConnectionRefusedError("SMTP server down")

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def starttls(self) -> None:
        return None

    def login(self, user: str, password: str) -> None:
        return None

    def send_message(self, msg: Any) -> None:
        FakeSMTP.delivered.append(msg)


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        p = make_prison(clock())
        staff_leads(p)
        return p


@pytest.fixture()
def smtp() -> type[FakeSMTP]:
    FakeSMTP.up, FakeSMTP.delivered = False, []
    return FakeSMTP


def _emails_pending() -> int:
    return count(Notification, Notification.channel == "email", Notification.status == "pending")


def test_smtp_down_then_up_loses_nothing_and_sends_nothing_twice(
        app: Flask, prison: Prison, clock: FakeClock, smtp: type[FakeSMTP]) -> None:
    with app.app_context():
        app.config["OUTBOX_DELIVER_ON_COMMIT"] = "off"
        try:
            raise_item(prison, clock())
            sender = outbox.SmtpSender("mail.test", 587, True, "u", "p", smtp_class=smtp)
            emails = _emails_pending()
            assert emails > 0
            down = outbox.deliver_pending(clock(), sender)
            assert (down.sent, down.failed) == (0, emails)
            assert outbox.deliver_pending(clock(), sender).failed == 0  # backing off, not hammering
            smtp.up = True
            later = clock() + timedelta(minutes=1)
            assert outbox.deliver_pending(later, sender).sent == emails
            assert outbox.deliver_pending(later + timedelta(hours=2), sender).sent == 0
            assert len(smtp.delivered) == emails
            assert len({m["To"] for m in smtp.delivered}) == emails
            assert _emails_pending() == 0
        finally:
            app.config["OUTBOX_DELIVER_ON_COMMIT"] = None


def test_after_n_failures_a_message_is_dead_lettered_and_listed(
        app: Flask, prison: Prison, clock: FakeClock, smtp: type[FakeSMTP],
        runner: FlaskCliRunner) -> None:
    with app.app_context():
        app.config.update(OUTBOX_DELIVER_ON_COMMIT="off", OUTBOX_MAX_ATTEMPTS=3)
        try:
            raise_item(prison, clock())
            sender = outbox.SmtpSender("mail.test", smtp_class=smtp)
            now = clock()
            for _ in range(3):
                outbox.deliver_pending(now, sender)
                now += timedelta(hours=2)
            dead = outbox.dead_letters()
            assert dead and all(n.status == "dead" and n.attempts == 3 for n in dead)
            assert "SMTP server down" in (dead[0].last_error or "")
        finally:
            app.config.update(OUTBOX_DELIVER_ON_COMMIT=None, OUTBOX_MAX_ATTEMPTS=8)
    result = runner.invoke(args=["outbox"])
    assert result.exit_code == 0, result.output
    assert " dead" in result.output and "dead #" in result.output


def test_kiosk_notices_need_no_transport(app: Flask, prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock())
        scheduler.run_sweep(item.next_deadline)  # type: ignore[arg-type]
        kiosk = db.session.scalars(db.select(Notification).where(
            Notification.channel == "kiosk")).one()
        assert kiosk.status == "sent"  # delivered at once after commit (inline under TESTING)


def test_backoff_doubles_and_is_capped() -> None:
    assert [outbox.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert outbox.backoff(20) == timedelta(hours=1)


def test_jobs_write_a_heartbeat_and_health_says_when_runs_are_missed(
        app: Flask, prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock())
        assert scheduler_state.scheduler_health(clock()).ok  # nothing overdue yet
        late = item.next_deadline + timedelta(minutes=6)  # type: ignore[operator]
        health = scheduler_state.scheduler_health(late)
        assert not health.ok and "never run" in (health.message or "")
        result = scheduler.run_sweep(late, holder="test")
        assert result is not None and result["escalated"] == 1
        assert scheduler.run_outbox(late, holder="test") is not None
        assert "digests" in (scheduler.run_digest(late, holder="test") or {})
        beat = db.session.get(SchedulerHeartbeat, "sweep")
        assert beat is not None and beat.last_run_at == late and beat.runs == 1
        assert scheduler_state.scheduler_health(late + timedelta(minutes=5)).ok
        missed = scheduler_state.scheduler_health(late + timedelta(minutes=6))
        assert not missed.ok and "more than 5 minutes" in (missed.message or "")


def test_a_failing_job_records_its_error_and_does_not_raise(
        app: Flask, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    with app.app_context():
        def boom(now: object) -> None:
            raise RuntimeError("database went away")

        monkeypatch.setattr(scheduler.escalation, "escalate_due", boom)
        assert scheduler.run_sweep(clock(), holder="test") is None
        beat = db.session.get(SchedulerHeartbeat, "sweep")
        assert beat is not None and "database went away" in (beat.last_error or "")


def test_only_one_holder_leads_and_a_standby_takes_over_when_the_lease_expires(
        app: Flask, clock: FakeClock) -> None:
    with app.app_context():
        now = clock()
        assert scheduler_state.acquire_lease("first", now)
        assert not scheduler_state.acquire_lease("second", now + timedelta(seconds=30))
        assert scheduler_state.acquire_lease("first", now + timedelta(seconds=60))  # renewed
        assert not scheduler_state.acquire_lease("second", now + timedelta(seconds=120))
        taken = now + timedelta(seconds=151)  # the first died: its lease ran out
        assert scheduler_state.acquire_lease("second", taken)
        assert scheduler_state.lease_holder(taken) == "second"
        assert not scheduler_state.acquire_lease("first", taken + timedelta(seconds=1))
        scheduler_state.release_lease("second", taken + timedelta(seconds=2))
        assert scheduler_state.acquire_lease("first", taken + timedelta(seconds=3))


def test_the_scheduler_has_fixed_job_ids_london_time_and_one_instance(app: Flask) -> None:
    sched, leadership = scheduler.build(app, blocking=False, holder="test")
    sched.start(paused=True)  # job defaults apply once started; paused: nothing runs
    try:
        jobs = {job.id: job for job in sched.get_jobs()}
    finally:
        sched.shutdown(wait=False)
    assert set(jobs) == {"leadership", "sweep", "outbox", "weekly_digest"}
    assert str(sched.timezone) == "Europe/London"
    assert all(job.coalesce and job.max_instances == 1 for job in jobs.values())
    digest = str(jobs["weekly_digest"].trigger)
    assert "day_of_week='mon'" in digest and "hour='7'" in digest and "minute='0'" in digest
    assert leadership.holder == "test"


def test_creating_the_app_starts_no_scheduler(app: Flask) -> None:
    assert "tracker.scheduler" not in app.extensions


def test_cli_sweep_prints_what_it_did(app: Flask, prison: Prison, clock: FakeClock,
                                      runner: FlaskCliRunner) -> None:
    with app.app_context():
        item = raise_item(prison, clock())
        due = item.next_deadline.isoformat()  # type: ignore[union-attr]
        reference = item.reference
    result = runner.invoke(args=["sweep", "--now", due])
    assert result.exit_code == 0, result.output
    assert f"{reference}: level 0 -> 1" in result.output and "1 escalated" in result.output
    again = runner.invoke(args=["sweep", "--now", due])
    assert "0 escalated" in again.output
    with app.app_context():
        assert count(Concern, Concern.escalation_level == 1) == 1


def test_cli_lockdown_start_and_end(app: Flask, prison: Prison, clock: FakeClock,
                                    runner: FlaskCliRunner) -> None:
    with app.app_context():
        raise_item(prison, clock(), wing="B")
    started = runner.invoke(args=["lockdown", "start", "B", "--reason", "Staff shortage"])
    assert started.exit_code == 0 and "1 open items paused" in started.output, started.output
    twice = runner.invoke(args=["lockdown", "start", "B", "--reason", "again"])
    assert twice.exit_code == 2 and "already locked down" in twice.output
    ended = runner.invoke(args=["lockdown", "end", "B"])
    assert ended.exit_code == 0 and "1 open items running again" in ended.output


def test_smtp_sender_uses_tls_and_login(smtp: type[FakeSMTP]) -> None:
    smtp.up = True
    calls: list[str] = []

    class Spy(FakeSMTP):
        def starttls(self) -> None:
            calls.append("tls")

        def login(self, user: str, password: str) -> None:
            calls.append(f"login {user}")

    outbox.SmtpSender("h", 587, True, "me", "pw", smtp_class=Spy).send("a@b", "s", "body")
    assert calls == ["tls", "login me"] and smtp.delivered[0]["To"] == "a@b"
    assert issubclass(smtplib.SMTP, object)
