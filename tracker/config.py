"""Configuration layers: defaults, instance/config.py, TRACKER_* environment, then a test mapping."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask


class Defaults:
    """Settings every installation starts from; each can be overridden by a later layer."""

    DATABASE_URL: str | None = None  # None: SQLite file in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = 64 * 1024  # a concern is at most 4,000 characters; nothing needs more
    RULES_UPLOAD_MAX_BYTES = 2 * 1024 * 1024  # except a rule file uploaded by an admin
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True behind TLS (docs/deploy.md)
    SESSION_COOKIE_NAME = "tracker_session"
    WTF_CSRF_TIME_LIMIT = None  # the server-side session bounds a form's life instead
    KIOSK_IDLE_SECONDS = 120
    STAFF_IDLE_SECONDS = 30 * 60
    SIGNIN_FREE_ATTEMPTS = 5  # failures allowed before lock-out starts
    SIGNIN_BASE_LOCK_SECONDS = 60  # doubles with every further failure
    SIGNIN_MAX_LOCK_SECONDS = 60 * 60
    SIGNIN_IP_FREE_ATTEMPTS = 50  # a kiosk is shared, so the per-address limit is looser
    RULES_DIR: str | None = None  # None: the rules/ folder beside the package
    TIMEZONE = "Europe/London"
    SMTP_HOST: str | None = None
    SMTP_PORT = 25
    SMTP_USE_TLS = False
    SMTP_USERNAME: str | None = None
    SMTP_PASSWORD: str | None = None
    MAIL_FROM = "tracker@localhost"
    LOG_FORMAT = "text"  # json in production: one object per line (tracker/request_log.py)
    LOG_LEVEL = "INFO"
    BEHIND_TLS = False  # True adds HSTS even when the proxy does not say the request was https
    PROXY_FIX = 0  # reverse proxies in front whose X-Forwarded-* headers are trusted
    RETENTION_DAYS = 365  # closed items' text is redacted this long after closing
    SCHEDULER_TICK_SECONDS = 60  # the sweep and the outbox retry run this often
    SCHEDULER_RENEW_SECONDS = 10  # the leader renews its lease; a standby checks whether it may lead
    SCHEDULER_LEASE_SECONDS = 30  # a dead leader's lease runs out after this (PostgreSQL: at once)


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Apply the four layers in order and derive what depends on them."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("TRACKER")
    if test_config:
        app.config.update(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = _database_url(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 15}}
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if not app.config.get("RULES_DIR"):
        app.config["RULES_DIR"] = str(Path(__file__).resolve().parent.parent / "rules")


def _database_url(app: Flask) -> str:
    url = app.config.get("DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'tracker.sqlite3'}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return str(url)


def _instance_secret(instance: Path) -> str:
    """Generate the secret once per installation so it is never a constant in the code."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()
