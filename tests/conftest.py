"""Fixtures: one app per test session, a settable clock, a clean database for every test.

Set TRACKER_TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to run the
suite on PostgreSQL; by default it runs on a SQLite file in a temporary folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text
from sqlalchemy.orm import close_all_sessions

from tracker import create_app
from tracker.extensions import db
from tracker.models import Base
from tracker.services import directory, schema

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


class FakeClock:
    """A clock tests set and move by hand: nothing ever sleeps."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # a Tuesday, 10:00 in London


@pytest.fixture(scope="session")
def clock() -> FakeClock:
    """The app's clock; reset to START before every test by `_reset_clock`."""
    return FakeClock(START)


@pytest.fixture(autouse=True)
def _reset_clock(clock: FakeClock) -> None:
    clock.set(START)


def _database_url(tmp_root: Path) -> str:
    return os.environ.get("TRACKER_TEST_DATABASE_URL") or f"sqlite:///{tmp_root / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory, clock: FakeClock) -> Iterator[Flask]:
    """One app for the session: schema created once, rows removed after each test."""
    root = tmp_path_factory.mktemp("instance")
    os.environ["TRACKER_INSTANCE_PATH"] = str(root)
    app = create_app({
        "TESTING": True, "DATABASE_URL": _database_url(root), "SECRET_KEY": "test-only",
        "CLOCK": clock, "CHEAP_HASHING": True, "WTF_CSRF_ENABLED": False,
    })
    with app.app_context():
        _drop_everything()
        schema.upgrade()  # the suite runs on the migrated schema, as production does
    yield app
    with app.app_context():
        db.session.remove()
        _drop_everything()
        db.engine.dispose()


def _drop_everything() -> None:
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(autouse=True)
def _clean_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "app" not in request.fixturenames:
        return
    flask_app: Flask = request.getfixturevalue("app")
    close_all_sessions()  # including the one pytest-flask's request context may hold open
    with flask_app.app_context():
        directory.forget()  # ids and directory versions start again in the emptied tables
        tables = list(reversed(Base.metadata.sorted_tables))
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(table.delete())


@pytest.fixture()
def runner(app: Flask) -> FlaskCliRunner:
    """Runs `tracker` commands against the test app."""
    return app.test_cli_runner()


@pytest.fixture()
def kiosk(app: Flask) -> FlaskClient:
    """A second browser, for the next person at the kiosk."""
    return app.test_client()
