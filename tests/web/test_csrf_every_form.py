"""Every form (every POST route outside the bearer-token API) refuses a request without a CSRF token."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import FakeClock
from tests.factories import PIN, make_prison
from tracker import create_app
from tracker.extensions import db
from tracker.models import UserSession

TOKEN_EXEMPT = {"api"}  # bearer tokens, no cookies: nothing for a forged cross-site form to ride on


@pytest.fixture()
def csrf_app(app: Flask, clock: FakeClock) -> Iterator[Flask]:
    """The app as deployed: CSRF on (the session-wide test app turns it off for convenience)."""
    guarded = create_app({"TESTING": True, "SECRET_KEY": "test-only", "CLOCK": clock,
                          "CHEAP_HASHING": True, "WTF_CSRF_ENABLED": True,
                          "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]})
    with app.app_context():
        make_prison(clock())
    yield guarded
    with guarded.app_context():
        db.session.remove()
        db.engine.dispose()


def form_urls(app: Flask) -> list[str]:
    """Every POST route of the server-rendered blueprints, with placeholder arguments."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or set()) or rule.endpoint.split(".")[0] in TOKEN_EXEMPT:
            continue
        urls.append(rule.build({arg: "1" for arg in rule.arguments}, append_unknown=False)[1])
    return sorted(urls)


def test_the_forms_are_found(app: Flask) -> None:
    urls = form_urls(app)
    assert {"/kiosk/", "/kiosk/concerns/submit", "/staff/signin"} <= set(urls)


def test_every_form_rejects_a_missing_token(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    refused = {url: client.post(url, data={"username": "sup.a", "pin": PIN}).status_code
               for url in form_urls(csrf_app)}
    assert refused and set(refused.values()) == {400}, refused
    with csrf_app.app_context():  # the right PIN without a token opened no session
        assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


def test_the_same_form_with_its_token_is_accepted(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    page = client.get("/kiosk/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" [^>]*value="([^"]+)"', page)
    assert token is not None, "the sign-in form carries a csrf_token field"
    r = client.post("/kiosk/", data={"username": "sup.a", "pin": PIN, "csrf_token": token.group(1)})
    assert r.status_code == 302
