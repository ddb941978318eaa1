"""Inputs schemathesis found that once gave a 500 or were wrongly accepted."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import FakeClock
from tests.factories import make_prison
from tracker.extensions import db
from tracker.models import User
from tracker.services.auth import issue_token


@pytest.fixture()
def bearer(app: Flask, clock: FakeClock) -> dict[str, str]:
    with app.app_context():
        user = db.session.get(User, make_prison(clock())["sup.a"].id)
        assert user is not None
        return {"Authorization": f"Bearer {issue_token(user, clock())}"}


@pytest.mark.parametrize("body", [
    {"text": "", "wing": "", "about_staff": "", "resident_number": None},
    {"text": "Feeling very low and not sleeping at all", "wing": "   "},
])
def test_blank_optional_strings_are_a_422_not_a_500(client: FlaskClient, bearer: dict[str, str],
                                                    body: dict[str, object]) -> None:
    r = client.post("/api/v1/concerns", json=body, headers=bearer)
    assert r.status_code in (201, 422), r.get_data(as_text=True)


@pytest.mark.parametrize("value", [0, 1, 2.5])
def test_numbers_are_not_booleans(client: FlaskClient, bearer: dict[str, str], value: object) -> None:
    r = client.post("/api/v1/classify", json={"text": "He is low", "risk_now": value}, headers=bearer)
    assert r.status_code == 422 and "risk_now" in r.get_json()["error"]["fields"]


@pytest.mark.parametrize("key", ["short", "k" * 81])
def test_idempotency_key_header_length_is_checked(client: FlaskClient, bearer: dict[str, str],
                                                  key: str) -> None:
    r = client.post("/api/v1/concerns", json={"text": "Feeling very low and not sleeping", "wing": "A"},
                    headers={**bearer, "Idempotency-Key": key})
    assert r.status_code == 422 and "Idempotency-Key" in r.get_json()["error"]["fields"]
