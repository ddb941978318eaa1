"""Sign-in throttling is shared by every web process: it lives in the database, not in memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, event, insert, select

from tests.conftest import REPO, FakeClock
from tests.factories import PIN, make_prison
from tracker import create_app
from tracker.extensions import db
from tracker.models import SignInThrottle
from tracker.services import auth

POLICY = auth.ThrottlePolicy(free_attempts=5, base_lock_seconds=60, max_lock_seconds=3600,
                             cheap_hash=True)


@pytest.fixture()
def second_app(app: Flask, clock: FakeClock) -> Iterator[Flask]:
    """Another web process in all but pid: its own app, engine and connection pool."""
    other = create_app({"TESTING": True, "SECRET_KEY": "test-only", "CLOCK": clock,
                        "CHEAP_HASHING": True, "WTF_CSRF_ENABLED": False,
                        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]})
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def _failures(app: Flask, key: str) -> int:
    with app.app_context():
        return int(db.session.scalar(select(SignInThrottle.failures)
                                     .where(SignInThrottle.key == key)) or 0)


def test_failures_in_two_app_instances_count_toward_one_lock_out(
        app: Flask, second_app: Flask, clock: FakeClock) -> None:
    with app.app_context():
        make_prison(clock())
    web1, web2 = app.test_client(), second_app.test_client()
    for i in range(5):  # wrong PINs through both processes: five free tries in all, not each
        (web1 if i % 2 else web2).post("/kiosk/", data={"username": "sup.a", "pin": "0000"})
    assert _failures(app, "user:sup.a") == 5
    for web in (web1, web2):
        page = web.post("/kiosk/", data={"username": "sup.a", "pin": PIN})
        assert page.status_code != 302 and "Too many tries" in page.get_data(as_text=True)


def test_a_racing_insert_of_the_same_key_is_counted_by_update(app: Flask, clock: FakeClock) -> None:
    """Another process inserts the key between our UPDATE (no row yet) and our INSERT."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            pytest.skip("SQLite locks the whole file at the UPDATE: no insert can come between")
        other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        raced = []

        def insert_from_elsewhere(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
            if statement.startswith("INSERT INTO signin_throttle") and not raced:
                raced.append(True)
                with other.begin() as elsewhere:
                    elsewhere.execute(insert(SignInThrottle.__table__).values(
                        key="user:ghost", failures=1, last_failure_at=clock()))

        event.listen(db.engine, "before_cursor_execute", insert_from_elsewhere)
        try:
            auth.sign_in("ghost", "0000", "kiosk", "10.9.9.9", clock(), POLICY)
        finally:
            event.remove(db.engine, "before_cursor_execute", insert_from_elsewhere)
            other.dispose()
    assert raced and _failures(app, "user:ghost") == 2


RACER = """
import json, sys
from datetime import datetime
from tracker import create_app
from tracker.services import auth
url, now, n = sys.argv[1], datetime.fromisoformat(sys.argv[2]), int(sys.argv[3])
app = create_app({"DATABASE_URL": url, "SECRET_KEY": "test-only", "CHEAP_HASHING": True})
policy = auth.ThrottlePolicy(5, 60, 3600, 1000, True)
with app.app_context():
    print("ready", flush=True)
    sys.stdin.readline()
    out = [auth.sign_in("ghost", "0000", "kiosk", "10.9.9.9", now, policy).message for _ in range(n)]
print(json.dumps(out), flush=True)
"""


def test_two_processes_failing_at_once_lose_no_failure(app: Flask, clock: FakeClock) -> None:
    """This process and a child fail ten times each on one new key, started together."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    argv = [sys.executable, "-c", RACER, app.config["SQLALCHEMY_DATABASE_URI"],
            clock().isoformat(), "10"]
    child = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,  # noqa: S603
                             text=True, env=env, cwd=REPO)
    try:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "ready"
        child.stdin.write("go\n")
        child.stdin.flush()
        with app.app_context():
            ours = [auth.sign_in("ghost", "0000", "kiosk", "10.9.9.9", clock(),
                                 auth.ThrottlePolicy(5, 60, 3600, 1000, True)).message
                    for _ in range(10)]
        theirs = json.loads(child.communicate(timeout=120)[0])
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0 and len(theirs) == 10
    refused = sum(str(m).startswith("Too many") for m in ours + theirs)
    assert _failures(app, "user:ghost") + refused == 20  # every try either counted or refused
    assert _failures(app, "user:ghost") >= 5
