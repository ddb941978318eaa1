"""Working calendar: durations, working days, bank holidays and DST."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker.core.calendar import Duration, WorkingCalendar, format_local_date, require_utc

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar()


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Europe/London wall-clock moment, as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON).astimezone(UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15m", Duration(15, "minutes")),
        ("4h", Duration(4, "hours")),
        ("2d", Duration(2, "days")),
        ("1wd", Duration(1, "working_days")),
        ("10wd", Duration(10, "working_days")),
        ("same_day", Duration(0, "same_day")),
    ],
)
def test_parse_duration(text: str, expected: Duration) -> None:
    assert Duration.parse(text) == expected
    assert str(expected) == text


@pytest.mark.parametrize("text", ["", "1 week", "-1d", "2.5h", "wd", "1w"])
def test_parse_duration_refuses_nonsense(text: str) -> None:
    with pytest.raises(ValueError, match="cannot read duration"):
        Duration.parse(text)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 6, 12), True),  # Friday
        (date(2026, 6, 13), False),  # Saturday
        (date(2026, 12, 25), False),  # Christmas Day
        (date(2026, 12, 28), False),  # Boxing Day (substitute)
        (date(2027, 3, 26), False),  # Good Friday
        (date(2027, 3, 29), False),  # Easter Monday
        (date(2027, 5, 3), False),  # early May bank holiday
        (date(2027, 5, 4), True),
    ],
)
def test_is_working_day(cal: WorkingCalendar, day: date, working: bool) -> None:
    assert cal.is_working_day(day) is working


def test_extra_holidays_are_days_off() -> None:
    cal = WorkingCalendar(extra_holidays=frozenset({date(2026, 6, 12)}))
    assert not cal.is_working_day(date(2026, 6, 12))


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # Friday 15:00 -> Monday 15:00
        (local(2026, 6, 12, 15), local(2026, 6, 15, 15)),
        # Christmas: Thu 24 Dec -> Fri 25, Mon 28 (Boxing Day observed) off -> Tue 29
        (local(2026, 12, 24, 15), local(2026, 12, 29, 15)),
        # Easter 2027: Thu -> Good Friday and Easter Monday off -> Tue 30 March
        (local(2027, 3, 25, 15), local(2027, 3, 30, 15)),
        # early May bank holiday Monday 3 May 2027
        (local(2027, 4, 30, 15), local(2027, 5, 4, 15)),
        # Saturday counts from the start of Monday: the whole of Monday
        (local(2026, 6, 13, 10), local(2026, 6, 16, 0)),
        # Christmas Day counts from the start of Tuesday 29
        (local(2026, 12, 25, 10), local(2026, 12, 30, 0)),
    ],
)
def test_one_working_day(cal: WorkingCalendar, start: datetime, expected: datetime) -> None:
    assert cal.add(start, Duration.parse("1wd")) == expected


def test_five_working_days_over_christmas_and_new_year(cal: WorkingCalendar) -> None:
    # Tue 22 Dec: Wed 23, Thu 24, Tue 29, Wed 30, Thu 31 (Fri 1 Jan is off)
    assert cal.add(local(2026, 12, 22, 9), Duration.parse("5wd")) == local(2026, 12, 31, 9)
    assert cal.add(local(2026, 12, 22, 9), Duration.parse("6wd")) == local(2027, 1, 4, 9)


def test_zero_working_days_on_weekend_moves_to_next_working_day(cal: WorkingCalendar) -> None:
    assert cal.add(local(2026, 6, 13, 10), Duration(0, "working_days")) == local(2026, 6, 15, 0)


def test_results_are_aware_utc(cal: WorkingCalendar) -> None:
    result = cal.add(local(2026, 6, 12, 15), Duration.parse("1wd"))
    assert result.tzinfo is UTC


def test_naive_start_is_refused(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.add(datetime(2026, 6, 12, 15), Duration.parse("4h"))


def test_require_utc_converts() -> None:
    assert require_utc(datetime(2026, 6, 12, 16, tzinfo=LONDON)) == datetime(
        2026, 6, 12, 15, tzinfo=UTC
    )


class TestSpringForward:
    """Clocks go from 01:00 GMT to 02:00 BST on Sunday 28 March 2027."""

    def test_hours_are_real_elapsed_time(self, cal: WorkingCalendar) -> None:
        start = local(2027, 3, 28, 0, 30)
        due = cal.add(start, Duration.parse("4h"))
        assert due - start == timedelta(hours=4)
        assert due.astimezone(LONDON).hour == 5  # 00:30 GMT + 4h = 05:30 BST

    def test_days_keep_local_clock_time(self, cal: WorkingCalendar) -> None:
        start = local(2027, 3, 27, 10)
        due = cal.add(start, Duration.parse("2d"))
        assert due == local(2027, 3, 29, 10)
        assert due - start == timedelta(hours=47)

    def test_day_landing_in_the_gap_moves_forward(self, cal: WorkingCalendar) -> None:
        due = cal.add(local(2027, 3, 26, 1, 30), Duration.parse("2d"))
        assert due == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 02:30 BST

    def test_working_days_keep_local_clock_time(self, cal: WorkingCalendar) -> None:
        # Wed 24 March 2027 15:00 GMT + 2wd -> Thu 25, Tue 30 (Easter) at 15:00 BST
        due = cal.add(local(2027, 3, 24, 15), Duration.parse("2wd"))
        assert due == datetime(2027, 3, 30, 14, tzinfo=UTC)


class TestFallBack:
    """Clocks go from 02:00 BST back to 01:00 GMT on Sunday 25 October 2026."""

    def test_hours_are_real_elapsed_time(self, cal: WorkingCalendar) -> None:
        start = local(2026, 10, 25, 0, 30)  # BST
        due = cal.add(start, Duration.parse("4h"))
        assert due - start == timedelta(hours=4)
        assert due.astimezone(LONDON).hour == 3  # 00:30 BST + 4h = 03:30 GMT

    def test_days_keep_local_clock_time(self, cal: WorkingCalendar) -> None:
        start = local(2026, 10, 24, 10)
        due = cal.add(start, Duration.parse("2d"))
        assert due == local(2026, 10, 26, 10)
        assert due - start == timedelta(hours=49)

    def test_working_days_keep_local_clock_time(self, cal: WorkingCalendar) -> None:
        # Friday 23 Oct 15:00 BST (14:00 UTC) -> Monday 26 Oct 15:00 GMT (15:00 UTC)
        due = cal.add(local(2026, 10, 23, 15), Duration.parse("1wd"))
        assert due == datetime(2026, 10, 26, 15, tzinfo=UTC)

    def test_same_day_on_a_25_hour_day(self, cal: WorkingCalendar) -> None:
        due = cal.add(local(2026, 10, 25, 10), Duration.parse("same_day"))
        assert due == datetime(2026, 10, 25, 23, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (local(2026, 6, 10, 9), datetime(2026, 6, 10, 22, 59, 59, tzinfo=UTC)),
        # 23:30 UTC is already 00:30 on 11 June in London: London's day counts
        (datetime(2026, 6, 10, 23, 30, tzinfo=UTC), datetime(2026, 6, 11, 22, 59, 59, tzinfo=UTC)),
        (local(2026, 1, 10, 23, 50), datetime(2026, 1, 10, 23, 59, 59, tzinfo=UTC)),
    ],
)
def test_same_day_is_end_of_london_day(
    cal: WorkingCalendar, start: datetime, expected: datetime
) -> None:
    assert cal.add(start, Duration.parse("same_day")) == expected


def test_working_time_skips_weekend(cal: WorkingCalendar) -> None:
    # Friday 15:00 to Monday 15:00: 9h of Friday + 15h of Monday
    assert cal.working_time(local(2026, 6, 12, 15), local(2026, 6, 15, 15)) == timedelta(hours=24)


def test_add_working_time_skips_weekend(cal: WorkingCalendar) -> None:
    assert cal.add_working_time(local(2026, 6, 12, 20), timedelta(hours=6)) == local(
        2026, 6, 15, 2
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (date(2026, 3, 3), "Tuesday 3 March"),
        (datetime(2026, 6, 10, 23, 30, tzinfo=UTC), "Thursday 11 June"),
    ],
)
def test_format_local_date(value: date | datetime, text: str) -> None:
    assert format_local_date(value) == text
