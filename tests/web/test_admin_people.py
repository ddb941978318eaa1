"""People pages: add, edit, deactivate/reactivate, reset a secret, move, lock-outs; all audited."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import FakeClock
from tests.factories import (
    PASSWORD,
    PIN,
    Prison,
    kiosk_sign_in,
    make_prison,
    raise_concern,
    staff_sign_in,
)
from tracker.extensions import db
from tracker.models import AccessLog, Notification, SignInThrottle, User
from tracker.services import setup


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        return make_prison(clock())


def _audit(app: Flask, action: str) -> list[AccessLog]:
    with app.app_context():
        return list(db.session.scalars(select(AccessLog).where(AccessLog.action == action)))


def _user(app: Flask, username: str) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        assert user is not None
        _ = user.wing, user.schemes
        db.session.expunge(user)
        return user


def _secret(page: str) -> str:
    found = re.search(r'class="secret">([^<]+)<', page)
    assert found, page
    return found.group(1)


def test_people_page_lists_everyone(client: FlaskClient, prison: Prison) -> None:
    staff_sign_in(client, "admin")
    page = client.get("/admin/people").get_data(as_text=True)
    assert "sup.a" in page and "officer.a" in page and "lead.insiders" in page


def test_add_supporter_shows_pin_once_and_forces_a_change(client: FlaskClient, kiosk: FlaskClient,
                                                          app: Flask, prison: Prison) -> None:
    staff_sign_in(client, "admin")
    r = client.post("/admin/people/new", data={"username": "new.sup", "display_name": "Ali",
                                               "role": "supporter", "wing": "C",
                                               "schemes": ["insiders", "buddies"]})
    assert r.status_code == 200
    pin = _secret(r.get_data(as_text=True))
    user = _user(app, "new.sup")
    assert user.must_change_secret and user.wing is not None and user.wing.code == "C"
    assert sorted(s.key for s in user.schemes) == ["buddies", "insiders"]
    (row,) = _audit(app, "user_add")
    assert row.detail["before"] is None and row.detail["after"]["username"] == "new.sup"
    assert pin not in str(row.detail)
    kiosk_sign_in(kiosk, "new.sup", pin)
    assert kiosk.get("/kiosk/home").headers["Location"] == "/kiosk/new-pin"
    r = kiosk.post("/kiosk/new-pin", data={"new": "2468", "again": "2469"})
    assert r.status_code == 422 and "not the same" in r.get_data(as_text=True)
    r = kiosk.post("/kiosk/new-pin", data={"new": "2468", "again": "2468"})
    assert r.headers["Location"] == "/kiosk/home"
    assert kiosk.get("/kiosk/home").status_code == 200
    assert not _user(app, "new.sup").must_change_secret


@pytest.mark.parametrize(("form", "field", "message"), [
    ({"username": "sup.a", "role": "supporter"}, "username", "is taken"),
    ({"username": "x y", "role": "officer"}, "username", "letters, numbers"),
    ({"username": "ok.name", "role": "wizard"}, "role", "Choose a role"),
    ({"username": "ok.name", "role": "supporter", "schemes": ["bogus_scheme"]}, "schemes",
     "Unknown scheme"),
    ({"username": "ok.name", "role": "supporter", "wing": "Z"}, "wing", "No wing"),
])
def test_bad_input_is_explained_and_writes_nothing(client: FlaskClient, app: Flask,
                                                   prison: Prison, form: dict[str, object],
                                                   field: str, message: str) -> None:
    staff_sign_in(client, "admin")
    with app.app_context():
        before = db.session.scalar(select(db.func.count()).select_from(User))
    r = client.post("/admin/people/new", data=form)
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and message in page
    assert 'class="error-summary"' in page and f'id="{field}-error"' in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)) == before
    assert _audit(app, "user_add") == []


def test_edit_role_wing_and_schemes_records_before_and_after(client: FlaskClient, app: Flask,
                                                            prison: Prison) -> None:
    staff_sign_in(client, "governor")
    r = client.post("/admin/people/officer.a", data={
        "display_name": "Officer A", "role": "scheme_lead", "wing": "B", "schemes": ["buddies"]})
    assert r.status_code == 303
    user = _user(app, "officer.a")
    assert (user.role, user.wing.code if user.wing else None) == ("scheme_lead", "B")
    (row,) = _audit(app, "user_edit")
    assert row.detail["before"]["role"] == "officer" and row.detail["after"]["role"] == "scheme_lead"
    assert row.detail["after"]["schemes"] == ["buddies"]


def test_supporter_cannot_become_staff(client: FlaskClient, app: Flask, prison: Prison) -> None:
    staff_sign_in(client, "admin")
    r = client.post("/admin/people/sup.a", data={"display_name": "A", "role": "officer",
                                                 "wing": "A"})
    assert r.status_code == 422 and "separate account" in r.get_data(as_text=True)
    assert _user(app, "sup.a").role == "supporter"


def test_deactivate_ends_sessions_and_reactivate_restores(client: FlaskClient, kiosk: FlaskClient,
                                                         app: Flask, prison: Prison) -> None:
    kiosk_sign_in(kiosk, "sup.a")
    staff_sign_in(client, "admin")
    assert client.post("/admin/people/sup.a/deactivate").status_code == 303
    assert kiosk.get("/kiosk/home").status_code == 302  # the live session ended
    assert kiosk.post("/kiosk/", data={"username": "sup.a", "pin": PIN}).status_code == 401
    assert client.post("/admin/people/sup.a/reactivate").status_code == 303
    kiosk_sign_in(kiosk, "sup.a")
    (off,) = _audit(app, "user_deactivate")
    assert off.detail["before"]["active"] is True and off.detail["after"]["active"] is False
    assert len(_audit(app, "user_reactivate")) == 1


def test_admin_cannot_deactivate_themselves(client: FlaskClient, app: Flask, prison: Prison) -> None:
    staff_sign_in(client, "admin")
    client.post("/admin/people/admin/deactivate")
    assert _user(app, "admin").active


def test_reset_password_is_shown_once_and_must_be_changed(client: FlaskClient, app: Flask,
                                                          prison: Prison) -> None:
    staff_sign_in(client, "admin")
    secret = _secret(client.post("/admin/people/officer.b/reset-secret").get_data(as_text=True))
    other = app.test_client()
    r = other.post("/staff/signin", data={"username": "officer.b", "password": PASSWORD})
    assert r.status_code == 401  # the old password no longer works
    staff_sign_in(other, "officer.b", secret)
    assert other.get("/staff/queue").headers["Location"] == "/staff/new-password"
    r = other.post("/staff/new-password", data={"new": secret, "again": secret})
    assert r.status_code == 422 and "different" in r.get_data(as_text=True)
    r = other.post("/staff/new-password", data={"new": "my-own-long-password",
                                                "again": "my-own-long-password"})
    assert r.status_code == 302 and other.get("/staff/queue").status_code == 200
    (row,) = _audit(app, "user_reset_secret")
    assert row.detail["after"]["must_change_secret"] is True and secret not in str(row.detail)


def test_move_supporter_hands_items_and_notices_to_coordinator(client: FlaskClient, app: Flask,
                                                               prison: Prison,
                                                               clock: FakeClock) -> None:
    with app.app_context():
        lead = db.session.scalar(select(User).where(User.username == "lead.insiders"))
        raiser = db.session.scalar(select(User).where(User.username == "sup.a"))
        assert lead is not None and raiser is not None
        lead_id = lead.id
        setup.set_scheme_lead(raiser.establishment_id, "insiders", lead, None, clock())
        ref = raise_concern(raiser, "they keep taxing his canteen on the landing",
                            clock()).concern.reference
        db.session.add(Notification(establishment_id=raiser.establishment_id,
                                    recipient_id=raiser.id, channel="kiosk", kind="escalated",
                                    message_id="m", params={}, message="Your item is late.",
                                    dedupe_key="t1", created_at=clock()))
        db.session.commit()
    staff_sign_in(client, "admin")
    r = client.post("/admin/people/sup.a/move", data={"status": "released"})
    assert r.status_code == 303
    user = _user(app, "sup.a")
    assert (user.status, user.active) == ("released", False)
    with app.app_context():
        kinds = sorted(n.kind for n in db.session.scalars(
            select(Notification).where(Notification.recipient_id == lead_id)))
    assert "raiser_left" in kinds and "escalated_relay" in kinds
    (row,) = _audit(app, "user_move")
    assert row.detail["handed_over"] == [ref] and row.detail["after"]["status"] == "released"


def test_move_needs_a_choice(client: FlaskClient, app: Flask, prison: Prison) -> None:
    staff_sign_in(client, "admin")
    r = client.post("/admin/people/sup.a/move", data={})
    assert r.status_code == 422 and "moved or released" in r.get_data(as_text=True)
    assert _user(app, "sup.a").active


def test_lockouts_are_listed_and_cleared(client: FlaskClient, app: Flask, prison: Prison) -> None:
    other = app.test_client()
    for _ in range(7):
        other.post("/kiosk/", data={"username": "sup.b", "pin": "0000"})
    staff_sign_in(client, "admin")
    page = client.get("/admin/sign-in-locks").get_data(as_text=True)
    assert "sup.b" in page and "not locked" not in page.split("sup.b")[1].split("</tr>")[0]
    assert client.post("/admin/sign-in-locks/clear", data={"key": "user:sup.b"}).status_code == 303
    with app.app_context():
        assert db.session.get(SignInThrottle, "user:sup.b") is None
    (row,) = _audit(app, "signin_unlock")
    assert row.detail["before"]["failures"] == 5 and row.detail["after"] is None
    assert other.post("/kiosk/", data={"username": "sup.b", "pin": PIN}).status_code == 302


@pytest.mark.parametrize("username", ["officer.a", "sc", "lead.insiders", "complaints"])
def test_people_pages_are_for_admins_and_governors_only(client: FlaskClient, prison: Prison,
                                                        username: str) -> None:
    staff_sign_in(client, username)
    assert client.get("/admin/people").status_code == 403
    assert client.post("/admin/people/sup.a/deactivate").status_code == 403


def test_supporter_is_refused(client: FlaskClient, prison: Prison) -> None:
    kiosk_sign_in(client, "sup.a")
    assert client.get("/admin/people").status_code == 403


def test_governor_manages_only_their_own_establishment(client: FlaskClient, app: Flask,
                                                       prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        make_prison(clock(), name="HMP Otherton", code="OTH")
    staff_sign_in(client, "oth.governor")
    assert "/admin/people/sup.a\"" not in client.get("/admin/people").get_data(as_text=True)
    assert client.get("/admin/people/sup.a").status_code == 404
    assert client.post("/admin/people/sup.a/deactivate").status_code == 404
    assert client.post("/admin/people/sup.a/reset-secret").status_code == 404
    assert _user(app, "sup.a").active


def test_every_admin_page_flags_schemes_without_a_lead(client: FlaskClient, prison: Prison) -> None:
    staff_sign_in(client, "admin")
    for url in ("/admin/people", "/admin/wings", "/admin/schemes", "/admin/audit",
                "/admin/rules/lab"):
        page = client.get(url).get_data(as_text=True)
        assert "scheme-gap-banner" in page and "Buddies" in page, url
