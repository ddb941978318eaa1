"""What one API submission costs the database, pinned so it cannot silently grow back.

bench/load.py measures throughput; these tests pin the round trips behind it: the bearer
token is one indexed select (no per-user follow-ups), and a submission is a fixed, small number
of statements whatever the audience size. They also keep the behaviour the savings rely on:
replays found through the unique index, the answer built without reading the row back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import FakeClock
from tests.factories import Prison, count_queries, make_prison
from tracker.extensions import db
from tracker.models import ApiToken, Concern, ConcernAudience, ConcernEvent, Notification, User, Wing
from tracker.services.auth import issue_token

TEXT = "Someone keeps nicking his vapes on association and laughing at him."
# In this prison the level-0 post is empty. Each submission costs: the token with its user and
# establishment and its directory version (1); then the writes. PostgreSQL writes the concern,
# its audience keys, its 'raised' and 'post_empty' events and the staff notifications in one
# statement (tracker/services/concern_store.py); SQLite, which has no INSERT inside WITH, writes
# the concern, the audience, the events and the outbox in turn (4). The wing named, the staff to
# tell and who holds the posts come from the process's directory (tracker/services/directory.py),
# read again only when the establishment's directory version moves. It was 17 (18 in the demo),
# then 10 before the directory.
SUBMIT_STATEMENTS = {"postgresql": 2, "sqlite": 5}
DIRECTORY_LOAD_STATEMENTS = 5  # version again, wings, schemes, staff, their schemes
TOKEN_CHECK_STATEMENTS = 1


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        return make_prison(clock())


@pytest.fixture()
def tokens(app: Flask, prison: Prison, clock: FakeClock) -> dict[str, str]:
    with app.app_context():
        return {name: issue_token(db.session.merge(prison[name]), clock())
                for name in ("sup.a", "sup.b", "officer.a")}


@pytest.fixture()
def statements(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every SQL statement sent while the test runs (the list is cleared by the test).

    The immediate alert's delivery is left out: in production it runs in its own thread after
    the answer (tests otherwise run it inline, inside the request).
    """
    monkeypatch.setitem(app.config, "OUTBOX_DELIVER_ON_COMMIT", "off")
    with count_queries(app) as seen:
        yield seen


def submit(client: FlaskClient, token: str, key: str | None = None, **body: Any) -> Any:
    return client.post("/api/v1/concerns", json={"text": TEXT, **body}, headers={
        "Authorization": f"Bearer {token}", "Idempotency-Key": key or uuid.uuid4().hex})


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_submission_costs_a_pinned_number_of_statements(
        app: Flask, client: FlaskClient, tokens: dict[str, str], statements: list[str]) -> None:
    with app.app_context():
        limit = SUBMIT_STATEMENTS[db.engine.dialect.name]
    assert submit(client, tokens["sup.b"], wing="B").status_code == 201  # loads the directory
    assert len(statements) <= limit + DIRECTORY_LOAD_STATEMENTS
    for token, wing, risk in ((tokens["sup.a"], "A", False), (tokens["sup.b"], "B", False),
                              (tokens["sup.a"], "A", True)):
        statements.clear()
        r = submit(client, token, wing=wing, risk_now=risk, consent_to_share=True)
        assert r.status_code == 201, r.get_data(as_text=True)
        listing = "\n".join(s.split("\n")[0][:100] for s in statements)
        assert len(statements) == limit, listing
        assert not any(s.lstrip().upper().startswith("SELECT CONCERN.") for s in statements), (
            "the new concern is read back\n" + listing)


def test_the_bearer_token_check_is_one_statement(
        client: FlaskClient, tokens: dict[str, str], statements: list[str]) -> None:
    statements.clear()
    r = client.get("/api/v1/me/concerns", headers={"Authorization": f"Bearer {tokens['sup.a']}"})
    assert r.status_code == 200
    assert len(statements) == TOKEN_CHECK_STATEMENTS + 1, statements  # + the list itself


