"""Acting on a clock: acknowledge, defer (twice at most), resume, wing lockdowns; the what-if replay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask

from tests.clock_helpers import acting as _staff
from tests.clock_helpers import count, events, kiosk_notices, raise_item, staff_leads
from tests.clock_helpers import reloaded as _reload
from tests.conftest import FakeClock
from tests.factories import Prison, make_prison
from tracker.core.clock_rules import RULES_DIR
from tracker.extensions import db
from tracker.models import ConcernEvent
from tracker.services import clock_actions
from tracker.services.clock_state import Conflict
from tracker.services.errors import InvalidInput
from tracker.services.escalation import escalate_due
from tracker.services.replay import replay_since
from tracker.services.viewers import viewer_for


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        p = make_prison(clock())
        staff_leads(p)
        return p




def test_acknowledge_stops_the_ack_clock_and_the_resolve_deadline_runs(
        app: Flask, prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock())
        user, viewer = _staff(prison)
        clock_actions.acknowledge(user, viewer, item.reference, clock() + timedelta(hours=1))
        item = _reload(item)
        assert item.status == "acknowledged" and item.next_deadline == item.resolve_due_at
        assert escalate_due(item.ack_due_at).escalated == 0
        with pytest.raises(Conflict):
            clock_actions.acknowledge(user, viewer, item.reference, clock())


def test_pause_and_resume_keep_the_paused_time(app: Flask, prison: Prison,
                                               clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock(), urgency="urgent")  # ack in 4 real hours: 14:00
        user, viewer = _staff(prison)
        start = clock() + timedelta(hours=1)
        result = clock_actions.defer(user, viewer, item.reference, "other_department",
                                     "Waiting for healthcare to see him", start + timedelta(days=1),
                                     start)
        assert result.paused
        item = _reload(item)
        assert item.status == "deferred"
        assert item.next_deadline == datetime(2026, 11, 25, 14, 0, tzinfo=UTC)  # +1 day paused
        notice = kiosk_notices(db.session.merge(prison["sup.a"]))[-1]
        assert notice.message == (f"Your concern {item.reference} is delayed. Staff are waiting "
                                  "for another department. Staff said: \"Waiting for healthcare "
                                  "to see him\" They expect to deal with it by Wednesday 25 "
                                  "November.")
        assert escalate_due(datetime(2026, 11, 24, 14, 0, tzinfo=UTC)).escalated == 0
        clock_actions.resume(user, viewer, item.reference, start + timedelta(hours=2))
        item = _reload(item)
        assert item.status == "new"
        assert item.next_deadline == datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # 2 hours paused
        with pytest.raises(Conflict):
            clock_actions.resume(user, viewer, item.reference, start + timedelta(hours=3))


def test_a_pause_needs_a_known_reason_and_a_date_ahead(app: Flask, prison: Prison,
                                                       clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock())
        user, viewer = _staff(prison)
        with pytest.raises(InvalidInput) as bad:
            clock_actions.defer(user, viewer, item.reference, "busy", None,
                                clock() - timedelta(days=1), clock())
        assert set(bad.value.fields) == {"reason_code", "until"}
        with pytest.raises(InvalidInput) as words:
            clock_actions.defer(user, viewer, item.reference, "handed_off", " ",
                                clock() + timedelta(days=1), clock())
        assert set(words.value.fields) == {"reason"}
        assert count(ConcernEvent, ConcernEvent.kind == "paused") == 0


def test_the_third_deferral_does_not_pause_and_escalates(app: Flask, prison: Prison,
                                                         clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock())
        user, viewer = _staff(prison)
        for hours in (1, 2):
            now = clock() + timedelta(hours=hours)
            clock_actions.defer(user, viewer, item.reference, "awaiting_investigation", None,
                                now + timedelta(minutes=30), now)
        third = clock_actions.defer(user, viewer, item.reference, "regime_restricted",
                                    "Short of staff all week", clock() + timedelta(days=2),
                                    clock() + timedelta(hours=3))
        assert third.escalated and not third.paused
        item = _reload(item)
        assert item.escalation_level == 1
        assert len(events(item, "paused")) == 2 and len(events(item, "defer_refused")) == 1
        notice = kiosk_notices(db.session.merge(prison["sup.a"]))[-1]
        assert notice.message_id == "delay.regime_restricted"
        assert 'Staff said: "Short of staff all week"' in notice.message
        assert "It was passed to the scheme deputy or Safer Custody manager on Tuesday 24 " \
               "November." in notice.message


def test_wing_lockdown_pauses_every_open_item_of_the_wing_once(
        app: Flask, prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        on_a = raise_item(prison, clock(), urgency="urgent", wing="A")
        on_b = raise_item(prison, clock(), urgency="urgent", wing="B")
        est = db.session.merge(prison.establishment).id
        assert clock_actions.start_lockdown(None, est, "A", "Search of the wing",
                                            clock() + timedelta(hours=1)) == 1
        with pytest.raises(Conflict):
            clock_actions.start_lockdown(None, est, "a", "again", clock() + timedelta(hours=1))
        assert _reload(on_a).next_deadline is None  # clock stopped while the wing is locked
        assert escalate_due(clock() + timedelta(hours=5)).escalated == 1  # only B's item
        assert _reload(on_b).escalation_level == 1
        assert clock_actions.end_lockdown(None, est, "A", clock() + timedelta(hours=3)) == 1
        assert _reload(on_a).next_deadline == clock() + timedelta(hours=6)  # 4h + 2h locked
        assert kiosk_notices(db.session.merge(prison["sup.a"]))[0].message_id == \
            "delay.regime_restricted"
        with pytest.raises(Conflict):
            clock_actions.end_lockdown(None, est, "A", clock() + timedelta(hours=4))


def test_paused_time_survives_a_change_of_clock_terms(app: Flask, prison: Prison,
                                                      clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock(), urgency="urgent")
        user, viewer = _staff(prison)
        clock_actions.defer(user, viewer, item.reference, "needs_information", None,
                            clock() + timedelta(hours=3), clock() + timedelta(hours=1))
        # Someone shortens the stored deadline by hand (as a settings change would):
        # the sweep re-derives it from the history and finds it is not due.
        item = _reload(item)
        item.next_deadline = clock() + timedelta(hours=4)
        db.session.commit()
        report = escalate_due(clock() + timedelta(hours=4))
        assert report.escalated == 0 and report.rechecked == 1
        assert _reload(item).next_deadline == clock() + timedelta(hours=6)  # 4h + 2h paused


def test_replay_under_shorter_terms_reports_what_would_have_escalated(
        app: Flask, prison: Prison, clock: FakeClock, tmp_path: Path) -> None:
    with app.app_context():
        item = raise_item(prison, clock())
        user, viewer = _staff(prison)
        clock_actions.acknowledge(user, viewer, item.reference, clock() + timedelta(hours=6))
        rules = tmp_path / "rules"
        rules.mkdir()
        (rules / "escalation.yaml").write_text((RULES_DIR / "escalation.yaml").read_text())
        text = (RULES_DIR / "clocks.yaml").read_text()
        (rules / "clocks.yaml").write_text(text.replace(
            "bullying:           {ack: 1wd, resolve: 5wd}", "bullying:           {ack: 2h, resolve: 5wd}"))
        same = replay_since(clock() - timedelta(days=1), RULES_DIR, clock() + timedelta(days=1))
        assert (same.examined, same.would_escalate, same.differ) == (1, 0, 0)
        shorter = replay_since(clock() - timedelta(days=1), rules, clock() + timedelta(days=1))
        assert (shorter.would_escalate, shorter.differ) == (1, 1)
        assert f"{item.reference}: reached level 0" in shorter.lines[0]
        assert "L1 at 2026-11-24 12:00Z" in shorter.lines[0]


def test_a_different_establishment_cannot_act(app: Flask, prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        other = make_prison(clock(), name="HMP Elsewhere", code="ELS")
        item = raise_item(prison, clock())
        user = db.session.merge(other["governor"])
        from tracker.services.errors import NotFound

        with pytest.raises(NotFound):
            clock_actions.acknowledge(user, viewer_for(user), item.reference, clock())
