"""The queue's Core-read rows: same items, order, values and policy facts as the ORM entities.

services.queue reads the page's metadata with Core (not Concern entities), builds the policy's
ItemFacts itself and reuses its statements across requests. These tests hold it to what the
entities say, over a matrix of routes, levels, named staff, assignments, statuses, deadlines
and filters, for every kind of viewer; and check the Python re-check still fails closed when
the SQL policy lets too much through.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, true

from tests.conftest import FakeClock
from tests.factories import Prison, make_prison
from tracker.core.access import ItemFacts, Viewer
from tracker.extensions import db
from tracker.models import OPEN_STATUSES, Concern, User
from tracker.schemas.concern import ConcernStaffMetaSchema
from tracker.schemas.queue import dump_rows
from tracker.services import queue as queue_service
from tracker.services.queue import QueueFilters, QueueItem, queue_page
from tracker.services.viewers import item_facts, viewer_for

ROUTES = [  # (scheme, co_schemes, owner, extra_owners, confidentiality)
    ("insiders", ["buddies"], "safer_custody", [], "need_to_know"),
    ("listeners", [], "safer_custody", [], "sealed"),
    ("equality_reps", ["insiders"], "equality_lead", [], "need_to_know"),
    ("insiders", [], "complaints", ["equality_lead"], "staff_complaint"),
    ("triage", [], "wing_staff", [], "ordinary"),
    ("pal", [], "wing_staff", ["safer_custody"], "ordinary"),
]
URGENCIES = ("immediate", "urgent", "routine")
STATUSES = ("new", "acknowledged", "resolved")
FILTERS = [
    QueueFilters(per_page=200), QueueFilters(per_page=7, page=2), QueueFilters(per_page=5, page=999),
    QueueFilters(scheme="insiders"), QueueFilters(wing="B"), QueueFilters(level=2),
    QueueFilters(status="acknowledged"), QueueFilters(status="resolved"),
    QueueFilters(due="overdue"), QueueFilters(due="soon", per_page=3, page=2),
    QueueFilters(mine=True), QueueFilters(scheme="pal", wing="A", level=0, due="soon"),
]


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Iterator[Prison]:
    with app.app_context():
        prison = make_prison(clock())
        _fill(prison, clock())
        yield prison


def _fill(prison: Prison, now: datetime) -> None:
    wings = {w.code: w.id for w in prison.establishment.wings}
    staff = [None, prison["officer.b"], prison["sc"]]
    assigned = [None, prison["officer.a"], prison["lead.insiders"]]
    dues = [None, now - timedelta(hours=2), now + timedelta(hours=3), now + timedelta(days=3)]
    for n, (route, wing, about, to, level) in enumerate(itertools.product(
            ROUTES, ("A", "B"), staff, assigned, (0, 1, 2, 3))):
        scheme, co, owner, extra, conf = route
        raiser = prison["sup.a"] if n % 2 else prison["sup.b"]
        db.session.add(Concern(
            establishment_id=raiser.establishment_id, reference=uuid.uuid4().hex[:12].upper(),
            idempotency_key=uuid.uuid4().hex, request_fingerprint="x", raised_by_id=raiser.id,
            wing_id=wings[wing], text="the words", answers={"consent_to_share": n % 3 == 0},
            categories=[["bullying"], [], ["self_harm", "bullying"]][n % 3],
            urgency=URGENCIES[n % 3], scheme=scheme, co_schemes=co, owner_team=owner,
            extra_owners=extra, confidentiality=conf,
            routing=[{}, {"tell_officer_now": True}, {"tell_officer_now": False}][n % 3],
            ruleset_version="t", status=STATUSES[(n // 3) % 3],
            escalation_level=min(level, 1) if conf == "staff_complaint" else level,
            about_staff_id=about.id if about else None, assigned_to_id=to.id if to else None,
            ack_due_at=now - timedelta(hours=n), resolve_due_at=now + timedelta(days=n % 5),
            next_deadline=dues[n % 4], created_at=now - timedelta(minutes=n), updated_at=now))
    db.session.commit()


def _viewers(prison: Prison) -> list[Viewer]:
    return [viewer_for(u) for u in prison.people.values() if u.role not in ("admin",)]


def _expected(viewer: Viewer, f: QueueFilters, now: datetime) -> tuple[int, list[Concern]]:
    """The total and the page, worked out from the entities and the Python policy alone."""
    from tracker.core.access import may_know_exists
    from tracker.models.concern import URGENCY_RANKS

    far = now + timedelta(days=100_000)
    wanted = [f.status] if f.status else list(OPEN_STATUSES)
    items = [c for c in db.session.scalars(select(Concern)).all()
             if c.status in wanted and may_know_exists(viewer, item_facts(c))
             and (not f.scheme or c.scheme == f.scheme) and (not f.wing or c.wing.code == f.wing)
             and (f.level is None or c.escalation_level == f.level)
             and (f.due != "overdue" or (c.next_deadline is not None and c.next_deadline < now))
             and (f.due != "soon" or (c.next_deadline is not None
                                      and now <= c.next_deadline < now + timedelta(hours=24)))
             and (not f.mine or c.assigned_to_id == viewer.user_id)]
    items.sort(key=lambda c: (-c.escalation_level, URGENCY_RANKS[c.urgency],
                              c.next_deadline or far, c.id))
    pages = max(1, -(-len(items) // f.per_page))
    page = max(1, min(f.page, pages))
    return len(items), items[(page - 1) * f.per_page:page * f.per_page]


def _schema_rows(concerns: list[Concern], now: datetime) -> list[dict[str, Any]]:
    """What the API's queue lines were when the page held Concern entities."""
    meta, soon = ConcernStaffMetaSchema(), now + timedelta(hours=24)
    out = []
    for c in concerns:
        due = c.next_deadline
        overdue = due is not None and due < now
        out.append({**meta.dump(c), "overdue": overdue,
                    "due_soon": due is not None and not overdue and due < soon,
                    "next_deadline": due.isoformat() if due else None})
    return out


