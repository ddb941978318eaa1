"""The queue's stored order key: urgency_rank follows urgency, and the queue reads in the promised order."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.conftest import FakeClock
from tests.factories import make_prison
from tracker.extensions import db
from tracker.models import Concern, User
from tracker.models.concern import URGENCY_RANKS
from tracker.services.queue import visible_open
from tracker.services.viewers import viewer_for


def _concern(raiser: User, urgency: str, level: int, due: datetime | None, now: datetime) -> Concern:
    return Concern(
        establishment_id=raiser.establishment_id, reference=uuid.uuid4().hex[:12].upper(),
        idempotency_key=uuid.uuid4().hex, request_fingerprint="x", raised_by_id=raiser.id,
        wing_id=raiser.wing_id, text="words", answers={}, categories=[], urgency=urgency,
        scheme="insiders", co_schemes=[], owner_team="safer_custody", extra_owners=[],
        confidentiality="need_to_know", routing={}, ruleset_version="t", status="new",
        escalation_level=level, ack_due_at=now, resolve_due_at=now, next_deadline=due,
        created_at=now, updated_at=now)


def test_rank_follows_the_urgency_when_built_and_when_changed(app: Flask, clock: FakeClock) -> None:
    with app.app_context():
        prison = make_prison(clock())
        concern = _concern(prison["sup.a"], "urgent", 0, clock(), clock())
        assert concern.urgency_rank == URGENCY_RANKS["urgent"]
        concern.urgency = "immediate"
        assert concern.urgency_rank == URGENCY_RANKS["immediate"]
        db.session.add(concern)
        db.session.commit()
        stored = db.session.execute(text("SELECT urgency, urgency_rank FROM concern")).one()
        assert tuple(stored) == ("immediate", 0)


def test_queue_order_is_level_then_urgency_then_deadline_undated_last(app: Flask,
                                                                       clock: FakeClock) -> None:
    with app.app_context():
        prison = make_prison(clock())
        now = clock()
        dues = [None, now - timedelta(hours=3), now + timedelta(hours=2)]
        for urgency, level, due in itertools.product(("routine", "immediate", "urgent"), (0, 2), dues):
            db.session.add(_concern(prison["sup.a"], urgency, level, due, now))
        db.session.commit()
        got = visible_open(viewer_for(prison["sc"]), now)
        far = datetime.max.replace(tzinfo=now.tzinfo)
        expected = sorted(got, key=lambda c: (-c.escalation_level, URGENCY_RANKS[c.urgency],
                                              c.next_deadline or far, c.id))
        assert len(got) == 18
        assert [c.id for c in got] == [c.id for c in expected]
        assert got[0].escalation_level == 2 and got[0].urgency == "immediate"
        assert got[2].next_deadline is None  # undated items come after the dated ones


def test_database_refuses_a_rank_that_disagrees_with_the_urgency(app: Flask, clock: FakeClock) -> None:
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the CHECK is added on PostgreSQL (SQLite would need the table rebuilt)")
        prison = make_prison(clock())
        db.session.add(_concern(prison["sup.a"], "immediate", 0, clock(), clock()))
        db.session.commit()
        with pytest.raises(IntegrityError):
            db.session.execute(text("UPDATE concern SET urgency_rank = 2"))
        db.session.rollback()
