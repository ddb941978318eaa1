"""Retention: closed items' text is replaced after the period; history and audit stay."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from tests.conftest import START
from tests.factories import make_prison, raise_concern
from tracker.extensions import db
from tracker.models import Concern, ConcernEvent, User
from tracker.services.retention import REDACTED, redact_closed

TEXT = "Lad on the 2s keeps getting his canteen taxed and owes double bubble now"


def _concern(raiser: User, status: str, closed: datetime | None) -> Concern:
    concern = raise_concern(raiser, TEXT, START - timedelta(days=800),
                            resident_number="A1234BC").concern
    concern.status, concern.resolved_at = status, closed
    db.session.commit()
    return concern


@pytest.fixture()
def items(app: Flask) -> dict[str, str]:
    """Old closed, old resolved, recently closed and still open items."""
    with app.app_context():
        prison = make_prison(START - timedelta(days=800))
        sup = prison["sup.a"]
        made = {
            "old_closed": _concern(sup, "closed", START - timedelta(days=400)),
            "old_resolved": _concern(sup, "resolved", START - timedelta(days=366)),
            "recent_closed": _concern(sup, "closed", START - timedelta(days=30)),
            "old_open": _concern(sup, "in_progress", None),
        }
        return {name: c.reference for name, c in made.items()}


def _by_ref(reference: str) -> Concern:
    concern = db.session.scalar(select(Concern).where(Concern.reference == reference))
    assert concern is not None
    return concern


def test_redacts_only_items_closed_longer_than_the_period(app: Flask,
                                                         items: dict[str, str]) -> None:
    with app.app_context():
        report = redact_closed(START, 365)
        assert sorted(report.references) == sorted([items["old_closed"], items["old_resolved"]])
        for name in ("old_closed", "old_resolved"):
            concern = _by_ref(items[name])
            assert concern.text == REDACTED and concern.resident_number is None
            assert concern.routing["evidence"] == [] and "double bubble" not in str(concern.routing)
            assert concern.routing["rules"]  # which rules fired is kept: it says nothing said
        for name in ("recent_closed", "old_open"):
            assert _by_ref(items[name]).text == TEXT


def test_each_redaction_writes_one_event_and_keeps_the_history(app: Flask,
                                                               items: dict[str, str]) -> None:
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(ConcernEvent))
        redact_closed(START, 365)
        events = db.session.scalars(
            select(ConcernEvent).where(ConcernEvent.kind == "redacted")).all()
        assert len(events) == 2 and {e.reason_code for e in events} == {"retention"}
        after = db.session.scalar(select(func.count()).select_from(ConcernEvent))
        assert after == before + 2


def test_a_second_run_finds_nothing_more(app: Flask, items: dict[str, str]) -> None:
    with app.app_context():
        redact_closed(START, 365)
        assert redact_closed(START + timedelta(days=1), 365).references == []


def test_dry_run_changes_nothing(app: Flask, items: dict[str, str]) -> None:
    with app.app_context():
        report = redact_closed(START, 365, dry_run=True)
        assert len(report.references) == 2 and report.dry_run
        assert _by_ref(items["old_closed"]).text == TEXT
        redacted = select(ConcernEvent).where(ConcernEvent.kind == "redacted")
        assert not db.session.scalars(redacted).all()


def test_period_must_be_positive(app: Flask) -> None:
    with app.app_context(), pytest.raises(ValueError):
        redact_closed(START, 0)


def test_cli_dry_run_then_run(runner: FlaskCliRunner, app: Flask, items: dict[str, str]) -> None:
    now = START.isoformat()
    dry = runner.invoke(args=["retention", "run", "--now", now, "--dry-run"])
    assert dry.exit_code == 0 and "Would redact 2 item(s)" in dry.output
    assert items["old_closed"] in dry.output
    done = runner.invoke(args=["retention", "run", "--now", now])
    assert done.exit_code == 0 and "Redacted 2 item(s)" in done.output
    with app.app_context():
        assert _by_ref(items["old_closed"]).text == REDACTED


def test_cli_uses_the_configured_period(runner: FlaskCliRunner, app: Flask, items: dict[str, str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "RETENTION_DAYS", 20)
    result = runner.invoke(args=["retention", "run", "--now", START.isoformat(), "--dry-run"])
    assert "Would redact 3 item(s)" in result.output and "(20 days)" in result.output


def test_cli_rejects_a_bad_time(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["retention", "run", "--now", "yesterday"])
    assert result.exit_code == 2 and "--now" in result.output
