"""The kiosk journey as a supporter lives it: sign in, raise, check, send, finish."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from tests.conftest import FakeClock
from tests.factories import Prison, kiosk_sign_in, make_prison
from tracker.extensions import db
from tracker.models import Concern

BULLYING = "Lad on the 2s keeps taking his canteen and says he owes double bubble, he is scared."


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        return make_prison(clock())


def form(**overrides: str) -> dict[str, str]:
    data = {"text": BULLYING, "wing": "A", "resident_number": "", "risk_now": "no",
            "is_about_staff": "no", "about_staff": "", "consent_to_share": "yes",
            "idempotency_key": "k-0123456789"}
    data.update(overrides)
    return data


def count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Concern)) or 0


def test_signed_out_visitor_is_sent_to_sign_in(client: FlaskClient) -> None:
    r = client.get("/kiosk/concerns/new")
    assert r.status_code == 302 and r.headers["Location"].startswith("/kiosk/")


def test_wrong_pin_gets_a_message_that_does_not_say_which_part(client: FlaskClient,
                                                               prison: Prison) -> None:
    wrong_pin = client.post("/kiosk/", data={"username": "sup.a", "pin": "0000"})
    no_user = client.post("/kiosk/", data={"username": "nobody", "pin": "4321"})
    assert wrong_pin.status_code == no_user.status_code == 401
    text = "Sign-in failed. Check your details and try again."
    assert text in wrong_pin.get_data(as_text=True) and text in no_user.get_data(as_text=True)


def test_staff_cannot_use_the_kiosk_door(client: FlaskClient, prison: Prison) -> None:
    r = client.post("/kiosk/", data={"username": "officer.a", "pin": "a-long-staff-password"})
    assert r.status_code == 401


def test_form_offers_wings_and_staff_and_new_idempotency_key(client: FlaskClient,
                                                              prison: Prison) -> None:
    kiosk_sign_in(client, "sup.a")
    page = client.get("/kiosk/concerns/new").get_data(as_text=True)
    assert 'value="A" selected' in page
    assert re.search(r'name="idempotency_key" value="[0-9a-f]{32}"', page)
    assert "officer.a" in page and "sup.b" not in page  # staff are offered, residents are not


def test_check_page_says_where_it_goes_who_sees_it_and_by_when(client: FlaskClient,
                                                                prison: Prison) -> None:
    kiosk_sign_in(client, "sup.a")
    r = client.post("/kiosk/concerns/check", data=form())
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Insiders" in page and "Why" in page
    assert "Other wing staff will not see it." in page
    assert "Staff must act by" in page
    assert count(client.application) == 0  # nothing stored until 'Send it'


@pytest.mark.parametrize(("field", "value", "message"), [
    ("text", "help", "at least 10 letters"),
    ("text", "x" * 4001, "The most is 4,000"),
    ("resident_number", "12345", "like A1234BC"),
    ("wing", "Z", "no wing with that name"),
    ("risk_now", "", "Choose yes or no."),
])
def test_bad_input_is_explained_next_to_the_field_and_typed_text_kept(
        client: FlaskClient, prison: Prison, field: str, value: str, message: str) -> None:
    kiosk_sign_in(client, "sup.a")
    r = client.post("/kiosk/concerns/check", data=form(**{field: value}))
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    assert message in page
    assert 'class="error-summary"' in page and f'href="#{field}"' in page
    if field != "text":
        assert BULLYING.replace("'", "&#39;") in page
    assert count(client.application) == 0


def test_sending_shows_reference_and_reasons_and_is_stored_once(client: FlaskClient,
                                                                prison: Prison) -> None:
    kiosk_sign_in(client, "sup.a")
    first = client.post("/kiosk/concerns/submit", data=form())
    again = client.post("/kiosk/concerns/submit", data=form())  # a double tap
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    reference = re.search(r'class="reference"[^>]*>([A-Z0-9-]+)<', page)
    assert reference and reference.group(1).startswith("TST-2611-")
    assert "Insiders" in page and "Staff must act by" in page
    assert count(client.application) == 1


def test_at_risk_now_tells_supporter_to_tell_an_officer(client: FlaskClient,
                                                        prison: Prison) -> None:
    kiosk_sign_in(client, "sup.a")
    r = client.post("/kiosk/concerns/submit",
                    data=form(risk_now="yes", text="He is in a bad way on the landing today."))
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Tell an officer now" in page


def test_html_typed_is_stored_as_typed_and_shown_escaped(client: FlaskClient,
                                                         prison: Prison) -> None:
    kiosk_sign_in(client, "sup.a")
    typed = "<script>alert(1)</script> he is being threatened on the landing"
    page = client.post("/kiosk/concerns/check", data=form(text=typed)).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    client.post("/kiosk/concerns/submit", data=form(text=typed))
    with client.application.app_context():
        assert db.session.scalar(select(Concern.text)) == typed


def test_database_failure_keeps_the_text_and_says_not_saved(
        client: FlaskClient, prison: Prison, monkeypatch: pytest.MonkeyPatch) -> None:
    kiosk_sign_in(client, "sup.a")

    def broken(*_a: object, **_k: object) -> None:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr("tracker.services.concerns.submit_concern", broken)
    r = client.post("/kiosk/concerns/submit", data=form())
    page = r.get_data(as_text=True)
    assert r.status_code == 503
    assert "Not saved — please try again." in page
    assert "double bubble" in page


def test_my_referrals_lists_only_my_own(client: FlaskClient, kiosk: FlaskClient,
                                        prison: Prison) -> None:
    kiosk_sign_in(client, "sup.a")
    client.post("/kiosk/concerns/submit", data=form())
    kiosk_sign_in(kiosk, "sup.b")
    mine = client.get("/kiosk/referrals").get_data(as_text=True)
    theirs = kiosk.get("/kiosk/referrals").get_data(as_text=True)
    assert "TST-2611-" in mine
    assert "TST-2611-" not in theirs


def test_finish_ends_the_session_on_the_server(client: FlaskClient, kiosk: FlaskClient,
                                               prison: Prison) -> None:
    kiosk_sign_in(client, "sup.a")
    cookie = client.get_cookie("tracker_session")
    assert cookie is not None
    client.post("/kiosk/finish")
    kiosk.set_cookie("tracker_session", cookie.value)  # someone copied the cookie
    r = kiosk.get("/kiosk/referrals")
    assert r.status_code == 302 and "/kiosk/" in r.headers["Location"]


def test_idle_session_ends_after_two_minutes(client: FlaskClient, prison: Prison,
                                             clock: FakeClock) -> None:
    kiosk_sign_in(client, "sup.a")
    clock.advance(seconds=119)
    assert client.get("/kiosk/home").status_code == 200
    clock.advance(seconds=121)
    r = client.get("/kiosk/home")
    assert r.status_code == 302 and "expired=1" in r.headers["Location"]


def test_activity_keeps_the_session_alive(client: FlaskClient, prison: Prison,
                                          clock: FakeClock) -> None:
    kiosk_sign_in(client, "sup.a")
    for _ in range(4):
        clock.advance(seconds=90)
        assert client.post("/kiosk/still-here").status_code == 204


def test_pages_are_never_cached(client: FlaskClient, prison: Prison) -> None:
    kiosk_sign_in(client, "sup.a")
    for path in ("/kiosk/home", "/kiosk/referrals", "/kiosk/concerns/new", "/kiosk/"):
        assert client.get(path).headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_samesite(client: FlaskClient, prison: Prison) -> None:
    r = client.post("/kiosk/", data={"username": "sup.a", "pin": "4321"})
    header = r.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header


def test_idle_page_without_javascript_refreshes_to_sign_out(client: FlaskClient,
                                                            prison: Prison) -> None:
    kiosk_sign_in(client, "sup.a")
    page = client.get("/kiosk/home").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="120;url=/kiosk/signed-out?reason=idle">' in page
