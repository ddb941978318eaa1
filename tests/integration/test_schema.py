"""The migrations build exactly the schema the models describe; history rows are append-only."""

from __future__ import annotations

from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask

from tests.conftest import FakeClock
from tests.factories import make_prison, raise_concern
from tracker.extensions import db
from tracker.models import AccessLog, Base, ConcernEvent


def test_migrations_at_head_match_the_models(app: Flask) -> None:
    with app.app_context(), db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_times_come_back_aware_in_utc(app: Flask, clock: FakeClock) -> None:
    with app.app_context():
        prison = make_prison(clock())
        concern = raise_concern(prison["sup.a"], "they keep threatening him on the landing",
                                clock()).concern
        db.session.expire_all()
        assert concern.created_at == clock() and concern.created_at.utcoffset().total_seconds() == 0


def test_naive_times_are_refused(app: Flask, clock: FakeClock) -> None:
    with app.app_context():
        prison = make_prison(clock())
        concern = raise_concern(prison["sup.a"], "they keep threatening him on the landing",
                                clock()).concern
        concern.updated_at = datetime(2026, 1, 1)
        with pytest.raises(Exception, match="naive datetime"):
            db.session.commit()
        db.session.rollback()


@pytest.mark.parametrize("model", [ConcernEvent, AccessLog])
def test_history_and_audit_rows_cannot_be_edited_or_deleted(app: Flask, clock: FakeClock,
                                                            model: type) -> None:
    with app.app_context():
        prison = make_prison(clock())
        raise_concern(prison["sup.a"], "they keep threatening him on the landing", clock())
        from tracker.services import audit

        audit.record(prison["governor"], "read_content", clock())
        db.session.commit()
        row = db.session.scalars(db.select(model)).first()
        assert row is not None
        db.session.delete(row)
        with pytest.raises(PermissionError):
            db.session.flush()
        db.session.rollback()
