"""Weekly digests: content per scope, buckets, reasons, trends, confidentiality, once per week, email."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from tests.conftest import FakeClock
from tests.factories import Prison, make_prison, raise_concern
from tracker import scheduler
from tracker.core.digest import week_ending_on
from tracker.core.digest_render import digest_csv, digest_text
from tracker.extensions import db
from tracker.models import Concern, Digest, Notification, Scheme, User
from tracker.services import clock_actions, digest
from tracker.services.outbox import LogSender
from tracker.services.supporter_digest import weekly_summary
from tracker.services.viewers import viewer_for

WEEK = week_ending_on(date(2026, 11, 22))  # Mon 16 Nov .. Sun 22 Nov 2026 (GMT)
END = WEEK.end
MONDAY_7AM = END + timedelta(hours=7)
BULLYING = "Lad on the 2s keeps taking his canteen and says he owes double bubble"
LISTENER = "He has been feeling very low and lonely since his mum died, wants to talk ZEBRAQUOTE"
EQUALITY = "He is not allowed halal food and staff laugh at his prayers, it is racist"
COMPLAINT = "The officer was rude and shouted at him and threw his letters away"
QUESTION = "Can someone help him with his release date question please"


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        return make_prison(END - timedelta(days=90))


@pytest.fixture()
def outbox(app: Flask) -> Iterator[LogSender]:
    sender = LogSender()
    app.config["OUTBOX_SENDER"] = sender
    yield sender
    app.config["OUTBOX_SENDER"] = None


def person(prison: Prison, username: str) -> User:
    return db.session.merge(prison[username])


def est(prison: Prison) -> int:
    return person(prison, "governor").establishment_id


def item(prison: Prison, text: str = BULLYING, *, late_by: timedelta | None = None,
         raised: datetime | None = None, who: str = "sup.a", **kw: Any) -> Concern:
    """Raise through the service; ``late_by`` sets the acknowledgement deadline that far before END."""
    raised = raised or END - (late_by or timedelta(0)) - timedelta(days=1)
    concern = raise_concern(person(prison, who), text, raised, **kw).concern
    if late_by is not None:
        concern.ack_due_at = END - late_by
        concern.resolve_due_at = END + timedelta(days=60)
    db.session.commit()
    return concern


def build(prison: Prison, username: str, scope: str) -> dict[str, Any]:
    return digest.build_content(person(prison, username), scope, WEEK)


def rows(section: list[dict[str, Any]]) -> dict[Any, Any]:
    return {r["key"]: r["now"] for r in section}


def test_late_items_by_scheme_wing_level_and_age_bucket(app: Flask, prison: Prison) -> None:
    for days, wing in ((1, "A"), (5, "A"), (10, "B"), (40, "B")):
        item(prison, late_by=timedelta(days=days) - timedelta(hours=1), wing=wing)
    item(prison, late_by=-timedelta(hours=5))  # due after the week's end: not late
    d = build(prison, "governor", "governor")
    assert d["overdue"]["total"]["now"] == 4
    assert rows(d["overdue"]["by_bucket"]) == {"1-2": 1, "3-7": 1, "8-28": 1, "29+": 1}
    assert rows(d["overdue"]["by_wing"]) == {"A": 2, "B": 2}
    assert rows(d["overdue"]["by_level"]) == {0: 4}
    insiders = next(r for r in d["overdue"]["by_scheme"] if r["key"] == "insiders")
    assert insiders["now"] == 4 and insiders["buckets"] == {"1-2": 1, "3-7": 1, "8-28": 1, "29+": 1}


def test_each_figure_is_compared_with_last_week(app: Flask, prison: Prison) -> None:
    item(prison, late_by=timedelta(days=10))  # late last week too (3 days)
    item(prison, late_by=timedelta(days=2))   # late only this week
    item(prison, late_by=timedelta(days=3))   # late only this week
    fixed = item(prison, late_by=timedelta(days=20))
    fixed.status, fixed.resolved_at, fixed.updated_at = "resolved", END - timedelta(days=2), END
    db.session.commit()  # late last week, resolved this week
    d = build(prison, "governor", "governor")
    total = d["overdue"]["total"]
    assert (total["now"], total["last_week"], total["trend"], total["better"]) == (3, 2, "up", False)
    assert d["no_reason"] == {"now": 3, "last_week": 2, "trend": "up", "better": False}
    ages = {r["key"]: (r["now"], r["last_week"]) for r in d["overdue"]["by_bucket"]}
    assert ages["1-2"] == (1, 0) and ages["8-28"] == (1, 1)


def test_reasons_given_and_late_items_without_one(app: Flask, prison: Prison) -> None:
    deferred = item(prison, late_by=timedelta(days=4))
    item(prison, late_by=timedelta(days=4))
    item(prison, late_by=timedelta(days=9))
    sc = person(prison, "sc")
    clock_actions.defer(sc, viewer_for(sc), deferred.reference, "awaiting_investigation", None,
                        END + timedelta(days=5), END - timedelta(days=1))
    d = build(prison, "governor", "governor")
    assert rows(d["reasons"]) == {"awaiting_investigation": 1}
    assert d["no_reason"]["now"] == 2
    assert d["overdue"]["total"]["now"] == 3  # a deferral explains lateness, it does not hide it


def test_a_wing_lockdown_counts_as_a_reason(app: Flask, prison: Prison) -> None:
    item(prison, late_by=timedelta(days=2), wing="C")
    clock_actions.start_lockdown(person(prison, "sc"), est(prison), "C",
                                 "Search of the wing", END - timedelta(hours=3),
                                 END + timedelta(days=1))
    assert rows(build(prison, "governor", "governor")["reasons"]) == {"lockdown": 1}


def _posts(prison: Prison, scheme: str, lead: str | None, deputy: str | None) -> None:
    row = db.session.scalar(select(Scheme).where(
        Scheme.establishment_id == est(prison), Scheme.key == scheme))
    assert row is not None
    row.lead_id = person(prison, lead).id if lead else None
    row.deputy_id = person(prison, deputy).id if deputy else None
    db.session.commit()


def test_schemes_with_no_active_lead_or_deputy(app: Flask, prison: Prison) -> None:
    for key in ("listeners", "insiders", "buddies", "equality_reps", "shannon_trust", "pal", "triage"):
        _posts(prison, key, "lead.insiders", "sc")
    _posts(prison, "listeners", "lead.listeners", None)
    _posts(prison, "buddies", None, None)
    person(prison, "lead.listeners").status = "moved"  # the officer moved to another job
    db.session.commit()
    gaps = {s["key"]: (s["lead"], s["deputy"])
            for s in build(prison, "governor", "governor")["schemes_without_posts"]}
    assert gaps == {"listeners": (False, False), "buddies": (False, False)}
    equality = build(prison, "eq", "team:equality_lead")["schemes_without_posts"]
    assert equality == []  # the equality lead's scope is the Equality Reps scheme only


def test_each_scope_sees_its_own_items(app: Flask, prison: Prison) -> None:
    bullying = item(prison, late_by=timedelta(days=2))
    listener = item(prison, LISTENER, late_by=timedelta(days=2), who="sup.b")
    equality = item(prison, EQUALITY, late_by=timedelta(days=2))
    question = item(prison, QUESTION, late_by=timedelta(days=2))

    def refs(username: str, scope: str) -> set[str]:
        return {o["reference"] for o in build(prison, username, scope)["oldest"]}

    everything = {bullying.reference, listener.reference, equality.reference, question.reference}
    assert refs("governor", "governor") == everything
    assert refs("sc", "team:safer_custody") == {bullying.reference, listener.reference}
    assert refs("eq", "team:equality_lead") == {equality.reference}
    assert refs("lead.insiders", "scheme:insiders") == {bullying.reference}
    assert refs("lead.listeners", "scheme:listeners") == {listener.reference}


def test_a_complaint_is_not_in_the_digest_of_the_person_it_names(app: Flask, prison: Prison) -> None:
    complaint = item(prison, COMPLAINT, late_by=timedelta(days=6), about_staff="governor",
                     is_about_staff=True)
    item(prison, late_by=timedelta(days=6))
    governor = build(prison, "governor", "governor")
    assert governor["overdue"]["total"]["now"] == 1
    assert complaint.reference not in json.dumps(governor)
    assert complaint.reference in json.dumps(build(prison, "complaints", "team:complaints"))


def test_listener_words_never_reach_a_digest_its_csv_or_its_email(
        app: Flask, prison: Prison, outbox: LogSender) -> None:
    listener = item(prison, LISTENER, late_by=timedelta(days=3), who="sup.b")
    digest.run_week(WEEK.ending, MONDAY_7AM, send=True)
    stored = list(db.session.scalars(select(Digest)))
    assert stored and outbox.messages
    sc = next(d for d in stored if d.scope == "team:safer_custody")
    assert listener.reference in json.dumps(sc.content)  # counted, by reference only
    for d in stored:
        for shown in (json.dumps(d.content), digest_csv(d.content), digest_text(d.content)):
            assert "ZEBRAQUOTE" not in shown and "lonely" not in shown
    for message in outbox.messages:
        assert "ZEBRAQUOTE" not in message.as_string()


def test_running_twice_makes_exactly_one_digest_per_recipient_per_week(
        app: Flask, prison: Prison, outbox: LogSender) -> None:
    item(prison, late_by=timedelta(days=2))
    first = digest.run_week(WEEK.ending, MONDAY_7AM, send=False)
    second = digest.run_week(WEEK.ending, MONDAY_7AM + timedelta(minutes=5), send=True)
    third = digest.run_week(WEEK.ending, MONDAY_7AM + timedelta(minutes=9), send=True)
    recipients = len(digest.recipients(est(prison)))
    assert (first.built, second.built, second.skipped, third.built) == (recipients, 0, recipients, 0)
    assert db.session.scalar(select(func.count()).select_from(Digest)) == recipients
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.kind == "digest")) == recipients
    assert len(outbox.messages) == recipients  # each sent once, however often the job ran


def test_the_scheduler_slot_builds_and_sends_last_week(app: Flask, prison: Prison,
                                                       outbox: LogSender) -> None:
    result = scheduler.run_digest(MONDAY_7AM)
    assert result == {"digests": len(digest.recipients(est(prison)))}
    assert scheduler.run_digest(MONDAY_7AM + timedelta(minutes=1)) == result
    weeks = set(db.session.scalars(select(Digest.week_ending)))
    assert weeks == {WEEK.ending}


def test_the_email_has_html_a_chart_and_the_csv(app: Flask, prison: Prison,
                                                outbox: LogSender) -> None:
    item(prison, late_by=timedelta(days=2))
    digest.run_week(WEEK.ending, MONDAY_7AM, send=True)
    message = next(m for m in outbox.messages if m["To"].startswith("governor@"))
    assert "Weekly digest, week ending 2026-11-22" in message["Subject"]
    parts = {p.get_content_type(): p for p in message.walk()}
    assert {"text/plain", "text/html", "image/png", "text/csv"} <= set(parts)
    assert parts["image/png"].get_content().startswith(b"\x89PNG\r\n\x1a\n")
    assert 'src="cid:digest-chart"' in parts["text/html"].get_content()
    attachment = parts["text/csv"]
    assert attachment.get_filename() == "digest-2026-11-22-governor.csv"
    assert attachment.get_content().startswith("section,key,label,this_week,last_week,trend")
    assert "Overdue items: 1 (last week 0, up)" in parts["text/plain"].get_content()


def test_shares_within_the_clock_and_median_time_to_first_action(app: Flask,
                                                                  prison: Prison) -> None:
    sc = person(prison, "sc")
    start = WEEK.start + timedelta(days=1)
    waits = (timedelta(hours=1), timedelta(hours=2), timedelta(hours=30))
    for wait in (*waits, None):
        c = item(prison, raised=start)
        c.ack_due_at, c.resolve_due_at = start + timedelta(hours=4), END + timedelta(days=9)
        db.session.commit()
        if wait is not None:
            clock_actions.acknowledge(sc, viewer_for(sc), c.reference, start + wait)
    clock = build(prison, "governor", "governor")["clock"]
    assert clock["acknowledged_in_time"]["now"] == 0.5
    assert (clock["acknowledged_in_time"]["met"], clock["acknowledged_in_time"]["due"]) == (2, 4)
    assert clock["median_first_action_hours"]["now"] == 2.0
    assert clock["median_first_action_hours"]["items"] == 3
    assert clock["resolved_in_time"]["now"] is None  # nothing fell due to be resolved


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(app: Flask, prison: Prison) -> None:
    sc = person(prison, "sc")
    start = WEEK.start + timedelta(days=2)
    for hours in (1, 3, 5, 11):
        c = item(prison, raised=start)
        clock_actions.acknowledge(sc, viewer_for(sc), c.reference, start + timedelta(hours=hours))
    assert build(prison, "governor", "governor")["clock"]["median_first_action_hours"]["now"] == 4.0


def test_cli_builds_then_sends_and_prints_a_summary(app: Flask, prison: Prison,
                                                    runner: FlaskCliRunner, clock: FakeClock,
                                                    outbox: LogSender) -> None:
    clock.set(MONDAY_7AM)
    item(prison, late_by=timedelta(days=2))
    built = runner.invoke(args=["digest", "--week-ending", "2026-11-22"])
    assert built.exit_code == 0, built.output
    assert "governor [governor]: 1 overdue, 1 without a reason" in built.output
    assert "Week ending 2026-11-22: 6 digests built, 0 already there, 0 queued" in built.output
    sent = runner.invoke(args=["digest", "--send"])  # default: the last full week
    assert "Week ending 2026-11-22: 0 digests built, 6 already there, 6 queued" in sent.output
    assert len(outbox.messages) == 6
    bad = runner.invoke(args=["digest", "--week-ending", "22/11/2026"])
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_supporter_summary_says_which_are_late_and_why(app: Flask, prison: Prison) -> None:
    deferred = item(prison, late_by=timedelta(days=3))
    silent = item(prison, late_by=timedelta(days=3))
    item(prison, late_by=-timedelta(days=1))  # still within its time
    sc = person(prison, "sc")
    clock_actions.defer(sc, viewer_for(sc), deferred.reference, "other_department",
                        "Waiting for healthcare", END + timedelta(days=3), END - timedelta(days=1))
    summary = weekly_summary(person(prison, "sup.a"), END)
    assert summary.open_count == 3
    why = {i.reference: i.message_id for i in summary.late}
    assert why == {deferred.reference: "delay.other_department",
                   silent.reference: "delay.no_action_unassigned"}
    assert weekly_summary(person(prison, "sup.b"), END).open_count == 0


def test_week_boundaries_follow_london_time() -> None:
    summer = week_ending_on(date(2026, 7, 5))
    assert summer.start == datetime(2026, 6, 28, 23, 0, tzinfo=UTC)
    assert week_ending_on(date(2026, 7, 3)).ending == date(2026, 7, 5)


def test_a_scheduler_that_missed_runs_is_reported_in_the_digest(app: Flask, prison: Prison) -> None:
    from tracker.services.scheduler_state import beat

    beat("sweep", "test", MONDAY_7AM - timedelta(hours=2), {})
    gap = digest.build_content(person(prison, "governor"), "governor", WEEK, MONDAY_7AM)
    assert any("Escalations are not running" in n for n in gap["notes"])
    beat("sweep", "test", MONDAY_7AM - timedelta(minutes=1), {})
    fine = digest.build_content(person(prison, "governor"), "governor", WEEK, MONDAY_7AM)
    assert fine["notes"] == []
