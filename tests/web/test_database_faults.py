"""Database faults: a lost or full database gives a clear answer, writes nothing half, and passes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import close_all_sessions

from tests.conftest import START, FakeClock
from tests.factories import kiosk_sign_in, make_prison
from tracker import create_app
from tracker.extensions import db
from tracker.models import Concern, ConcernEvent, Notification, User
from tracker.services import schema
from tracker.services.auth import issue_token

TEXT = "Lad on the 2s keeps taking his canteen and says he owes double bubble, he is scared."


def _counts(app: Flask) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(int(db.session.scalar(select(func.count()).select_from(m)) or 0)  # type: ignore[return-value]
                     for m in (Concern, ConcernEvent, Notification))


@pytest.fixture()
def token(app: Flask, clock: FakeClock) -> str:
    with app.app_context():
        prison = make_prison(clock())
        return issue_token(db.session.get(User, prison["sup.a"].id), clock())  # type: ignore[arg-type]


class DatabaseDrop:
    """Fails every statement that writes to `table` with the error a lost server gives.

    On SQLite a submission writes the concern, then its notifications, in separate statements;
    on PostgreSQL they are one statement (services/concern_store.py), which then fails whole.
    """

    def __init__(self, table: str) -> None:
        self.table, self.failed = table, 0

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if f"INSERT INTO {self.table.upper()} " in statement.upper():
            self.failed += 1
            raise OperationalError(statement, {}, Exception("server closed the connection"))


@pytest.fixture()
def drop_at_notification(app: Flask) -> Iterator[DatabaseDrop]:
    """The server goes away after the concern row was written, before its notifications were."""
    drop = DatabaseDrop("notification")
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", drop)
    yield drop
    if event.contains(engine, "before_cursor_execute", drop):
        event.remove(engine, "before_cursor_execute", drop)


class DatabaseGone(DatabaseDrop):
    """Once the first INSERT INTO `table` fails, every later statement fails too."""

    def __call__(self, conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        if self.failed:
            raise OperationalError(statement, {}, Exception("connection refused"))
        super().__call__(conn, cursor, statement, *rest)


def _post(client: FlaskClient, token: str) -> Any:
    return client.post("/api/v1/concerns", json={"text": TEXT, "wing": "A"},
                       headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "retry-0001"})


def test_api_gets_503_json_with_retry_after_and_nothing_half_written(
        app: Flask, client: FlaskClient, token: str, drop_at_notification: DatabaseDrop) -> None:
    before = _counts(app)
    r = _post(client, token)
    assert drop_at_notification.failed == 1
    assert r.status_code == 503 and r.headers["Retry-After"] == "30"
    assert r.is_json and r.get_json()["error"]["code"] == "service_unavailable"
    assert _counts(app) == before  # the concern row and its events were rolled back with it


def test_a_database_that_stays_down_still_gets_a_503_not_a_500(
        app: Flask, client: FlaskClient, token: str) -> None:
    """After the rollback nothing may reload the signed-in user (the request log once did)."""
    gone = DatabaseGone("notification")
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", gone)
    try:
        r = _post(client, token)
    finally:
        event.remove(engine, "before_cursor_execute", gone)
    assert r.status_code == 503 and r.headers["Retry-After"] and r.is_json


def test_service_resumes_by_itself_and_the_retry_stores_once(
        app: Flask, client: FlaskClient, token: str, drop_at_notification: DatabaseDrop) -> None:
    assert _post(client, token).status_code == 503
    with app.app_context():
        event.remove(db.engine, "before_cursor_execute", drop_at_notification)  # the server is back
    first, again = _post(client, token), _post(client, token)
    assert first.status_code == 201 and again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert _counts(app)[0] == 1


def test_kiosk_says_not_saved_and_keeps_the_text(
        app: Flask, client: FlaskClient, token: str, drop_at_notification: DatabaseDrop) -> None:
    kiosk_sign_in(client, "sup.a")
    r = client.post("/kiosk/concerns/submit", data={
        "text": TEXT, "wing": "A", "risk_now": "no", "is_about_staff": "no",
        "consent_to_share": "yes", "idempotency_key": "k-0123456789"})
    assert r.status_code == 503
    assert "Not saved — please try again." in r.get_data(as_text=True)
    assert "double bubble" in r.get_data(as_text=True)
    assert _counts(app)[0] == 0


def test_connections_killed_on_the_server_are_replaced_on_the_next_request(
        app: Flask, client: FlaskClient, token: str) -> None:
    """A PostgreSQL restart drops every pooled connection; the pool's pre-ping reconnects."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("needs PostgreSQL: SQLite has no server to lose")
    assert _post(client, token).status_code == 201  # the pool now holds a live connection
    close_all_sessions()  # as the end of a request does (pytest-flask keeps one context open)
    with app.app_context(), db.engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    r = client.post("/api/v1/concerns", json={"text": TEXT, "wing": "A"},
                    headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "after-0001"})
    assert r.status_code == 201


# -- a full disk on SQLite ----------------------------------------------------------------------

@pytest.fixture()
def small_disk_app(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[Flask, Path]]:
    """Its own SQLite file, so the page limit touches no other test."""
    path = tmp_path / "full.sqlite3"
    full = create_app({"TESTING": True, "SECRET_KEY": "test-only", "CLOCK": clock,
                       "CHEAP_HASHING": True, "WTF_CSRF_ENABLED": False,
                       "DATABASE_URL": f"sqlite:///{path}"})
    with full.app_context():
        schema.upgrade()
        make_prison(START)
    yield full, path
    with full.app_context():
        db.session.remove()
        db.engine.dispose()


def _limit_pages(app: Flask, path: Path) -> list[str]:
    """Every new connection may not grow the file past its size now: the disk is full."""
    with sqlite3.connect(path) as probe:
        pages = probe.execute("PRAGMA page_count").fetchone()[0]

    def no_room(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {int(pages)}")

    errors: list[str] = []
    with app.app_context():
        db.engine.dispose()
        event.listen(db.engine, "connect", no_room)
        event.listen(db.engine, "handle_error", lambda ctx: errors.append(str(ctx.original_exception)))
    return errors


def test_full_disk_on_sqlite_says_not_saved_and_corrupts_nothing(
        small_disk_app: tuple[Flask, Path]) -> None:
    app, path = small_disk_app
    client = app.test_client()
    kiosk_sign_in(client, "sup.a")
    errors = _limit_pages(app, path)
    r = client.post("/kiosk/concerns/submit", data={
        "text": TEXT + " " + "x" * 3800, "wing": "A", "risk_now": "no", "is_about_staff": "no",
        "consent_to_share": "yes", "idempotency_key": "k-full-disk"})
    page = r.get_data(as_text=True)
    assert r.status_code == 503 and "Not saved — please try again." in page
    assert "double bubble" in page
    assert any("full" in e for e in errors), errors  # SQLITE_FULL: "database or disk is full"
    with app.app_context():
        db.engine.dispose()
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("SELECT count(*) FROM concern").fetchone()[0] == 0
