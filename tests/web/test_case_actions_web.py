"""Case actions over HTTP: item-page forms, the queue's bulk form without JS, the API and bulk API."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.clock_helpers import raise_item, staff_leads
from tests.conftest import FakeClock
from tests.factories import Prison, kiosk_sign_in, make_prison, staff_sign_in
from tracker.extensions import db
from tracker.models import Concern
from tracker.services.auth import issue_token


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        p = make_prison(clock())
        staff_leads(p)
        return p


def _refs(app: Flask, prison: Prison, clock: FakeClock, n: int = 2) -> list[str]:
    with app.app_context():
        return [raise_item(prison, clock()).reference for _ in range(n)]


def _status(app: Flask, ref: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Concern.status).where(Concern.reference == ref)) or ""


def _headers(app: Flask, prison: Prison, clock: FakeClock, who: str) -> dict[str, str]:
    with app.app_context():
        return {"Authorization": f"Bearer {issue_token(db.session.merge(prison[who]), clock())}"}


def test_item_page_has_the_action_forms_and_says_what_the_supporter_sees(
        client: FlaskClient, app: Flask, prison: Prison, clock: FakeClock) -> None:
    [ref] = _refs(app, prison, clock, 1)
    staff_sign_in(client, "lead.insiders")
    page = client.get(f"/staff/concerns/{ref}").get_data(as_text=True)
    for label in ("Acknowledge", "Assign to me", "Assign to a colleague", "Defer",
                  "Transfer to another scheme", "Hand off", "Resolve", "Message to the supporter",
                  "Internal note"):
        assert label in page
    assert "this text is shown to the supporter" in page
    assert "never shown to the supporter" in page
    assert "style=" not in page and "<script" not in page


def test_item_page_action_and_errors_next_to_fields(client: FlaskClient, app: Flask,
                                                    prison: Prison, clock: FakeClock) -> None:
    [ref] = _refs(app, prison, clock, 1)
    staff_sign_in(client, "lead.insiders")
    r = client.post(f"/staff/concerns/{ref}/actions/resolve", data={"outcome": ""})
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'href="#resolve-outcome"' in page and 'id="resolve-outcome-error"' in page
    r = client.post(f"/staff/concerns/{ref}/actions/note", data={"reason": "checked CCTV"})
    assert r.status_code == 303
    r = client.post(f"/staff/concerns/{ref}/actions/resolve", data={"outcome": "Moved cells."})
    assert r.status_code == 303 and _status(app, ref) == "resolved"
    page = client.get(f"/staff/concerns/{ref}").get_data(as_text=True)
    assert "Reopen" in page and "checked CCTV" in page


def test_bulk_acknowledge_from_the_queue_without_javascript(
        client: FlaskClient, app: Flask, prison: Prison, clock: FakeClock) -> None:
    refs = _refs(app, prison, clock, 3)
    staff_sign_in(client, "lead.insiders")
    page = client.get("/staff/queue").get_data(as_text=True)
    assert 'name="references"' in page and 'name="bulk_action"' in page
    r = client.post("/staff/queue/actions", data={"references": refs[:2],
                                                  "bulk_action": "acknowledge"})
    assert r.status_code == 303
    assert [_status(app, x) for x in refs] == ["acknowledged", "acknowledged", "new"]
    page = client.get("/staff/queue").get_data(as_text=True)
    assert "2 of 2 items done." in page
    client.post("/staff/queue/actions", data={"references": refs, "bulk_action": "resolve"})
    page = client.get("/staff/queue").get_data(as_text=True)
    assert "outcome" in page.lower() and _status(app, refs[2]) == "new"


def test_api_actions_and_errors(client: FlaskClient, app: Flask, prison: Prison,
                                clock: FakeClock) -> None:
    [ref] = _refs(app, prison, clock, 1)
    lead = _headers(app, prison, clock, "lead.insiders")

    def act(body: dict[str, Any], headers: dict[str, str] = lead) -> Any:
        return client.post(f"/api/v1/concerns/{ref}/actions", json=body, headers=headers)

    assert act({"action": "assign"}).get_json()["action"] == "assign"
    r = act({"action": "resolve"})
    assert r.status_code == 422 and "outcome" in r.get_json()["error"]["fields"]
    r = act({"action": "handoff", "reason_code": "acct"})
    assert r.status_code == 422 and "external_ref" in r.get_json()["error"]["fields"]
    r = act({"action": "transfer", "to_scheme": "nowhere", "reason": "x"})
    assert r.status_code == 422 and "to_scheme" in r.get_json()["error"]["fields"]
    r = act({"action": "assign", "assignee": "officer.c"})
    assert r.status_code == 422 and "assignee" in r.get_json()["error"]["fields"]
    assert act({"action": "note", "reason": "hi"},
               _headers(app, prison, clock, "officer.c")).status_code == 404
    r = act({"action": "resolve", "outcome": "Sorted with the SO."})
    assert r.status_code == 200 and r.get_json()["status"] == "resolved"
    assert act({"action": "reopen"}).get_json()["status"] == "in_progress"


def test_bulk_api_reports_per_reference(client: FlaskClient, app: Flask, prison: Prison,
                                        clock: FakeClock) -> None:
    refs = _refs(app, prison, clock, 2)
    lead = _headers(app, prison, clock, "lead.insiders")
    r = client.post("/api/v1/queue/actions", headers=lead,
                    json={"action": "acknowledge", "references": [*refs, "TST-NOPE-1"]})
    body = r.get_json()
    assert r.status_code == 200 and (body["done"], body["failed"]) == (2, 1)
    assert [x["ok"] for x in body["results"]] == [True, True, False]
    assert body["results"][2]["error"] == "not_found"
    again = client.post("/api/v1/queue/actions", headers=lead,
                        json={"action": "acknowledge", "references": refs[:1]}).get_json()
    assert again["results"][0]["error"] == "conflict"
    r = client.post("/api/v1/queue/actions", headers=lead, json={"action": "acknowledge"})
    assert r.status_code == 422 and "references" in r.get_json()["error"]["fields"]
    r = client.post("/api/v1/queue/actions", headers=lead,
                    json={"action": "acknowledge", "references": [f"R{i}" for i in range(101)]})
    assert r.status_code == 422
    r = client.post("/api/v1/queue/actions", headers=lead,
                    json={"action": "resolve", "references": refs})
    assert r.status_code == 422 and "outcome" in r.get_json()["error"]["fields"]


def test_the_supporter_answers_sorted_or_not_sorted_at_the_kiosk(
        client: FlaskClient, app: Flask, prison: Prison, clock: FakeClock) -> None:
    a, b = _refs(app, prison, clock, 2)
    lead = _headers(app, prison, clock, "lead.insiders")
    for ref in (a, b):
        client.post(f"/api/v1/concerns/{ref}/actions", headers=lead,
                    json={"action": "resolve", "outcome": "Done."})
    kiosk_sign_in(client, "sup.a")
    page = client.get("/kiosk/referrals").get_data(as_text=True)
    assert f"/kiosk/referrals/{a}/sorted" in page and "Not sorted" in page
    assert client.post(f"/kiosk/referrals/{a}/sorted").status_code == 303
    assert client.post(f"/kiosk/referrals/{b}/not-sorted").status_code == 303
    assert (_status(app, a), _status(app, b)) == ("closed", "in_progress")
    assert client.post(f"/kiosk/referrals/{a}/sorted").status_code == 303  # no longer waiting
    notices = client.get("/kiosk/notices").get_data(as_text=True)
    assert "Done." in notices


def test_transfers_are_listed_in_the_rules_lab(client: FlaskClient, app: Flask, prison: Prison,
                                               clock: FakeClock) -> None:
    [ref] = _refs(app, prison, clock, 1)
    client.post(f"/api/v1/concerns/{ref}/actions",
                headers=_headers(app, prison, clock, "lead.insiders"),
                json={"action": "transfer", "to_scheme": "equality_reps",
                      "reason": "racist abuse"})
    staff_sign_in(client, "sc")
    page = client.get("/admin/rules/lab").get_data(as_text=True)
    assert "Candidate rule fixes" in page and ref in page and "racist abuse" in page
