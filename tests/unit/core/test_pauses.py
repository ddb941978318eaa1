"""Paused time derived from the event history, and deadlines pushed back by it."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker.core.calendar import Duration, WorkingCalendar
from tracker.core.pauses import (
    MAX_PAUSES,
    ClockEvent,
    Interval,
    can_pause,
    deadline_with_pauses,
    is_paused,
    pause_count,
    paused_intervals,
    paused_time,
)

LONDON = ZoneInfo("Europe/London")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A UTC moment in June 2026 (Mon 8 .. Sun 14, Mon 15 ...)."""
    return datetime(2026, 6, day, hour, minute, tzinfo=UTC)


def defer(when: datetime, until: datetime | None = None, code: str | None = "other_department"
          ) -> ClockEvent:
    return ClockEvent("paused", when, until=until, reason_code=code)


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar()


def test_single_pause_until_resume(cal: WorkingCalendar) -> None:
    events = [defer(at(8, 10)), ClockEvent("resumed", at(8, 13))]
    assert paused_intervals(events, at(9, 0)) == [Interval(at(8, 10), at(8, 13))]
    assert paused_time(events, at(9, 0)) == timedelta(hours=3)


def test_open_pause_counts_up_to_now() -> None:
    assert paused_time([defer(at(8, 10))], at(8, 12)) == timedelta(hours=2)


def test_resume_before_until_ends_the_pause() -> None:
    events = [defer(at(8, 10), until=at(10, 10)), ClockEvent("resumed", at(8, 11))]
    assert paused_time(events, at(12, 0)) == timedelta(hours=1)


def test_pause_ends_by_itself_at_until() -> None:
    events = [defer(at(8, 10), until=at(8, 16))]
    assert paused_intervals(events, at(9, 0)) == [Interval(at(8, 10), at(8, 16))]


def test_planned_pause_runs_to_until_for_the_stored_deadline() -> None:
    events = [defer(at(8, 10), until=at(8, 16))]
    assert paused_time(events, at(8, 12)) == timedelta(hours=2)
    assert paused_intervals(events, at(8, 12), planned=True) == [Interval(at(8, 10), at(8, 16))]


def test_future_events_are_ignored() -> None:
    assert paused_intervals([defer(at(9, 10))], at(8, 12)) == []


def test_pause_without_reason_does_not_stop_the_clock() -> None:
    assert paused_intervals([defer(at(8, 10), code=None)], at(8, 12)) == []
    assert paused_intervals([defer(at(8, 10), code="bored")], at(8, 12)) == []


def test_overlapping_pauses_are_not_double_counted() -> None:
    events = [
        defer(at(8, 10), until=at(8, 14)),
        defer(at(8, 12), until=at(8, 16)),
        ClockEvent("lockdown_started", at(8, 15), wing="B"),
        ClockEvent("lockdown_ended", at(8, 18), wing="B"),
    ]
    assert paused_intervals(events, at(9, 0), wing="B") == [Interval(at(8, 10), at(8, 18))]
    assert paused_time(events, at(9, 0), wing="B") == timedelta(hours=8)


def test_lockdown_pauses_only_its_wing() -> None:
    events = [ClockEvent("lockdown_started", at(8, 10), wing="B"),
              ClockEvent("lockdown_ended", at(8, 14), wing="B")]
    assert paused_time(events, at(9, 0), wing="B") == timedelta(hours=4)
    assert paused_time(events, at(9, 0), wing="C") == timedelta(0)


def test_prison_wide_lockdown_pauses_every_wing() -> None:
    events = [ClockEvent("lockdown_started", at(8, 10), until=at(8, 12))]
    assert paused_time(events, at(9, 0), wing="C") == timedelta(hours=2)


def test_resume_does_not_end_a_lockdown() -> None:
    events = [ClockEvent("lockdown_started", at(8, 10), wing="B"),
              ClockEvent("resumed", at(8, 11)),
              ClockEvent("lockdown_ended", at(8, 14), wing="B")]
    assert paused_time(events, at(9, 0), wing="B") == timedelta(hours=4)


def test_lockdowns_do_not_use_up_deferrals() -> None:
    events = [ClockEvent("lockdown_started", at(8, 8), until=at(8, 9)),
              defer(at(8, 10), until=at(8, 11)),
              defer(at(8, 12), until=at(8, 13))]
    assert pause_count(events, at(9, 0)) == 2
    assert paused_time(events, at(9, 0)) == timedelta(hours=3)


