"""The sweep: one item up the whole ladder, empty posts skipped, DST, bank holidays, idempotence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from tests.clock_helpers import count, events, kiosk_notices, raise_item, staff_leads
from tests.conftest import FakeClock
from tests.factories import Prison, make_prison, raise_concern
from tracker.extensions import db
from tracker.models import Concern, ConcernEvent, Notification, User
from tracker.services.escalation import escalate_due


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        p = make_prison(clock())
        staff_leads(p)
        return p


def _reload(concern: Concern) -> Concern:
    fresh = db.session.get(Concern, concern.id, populate_existing=True)
    assert fresh is not None
    return fresh


def test_one_item_climbs_the_whole_ladder_with_a_notice_at_each_step(
        app: Flask, prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock())  # Tue 24 Nov 10:00, routine bullying: ack by Wed 10:00
        assert item.next_deadline == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
        expected = [(1, "scheme deputy or Safer Custody manager", "Wednesday 25 November"),
                    (2, "custodial manager", "Thursday 26 November"),
                    (3, "Governor", "Monday 30 November")]
        for level, title, day in expected:
            due = _reload(item).next_deadline
            assert due is not None
            assert escalate_due(due - timedelta(seconds=1)).escalated == 0
            report = escalate_due(due)
            assert report.escalated == 1
            item = _reload(item)
            assert item.escalation_level == level
            notice = kiosk_notices(db.session.merge(prison["sup.a"]))[-1]
            assert notice.message_id == "delay.no_action"
            assert notice.message == (f"Your concern {item.reference} is late. No one has acted on "
                                      f"this yet. It was passed to the {title} on {day}.")
        assert len(kiosk_notices(db.session.merge(prison["sup.a"]))) == 3
        assert [e.level for e in events(item, "escalated")] == [1, 2, 3]
        governor = db.session.merge(prison["governor"])
        assert count(Notification, Notification.recipient_id == governor.id,
                     Notification.message_id == "staff_escalated") == 1
        # The custodial-manager rung is the item's own wing's officers, not other wings'.
        for name, told in (("officer.a", 1), ("officer.b", 0), ("officer.c", 0)):
            officer = db.session.merge(prison[name])
            assert count(Notification, Notification.recipient_id == officer.id,
                         Notification.message_id == "staff_escalated") == told, name
        # At the top it stays there and the Governor is reminded at each further deadline.
        assert escalate_due(_reload(item).next_deadline).escalated == 1  # type: ignore[arg-type]
        assert _reload(item).escalation_level == 3
        assert count(Notification, Notification.recipient_id == governor.id,
                     Notification.message_id == "staff_reminder") == 1


def test_an_empty_level_is_skipped_at_once_and_the_skip_is_recorded(
        app: Flask, prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock(), scheme="buddies")  # Buddies: no lead, no deputy
        sc = db.session.merge(prison["sc"])
        sc.status = "moved"  # the Safer Custody manager was moved to another job
        db.session.commit()
        escalate_due(_reload(item).next_deadline)  # type: ignore[arg-type]
        item = _reload(item)
        assert item.escalation_level == 2
        skipped = events(item, "level_skipped")
        assert [(e.level, e.reason) for e in skipped] == [
            (1, "the Buddies scheme has no active deputy and there is no active Safer Custody "
                "manager")]


def test_a_complaint_about_staff_climbs_from_the_complaints_team_to_the_governor(
        app: Flask, prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        raiser = db.session.merge(prison["sup.a"])
        item = raise_concern(raiser, "Officer on nights keeps calling him names and binned his "
                             "canteen sheet, he wants to complain", clock(),
                             about_staff="officer.b").concern
        assert item.confidentiality == "staff_complaint" and item.owner_team == "complaints"
        report = escalate_due(_reload(item).next_deadline)  # type: ignore[arg-type]
        assert report.escalated == 1
        item = _reload(item)
        assert item.escalation_level == 1  # the scheme's lead, deputy and wing rungs are not used
        governor = db.session.merge(prison["governor"])
        assert count(Notification, Notification.recipient_id == governor.id,
                     Notification.message_id == "staff_escalated") == 1
        assert kiosk_notices(raiser)[-1].message.endswith("It was passed to the Governor on "
                                                          "Wednesday 25 November.")
        for name in ("lead.insiders", "officer.a", "officer.b", "sc"):
            person = db.session.merge(prison[name])
            assert count(Notification, Notification.recipient_id == person.id) == 0, name


def test_admins_are_told_once_a_day_about_an_empty_post_without_the_item_itself(
        app: Flask, prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        items = [raise_item(prison, clock(), scheme="buddies") for _ in range(2)]
        db.session.merge(prison["sc"]).status = "moved"
        db.session.commit()
        assert escalate_due(_reload(items[0]).next_deadline).escalated == 2  # type: ignore[arg-type]
        admin = db.session.merge(prison["admin"])
        alerts = db.session.scalars(db.select(Notification).where(
            Notification.recipient_id == admin.id)).all()
        assert [(a.channel, a.kind, a.concern_id) for a in alerts] == [
            ("email", "admin_vacancy", None)]  # two items, one empty post: one email
        assert "has no active deputy and there is no active Safer Custody manager" in alerts[0].message
        assert "wing A" in alerts[0].message
        assert all(item.reference not in alerts[0].message for item in items)  # admins may not know of items
        # Later the same day another item finds the same empty post: no second email.
        clock.advance(hours=2)
        late = raise_item(prison, clock(), scheme="buddies")
        escalate_due(_reload(late).next_deadline)  # type: ignore[arg-type]
        assert count(Notification, Notification.recipient_id == admin.id) == 1


def test_the_custodial_manager_rung_is_empty_when_the_wing_has_no_officer(
        app: Flask, prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock(), wing="D")  # officers on A, B and C only
        for _ in range(2):
            escalate_due(_reload(item).next_deadline)  # type: ignore[arg-type]
        item = _reload(item)
        assert item.escalation_level == 3
        assert [(e.level, e.reason) for e in events(item, "level_skipped")] == [
            (2, "there is no active custodial manager")]


def test_a_new_item_whose_lead_post_is_empty_is_due_at_once(app: Flask, clock: FakeClock) -> None:
    with app.app_context():
        prison = make_prison(clock())  # no scheme has a lead
        item = raise_item(prison, clock())
        assert item.next_deadline == clock()
        assert [e.reason for e in events(item, "post_empty")] == ["the Insiders scheme has no "
                                                                  "active lead"]
        clock.advance(minutes=1)
        assert escalate_due(clock()).escalated == 1
        item = _reload(item)
        assert item.escalation_level == 1 and item.next_deadline > clock()  # type: ignore[operator]


def test_sweep_twice_for_the_same_moment_changes_nothing_the_second_time(
        app: Flask, prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        items = [raise_item(prison, clock()) for _ in range(3)]
        due = _reload(items[0]).next_deadline
        assert escalate_due(due).escalated == 3  # type: ignore[arg-type]
        notices, history = count(Notification), count(ConcernEvent)
        again = escalate_due(due)  # type: ignore[arg-type]
        assert again.escalated == 0
        assert (count(Notification), count(ConcernEvent)) == (notices, history)


def test_a_sweep_killed_half_way_keeps_its_batches_and_the_next_one_finishes(
        app: Flask, prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        items = [raise_item(prison, clock()) for _ in range(5)]
        due = _reload(items[0]).next_deadline
        assert due is not None

        def die(batch: int) -> None:
            if batch == 1:
                raise RuntimeError("killed")

        with pytest.raises(RuntimeError):
            escalate_due(due, batch_size=2, after_batch=die)
        db.session.rollback()
        assert count(Concern, Concern.escalation_level == 1) == 2
        assert escalate_due(due, batch_size=2).escalated == 3
        assert count(ConcernEvent, ConcernEvent.kind == "escalated") == 5
        assert count(Concern, Concern.escalation_level == 1) == 5
        assert len(kiosk_notices(db.session.merge(prison["sup.a"]))) == 5


def test_catch_up_after_downtime_escalates_everything_that_fell_due(
        app: Flask, prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        for _ in range(4):
            raise_item(prison, clock())
            clock.advance(hours=1)
        report = escalate_due(clock() + timedelta(days=3))  # the scheduler was down for days
        assert report.escalated == 4


@pytest.mark.parametrize(("raised", "due"), [
    # Spring forward (Sun 28 Mar 2027, 01:00 GMT -> 02:00 BST): 4 hours are 4 real hours.
    (datetime(2027, 3, 28, 0, 30, tzinfo=UTC), datetime(2027, 3, 28, 4, 30, tzinfo=UTC)),
    # Fall back (Sun 25 Oct 2026, 02:00 BST -> 01:00 GMT).
    (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 4, 30, tzinfo=UTC)),
])
def test_wall_clock_terms_across_a_dst_change(app: Flask, prison: Prison, clock: FakeClock,
                                              raised: datetime, due: datetime) -> None:
    with app.app_context():
        item = raise_item(prison, raised, urgency="urgent")
        assert item.next_deadline == due
        assert escalate_due(due - timedelta(seconds=1)).escalated == 0
        assert escalate_due(due).escalated == 1
        level_due = _reload(item).next_deadline
        assert level_due == due + timedelta(hours=4)  # level 1, urgent: 4 real hours


def test_working_days_keep_local_time_across_the_autumn_change(
        app: Flask, prison: Prison) -> None:
    with app.app_context():
        # Fri 23 Oct 2026 15:00 BST (14:00 UTC) + 1 working day = Mon 26 Oct 15:00 GMT.
        item = raise_item(prison, datetime(2026, 10, 23, 14, 0, tzinfo=UTC))
        assert item.next_deadline == datetime(2026, 10, 26, 15, 0, tzinfo=UTC)
        assert escalate_due(datetime(2026, 10, 26, 14, 59, tzinfo=UTC)).escalated == 0
        assert escalate_due(datetime(2026, 10, 26, 15, 0, tzinfo=UTC)).escalated == 1


def test_bank_holidays_are_not_working_days(app: Flask, prison: Prison) -> None:
    with app.app_context():
        # Thu 24 Dec 2026 + 1 working day: not Christmas, not the weekend, not Mon 28 Dec
        # (Boxing Day's substitute bank holiday): Tuesday 29 December.
        item = raise_item(prison, datetime(2026, 12, 24, 10, 0, tzinfo=UTC))
        assert item.next_deadline == datetime(2026, 12, 29, 10, 0, tzinfo=UTC)
        assert escalate_due(datetime(2026, 12, 28, 23, 0, tzinfo=UTC)).escalated == 0


def test_moved_supporter_notice_goes_to_their_scheme_coordinator(
        app: Flask, prison: Prison, clock: FakeClock) -> None:
    with app.app_context():
        item = raise_item(prison, clock())
        supporter = db.session.merge(prison["sup.a"])
        supporter.status = "moved"
        db.session.commit()
        escalate_due(item.next_deadline)  # type: ignore[arg-type]
        assert kiosk_notices(supporter) == []
        lead = db.session.merge(prison["lead.insiders"])
        relay = db.session.scalars(db.select(Notification).where(
            Notification.recipient_id == lead.id, Notification.kind == "escalated_relay")).one()
        assert relay.channel == "email"
        assert "can no longer use the kiosk" in relay.message
        assert "No one has acted on this yet." in relay.message
        assert isinstance(db.session.get(User, supporter.id), User)
