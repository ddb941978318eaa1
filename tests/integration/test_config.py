"""Configuration layers and the instance folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from tracker import create_app
from tracker.extensions import db


@pytest.fixture()
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    return tmp_path


def test_layers_apply_in_order_defaults_file_env_test(instance: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (instance / "config.py").write_text("KIOSK_IDLE_SECONDS = 90\nSMTP_HOST = 'file'\nMAIL_FROM = 'file'\n")
    monkeypatch.setenv("TRACKER_SMTP_HOST", "env")
    monkeypatch.setenv("TRACKER_MAIL_FROM", "env")
    app = create_app({"MAIL_FROM": "test"})
    assert app.config["STAFF_IDLE_SECONDS"] == 1800  # default
    assert app.config["KIOSK_IDLE_SECONDS"] == 90  # instance file
    assert app.config["SMTP_HOST"] == "env"  # environment beats the file
    assert app.config["MAIL_FROM"] == "test"  # the test mapping beats everything


def test_secret_key_is_generated_once_into_the_instance_folder(instance: Path) -> None:
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (instance / "secret_key").read_text().strip() == first
    assert (instance / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_in_instance_with_wal_and_busy_timeout(instance: Path) -> None:
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'tracker.sqlite3'}"
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15000
        db.engine.dispose()


def test_database_url_from_environment(instance: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", "postgresql://u@db.example/tracker")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/tracker"
