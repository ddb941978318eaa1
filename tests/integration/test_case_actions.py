"""Case handling: assign, note, message, transfer, hand off, resolve, reopen; the supporter's
answer; auto-close."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from tests.clock_helpers import acting as _staff
from tests.clock_helpers import events, kiosk_notices, raise_item, staff_leads
from tests.clock_helpers import reloaded as _reload
from tests.conftest import FakeClock
from tests.factories import Prison, make_prison, raise_concern
from tracker.extensions import db
from tracker.models import AccessLog, Concern, ConcernAudience, Notification
from tracker.services import case_actions, clock_actions
from tracker.services.clock_state import Conflict
from tracker.services.errors import InvalidInput, NotFound
from tracker.services.escalation import escalate_due


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        p = make_prison(clock())
        staff_leads(p)
        return p




def _audited(concern: Concern, action: str) -> int:
    return len(list(db.session.scalars(select(AccessLog).where(
        AccessLog.concern_id == concern.id, AccessLog.action == action))))


def test_assign_to_me_and_to_a_colleague_is_recorded(app: Flask, prison: Prison,
                                                     clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock())
        user, viewer = _staff(prison)
        case_actions.assign(user, viewer, item.reference, None, clock())
        assert _reload(item).assigned_to_id == user.id
        case_actions.assign(user, viewer, item.reference, "sc", clock())
        item = _reload(item)
        assert item.assigned_to_id == db.session.merge(prison["sc"]).id
        assert [e.data["to_name"] for e in events(item, "assigned")] == [
            user.display_name, db.session.merge(prison["sc"]).display_name]
        assert _audited(item, "action_assign") == 2
        with pytest.raises(InvalidInput):  # not allowed to see it: another wing's officer
            case_actions.assign(user, viewer, item.reference, "officer.c", clock())
        with pytest.raises(InvalidInput):
            case_actions.assign(user, viewer, item.reference, "nobody", clock())


def test_a_complaint_is_never_assigned_to_the_officer_it_names(app: Flask, prison: Prison,
                                                               clock: FakeClock) -> None:
    with app.app_context():
        raiser = db.session.merge(prison["sup.a"])
        item = raise_concern(raiser, "an officer on B wing swore at him and binned his letters",
                             clock(), about_staff="officer.b").concern
        user, viewer = _staff(prison, "complaints")
        with pytest.raises(InvalidInput) as refused:
            case_actions.assign(user, viewer, item.reference, "officer.b", clock())
        assert "assignee" in refused.value.fields
        names = {u.username for u in case_actions.assignable(item)}
        assert "officer.b" not in names and "complaints" in names
        case_actions.assign(user, viewer, item.reference, "complaints", clock())
        named, named_viewer = _staff(prison, "officer.b")
        with pytest.raises(NotFound):  # the named officer cannot act on (or know of) it
            case_actions.note(named, named_viewer, item.reference, "hello", clock())


def test_note_is_staff_only_and_message_reaches_the_supporter(app: Flask, prison: Prison,
                                                              clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock())
        user, viewer = _staff(prison)
        before = len(kiosk_notices(db.session.merge(prison["sup.a"])))
        case_actions.note(user, viewer, item.reference, "spoke to the wing SO", clock())
        assert len(kiosk_notices(db.session.merge(prison["sup.a"]))) == before
        case_actions.message(user, viewer, item.reference, "We have spoken to him today.",
                             clock())
        notice = kiosk_notices(db.session.merge(prison["sup.a"]))[-1]
        assert notice.message_id == "case.message"
        assert notice.params == {"reference": item.reference, "text": "We have spoken to him today."}
        assert "We have spoken to him today." in notice.message
        assert [e.reason for e in events(item, "note")] == ["spoke to the wing SO"]
        with pytest.raises(InvalidInput):
            case_actions.message(user, viewer, item.reference, "   ", clock())


def test_transfer_reroutes_and_is_kept_as_a_routing_correction(app: Flask, prison: Prison,
                                                               clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock())
        user, viewer = _staff(prison)
        with pytest.raises(InvalidInput):
            case_actions.transfer(user, viewer, item.reference, "equality_reps", "", clock())
        case_actions.transfer(user, viewer, item.reference, "equality_reps",
                              "racist abuse: the equality lead should own it", clock())
        item = _reload(item)
        assert (item.scheme, item.owner_team, item.confidentiality) == (
            "equality_reps", "equality_lead", "need_to_know")
        keys = set(db.session.scalars(select(ConcernAudience.key).where(
            ConcernAudience.concern_id == item.id)))
        assert "scheme:equality_reps" in keys and "team:equality_lead" in keys
        assert "scheme:insiders" not in keys
        [moved] = events(item, "transferred")
        assert moved.data["correction"] and moved.data["before"]["scheme"] == "insiders"
        [fix] = case_actions.corrections(item.establishment_id)
        assert (fix["reference"], fix["from"], fix["to"]) == (item.reference, "insiders",
                                                               "equality_reps")
        assert kiosk_notices(db.session.merge(prison["sup.a"]))[-1].message_id == "case.transferred"


def test_handoff_stops_the_clock_and_tells_the_supporter(app: Flask, prison: Prison,
                                                         clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock())
        user, viewer = _staff(prison)
        with pytest.raises(InvalidInput):
            case_actions.handoff(user, viewer, item.reference, "acct", "", clock())
        with pytest.raises(InvalidInput):
            case_actions.handoff(user, viewer, item.reference, "magic", "X1", clock())
        case_actions.handoff(user, viewer, item.reference, "csip", "CSIP-2026-77", clock())
        item = _reload(item)
        assert item.status == "in_progress" and item.next_deadline is None
        assert escalate_due(clock() + timedelta(days=60)).escalated == 0
        notice = kiosk_notices(db.session.merge(prison["sup.a"]))[-1]
        assert notice.message_id == "case.handed_off" and "CSIP-2026-77" in notice.message
        assert "CSIP process" in notice.message


def test_resolve_then_the_supporter_confirms_sorted(app: Flask, prison: Prison,
                                                    clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock())
        user, viewer = _staff(prison)
        with pytest.raises(InvalidInput):
            case_actions.resolve(user, viewer, item.reference, "", clock())
        case_actions.resolve(user, viewer, item.reference, "He has moved to C wing.", clock())
        item = _reload(item)
        assert item.status == "resolved" and item.next_deadline is None
        notice = kiosk_notices(db.session.merge(prison["sup.a"]))[-1]
        assert notice.message_id == "case.resolved" and "He has moved to C wing." in notice.message
        with pytest.raises(Conflict):  # resolved: no more clock actions until reopened
            clock_actions.acknowledge(user, viewer, item.reference, clock())
        with pytest.raises(NotFound):  # only the raiser answers
            case_actions.confirm_sorted(db.session.merge(prison["sup.b"]), item.reference, clock())
        case_actions.confirm_sorted(db.session.merge(prison["sup.a"]), item.reference, clock())
        assert _reload(item).status == "closed"
        with pytest.raises(Conflict):
            case_actions.confirm_sorted(db.session.merge(prison["sup.a"]), item.reference,
                                        clock())


def test_not_sorted_reopens_restarts_the_clock_and_tells_staff(app: Flask, prison: Prison,
                                                               clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock())
        user, viewer = _staff(prison)
        case_actions.resolve(user, viewer, item.reference, "Sorted with the SO.", clock())
        later = clock.advance(hours=3)
        case_actions.not_sorted(db.session.merge(prison["sup.a"]), item.reference, later)
        item = _reload(item)
        assert item.status == "in_progress" and item.resolved_at is None
        assert item.next_deadline is not None and item.next_deadline > later
        told = db.session.scalars(select(Notification).where(
            Notification.concern_id == item.id, Notification.message_id == "staff_not_sorted"))
        assert [n.recipient_id for n in told] == [db.session.merge(prison["lead.insiders"]).id]
        assert events(item, "reopened")[-1].data["by"] == "supporter"


def test_staff_reopen_of_a_closed_item(app: Flask, prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock())
        user, viewer = _staff(prison)
        with pytest.raises(Conflict):
            case_actions.reopen(user, viewer, item.reference, None, clock())
        case_actions.resolve(user, viewer, item.reference, "Done.", clock())
        case_actions.confirm_sorted(db.session.merge(prison["sup.a"]), item.reference, clock())
        case_actions.reopen(user, viewer, item.reference, "came back", clock.advance(hours=1))
        item = _reload(item)
        assert item.status == "in_progress" and item.next_deadline is not None
        assert kiosk_notices(db.session.merge(prison["sup.a"]))[-1].message_id == "case.reopened"


def test_unconfirmed_items_close_after_five_working_days_over_christmas(
        app: Flask, prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock())
        user, viewer = _staff(prison)
        resolved_at = datetime(2026, 12, 23, 10, 0, tzinfo=UTC)  # Wednesday before Christmas
        case_actions.resolve(user, viewer, item.reference, "Done.", resolved_at)
        # Working days: Thu 24, (Fri 25 + Mon 28 bank holidays, weekend), Tue 29, Wed 30,
        # Thu 31, (Fri 1 Jan bank holiday), Mon 4 Jan 2027 at 10:00.
        due = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)
        assert case_actions.close_unconfirmed(due - timedelta(minutes=1)) == 0
        assert _reload(item).status == "resolved"
        assert case_actions.close_unconfirmed(due) == 1
        assert case_actions.close_unconfirmed(due + timedelta(minutes=1)) == 0  # idempotent
        item = _reload(item)
        assert item.status == "closed"
        assert [e.data["by"] for e in events(item, "closed")] == ["timeout"]


def test_a_caller_who_may_not_know_the_item_gets_not_found(app: Flask, prison: Prison,
                                                           clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock())
        user, viewer = _staff(prison, "officer.c")
        for call in (lambda: case_actions.resolve(user, viewer, item.reference, "x", clock()),
                     lambda: case_actions.note(user, viewer, item.reference, "x", clock()),
                     lambda: case_actions.transfer(user, viewer, item.reference, "pal", "x",
                                                   clock())):
            with pytest.raises(NotFound):
                call()
