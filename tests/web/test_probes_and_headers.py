"""Health probes, security headers and the request id, over HTTP."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import START
from tracker import create_app
from tracker.extensions import db
from tracker.models.clockwork import SchedulerHeartbeat
from tracker.security_headers import CONTENT_SECURITY_POLICY
from tracker.services import health


def dead_database_app(tmp_path: Path) -> Flask:
    """An app whose database is a closed port: nothing listens on 127.0.0.1:9."""
    return create_app({"TESTING": True, "SECRET_KEY": "test-only", "CHEAP_HASHING": True,
                       "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none",
                       "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}}})


def test_healthz_answers_without_the_database(tmp_path: Path) -> None:
    r = dead_database_app(tmp_path).test_client().get("/healthz")
    assert r.status_code == 200 and r.get_json() == {"status": "ok"}


def test_readyz_fails_on_a_closed_database_port(tmp_path: Path) -> None:
    r = dead_database_app(tmp_path).test_client().get("/readyz")
    assert r.status_code == 503
    assert r.get_json() == {"status": "not_ready", "database": "unreachable",
                            "migrations": "unknown", "scheduler": "unknown"}


def test_readyz_is_ready_on_a_migrated_database(client: FlaskClient) -> None:
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.get_json() == {"status": "ready", "database": "ok", "migrations": "ok",
                            "scheduler": "unknown"}


def test_readyz_fails_when_the_database_is_unreachable(
        client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "database_reachable", lambda: False)
    r = client.get("/readyz")
    assert r.status_code == 503
    assert r.get_json()["database"] == "unreachable"


def test_readyz_fails_when_migrations_are_behind(
        client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "migration_heads", lambda: ({"old"}, frozenset({"new"})))
    r = client.get("/readyz")
    assert r.status_code == 503 and r.get_json()["migrations"] == "behind"


@pytest.mark.parametrize(("minutes", "status", "state"), [(2, 200, "ok"), (6, 503, "stale")])
def test_readyz_reads_the_scheduler_heartbeat(app: Flask, client: FlaskClient, minutes: int,
                                              status: int, state: str) -> None:
    with app.app_context():
        for job, age in (("sweep", minutes), ("digest", 600)):
            db.session.add(SchedulerHeartbeat(job_id=job, holder="sched-1", runs=1, last_result={},
                                              last_run_at=START - timedelta(minutes=age)))
        db.session.commit()
    r = client.get("/readyz")
    assert r.status_code == status and r.get_json()["scheduler"] == state


def test_heartbeat_age_is_none_before_any_beat(app: Flask) -> None:
    with app.app_context():
        assert health.scheduler_heartbeat_age(START) is None


def test_every_response_carries_the_security_headers(client: FlaskClient) -> None:
    r = client.get("/kiosk/")
    assert r.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in r.headers["Permissions-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_only_over_tls(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    secure = client.get("/healthz", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_hsts_when_configured_behind_tls(app: Flask, client: FlaskClient,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "BEHIND_TLS", True)
    assert "Strict-Transport-Security" in client.get("/healthz").headers


def test_request_id_is_echoed_or_generated(client: FlaskClient) -> None:
    echoed = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["X-Request-ID"] == "abc-123"
    generated = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert len(generated.headers["X-Request-ID"]) == 32
