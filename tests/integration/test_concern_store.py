"""A new concern is stored whole, with a record of which rules and which learned model spoke.

services/concern_store.py writes PostgreSQL's rows in one statement and SQLite's in turn; the
suite runs on both, so these assertions hold for each path.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from tests.conftest import FakeClock
from tests.factories import make_prison, raise_concern
from tracker.extensions import db
from tracker.models import Concern, ConcernAudience, ConcernEvent, Notification, User
from tracker.rules_runtime import current_rules

RULES = Path(__file__).resolve().parents[2] / "rules"
RISK = "He has saved up his tablets and says tonight is the night, he has given his stuff away."


def test_the_stored_decision_names_the_rule_files_and_the_learned_model(
        app: Flask, clock: FakeClock) -> None:
    with app.app_context():
        prison = make_prison(clock())
        stored = raise_concern(db.session.merge(prison["sup.b"]), RISK, clock(), wing="B").concern
        concern = db.session.get(Concern, stored.id)
        assert concern is not None
        model = hashlib.sha256((RULES / "learned.json").read_bytes()).hexdigest()[:12]
        assert concern.routing["learned_version"] == model
        assert concern.ruleset_version == current_rules().version != model
        assert concern.urgency == "immediate" and concern.routing["tell_officer_now"] is True


def test_the_concern_its_audience_history_and_alerts_are_written_together(
        app: Flask, clock: FakeClock) -> None:
    with app.app_context():
        prison = make_prison(clock())
        stored = raise_concern(db.session.merge(prison["sup.b"]), RISK, clock(), wing="B").concern
        keys = set(db.session.scalars(select(ConcernAudience.key).where(
            ConcernAudience.concern_id == stored.id)))
        assert f"scheme:{stored.scheme}" in keys and f"team:{stored.owner_team}" in keys
        kinds = list(db.session.scalars(select(ConcernEvent.kind).where(
            ConcernEvent.concern_id == stored.id)))
        assert "raised" in kinds
        alerted = db.session.scalars(
            select(User.username).join(Notification, Notification.recipient_id == User.id)
            .where(Notification.concern_id == stored.id,
                   Notification.message_id == "staff_immediate_alert")).all()
        assert alerted == ["sc"]
        dedupe = db.session.scalars(select(Notification.dedupe_key).where(
            Notification.concern_id == stored.id)).all()
        assert dedupe and all(k.startswith(f"{stored.id}:") for k in dedupe)
