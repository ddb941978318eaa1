"""Generated from tests/web/access_matrix.py: every route for every role, every item for every person."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from werkzeug.test import TestResponse

from tests.conftest import FakeClock
from tests.factories import PASSWORD, PIN, Prison, make_prison, raise_concern
from tests.web.access_matrix import ITEM_MATRIX, ROUTE_MATRIX, Route
from tracker.extensions import db
from tracker.models import Concern
from tracker.services import setup
from tracker.services.auth import issue_token

ROLE_USERS = {"supporter": "sup.a", "officer": "officer.a", "scheme_lead": "lead.insiders",
              "safer_custody": "sc", "equality_lead": "eq", "complaints": "complaints",
              "governor": "governor", "admin": "admin"}
TEXTS = {
    "need_to_know": ("sup.a", "they keep taxing his canteen and threatening him on the landing", {}),
    "assigned": ("sup.a", "lads on the landing keep taking his vapes and pushing him", {}),
    "sealed": ("sup.b", "he feels worthless and lonely since his sentence, cries at night", {}),
    "complaint": ("sup.a", "an officer on B wing swore at him and binned his letters",
                  {"about_staff": "officer.b"}),
    "triage": ("sup.a", "when is his release date and how does he book a visit", {}),
    "escalated": ("sup.a", "two lads keep taking his canteen and threatening him", {}),
    "sealed_escalated": ("sup.b", "he feels hopeless and lonely, cries at night", {}),
}
LEVEL = {"escalated": 2, "sealed_escalated": 2}  # set after raising: climbed the ladder
WORDS = {"need_to_know": "taxing", "assigned": "vapes", "sealed": "worthless",
         "complaint": "binned", "triage": "release date", "escalated": "threatening",
         "sealed_escalated": "hopeless"}


@dataclass
class World:
    """A prison with one item of each kind and a token for each person."""

    refs: dict[str, str]
    tokens: dict[str, str]


@pytest.fixture()
def world(app: Flask, clock: FakeClock) -> World:
    with app.app_context():
        prison: Prison = make_prison(clock())
        for username, role, wing, est in (("officer.b2", "officer", "B", "TST"),):
            prison.people[username] = setup.add_user(username, role, PASSWORD, clock(),
                                                     establishment=est, wing=wing, cheap_hash=True)
        other = setup.create_establishment("HMP Otherton", ["A"], clock(), code="OTH")
        prison.people["other.gov"] = setup.add_user("other.gov", "governor", PASSWORD, clock(),
                                                    establishment=other.code, cheap_hash=True)
        refs = {}
        for kind, (raiser, text, extra) in TEXTS.items():
            user = db.session.merge(prison[raiser])
            refs[kind] = raise_concern(user, text, clock(), **extra).concern.reference
        for kind, level in LEVEL.items():
            db.session.execute(update(Concern).where(Concern.reference == refs[kind])
                               .values(escalation_level=level))
        officer_c = db.session.merge(prison["officer.c"])
        db.session.execute(update(Concern).where(Concern.reference == refs["assigned"])
                           .values(assigned_to_id=officer_c.id))
        db.session.commit()
        tokens = {name: issue_token(db.session.merge(user), clock())
                  for name, user in prison.people.items()}
        return World(refs, tokens)


def _sign_in(client: FlaskClient, username: str, role: str) -> None:
    if role == "supporter":
        r = client.post("/kiosk/", data={"username": username, "pin": PIN})
    else:
        r = client.post("/staff/signin", data={"username": username, "password": PASSWORD})
    assert r.status_code == 302, f"{username} could not sign in"


def _call(client: FlaskClient, route: Route, world: World, token: str | None) -> TestResponse:
    path = route.path.replace("{ref}", world.refs["need_to_know"])
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if path.startswith("/api/") and route.method == "POST":
        r = client.open(path, method="POST", json={}, headers=headers)
    else:
        r = client.open(path, method=route.method, data={}, headers=headers)
    r.get_data()
    r.close()
    return r


def _refused(r: TestResponse) -> bool:
    """401/403, or the policy's redirect to a sign-in page (marked reason=signin)."""
    return r.status_code in (401, 403) or "reason=signin" in r.headers.get("Location", "")


def test_every_route_has_a_row_in_the_matrix(app: Flask) -> None:
    missing = sorted({r.endpoint for r in app.url_map.iter_rules()} - set(ROUTE_MATRIX))
    assert missing == [], f"decide who may use {missing}: add rows to tests/web/access_matrix.py"


def test_routes_are_open_exactly_to_the_roles_in_the_matrix(app: Flask, world: World) -> None:
    wrong = []
    for endpoint, routes in sorted(ROUTE_MATRIX.items()):
        for route in routes:
            for role in ["anonymous", *ROLE_USERS]:
                client = app.test_client()
                token = None
                if role != "anonymous":
                    username = ROLE_USERS[role]
                    if route.path.startswith("/api/"):
                        token = world.tokens[username]
                    else:
                        _sign_in(client, username, role)
                r = _call(client, route, world, token)
                expected = role in route.allowed
                if _refused(r) == expected:
                    wrong.append(f"{endpoint}: {route.method} {route.path} as {role} -> "
                                 f"{r.status_code}, expected {'allowed' if expected else 'refused'}")
    assert wrong == []


def _staff_page(app: Flask, world: World, kind: str, username: str) -> tuple[int, str]:
    client = app.test_client()
    role = "supporter" if username.startswith("sup.") else "staff"
    _sign_in(client, username, role)
    path = (f"/kiosk/concerns/{world.refs[kind]}/sent" if role == "supporter"
            else f"/staff/concerns/{world.refs[kind]}")
    r = client.get(path)
    return r.status_code, r.get_data(as_text=True)


@pytest.mark.parametrize("kind", sorted(ITEM_MATRIX))
def test_item_pages_show_each_person_what_the_matrix_says(app: Flask, world: World,
                                                          kind: str) -> None:
    for username, expected in ITEM_MATRIX[kind].items():
        status, page = _staff_page(app, world, kind, username)
        seen = "none" if status in (403, 404) else ("read" if WORDS[kind] in page else "meta")
        if username.startswith("sup.") and seen == "meta":
            seen = "read"  # the supporter's 'sent' page shows where it went, not the words again
        assert seen == expected, f"{kind} item on the page for {username}: {seen}, expected {expected}"


@pytest.mark.parametrize("kind", sorted(ITEM_MATRIX))
def test_item_api_shows_each_person_what_the_matrix_says(app: Flask, world: World,
                                                         kind: str) -> None:
    for username, expected in ITEM_MATRIX[kind].items():
        r = app.test_client().get(f"/api/v1/concerns/{world.refs[kind]}",
                                  headers={"Authorization": f"Bearer {world.tokens[username]}"})
        seen = "none" if r.status_code == 404 else ("read" if WORDS[kind] in r.get_data(as_text=True)
                                                    else "meta")
        assert seen == expected, f"{kind} item over the API for {username}: {seen}, expected {expected}"
