"""Extension objects, created unbound and attached to the app in create_app."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tracker.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()


def on_postgresql() -> bool:
    """Whether the session's database is PostgreSQL (a few statements have a faster form there)."""
    return db.session.get_bind().dialect.name == "postgresql"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets the kiosk write while staff read; foreign keys are off by default in SQLite."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=15000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()


def init_app(app: Flask) -> None:
    """Bind the database, migrations and CSRF protection to the app."""
    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True)
    csrf.init_app(app)


def _migrations_dir() -> Any:
    from pathlib import Path

    return Path(__file__).resolve().parent / "migrations"
