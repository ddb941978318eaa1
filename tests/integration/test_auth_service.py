"""Sign-in throttling and server-side sessions, with the clock moved by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from tests.conftest import FakeClock
from tests.factories import PASSWORD, PIN, make_prison
from tracker.services import auth
from tracker.services.auth import GENERIC_FAILURE, ThrottlePolicy, lock_seconds

POLICY = ThrottlePolicy(free_attempts=5, base_lock_seconds=60, max_lock_seconds=3600,
                        cheap_hash=True)


@pytest.fixture()
def ctx(app: Flask, clock: FakeClock):  # type: ignore[no-untyped-def]
    with app.app_context():
        make_prison(clock())
        yield


def attempt(clock: FakeClock, pin: str, user: str = "sup.a", ip: str = "10.0.0.1") -> auth.SignInResult:
    return auth.sign_in(user, pin, "kiosk", ip, clock(), POLICY)


@pytest.mark.parametrize(("failures", "seconds"), [(4, 0), (5, 60), (6, 120), (7, 240), (20, 3600)])
def test_lock_grows_after_the_free_attempts_up_to_the_maximum(failures: int, seconds: int) -> None:
    assert lock_seconds(failures, POLICY) == seconds


def test_right_pin_signs_in(ctx: None, clock: FakeClock) -> None:
    result = attempt(clock, PIN)
    assert result.session_id and result.user and result.user.username == "sup.a"


def test_fifth_failure_locks_even_the_right_pin_out(ctx: None, clock: FakeClock) -> None:
    for _ in range(5):
        assert attempt(clock, "0000").message == GENERIC_FAILURE
    locked = attempt(clock, PIN)
    assert locked.session_id is None and locked.retry_after_seconds > 0
    assert "Wait 1 minute" in (locked.message or "")


def test_lock_lifts_when_its_time_has_passed(ctx: None, clock: FakeClock) -> None:
    for _ in range(5):
        attempt(clock, "0000")
    clock.advance(seconds=61)
    assert attempt(clock, PIN).session_id is not None


def test_lock_on_one_user_does_not_lock_another(ctx: None, clock: FakeClock) -> None:
    for _ in range(5):
        attempt(clock, "0000")
    assert attempt(clock, PIN, user="sup.b").session_id is not None


def test_staff_password_does_not_open_the_kiosk(ctx: None, clock: FakeClock) -> None:
    assert auth.sign_in("officer.a", PASSWORD, "kiosk", "ip", clock(), POLICY).user is None
    assert auth.sign_in("officer.a", PASSWORD, "staff", "ip", clock(), POLICY).user is not None


def test_session_ends_when_idle_and_stays_ended(ctx: None, clock: FakeClock) -> None:
    sid = attempt(clock, PIN).session_id
    assert sid
    assert auth.resume_session(sid, clock() + timedelta(seconds=100), 120) is not None
    assert auth.resume_session(sid, clock() + timedelta(seconds=221), 120) is None
    assert auth.resume_session(sid, clock() + timedelta(seconds=222), 120) is None


def test_ended_session_cannot_be_resumed(ctx: None, clock: FakeClock) -> None:
    sid = attempt(clock, PIN).session_id
    auth.end_session(sid, clock())
    assert sid and auth.resume_session(sid, clock(), 120) is None
