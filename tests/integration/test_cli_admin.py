"""The admin CLI: the same operations as the admin pages, for scripted set-up; all audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from tests.conftest import FakeClock
from tests.factories import make_prison, raise_concern
from tracker.extensions import db
from tracker.models import AccessLog, Concern, Scheme, SchemeLeadership, SignInThrottle, User, Wing


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> None:
    with app.app_context():
        make_prison(clock())


def _user(app: Flask, username: str) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        assert user is not None
        _ = user.wing, user.schemes
        db.session.expunge(user)
        return user


def _actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AccessLog.action).order_by(AccessLog.id)))


def _count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_users_list(runner: FlaskCliRunner, prison: None) -> None:
    result = runner.invoke(args=["users", "list", "--role", "supporter"])
    assert result.exit_code == 0
    assert [line.split("\t")[0] for line in result.output.splitlines()] == ["sup.a", "sup.b"]


def test_users_edit_changes_role_wing_and_schemes(runner: FlaskCliRunner, app: Flask,
                                                  prison: None) -> None:
    result = runner.invoke(args=["users", "edit", "officer.c", "--role", "scheme_lead",
                                 "--wing", "none", "--scheme", "buddies"])
    assert result.exit_code == 0, result.output
    user = _user(app, "officer.c")
    assert (user.role, user.wing, [s.key for s in user.schemes]) == ("scheme_lead", None,
                                                                     ["buddies"])
    assert _actions(app) == ["user_edit"]


@pytest.mark.parametrize(("args", "message"), [
    (["users", "edit", "officer.c", "--scheme", "nosuch"], "Unknown scheme nosuch"),
    (["users", "edit", "officer.c", "--wing", "Z"], "No wing"),
    (["users", "edit", "officer.c", "--role", "wizard"], "Unknown role"),
    (["users", "edit", "nobody"], "No one called"),
    (["users", "deactivate", "nobody"], "No one called"),
    (["users", "move", "officer.a", "--status", "moved"], "Only supporters"),
])
def test_bad_input_is_refused_and_nothing_is_written(runner: FlaskCliRunner, app: Flask,
                                                     prison: None, args: list[str],
                                                     message: str) -> None:
    result = runner.invoke(args=args)
    assert result.exit_code == 2 and message in result.output
    assert _actions(app) == []
    assert _user(app, "officer.c").role == "officer"


def test_deactivate_and_reactivate(runner: FlaskCliRunner, app: Flask, prison: None) -> None:
    assert runner.invoke(args=["users", "deactivate", "sup.a"]).exit_code == 0
    assert not _user(app, "sup.a").active
    assert runner.invoke(args=["users", "reactivate", "sup.a"]).exit_code == 0
    assert _user(app, "sup.a").active
    assert _actions(app) == ["user_deactivate", "user_reactivate"]


def test_reset_secret_prints_it_once_and_flags_a_change(runner: FlaskCliRunner, app: Flask,
                                                        prison: None) -> None:
    result = runner.invoke(args=["users", "reset-secret", "sup.a"])
    assert result.exit_code == 0
    pin = result.output.strip().rsplit(" ", 1)[1]
    assert pin.isdigit() and len(pin) == 6
    assert _user(app, "sup.a").must_change_secret


def test_move_supporter(runner: FlaskCliRunner, app: Flask, prison: None,
                        clock: FakeClock) -> None:
    with app.app_context():
        raiser = db.session.scalar(select(User).where(User.username == "sup.b"))
        assert raiser is not None
        raise_concern(raiser, "he is really low and not sleeping since his mum died", clock())
    result = runner.invoke(args=["users", "move", "sup.b", "--status", "moved"])
    assert "warning: no active coordinator for TST-" in result.output  # Listeners have no lead
    runner.invoke(args=["users", "reactivate", "sup.b"])
    runner.invoke(args=["schemes", "set-lead", "listeners", "--lead", "lead.listeners"])
    result = runner.invoke(args=["users", "move", "sup.b", "--status", "moved"])
    assert result.exit_code == 0, result.output
    assert "Handed over: TST-" in result.output
    user = _user(app, "sup.b")
    assert (user.status, user.active) == ("moved", False)


def test_import_all_or_nothing(runner: FlaskCliRunner, app: Flask, prison: None,
                               tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("username,name,wing,schemes\nnew.one,New One,A,insiders\n"
                   "sup.a,Taken,A,insiders\nnew.two,Two,Q,insiders;nosuch\nshort,row\n")
    before = _count(app, User)
    result = runner.invoke(args=["users", "import", str(bad)])
    assert result.exit_code == 2
    assert "line 3 (sup.a): User name 'sup.a' is taken." in result.output
    assert "line 4 (new.two): Unknown wing 'Q'. Unknown scheme nosuch." in result.output
    assert "line 5 (short): Malformed row: 2 columns instead of 4." in result.output
    assert "Nothing was imported." in result.output
    assert _count(app, User) == before and _actions(app) == []
    good = tmp_path / "good.csv"
    good.write_text("username,name,wing,schemes\nnew.one,New One,A,insiders\n"
                    "new.two,New Two,B,insiders;buddies\n")
    result = runner.invoke(args=["users", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert _count(app, User) == before + 2
    assert sorted(s.key for s in _user(app, "new.two").schemes) == ["buddies", "insiders"]
    assert _actions(app) == ["user_add", "user_add", "users_import"]


def test_unlock(runner: FlaskCliRunner, app: Flask, prison: None, clock: FakeClock) -> None:
    with app.app_context():
        db.session.add(SignInThrottle(key="user:sup.a", failures=9, locked_until=clock(),
                                      last_failure_at=clock()))
        db.session.commit()
    assert "user:sup.a\t9 failures" in runner.invoke(args=["users", "unlock", "--list"]).output
    assert runner.invoke(args=["users", "unlock", "sup.a"]).exit_code == 0
    assert _count(app, SignInThrottle) == 0
    assert runner.invoke(args=["users", "unlock", "sup.a"]).exit_code == 2


def test_schemes_set_lead_list_and_history(runner: FlaskCliRunner, app: Flask, prison: None,
                                           clock: FakeClock) -> None:
    assert "buddies\tlead: NO ACTIVE LEAD" in runner.invoke(args=["schemes", "list"]).output
    result = runner.invoke(args=["schemes", "set-lead", "buddies", "--lead", "officer.a",
                                 "--deputy", "sc"])
    assert result.exit_code == 0, result.output
    clock.advance(days=3)
    runner.invoke(args=["schemes", "set-lead", "buddies", "--lead", "officer.b", "--deputy", "sc"])
    listed = runner.invoke(args=["schemes", "list"]).output
    assert "buddies\tlead: officer.b\tdeputy: sc" in listed
    history = runner.invoke(args=["schemes", "history", "buddies"]).output.splitlines()
    assert [line.split("\t")[:2] for line in history] == [
        ["lead", "officer.b"], ["deputy", "sc"], ["lead", "officer.a"]]
    assert history[0].endswith("in post") and not history[2].endswith("in post")
    assert _count(app, SchemeLeadership) == 3
    assert _actions(app) == ["scheme_posts", "scheme_posts"]


@pytest.mark.parametrize(("args", "message"), [
    (["schemes", "set-lead", "nosuch", "--lead", "officer.a"], "Unknown scheme 'nosuch'"),
    (["schemes", "set-lead", "buddies", "--lead", "nobody"], "No one called 'nobody'"),
    (["schemes", "set-lead", "buddies", "--lead", "sup.a"], "is a supporter"),
    (["schemes", "set-lead", "buddies", "--lead", "sc", "--deputy", "sc"], "someone other"),
])
def test_set_lead_refuses_bad_input(runner: FlaskCliRunner, app: Flask, prison: None,
                                    args: list[str], message: str) -> None:
    result = runner.invoke(args=args)
    assert result.exit_code == 2 and message in result.output
    with app.app_context():
        assert db.session.scalar(select(Scheme.lead_id).where(Scheme.key == "buddies")) is None
    assert _actions(app) == []


def test_wings_add_rename_retire_and_list(runner: FlaskCliRunner, app: Flask,
                                          prison: None) -> None:
    assert runner.invoke(args=["wings", "add", "E", "--name", "E wing (new)"]).exit_code == 0
    assert runner.invoke(args=["wings", "add", "e"]).exit_code == 2  # the code is taken
    assert runner.invoke(args=["wings", "rename", "E", "Healthcare"]).exit_code == 0
    assert runner.invoke(args=["wings", "retire", "E"]).exit_code == 0
    assert "E\tHealthcare\tretired" in runner.invoke(args=["wings", "list"]).output
    with app.app_context():
        assert db.session.scalar(select(Wing.retired).where(Wing.code == "E")) is True
    assert _actions(app) == ["wing_add", "wing_rename", "wing_retire"]


def test_wing_lockdown_start_and_end(runner: FlaskCliRunner, app: Flask, prison: None,
                                     clock: FakeClock) -> None:
    with app.app_context():
        raiser = db.session.scalar(select(User).where(User.username == "sup.a"))
        assert raiser is not None
        raise_concern(raiser, "they keep taxing his canteen on the landing", clock())
    assert runner.invoke(args=["wings", "lockdown", "start", "A"]).exit_code == 2  # no reason
    result = runner.invoke(args=["wings", "lockdown", "start", "A", "--reason", "search"])
    assert result.exit_code == 0 and "1 open items paused" in result.output
    again = runner.invoke(args=["wings", "lockdown", "start", "A", "--reason", "search"])
    assert again.exit_code == 2 and "already locked down" in again.output
    with app.app_context():
        assert db.session.scalar(select(Concern.next_deadline)) is None
    assert runner.invoke(args=["wings", "lockdown", "end", "A"]).exit_code == 0
    assert _actions(app).count("lockdown_start") == 1
    assert _actions(app).count("lockdown_end") == 1
