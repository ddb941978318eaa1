"""The bound form of the SQL policy (the viewer's ids as parameters) decides as the plain form does.

The queue keeps one statement per kind of viewer (role, schemes, wing or none) and binds the
viewer's ids at execution: visibility.may_know_exists_sql_bound. Over the same matrix as
test_visibility_sql.py, one clause per kind of viewer, executed with each viewer's values,
must give what may_know_exists_sql and the Python policy give.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import Select, select
from sqlalchemy.exc import StatementError

from tests.conftest import FakeClock
from tests.factories import make_prison
from tests.integration.test_visibility_sql import store_every_shape
from tracker.core.access import Viewer, may_know_exists
from tracker.extensions import db
from tracker.models import Concern
from tracker.services import setup
from tracker.services.viewers import item_facts, viewer_for
from tracker.services.visibility import (
    bound_shape,
    may_know_exists_sql,
    may_know_exists_sql_bound,
    viewer_params,
)


def test_bound_policy_matches_plain_and_python_policy(app: Flask, clock: FakeClock) -> None:
    with app.app_context():
        prison = make_prison(clock())
        other = make_prison(clock(), name="HMP Otherton", code="OTH")
        wingless = setup.add_user("officer.nowing", "officer", "a-long-staff-password", clock(),
                                  establishment="TST", wing=None, cheap_hash=True)
        people = [*prison.people.values(), other["sc"], other["governor"], other["officer.a"],
                  other["lead.insiders"], wingless]
        concerns = store_every_shape(prison, clock())
        shared: dict[tuple[str, frozenset[str], bool], Select[tuple[int]]] = {}
        for user in people:
            viewer = viewer_for(user)
            # The first viewer of each kind builds the statement; the others reuse it.
            stmt = shared.setdefault(bound_shape(viewer),
                                     select(Concern.id).where(may_know_exists_sql_bound(viewer)))
            by_bound: set[int] = set(db.session.scalars(stmt, viewer_params(viewer)))
            by_plain = set(db.session.scalars(select(Concern.id).where(may_know_exists_sql(viewer))))
            by_python = {c.id for c in concerns if may_know_exists(viewer, item_facts(c))}
            assert by_bound == by_plain == by_python, f"{user.username} ({user.role})"
        assert len(shared) < len(people)  # some viewers really shared a statement


def test_a_bound_clause_without_the_viewer_is_an_error_not_a_match(app: Flask,
                                                                  clock: FakeClock) -> None:
    with app.app_context():
        stmt = select(Concern.id).where(may_know_exists_sql_bound(Viewer(1, "officer", 1, 1)))
        with pytest.raises(StatementError):
            db.session.scalars(stmt).all()
        db.session.rollback()
