"""The `tracker` commands that set-up scripts and integrations rely on."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Establishment, Scheme, User, Wing


def test_init_creates_one_prison_with_wings_and_schemes(runner: FlaskCliRunner,
                                                        app: Flask) -> None:
    result = runner.invoke(args=["init", "--establishment", "HMP Northmoor", "--wings", "A,B,E"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["init"])
    assert again.exit_code == 0 and "up to date" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Establishment)) == 1
        assert sorted(db.session.scalars(select(Wing.code))) == ["A", "B", "E"]
        keys = set(db.session.scalars(select(Scheme.key)))
    assert {"listeners", "insiders", "buddies", "equality_reps", "shannon_trust", "pal"} <= keys


def test_users_add_with_password_on_stdin(runner: FlaskCliRunner, app: Flask) -> None:
    runner.invoke(args=["init"])
    result = runner.invoke(args=["users", "add", "kim", "--role", "supporter", "--scheme",
                                 "listeners", "--wing", "B", "--password-stdin"], input="2468\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "kim"))
        assert user and user.wing and user.wing.code == "B"
        assert [s.key for s in user.schemes] == ["listeners"]
        assert "2468" not in user.secret_hash


def test_users_add_refuses_bad_input_and_writes_nothing(runner: FlaskCliRunner,
                                                        app: Flask) -> None:
    runner.invoke(args=["init"])
    cases = [
        (["--role", "warden"], "Unknown role"),
        (["--role", "supporter", "--scheme", "knitting"], "Unknown scheme knitting"),
        (["--role", "supporter", "--wing", "Q"], "No wing 'Q'"),
    ]
    for extra, message in cases:
        result = runner.invoke(args=["users", "add", "kim", *extra, "--password-stdin"],
                               input="2468\n")
        assert result.exit_code == 2 and message in result.output
    weak = runner.invoke(args=["users", "add", "kim", "--role", "officer", "--password-stdin"],
                         input="short\n")
    assert weak.exit_code == 2 and "at least 10 characters" in weak.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_duplicate_username_is_refused(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["init"])
    args = ["users", "add", "kim", "--role", "supporter", "--password-stdin"]
    assert runner.invoke(args=args, input="2468\n").exit_code == 0
    dup = runner.invoke(args=[*args[:2], "KIM", *args[3:]], input="1357\n")
    assert dup.exit_code == 2 and "taken" in dup.output


def test_token_works_as_bearer_for_the_api(runner: FlaskCliRunner, app: Flask) -> None:
    runner.invoke(args=["init"])
    runner.invoke(args=["users", "add", "kim", "--role", "supporter", "--wing", "A",
                        "--password-stdin"], input="2468\n")
    token = runner.invoke(args=["users", "token", "kim"]).output.strip()
    r = app.test_client().get("/api/v1/me/concerns", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.get_json() == {"items": []}
    assert runner.invoke(args=["users", "token", "nobody"]).exit_code == 2


def test_demo_loads_people_and_concerns_and_prints_sign_ins(runner: FlaskCliRunner,
                                                            app: Flask) -> None:
    result = runner.invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "listener.a" in result.output and "PIN 1111" in result.output
    with app.app_context():
        from tracker.models import Concern

        assert db.session.scalar(select(func.count()).select_from(Concern)) == 4
        buddies = db.session.scalar(select(Scheme).where(Scheme.key == "buddies"))
        assert buddies is not None and buddies.lead_id is None
