"""The JSON API as an integration sees it: tokens, validation, errors always in one shape."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import FakeClock
from tests.factories import Prison, make_prison
from tracker.extensions import db
from tracker.models import AccessLog, Concern
from tracker.services.auth import issue_token

TEXT = "Someone keeps nicking his vapes on association and laughing at him."


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        return make_prison(clock())


@pytest.fixture()
def tokens(app: Flask, prison: Prison, clock: FakeClock) -> dict[str, str]:
    with app.app_context():
        return {name: issue_token(db.session.merge(prison[name]), clock())
                for name in ("sup.a", "sup.b", "officer.a", "officer.b", "sc", "complaints",
                             "governor", "lead.listeners")}


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def post(client: FlaskClient, token: str, body: Any, **headers: str) -> Any:
    return client.post("/api/v1/concerns", json=body, headers={**auth(token), **headers})


def assert_error(r: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status
    assert r.is_json, r.get_data(as_text=True)
    err = r.get_json()["error"]
    assert set(err) == {"code", "message", "fields"}
    if code:
        assert err["code"] == code
    return dict(err)


def stored(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Concern)) or 0


def test_create_concern_answers_with_routing_and_due_time(client: FlaskClient,
                                                          tokens: dict[str, str]) -> None:
    r = post(client, tokens["sup.a"], {"text": TEXT, "wing": "A", "resident_number": "a1234bc"})
    assert r.status_code == 201
    body = r.get_json()
    for key in ("reference", "categories", "urgency", "scheme", "co_schemes", "status",
                "escalation_level", "due_at", "explanation"):
        assert key in body
    assert body["categories"] == ["bullying"]
    assert body["scheme"] == "insiders" and body["status"] == "new"
    assert body["escalation_level"] == 0 and body["due_at"].endswith("+00:00")


def test_wing_defaults_to_the_supporters_own(client: FlaskClient, app: Flask,
                                             tokens: dict[str, str]) -> None:
    r = post(client, tokens["sup.a"], {"text": TEXT})
    assert r.status_code == 201
    with app.app_context():
        assert db.session.scalar(select(Concern)).wing.code == "A"


def test_same_idempotency_key_never_makes_two(client: FlaskClient, app: Flask,
                                              tokens: dict[str, str]) -> None:
    first = post(client, tokens["sup.a"], {"text": TEXT}, **{"Idempotency-Key": "retry-123456"})
    second = post(client, tokens["sup.a"], {"text": TEXT}, **{"Idempotency-Key": "retry-123456"})
    assert first.get_json()["reference"] == second.get_json()["reference"]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert stored(app) == 1


def test_reusing_a_key_for_other_words_is_refused(client: FlaskClient, app: Flask,
                                                  tokens: dict[str, str]) -> None:
    post(client, tokens["sup.a"], {"text": TEXT}, **{"Idempotency-Key": "retry-123456"})
    r = post(client, tokens["sup.a"], {"text": TEXT + " Again."},
             **{"Idempotency-Key": "retry-123456"})
    assert_error(r, 422, "idempotency_conflict")
    assert stored(app) == 1


@pytest.mark.parametrize(("body", "field"), [
    ({}, "text"),
    ({"text": ""}, "text"),
    ({"text": "short"}, "text"),
    ({"text": 12345678901}, "text"),
    ({"text": "x" * 4001}, "text"),
    ({"text": TEXT, "resident_number": "AB12"}, "resident_number"),
    ({"text": TEXT, "wing": "Z"}, "wing"),
    ({"text": TEXT, "about_staff": "nobody.here"}, "about_staff"),
    ({"text": TEXT, "about_staff": "sup.b"}, "about_staff"),  # a resident is not staff
    ({"text": TEXT, "risk_now": "maybe"}, "risk_now"),
    ({"text": TEXT, "colour": "red"}, "colour"),
])
def test_bad_fields_get_422_with_field_messages_and_nothing_stored(
        client: FlaskClient, app: Flask, tokens: dict[str, str], body: dict[str, Any],
        field: str) -> None:
    err = assert_error(post(client, tokens["sup.a"], body), 422)
    assert field in err["fields"] and err["fields"][field][0]
    assert stored(app) == 0


def test_malformed_json_is_400(client: FlaskClient, tokens: dict[str, str]) -> None:
    r = client.post("/api/v1/concerns", data="{not json", headers={
        **auth(tokens["sup.a"]), "Content-Type": "application/json"})
    assert_error(r, 400, "malformed_json")


def test_wrong_content_type_is_415(client: FlaskClient, tokens: dict[str, str]) -> None:
    r = client.post("/api/v1/concerns", data="text=hello", headers=auth(tokens["sup.a"]))
    assert_error(r, 415)


def test_json_that_is_not_an_object_is_422(client: FlaskClient, tokens: dict[str, str]) -> None:
    assert_error(post(client, tokens["sup.a"], ["a", "list"]), 422)


def test_huge_body_is_413(client: FlaskClient, tokens: dict[str, str]) -> None:
    r = post(client, tokens["sup.a"], {"text": "x" * 200_000})
    assert_error(r, 413)


def test_missing_or_bad_token_is_401(client: FlaskClient, prison: Prison) -> None:
    assert_error(client.post("/api/v1/concerns", json={"text": TEXT}), 401)
    assert_error(client.get("/api/v1/me/concerns", headers=auth("not-a-token")), 401)


def test_staff_cannot_raise_concerns_through_the_api(client: FlaskClient,
                                                     tokens: dict[str, str]) -> None:
    assert_error(post(client, tokens["officer.a"], {"text": TEXT}), 403)


def test_unknown_route_and_wrong_method_answer_json(client: FlaskClient,
                                                    tokens: dict[str, str]) -> None:
    assert_error(client.get("/api/v1/nothing", headers=auth(tokens["sup.a"])), 404)
    r = client.delete("/api/v1/concerns", headers=auth(tokens["sup.a"]))
    assert_error(r, 405)
    assert "POST" in r.headers["Allow"]


def test_another_supporters_concern_is_404(client: FlaskClient, tokens: dict[str, str]) -> None:
    ref = post(client, tokens["sup.a"], {"text": TEXT}).get_json()["reference"]
    assert client.get(f"/api/v1/concerns/{ref}", headers=auth(tokens["sup.a"])).status_code == 200
    assert_error(client.get(f"/api/v1/concerns/{ref}", headers=auth(tokens["sup.b"])), 404)


def test_my_concerns_lists_only_mine(client: FlaskClient, tokens: dict[str, str]) -> None:
    ref = post(client, tokens["sup.a"], {"text": TEXT}).get_json()["reference"]
    mine = client.get("/api/v1/me/concerns", headers=auth(tokens["sup.a"])).get_json()
    theirs = client.get("/api/v1/me/concerns", headers=auth(tokens["sup.b"])).get_json()
    assert [i["reference"] for i in mine["items"]] == [ref]
    assert theirs == {"items": []}


def test_listener_item_shows_staff_no_words_and_every_read_is_logged(
        client: FlaskClient, app: Flask, tokens: dict[str, str]) -> None:
    text = "He has been really low since his dad died and just wants someone to talk to."
    created = post(client, tokens["sup.b"], {"text": text, "wing": "B"}).get_json()
    assert created["scheme"] == "listeners"
    for who in ("sc", "lead.listeners", "governor"):
        r = client.get(f"/api/v1/concerns/{created['reference']}", headers=auth(tokens[who]))
        body = r.get_json()
        assert r.status_code == 200 and body["content_visible"] is False
        assert "text" not in body and "dad" not in r.get_data(as_text=True)
    assert_error(client.get(f"/api/v1/concerns/{created['reference']}",
                            headers=auth(tokens["officer.a"])), 404)
    with app.app_context():
        actions = db.session.scalars(select(AccessLog.action)).all()
    assert actions.count("read_metadata") == 3


def test_complaint_is_invisible_to_the_named_officer(client: FlaskClient,
                                                     tokens: dict[str, str]) -> None:
    body = {"text": "Officer on B wing swore at him and threw his letters in the bin.",
            "wing": "B", "about_staff": "officer.b"}
    ref = post(client, tokens["sup.a"], body).get_json()["reference"]
    assert_error(client.get(f"/api/v1/concerns/{ref}", headers=auth(tokens["officer.b"])), 404)
    r = client.get(f"/api/v1/concerns/{ref}", headers=auth(tokens["complaints"]))
    assert r.status_code == 200 and r.get_json()["content_visible"] is True


def test_an_immediate_concern_alerts_safer_custody_at_once_others_wait_for_the_scheduler(
        client: FlaskClient, app: Flask, tokens: dict[str, str]) -> None:
    from tracker.models import Notification

    urgent = post(client, tokens["sup.a"], {"text": "he says he is going to hang himself "
                                                    "tonight, he has a sheet ready"}).get_json()
    routine = post(client, tokens["sup.a"], {"text": "lads keep taking his canteen off "
                                                     "him"}).get_json()
    assert (urgent["urgency"], routine["urgency"]) == ("immediate", "routine")
    with app.app_context():
        def emails(reference: str) -> list[tuple[str, str]]:
            concern = db.session.scalar(select(Concern).where(Concern.reference == reference))
            assert concern is not None
            return [(n.message_id, n.status) for n in db.session.scalars(select(Notification)
                    .where(Notification.concern_id == concern.id,
                           Notification.channel == "email"))]
        # Sent during the request (no scheduler has run in this test).
        assert ("staff_immediate_alert", "sent") in emails(urgent["reference"])
        assert {status for _, status in emails(routine["reference"])} == {"pending"}


def test_classify_stores_nothing(client: FlaskClient, app: Flask,
                                 tokens: dict[str, str]) -> None:
    r = client.post("/api/v1/classify", json={"text": "says he is going to top himself tonight"},
                    headers=auth(tokens["sup.a"]))
    body = r.get_json()
    assert r.status_code == 200 and body["urgency"] == "immediate"
    for key in ("categories", "scheme", "co_schemes", "owner", "confidentiality", "rules",
                "evidence"):
        assert key in body
    assert stored(app) == 0


def test_openapi_describes_every_api_route(client: FlaskClient, app: Flask) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    described = {path for path in doc["paths"]}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}")
            assert path in described, f"{rule.rule} is missing from the OpenAPI document"