@pytest.mark.parametrize(("count", "allowed"), [(0, True), (1, True), (2, False), (3, False)])
def test_can_pause_at_most_twice(count: int, allowed: bool) -> None:
    assert MAX_PAUSES == 2
    assert can_pause(count) is allowed


def test_third_deferral_does_not_pause() -> None:
    events = [defer(at(8, 10), until=at(8, 11)),
              defer(at(8, 12), until=at(8, 13)),
              defer(at(8, 14), until=at(8, 20))]
    assert pause_count(events, at(9, 0)) == 2
    assert paused_time(events, at(9, 0)) == timedelta(hours=2)


def test_is_paused() -> None:
    spans = paused_intervals([defer(at(8, 10), until=at(8, 16))], at(8, 12), planned=True)
    assert is_paused(spans, at(8, 12))
    assert not is_paused(spans, at(8, 16))


def test_bad_event_kind_and_naive_time_are_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        ClockEvent("snoozed", at(8, 10))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timezone-aware"):
        ClockEvent("paused", datetime(2026, 6, 8, 10))


class TestDeadlineWithPauses:
    def test_wall_clock_extends_by_paused_time(self, cal: WorkingCalendar) -> None:
        spans = [Interval(at(8, 10), at(8, 11))]
        assert deadline_with_pauses(at(8, 9), Duration.parse("4h"), cal, spans) == at(8, 14)

    def test_pause_after_deadline_is_ignored(self, cal: WorkingCalendar) -> None:
        spans = [Interval(at(8, 14), at(8, 20))]
        assert deadline_with_pauses(at(8, 9), Duration.parse("4h"), cal, spans) == at(8, 13)

    def test_pause_reached_only_through_an_earlier_extension_counts(
        self, cal: WorkingCalendar
    ) -> None:
        spans = [Interval(at(8, 10), at(8, 12)), Interval(at(8, 14), at(8, 15))]
        # 9:00 + 4h = 13:00; +2h -> 15:00 so the 14:00 pause counts too -> 16:00
        assert deadline_with_pauses(at(8, 9), Duration.parse("4h"), cal, spans) == at(8, 16)

    def test_pause_before_start_is_clipped(self, cal: WorkingCalendar) -> None:
        spans = [Interval(at(8, 6), at(8, 10))]
        assert deadline_with_pauses(at(8, 9), Duration.parse("4h"), cal, spans) == at(8, 14)

    def test_working_clock_ignores_weekend_pause(self, cal: WorkingCalendar) -> None:
        friday = datetime(2026, 6, 12, 15, tzinfo=LONDON)
        spans = [Interval(datetime(2026, 6, 13, 10, tzinfo=LONDON),
                          datetime(2026, 6, 14, 10, tzinfo=LONDON))]
        due = deadline_with_pauses(friday, Duration.parse("1wd"), cal, spans)
        assert due == datetime(2026, 6, 15, 15, tzinfo=LONDON)

    def test_working_clock_extends_by_working_time(self, cal: WorkingCalendar) -> None:
        friday = datetime(2026, 6, 12, 15, tzinfo=LONDON)
        # paused from Friday 15:00 until Monday 15:00: 24h of working time
        spans = [Interval(friday, datetime(2026, 6, 15, 15, tzinfo=LONDON))]
        due = deadline_with_pauses(friday, Duration.parse("1wd"), cal, spans)
        assert due == datetime(2026, 6, 16, 15, tzinfo=LONDON)

    def test_working_extension_skips_a_bank_holiday(self, cal: WorkingCalendar) -> None:
        # Thu 21 May 2026 10:00 + 1wd = Fri 22 10:00; a 20h pause on Friday
        # pushes past Friday midnight, over the weekend and Spring Bank Holiday.
        start = datetime(2026, 5, 21, 10, tzinfo=LONDON)
        spans = [Interval(datetime(2026, 5, 21, 11, tzinfo=LONDON),
                          datetime(2026, 5, 22, 7, tzinfo=LONDON))]
        due = deadline_with_pauses(start, Duration.parse("1wd"), cal, spans)
        assert due == datetime(2026, 5, 26, 6, tzinfo=LONDON)

    def test_lockdown_events_end_to_end(self, cal: WorkingCalendar) -> None:
        events = [ClockEvent("lockdown_started", at(8, 10), wing="A"),
                  ClockEvent("lockdown_ended", at(8, 12), wing="A"),
                  defer(at(8, 11), until=at(8, 13))]
        spans = paused_intervals(events, at(8, 20), wing="A")
        assert deadline_with_pauses(at(8, 9), Duration.parse("4h"), cal, spans) == at(8, 16)
