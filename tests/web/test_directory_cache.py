"""The directory each process keeps (wings, staff, scheme posts) never serves a stale answer.

Changes are made here with plain SQL on a connection of its own, as another web process, the
CLI or an administrator at psql would make them: the database triggers, not the app, must
notice them. Each test first submits once so the directory is cached before the change.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from tests.conftest import FakeClock
from tests.factories import Prison, make_prison
from tracker.extensions import db
from tracker.models import ConcernEvent, Establishment, Notification, User
from tracker.services.auth import issue_token

TEXT = "Someone keeps nicking his vapes on association and laughing at him."
RISK = "He says he is going to hang himself tonight, he has given his stuff away."


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        return make_prison(clock())


@pytest.fixture()
def token(app: Flask, prison: Prison, clock: FakeClock) -> str:
    with app.app_context():
        return issue_token(db.session.merge(prison["sup.a"]), clock())


def submit(client: FlaskClient, token: str, text_: str = TEXT, **body: Any) -> Any:
    r = client.post("/api/v1/concerns", json={"text": text_, "wing": "A", **body}, headers={
        "Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex})
    return r


def elsewhere(app: Flask, sql: str, **params: Any) -> None:
    """A change committed outside this app's session, as another process would make it."""
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text(sql), params)


def told(app: Flask, reference: str) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(
            select(User.username).join(Notification, Notification.recipient_id == User.id)
            .where(Notification.params["reference"].as_string() == reference)))


def version(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(Establishment.directory_version)) or 0


def test_a_member_of_staff_disabled_elsewhere_is_not_told_of_the_next_item(
        app: Flask, client: FlaskClient, token: str) -> None:
    first = submit(client, token, RISK, risk_now=True).get_json()
    assert "sc" in told(app, first["reference"])
    elsewhere(app, "UPDATE user_account SET active = :no WHERE username = 'sc'", no=False)
    second = submit(client, token, RISK, risk_now=True).get_json()
    assert "sc" not in told(app, second["reference"])
    elsewhere(app, "UPDATE user_account SET active = :yes WHERE username = 'sc'", yes=True)
    third = submit(client, token, RISK, risk_now=True).get_json()
    assert "sc" in told(app, third["reference"])


def test_a_wing_added_elsewhere_can_be_chosen_at_once(app: Flask, client: FlaskClient,
                                                       token: str) -> None:
    assert submit(client, token).status_code == 201
    assert submit(client, token, wing="E").status_code == 422
    elsewhere(app, "INSERT INTO wing (establishment_id, code, name, retired) "
                   "SELECT id, 'E', 'E wing', :no FROM establishment", no=False)
    assert submit(client, token, wing="E").status_code == 201


def test_a_scheme_post_emptied_elsewhere_is_recorded_as_empty(app: Flask, client: FlaskClient,
                                                               token: str) -> None:
    body = submit(client, token).get_json()
    assert body["scheme"] == "insiders"

    def empty_posts() -> int:
        with app.app_context():
            return len(db.session.scalars(select(ConcernEvent).where(
                ConcernEvent.kind == "post_empty")).all())

    before = empty_posts()
    assert before == 1  # this prison starts with no Insiders lead in post
    elsewhere(app, "UPDATE scheme SET lead_id = (SELECT id FROM user_account "
                   "WHERE username = 'lead.insiders') WHERE key = 'insiders'")
    assert submit(client, token).status_code == 201
    assert empty_posts() == before  # the lead is in post now: nothing recorded
    elsewhere(app, "UPDATE scheme SET lead_id = NULL WHERE key = 'insiders'")
    assert submit(client, token).status_code == 201
    assert empty_posts() == before + 1


def test_a_scheme_membership_removed_elsewhere_changes_who_is_told(
        app: Flask, client: FlaskClient, token: str) -> None:
    assert submit(client, token).status_code == 201
    elsewhere(app, "UPDATE scheme SET lead_id = (SELECT id FROM user_account "
                   "WHERE username = 'lead.insiders') WHERE key = 'insiders'")
    first = submit(client, token).get_json()
    assert "lead.insiders" in told(app, first["reference"])
    elsewhere(app, "UPDATE scheme SET lead_id = NULL WHERE key = 'insiders'")
    elsewhere(app, "DELETE FROM user_scheme WHERE user_id = "
                   "(SELECT id FROM user_account WHERE username = 'lead.insiders')")
    second = submit(client, token).get_json()
    assert "lead.insiders" not in told(app, second["reference"])


@pytest.mark.parametrize("sql, moves", [
    ("UPDATE user_account SET role = 'governor' WHERE username = 'officer.a'", True),
    ("UPDATE user_account SET wing_id = NULL WHERE username = 'officer.a'", True),
    ("UPDATE user_account SET status = 'moved' WHERE username = 'officer.a'", True),
    ("DELETE FROM user_scheme WHERE user_id = (SELECT id FROM user_account "
     "WHERE username = 'sup.b')", True),
    ("UPDATE scheme SET deputy_id = (SELECT id FROM user_account WHERE username = 'sc') "
     "WHERE key = 'listeners'", True),
    ("UPDATE wing SET name = 'Alpha' WHERE code = 'A'", True),
    # What a directory does not hold: a changed secret or display name keeps it valid.
    ("UPDATE user_account SET secret_hash = 'x', display_name = 'Y' WHERE username = 'officer.a'",
     False),
])
def test_the_version_moves_on_every_change_a_directory_holds(app: Flask, prison: Prison,
                                                            sql: str, moves: bool) -> None:
    before = version(app)
    elsewhere(app, sql)
    assert (version(app) > before) is moves


def test_a_new_user_and_a_removed_user_move_the_version(app: Flask, prison: Prison,
                                                       clock: FakeClock) -> None:
    before = version(app)
    with app.app_context():
        est = db.session.scalar(select(Establishment))
        assert est is not None
        db.session.add(User(establishment_id=est.id, username="new.officer", display_name="N",
                            role="officer", secret_hash="x", created_at=clock()))  # noqa: S106 (not a secret)
        db.session.commit()
    added = version(app)
    assert added > before
    elsewhere(app, "DELETE FROM user_account WHERE username = 'new.officer'")
    assert version(app) > added