def test_revoked_token_and_disabled_user_are_refused(app: Flask, client: FlaskClient,
                                                     tokens: dict[str, str]) -> None:
    assert submit(client, tokens["sup.a"]).status_code == 201
    with app.app_context():
        for row in db.session.scalars(select(ApiToken)):
            user = db.session.get(User, row.user_id)
            assert user is not None
            if user.username == "sup.a":
                row.revoked_at = row.created_at
            if user.username == "sup.b":
                user.active = False
        db.session.commit()
    assert submit(client, tokens["sup.a"]).status_code == 401
    assert submit(client, tokens["sup.b"], wing="B").status_code == 401


def test_the_answer_matches_what_was_stored(app: Flask, client: FlaskClient,
                                            tokens: dict[str, str]) -> None:
    body = submit(client, tokens["sup.a"], wing="A", risk_now=True).get_json()
    with app.app_context():
        concern = db.session.scalar(select(Concern))
        assert concern is not None
        assert body["reference"] == concern.reference
        assert body["urgency"] == concern.urgency and body["scheme"] == concern.scheme
        assert body["categories"] == concern.categories
        assert body["due_at"] == concern.ack_due_at.isoformat()
        assert body["status"] == concern.status and body["escalation_level"] == 0


def test_a_replay_writes_nothing_more(app: Flask, client: FlaskClient,
                                      tokens: dict[str, str]) -> None:
    first = submit(client, tokens["sup.a"], key="same-key-1234")
    written = {m: count(app, m) for m in (Concern, ConcernAudience, ConcernEvent, Notification)}
    again = submit(client, tokens["sup.a"], key="same-key-1234")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["reference"] == first.get_json()["reference"]
    assert {m: count(app, m) for m in written} == written


def test_a_retry_after_its_wing_was_retired_is_still_a_replay(
        app: Flask, client: FlaskClient, tokens: dict[str, str]) -> None:
    first = submit(client, tokens["sup.a"], key="before-retire-1", wing="C")
    with app.app_context():
        wing = db.session.scalar(select(Wing).where(Wing.code == "C"))
        assert wing is not None
        wing.retired = True
        db.session.commit()
    again = submit(client, tokens["sup.a"], key="before-retire-1", wing="C")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["reference"] == first.get_json()["reference"]
    fresh = submit(client, tokens["sup.a"], key="after-retire-12", wing="C")
    assert fresh.status_code == 422 and "wing" in fresh.get_json()["error"]["fields"]


def test_a_reference_drawn_twice_is_drawn_again(app: Flask, client: FlaskClient,
                                                tokens: dict[str, str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    draws = iter(["TST-2611-AAAAA", "TST-2611-AAAAA", "TST-2611-CCCCC"])
    monkeypatch.setattr("tracker.services.concerns.new_reference", lambda *_: next(draws))
    first = submit(client, tokens["sup.a"])
    second = submit(client, tokens["sup.b"], wing="B")  # collides once, then draws again
    assert first.status_code == 201 and second.status_code == 201, second.get_data(as_text=True)
    assert first.get_json()["reference"] == "TST-2611-AAAAA"
    assert second.get_json()["reference"] == "TST-2611-CCCCC"
    assert "Idempotent-Replayed" not in second.headers
    assert count(app, Concern) == 2
    with app.app_context():
        raised = db.session.scalars(select(ConcernEvent.concern_id).where(
            ConcernEvent.kind == "raised")).all()
        assert sorted(raised) == sorted(db.session.scalars(select(Concern.id)).all())


def test_a_reference_that_keeps_colliding_fails_cleanly(app: Flask, client: FlaskClient,
                                                        tokens: dict[str, str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tracker.services.concerns.new_reference", lambda *_: "TST-2611-AAAAA")
    assert submit(client, tokens["sup.a"]).status_code == 201
    written = {m: count(app, m) for m in (Concern, ConcernAudience, ConcernEvent, Notification)}
    r = submit(client, tokens["sup.b"], wing="B")
    assert r.status_code == 500 and r.is_json
    assert {m: count(app, m) for m in written} == written  # nothing half-written
