"""The staff item page: words only where allowed, the timeline, 'viewed by', and break-glass."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import FakeClock
from tests.factories import Prison, make_prison, raise_concern, staff_sign_in
from tracker.extensions import db
from tracker.models import AccessLog, ContentGrant, Notification
from tracker.services import setup

LISTENER_TEXT = "He told me he feels worthless since his sentence and cries every night."
REASON = "Night staff found him distressed; we need context to keep him safe tonight."


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        prison = make_prison(clock())
        setup.set_scheme_lead(prison.establishment.id, "listeners",
                              db.session.merge(prison["lead.listeners"]), None)
        return prison


@pytest.fixture()
def sealed(app: Flask, prison: Prison, clock: FakeClock) -> str:
    with app.app_context():
        concern = raise_concern(db.session.merge(prison["sup.b"]), LISTENER_TEXT, clock()).concern
        assert concern.confidentiality == "sealed"
        return concern.reference


def test_sealed_item_shows_safer_custody_no_words(client: FlaskClient, sealed: str) -> None:
    staff_sign_in(client, "sc")
    page = client.get(f"/staff/concerns/{sealed}").get_data(as_text=True)
    assert "worthless" not in page and "Listener item" in page
    assert "Timeline" in page and "raised" in page
    assert "break-glass" in page


def test_break_glass_needs_a_reason(client: FlaskClient, app: Flask, sealed: str) -> None:
    staff_sign_in(client, "sc")
    r = client.post(f"/staff/concerns/{sealed}/break-glass", data={"reason": "need it"})
    assert r.status_code == 422 and "at least 15 characters" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(ContentGrant)).all() == []


def test_break_glass_opens_words_for_that_person_records_and_notifies(
        client: FlaskClient, kiosk: FlaskClient, app: Flask, prison: Prison, sealed: str,
        clock: FakeClock) -> None:
    with app.app_context():
        setup.add_user("sc2", "safer_custody", "a-long-staff-password", clock(),
                       establishment="TST", cheap_hash=True)
    staff_sign_in(client, "sc")
    r = client.post(f"/staff/concerns/{sealed}/break-glass", data={"reason": REASON})
    assert r.status_code == 303
    page = client.get(f"/staff/concerns/{sealed}").get_data(as_text=True)
    assert "worthless" in page and "break glass" in page and REASON in page
    staff_sign_in(kiosk, "sc2")  # a colleague: the grant is personal
    assert "worthless" not in kiosk.get(f"/staff/concerns/{sealed}").get_data(as_text=True)
    with app.app_context():
        told = db.session.scalars(select(Notification).where(
            Notification.kind == "break_glass")).all()
        assert [n.recipient_id for n in told] == [db.session.merge(prison["lead.listeners"]).id]
        assert "Reason given" in told[0].message
        assert "break_glass" in db.session.scalars(select(AccessLog.action)).all()


def test_only_safer_custody_may_break_glass(client: FlaskClient, sealed: str) -> None:
    staff_sign_in(client, "governor")
    assert "break-glass" not in client.get(f"/staff/concerns/{sealed}").get_data(as_text=True)
    r = client.post(f"/staff/concerns/{sealed}/break-glass", data={"reason": REASON})
    assert r.status_code == 403


def test_viewed_by_lists_staff_who_opened_it(client: FlaskClient, kiosk: FlaskClient,
                                            sealed: str) -> None:
    staff_sign_in(kiosk, "governor")
    kiosk.get(f"/staff/concerns/{sealed}")
    staff_sign_in(client, "sc")
    page = client.get(f"/staff/concerns/{sealed}").get_data(as_text=True)
    viewed = page.split("Viewed by", 1)[1]
    assert "governor" in viewed and "safer custody" in viewed


def test_complaint_page_is_404_for_the_officer_it_names(client: FlaskClient, app: Flask,
                                                        prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        ref = raise_concern(db.session.merge(prison["sup.a"]),
                            "Officer on B wing kicked his door and called him scum", clock(),
                            about_staff="officer.b").concern.reference
    staff_sign_in(client, "officer.b")
    assert client.get(f"/staff/concerns/{ref}").status_code == 404
    assert ref not in client.get("/staff/queue").get_data(as_text=True)
