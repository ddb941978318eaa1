"""Each request logs one line with its id, path and user, and nothing anyone said or typed."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import START
from tests.factories import kiosk_sign_in, make_prison
from tracker.request_log import REQUEST_FIELDS

TYPED_TEXT = "Lad on the 2s is being taxed for his canteen every week"


def _request_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "tracker.request"]


def test_a_request_is_logged_once_without_its_query_string(
        client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="tracker.request")
    client.get("/healthz?token=abc", headers={"X-Request-ID": "req-1"})
    [record] = _request_records(caplog)
    assert (record.request_id, record.method, record.path, record.status) == (  # type: ignore[attr-defined]
        "req-1", "GET", "/healthz", 200)
    assert "token" not in str(record.__dict__)


def test_nothing_typed_reaches_the_logs(app: Flask, client: FlaskClient,
                                        caplog: pytest.LogCaptureFixture) -> None:
    with app.app_context():
        prison = make_prison(START)
        supporter_id = prison["sup.a"].id
    caplog.set_level(logging.DEBUG)
    kiosk_sign_in(client, "sup.a")
    client.post("/kiosk/concerns/check", data={"text": TYPED_TEXT, "wing": "A",
                                                 "idempotency_key": "k1"})
    client.post("/api/v1/concerns", json={"text": TYPED_TEXT},
                headers={"Authorization": "Bearer not-a-real-token-xyz"})
    everything = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    for secret in (TYPED_TEXT, "taxed", "not-a-real-token-xyz", "tracker_session="):
        assert secret not in everything
    users = {getattr(r, "user_id", None) for r in _request_records(caplog)}
    assert supporter_id in users
    assert all(set(REQUEST_FIELDS) <= set(r.__dict__) for r in _request_records(caplog))