def test_rows_facts_and_lines_match_the_entities(app: Flask, prison: Prison, clock: FakeClock,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[ItemFacts] = []
    real = queue_service.may_know_exists

    def spy(viewer: Viewer, facts: ItemFacts) -> bool:
        checked.append(facts)
        return real(viewer, facts)

    monkeypatch.setattr(queue_service, "may_know_exists", spy)
    now = clock()
    seen_rows = 0
    for viewer, f in itertools.product(_viewers(prison), FILTERS):
        checked.clear()
        got = queue_page(viewer, f, now)
        total, page = _expected(viewer, f, now)
        where = f"{viewer.role} {viewer.user_id} {f}"
        assert got.total == total, where
        assert [r.concern.id for r in got.rows] == [c.id for c in page], where
        # Every fetched row was re-checked, with the same facts the entity gives.
        assert checked == [item_facts(c) for c in page], where
        for row, concern in zip(got.rows, page, strict=True):
            item = row.concern
            for name in QueueItem._fields:
                if name not in ("wing", "tell_officer_now"):
                    assert getattr(item, name) == getattr(concern, name), (where, name)
            assert item.wing.code == concern.wing.code
            assert item.tell_officer_now is bool(concern.routing.get("tell_officer_now"))
        assert repr(dump_rows(got.rows)) == repr(_schema_rows(page, now)), where
        seen_rows += len(got.rows)
    assert seen_rows > 500  # the matrix really exercised the rows


def test_python_recheck_fails_closed_when_the_sql_lets_everything_through(
        app: Flask, prison: Prison, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue_service, "may_know_exists_sql_bound", lambda viewer: true())
    monkeypatch.setattr(queue_service, "_STATEMENTS", {})  # built afresh with the broken SQL
    now = clock()
    leaked = 0
    for viewer in _viewers(prison):
        got = queue_page(viewer, QueueFilters(per_page=200), now)
        _, allowed = _expected(viewer, QueueFilters(per_page=200), now)
        allowed_ids = {c.id for c in allowed}
        assert {r.concern.id for r in got.rows} <= allowed_ids, viewer
        leaked += got.total - len(allowed_ids)
    assert leaked > 0  # the broken SQL did offer items the Python policy then refused


def test_statements_are_reused_with_fresh_values(app: Flask, prison: Prison,
                                                 clock: FakeClock) -> None:
    viewer = viewer_for(prison["sc"])
    first = queue_service._statements(viewer, QueueFilters(scheme="insiders", due="soon"))
    again = queue_service._statements(viewer, QueueFilters(scheme="pal", due="soon", page=2))
    assert first[0] is again[0] and first[1] is again[1]
    other = queue_service._statements(viewer_for(prison["officer.a"]), QueueFilters(scheme="pal"))
    assert other[0] is not first[0]
    later = clock() + timedelta(hours=5)  # the clock moves: "overdue" and "soon" follow it
    for f in (QueueFilters(scheme="insiders", due="soon"), QueueFilters(scheme="pal", due="soon"),
              QueueFilters(due="overdue", per_page=4, page=2)):
        for now in (clock(), later):
            total, page = _expected(viewer, f, now)
            got = queue_page(viewer, f, now)
            assert (got.total, [r.concern.id for r in got.rows]) == (total, [c.id for c in page])


def test_a_named_member_of_staff_never_sees_the_item(app: Flask, prison: Prison,
                                                     clock: FakeClock) -> None:
    named = db.session.scalar(select(User).where(User.id == prison["officer.b"].id))
    assert named is not None
    got = queue_page(viewer_for(named), QueueFilters(per_page=200), clock())
    ids = {r.concern.id for r in got.rows}
    about = set(db.session.scalars(select(Concern.id).where(Concern.about_staff_id == named.id)))
    assert about and not ids & about


def test_viewers_sharing_a_statement_each_get_their_own_prison(app: Flask, prison: Prison,
                                                               clock: FakeClock) -> None:
    other = make_prison(clock(), name="HMP Otherton", code="OTH")
    ours, theirs = viewer_for(prison["sc"]), viewer_for(other["sc"])
    for f in (QueueFilters(), QueueFilters(wing="B"), QueueFilters(mine=True)):
        assert queue_service._statements(ours, f) == queue_service._statements(theirs, f)
        for viewer in (ours, theirs, ours):
            total, page = _expected(viewer, f, clock())
            got = queue_page(viewer, f, clock())
            assert (got.total, [r.concern.id for r in got.rows]) == (total, [c.id for c in page])
        assert queue_page(theirs, f, clock()).total == 0
