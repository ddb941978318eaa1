"""Durations and the Europe/London working calendar that clocks are measured on.

Every moment goes in and comes out as an aware UTC ``datetime``; local time is
only used inside to decide which calendar day a moment belongs to.

Choices the issue left open:

* ``minutes``/``hours`` are real elapsed time (UTC arithmetic), so "4h" across
  a DST change is still four hours of waiting.
* ``days`` keep the local clock time: 10:00 + 2d is 10:00 two local days later
  (47 or 49 real hours across a DST change).
* ``working_days`` step to the n-th next working day at the same local time
  (Friday 15:00 + 1wd = Monday 15:00, or Tuesday 15:00 when Monday is a bank
  holiday). A start on a non-working day counts from 00:00 of the next working
  day, so Saturday 10:00 + 1wd = Tuesday 00:00 (the whole of Monday).
* ``same_day`` is 23:59:59 local of the day the clock started.
* A local time that does not exist (spring-forward gap) moves forward by the
  gap; a repeated local time (fall-back) takes its first, earlier occurrence.
* "Working time" (used to extend working-day clocks by paused time) is the
  elapsed time that falls on working days, whole local days 00:00-24:00.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import holidays

Unit = Literal["minutes", "hours", "days", "working_days", "same_day"]
UNITS: tuple[str, ...] = ("minutes", "hours", "days", "working_days", "same_day")
_SUFFIXES = {"m": "minutes", "h": "hours", "d": "days", "wd": "working_days"}
_DURATION_RE = re.compile(r"^\s*(\d+)\s*(wd|m|h|d)\s*$")
_MAX_SCAN_DAYS = 366  # a calendar with no working day in a year is a data error


@dataclass(frozen=True)
class Duration:
    """A clock length in one unit, kept symbolic so DST and holidays apply at use."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unknown duration unit {self.unit!r}")
        if self.amount < 0:
            raise ValueError("a duration cannot be negative")
        if self.unit == "same_day" and self.amount != 0:
            raise ValueError("same_day takes no amount")

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Read "15m", "4h", "2d", "1wd" or "same_day" as written in rule files."""
        if text.strip() == "same_day":
            return cls(0, "same_day")
        match = _DURATION_RE.match(text)
        if not match:
            raise ValueError(
                f"cannot read duration {text!r} (use e.g. 15m, 4h, 2d, 1wd or same_day)"
            )
        return cls(int(match.group(1)), _SUFFIXES[match.group(2)])  # type: ignore[arg-type]

    @property
    def is_working(self) -> bool:
        """True when the clock only runs on working days."""
        return self.unit == "working_days"

    def nominal(self) -> timedelta:
        """Rough length, an upper bound for working days, to rank terms without a start."""
        if self.unit == "minutes":
            return timedelta(minutes=self.amount)
        if self.unit == "hours":
            return timedelta(hours=self.amount)
        if self.unit == "days":
            return timedelta(days=self.amount)
        if self.unit == "working_days":
            return timedelta(days=self.amount * 7 / 5)
        return timedelta(days=1)

    def __str__(self) -> str:
        if self.unit == "same_day":
            return "same_day"
        suffix = {v: k for k, v in _SUFFIXES.items()}[self.unit]
        return f"{self.amount}{suffix}"


def require_utc(moment: datetime, name: str = "moment") -> datetime:
    """Refuse naive datetimes (the classic source of off-by-an-hour clocks); return UTC."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {moment!r}")
    return moment.astimezone(UTC)


@dataclass
class WorkingCalendar:
    """Which days are working days (weekends and bank holidays off) in one timezone."""

    timezone: str = "Europe/London"
    country: str = "UK"
    subdiv: str | None = "ENG"
    extra_holidays: frozenset[date] = frozenset()
    tz: ZoneInfo = field(init=False, repr=False)
    _holidays: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.tz = ZoneInfo(self.timezone)
        self._holidays = holidays.country_holidays(self.country, subdiv=self.subdiv)

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday and not a bank holiday."""
        return day.weekday() < 5 and day not in self._holidays and day not in self.extra_holidays

    def local_date(self, moment: datetime) -> date:
        """The local calendar day a moment falls on."""
        return require_utc(moment).astimezone(self.tz).date()

    def local_moment(self, day: date, clock: time) -> datetime:
        """A local wall-clock time on a day, as UTC (gap moves forward, fold takes first)."""
        return datetime.combine(day, clock, tzinfo=self.tz).astimezone(UTC)

    def start_of_day(self, day: date) -> datetime:
        """Local midnight starting ``day``, as UTC."""
        return self.local_moment(day, time(0))

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        for offset in range(1, _MAX_SCAN_DAYS + 1):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"no working day within a year after {day}")

    def add(self, start: datetime, duration: Duration) -> datetime:
        """The moment ``duration`` after ``start``, as an aware UTC datetime."""
        start = require_utc(start, "start")
        if duration.unit == "minutes":
            return start + timedelta(minutes=duration.amount)
        if duration.unit == "hours":
            return start + timedelta(hours=duration.amount)
        local = start.astimezone(self.tz)
        if duration.unit == "days":
            return self.local_moment(local.date() + timedelta(days=duration.amount), _clock(local))
        if duration.unit == "same_day":
            return self.local_moment(local.date(), time(23, 59, 59))
        return self._add_working_days(local, duration.amount)

    def _add_working_days(self, local: datetime, count: int) -> datetime:
        """Step to the count-th next working day, keeping the local clock time."""
        day, clock = local.date(), _clock(local)
        if not self.is_working_day(day):
            day, clock = self.next_working_day(day), time(0)
        for _ in range(count):
            day = self.next_working_day(day)
        return self.local_moment(day, clock)

    def working_time(self, start: datetime, end: datetime) -> timedelta:
        """Elapsed time between two moments that falls on working days."""
        start, end = require_utc(start, "start"), require_utc(end, "end")
        total = timedelta(0)
        day = self.local_date(start)
        while self.start_of_day(day) < end:
            if self.is_working_day(day):
                lo = max(start, self.start_of_day(day))
                hi = min(end, self.start_of_day(day + timedelta(days=1)))
                total += max(hi - lo, timedelta(0))
            day += timedelta(days=1)
        return total

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """Move forward by ``amount`` of working time (non-working days are skipped)."""
        moment = require_utc(start, "start")
        remaining = amount
        while remaining > timedelta(0):
            day = self.local_date(moment)
            if not self.is_working_day(day):
                moment = self.start_of_day(self.next_working_day(day))
                continue
            room = self.start_of_day(day + timedelta(days=1)) - moment
            if remaining <= room:
                return moment + remaining
            remaining -= room
            moment += room
        return moment


def _clock(local: datetime) -> time:
    """The local wall-clock time of a moment, without tz or fold."""
    return local.time().replace(tzinfo=None, fold=0)


def format_local_date(value: date | datetime, timezone: str = "Europe/London") -> str:
    """Show a date the way notices do, e.g. "Tuesday 3 March" (datetimes in local time)."""
    if isinstance(value, datetime):
        value = require_utc(value, "date").astimezone(ZoneInfo(timezone)).date()
    return f"{value:%A} {value.day} {value:%B}"

