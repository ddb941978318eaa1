"""The SQL form of the access policy agrees with the Python policy on every combination."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime

from flask import Flask
from sqlalchemy import select

from tests.conftest import FakeClock
from tests.factories import Prison, make_prison
from tracker.core.access import may_know_exists
from tracker.extensions import db
from tracker.models import Concern, ConcernAudience, User
from tracker.services.viewers import item_facts, viewer_for
from tracker.services.visibility import audience_keys, may_know_exists_sql

ROUTES = [  # (scheme, co_schemes, owner, extra_owners, confidentiality)
    ("insiders", ["buddies"], "safer_custody", [], "need_to_know"),
    ("listeners", [], "safer_custody", [], "sealed"),
    ("equality_reps", ["insiders"], "equality_lead", [], "need_to_know"),
    ("insiders", [], "complaints", ["equality_lead"], "staff_complaint"),
    ("triage", [], "wing_staff", [], "ordinary"),
    ("pal", [], "wing_staff", ["safer_custody"], "ordinary"),
    ("shannon_trust", [], "education", [], "ordinary"),  # the default ladder
]
LEVELS = (0, 1, 2, 3)  # escalated items are seen by the roles staffing the rungs reached


def _store(raiser: User, wing_id: int, route: tuple[str, list[str], str, list[str], str],
           about: User | None, assigned: User | None, now: datetime, level: int) -> None:
    scheme, co, owner, extra, conf = route
    concern = Concern(
        establishment_id=raiser.establishment_id, reference=uuid.uuid4().hex[:12].upper(),
        idempotency_key=uuid.uuid4().hex, request_fingerprint="x", raised_by_id=raiser.id,
        wing_id=wing_id, text="words", answers={}, categories=[], urgency="routine",
        scheme=scheme, co_schemes=co, owner_team=owner, extra_owners=extra,
        confidentiality=conf, routing={}, ruleset_version="t", status="new",
        escalation_level=min(level, 1) if conf == "staff_complaint" else level,
        about_staff_id=about.id if about else None, assigned_to_id=assigned.id if assigned else None,
        ack_due_at=now, resolve_due_at=now, next_deadline=now, created_at=now, updated_at=now)
    db.session.add(concern)
    db.session.flush()
    for key in audience_keys(scheme, co, owner, extra):
        db.session.add(ConcernAudience(concern_id=concern.id, key=key))


def store_every_shape(prison: Prison, now: datetime) -> list[Concern]:
    """One concern for every route, wing, named staff member, assignee, raiser and level."""
    wings = {w.code: w.id for w in prison.establishment.wings}
    staff_choices = [None, prison["officer.b"], prison["governor"], prison["sc"]]
    for route, wing, about, assigned, raiser, level in itertools.product(
            ROUTES, ("A", "B"), staff_choices, [None, prison["officer.c"]],
            [prison["sup.a"], prison["sup.b"]], LEVELS):
        _store(raiser, wings[wing], route, about, assigned, now, level)
    db.session.commit()
    return list(db.session.scalars(select(Concern)).all())


def test_sql_policy_matches_python_policy(app: Flask, clock: FakeClock) -> None:
    with app.app_context():
        prison = make_prison(clock())
        other = make_prison(clock(), name="HMP Otherton", code="OTH")
        people = list(prison.people.values()) + [other["sc"], other["governor"]]
        concerns = store_every_shape(prison, clock())
        assert len(concerns) == len(ROUTES) * 2 * 4 * 2 * 2 * len(LEVELS)
        for user in people:
            viewer = viewer_for(user)
            by_python = {c.id for c in concerns if may_know_exists(viewer, item_facts(c))}
            by_sql = set(db.session.scalars(select(Concern.id).where(may_know_exists_sql(viewer))))
            assert by_sql == by_python, f"policy differs for {user.username} ({user.role})"
