"""The /digests pages (list, printable page, CSV), the dashboard with its filters, the kiosk summary."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import FakeClock
from tests.factories import Prison, kiosk_sign_in, make_prison, raise_concern, staff_sign_in
from tracker.core.digest import week_ending_on
from tracker.extensions import db
from tracker.models import Concern, Digest, User
from tracker.services import dashboard, digest
from tracker.services.viewers import viewer_for

STATIC = Path(__file__).resolve().parents[2] / "tracker" / "static"
WEEK = week_ending_on(date(2026, 11, 22))
BULLYING = "Lad on the 2s keeps taking his canteen and says he owes double bubble"


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        return make_prison(WEEK.end - timedelta(days=90))


def late_item(prison: Prison, days: float, wing: str = "A", who: str = "sup.a") -> str:
    raiser = db.session.merge(prison[who])
    concern = raise_concern(raiser, BULLYING, WEEK.end - timedelta(days=days + 1), wing=wing).concern
    concern.ack_due_at = WEEK.end - timedelta(days=days)
    concern.resolve_due_at = WEEK.end + timedelta(days=60)
    db.session.commit()
    return concern.reference


def digest_id(username: str) -> int:
    user = db.session.scalar(select(User).where(User.username == username))
    assert user is not None
    found = db.session.scalar(select(Digest.id).where(Digest.recipient_id == user.id))
    assert found is not None
    return found


@pytest.fixture()
def built(app: Flask, prison: Prison, clock: FakeClock) -> Prison:
    with app.app_context():
        late_item(prison, 3)
        late_item(prison, 12, wing="B")
        digest.run_week(WEEK.ending, WEEK.end + timedelta(hours=7), send=False)
    clock.set(WEEK.end + timedelta(hours=8))
    return prison


def test_list_shows_only_my_digests(client: FlaskClient, built: Prison, app: Flask) -> None:
    staff_sign_in(client, "governor")
    page = client.get("/digests").get_data(as_text=True)
    with app.app_context():
        mine, other = digest_id("governor"), digest_id("sc")
    assert f'href="/digests/{mine}"' in page and "Whole establishment" in page
    assert f'href="/digests/{other}"' not in page
    assert client.get(f"/digests/{other}").status_code == 404  # as if it did not exist
    assert client.get(f"/digests/{other}.csv").status_code == 404


def test_digest_page_prints_on_a4_without_navigation(client: FlaskClient, built: Prison,
                                                     app: Flask) -> None:
    staff_sign_in(client, "governor")
    with app.app_context():
        mine = digest_id("governor")
    page = client.get(f"/digests/{mine}").get_data(as_text=True)
    assert '<link rel="stylesheet" href="/static/print.css" media="print">' in page
    assert "Overdue items: <strong>2</strong>" in page and "<svg" in page
    assert "style=" not in page and not re.search(r"<script(?![^>]*\bsrc=)", page)
    css = (STATIC / "print.css").read_text()
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", css)
    assert re.search(r"nav[^{]*\{\s*display:\s*none", css)


def test_csv_download_matches_the_attachment(client: FlaskClient, built: Prison, app: Flask) -> None:
    staff_sign_in(client, "sc")
    with app.app_context():
        mine = digest_id("sc")
    r = client.get(f"/digests/{mine}.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert 'filename="digest-2026-11-22-team-safer_custody.csv"' in r.headers["Content-Disposition"]
    assert r.get_data(as_text=True).startswith("section,key,label,this_week,last_week,trend")


@pytest.mark.parametrize("path", ["/digests", "/dashboard"])
def test_officers_and_supporters_may_not_open_reports(client: FlaskClient, kiosk: FlaskClient,
                                                     prison: Prison, path: str) -> None:
    staff_sign_in(client, "officer.a")
    assert client.get(path).status_code == 403
    kiosk_sign_in(kiosk, "sup.a")
    assert kiosk.get(path).status_code in (302, 403)
    assert kiosk.get(path).status_code != 200


def test_dashboard_charts_and_filters(client: FlaskClient, built: Prison, app: Flask,
                                      clock: FakeClock) -> None:
    with app.app_context():
        late_item(built, 20, wing="B")
        governor = db.session.scalar(select(User).where(User.username == "governor"))
        assert governor is not None
        viewer, now = viewer_for(governor), clock()
        everything = dashboard.as_dict(dashboard.build(viewer, now))
        wing_b = dashboard.as_dict(dashboard.build(viewer, now, wing="B"))
        listeners = dashboard.as_dict(dashboard.build(viewer, now, scheme="listeners"))
    assert len(everything["weeks"]) == 12 and everything["weeks"][-1] == "2026-11-22"
    assert everything["overdue_by_scheme"]["insiders"][-1] == 3
    assert wing_b["overdue_by_scheme"]["insiders"][-1] == 2
    assert listeners["overdue_by_scheme"] == {}
    staff_sign_in(client, "governor")
    page = client.get("/dashboard?wing=B&scheme=insiders").get_data(as_text=True)
    assert '<option value="B" selected>' in page and '<option value="insiders" selected>' in page
    assert page.count("<svg") >= 4 and "style=" not in page
    assert "<script" not in page
    ignored = client.get("/dashboard?wing=ZZ").get_data(as_text=True)
    assert '<option value="" >' not in ignored and "selected" not in ignored


def test_dashboard_counts_only_what_the_viewer_may_see(app: Flask, prison: Prison,
                                                       clock: FakeClock) -> None:
    with app.app_context():
        late_item(prison, 5)
        lead = db.session.scalar(select(User).where(User.username == "lead.listeners"))
        assert lead is not None
        board = dashboard.build(viewer_for(lead), WEEK.end + timedelta(hours=1))
    assert board.overdue_by_scheme == {}


def _late_for_sup_a(app: Flask, prison: Prison, clock: FakeClock) -> str:
    with app.app_context():
        reference = late_item(prison, 2)
    clock.set(WEEK.end)
    return reference


def test_kiosk_home_shows_the_week_and_why_items_are_late(client: FlaskClient, prison: Prison,
                                                          app: Flask, clock: FakeClock) -> None:
    reference = _late_for_sup_a(app, prison, clock)
    kiosk_sign_in(client, "sup.a")
    page = client.get("/kiosk/home").get_data(as_text=True)
    assert "This week" in page and "1 of your referrals is still open." in page
    assert (f"{reference}</span> — Your concern {reference} is late. "
            "No one has acted on this yet.") in page


def test_kiosk_week_summary_in_polish(client: FlaskClient, prison: Prison, app: Flask,
                                      clock: FakeClock) -> None:
    # Flask-Babel keeps the locale on the app context, which pytest-flask holds for the
    # whole test: choose the language before the first page is drawn.
    _late_for_sup_a(app, prison, clock)
    client.post("/kiosk/language", data={"lang": "pl"})
    kiosk_sign_in(client, "sup.a")
    polish = client.get("/kiosk/home").get_data(as_text=True)
    assert "W tym tygodniu" in polish and "Nikt jeszcze nic z tym nie zrobił." in polish


def test_dashboard_weeks_count_items_closed_since(app: Flask, prison: Prison) -> None:
    with app.app_context():
        reference = late_item(prison, 40)  # late since 40 days before the last week's end
        concern = db.session.scalar(select(Concern).where(Concern.reference == reference))
        assert concern is not None
        concern.status, concern.resolved_at = "resolved", WEEK.end - timedelta(days=20)
        concern.updated_at = concern.resolved_at
        db.session.commit()
        governor = db.session.scalar(select(User).where(User.username == "governor"))
        assert governor is not None
        board = dashboard.build(viewer_for(governor), WEEK.end + timedelta(hours=1))
        shares = dashboard.as_dict(board)
    weekly = board.overdue_by_scheme["insiders"]
    # Late at the ends of the weeks 35, 28 and 21 days before the last; resolved 20 days before.
    assert weekly == [0] * 6 + [1, 1, 1] + [0, 0, 0]
    assert len(shares["ack_share"]) == 12
