"""The clock over HTTP: the actions endpoint, /me/notifications, the kiosk inbox, the staff banner."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.clock_helpers import raise_item, staff_leads
from tests.conftest import FakeClock
from tests.factories import Prison, kiosk_sign_in, make_prison, staff_sign_in
from tracker.extensions import db
from tracker.services.auth import issue_token
from tracker.services.escalation import escalate_due


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        p = make_prison(clock())
        staff_leads(p)
        return p


@pytest.fixture()
def reference(app: Flask, prison: Prison, clock: FakeClock) -> str:
    with app.app_context():
        return raise_item(prison, clock()).reference


def _token(app: Flask, prison: Prison, clock: FakeClock, who: str) -> dict[str, str]:
    with app.app_context():
        return {"Authorization": f"Bearer {issue_token(db.session.merge(prison[who]), clock())}"}


def _act(client: FlaskClient, headers: dict[str, str], reference: str, body: Any) -> Any:
    return client.post(f"/api/v1/concerns/{reference}/actions", json=body, headers=headers)


def _escalate(app: Flask, clock: FakeClock) -> None:
    with app.app_context():
        escalate_due(clock() + timedelta(days=1))


def test_acknowledge_then_again_is_a_conflict(client: FlaskClient, app: Flask, prison: Prison,
                                              clock: FakeClock, reference: str) -> None:
    lead = _token(app, prison, clock, "lead.insiders")
    r = _act(client, lead, reference, {"action": "acknowledge"})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["status"] == "acknowledged" and body["reference"] == reference
    assert body["next_deadline"].endswith("+00:00")
    again = _act(client, lead, reference, {"action": "acknowledge"})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"


def test_defer_validates_and_pauses(client: FlaskClient, app: Flask, prison: Prison,
                                    clock: FakeClock, reference: str) -> None:
    lead = _token(app, prison, clock, "lead.insiders")
    bad = _act(client, lead, reference, {"action": "defer", "reason_code": "bored",
                                         "until": "someday", "colour": "red"})
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"reason_code", "until", "colour"}
    ok = _act(client, lead, reference, {"action": "defer", "reason_code": "awaiting_investigation",
                                        "reason": "Security are looking into it",
                                        "until": "2026-11-27"})
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["paused"] is True and ok.get_json()["status"] == "deferred"
    resumed = _act(client, lead, reference, {"action": "resume"})
    assert resumed.status_code == 200 and resumed.get_json()["status"] == "new"


@pytest.mark.parametrize(("body", "code"), [
    ({"action": "fly"}, "unknown_action"),
    ({}, "invalid"),
    ({"action": "acknowledge", "reason": "extra"}, "invalid"),
])
def test_bad_actions_answer_422(client: FlaskClient, app: Flask, prison: Prison, clock: FakeClock,
                                reference: str, body: dict[str, str], code: str) -> None:
    r = _act(client, _token(app, prison, clock, "lead.insiders"), reference, body)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == code
    if code == "unknown_action":
        message = r.get_json()["error"]["message"]
        assert all(name in message for name in ("acknowledge", "defer", "resume"))


def test_supporters_and_strangers_cannot_act(client: FlaskClient, app: Flask, prison: Prison,
                                             clock: FakeClock, reference: str) -> None:
    assert _act(client, _token(app, prison, clock, "sup.a"), reference,
                {"action": "acknowledge"}).status_code == 403
    assert _act(client, _token(app, prison, clock, "lead.listeners"), reference,
                {"action": "acknowledge"}).status_code == 404
    assert _act(client, _token(app, prison, clock, "lead.insiders"), "TST-NOPE",
                {"action": "acknowledge"}).status_code == 404


def test_my_notifications_lists_the_delay_notice(client: FlaskClient, app: Flask, prison: Prison,
                                                 clock: FakeClock, reference: str) -> None:
    _escalate(app, clock)
    r = client.get("/api/v1/me/notifications", headers=_token(app, prison, clock, "sup.a"))
    assert r.status_code == 200
    (item,) = r.get_json()["items"]
    assert set(item) == {"id", "created_at", "reference", "kind", "message", "read"}
    assert item["reference"] == reference and item["kind"] == "escalated"
    assert "No one has acted on this yet." in item["message"] and item["read"] is False


def test_kiosk_inbox_unread_count_list_and_mark_as_read(client: FlaskClient, app: Flask,
                                                        prison: Prison, clock: FakeClock,
                                                        reference: str) -> None:
    _escalate(app, clock)
    kiosk_sign_in(client, "sup.a")
    home = client.get("/kiosk/home").get_data(as_text=True)
    assert "My notices" in home and "(1 new)" in home
    page = client.get("/kiosk/notices").get_data(as_text=True)
    assert reference in page and "No one has acted on this yet." in page
    with app.app_context():
        from tracker.models import Notification

        notice_id = db.session.scalars(db.select(Notification.id).where(
            Notification.channel == "kiosk")).one()
    r = client.post("/kiosk/notices/read", data={"id": str(notice_id)})
    assert r.status_code == 303
    assert "(1 new)" not in client.get("/kiosk/home").get_data(as_text=True)
    assert "Mark as read" not in client.get("/kiosk/notices").get_data(as_text=True)


def test_another_supporter_cannot_mark_my_notice(client: FlaskClient, app: Flask, prison: Prison,
                                                 clock: FakeClock, reference: str) -> None:
    _escalate(app, clock)
    kiosk_sign_in(client, "sup.b")
    assert "You have no notices." in client.get("/kiosk/notices").get_data(as_text=True)
    client.post("/kiosk/notices/read", data={"id": "all"})
    r = client.get("/api/v1/me/notifications", headers=_token(app, prison, clock, "sup.a"))
    assert r.get_json()["items"][0]["read"] is False


def test_staff_pages_show_a_banner_when_the_scheduler_misses_runs(
        client: FlaskClient, app: Flask, prison: Prison, clock: FakeClock) -> None:
    from tracker import scheduler

    staff_sign_in(client, "governor")
    with app.app_context():
        scheduler.run_sweep(clock(), holder="test")
    assert "Escalations are not running" not in client.get("/staff/queue").get_data(as_text=True)
    clock.advance(minutes=6)
    staff_sign_in(client, "governor")
    assert "Escalations are not running" in client.get("/staff/queue").get_data(as_text=True)


def test_openapi_describes_the_clock_endpoints(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "post" in paths["/concerns/{reference}/actions"]
    assert "get" in paths["/me/notifications"]
