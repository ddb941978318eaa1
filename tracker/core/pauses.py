"""Paused time, derived from a concern's event history so no setting change can lose it.

Events (``ClockEvent``) are the history: ``paused`` (a staff deferral, with a
reason code and an expected date ``until``), ``resumed``, ``lockdown_started``
and ``lockdown_ended`` (a wing-wide pause, optionally with ``until``).

Rules applied by ``paused_intervals``:

* A deferral pauses only with a reason code from ``REASON_CODES``, and only
  the first ``MAX_PAUSES`` (2) deferrals pause; a third one is refused
  (``can_pause``) and does not stop the clock, so the item escalates anyway.
* A deferral ends at the earliest of: the next ``resumed`` event, its
  ``until``. A ``resumed`` ends every open deferral, never a lockdown.
* A lockdown applies when its ``wing`` is the concern's wing or None (the
  whole prison); it ends at the next ``lockdown_ended`` for the same wing, or
  its ``until``. Lockdowns do not count towards the two deferrals.
* Events after ``now`` have not happened and are ignored. By default intervals
  stop at ``now`` (paused time so far). With ``planned=True`` a pause with a
  future ``until`` runs to it: use that for the stored deadline, and store it
  again when a ``resumed`` arrives early. Open pauses (no ``until``) always
  stop at ``now``.
* Overlapping pauses are merged, so no time is counted twice.

``deadline_with_pauses`` pushes a deadline back by the paused time that fell
before it (walking the merged intervals in order, so a pause that begins
after the original deadline but before the extended one also counts). Pauses
after a deadline has passed do not revive it. Wall-clock terms extend by real
elapsed paused time; working-day terms by paused *working* time (time on
working days), added on working days.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from tracker.core.calendar import Duration, WorkingCalendar, require_utc

MAX_PAUSES = 2
EventKind = Literal["paused", "resumed", "lockdown_started", "lockdown_ended"]
EVENT_KINDS: tuple[str, ...] = ("paused", "resumed", "lockdown_started", "lockdown_ended")
REASON_CODES: tuple[str, ...] = (
    "awaiting_investigation",
    "other_department",
    "regime_restricted",
    "resident_moved",
    "needs_information",
    "handed_off",
    "other",
)


def can_pause(pause_count: int) -> bool:
    """A clock may be paused by deferral at most MAX_PAUSES times, then it escalates."""
    return pause_count < MAX_PAUSES


@dataclass(frozen=True)
class ClockEvent:
    """One entry of a concern's clock history."""

    kind: EventKind
    at: datetime
    until: datetime | None = None
    wing: str | None = None
    reason_code: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise ValueError(f"unknown clock event kind {self.kind!r}")
        require_utc(self.at, "at")
        if self.until is not None:
            require_utc(self.until, "until")


@dataclass(frozen=True)
class Interval:
    """A half-open span [start, end) during which the clock stood still."""

    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        """Real elapsed length."""
        return self.end - self.start


def _first_end(at: datetime, stops: Iterable[datetime], until: datetime | None,
               cap: datetime | None) -> datetime | None:
    """The earliest of the next stop event after ``at``, ``until`` and the cap."""
    options = [s for s in stops if s >= at]
    if until is not None:
        options.append(until)
    if cap is not None:
        options.append(cap)
    return min(options) if options else None


def _is_valid_deferral(event: ClockEvent) -> bool:
    """A deferral without a known reason never stops the clock."""
    return event.kind == "paused" and event.reason_code in REASON_CODES


def _applies_to(event: ClockEvent, wing: str | None) -> bool:
    """A lockdown touches the concern's wing, or the whole prison when it has no wing."""
    return event.wing is None or event.wing == wing


def pause_count(events: Iterable[ClockEvent], now: datetime) -> int:
    """How many deferrals have paused the clock so far (refused ones excluded)."""
    now = require_utc(now, "now")
    valid = [e for e in events if _is_valid_deferral(e) and e.at <= now]
    return min(len(valid), MAX_PAUSES)


def _raw_intervals(events: Sequence[ClockEvent], now: datetime, wing: str | None,
                   planned: bool) -> list[Interval]:
    """One interval per effective pause or lockdown, before merging."""
    past = sorted((e for e in events if e.at <= now), key=lambda e: e.at)
    resumes = [e.at for e in past if e.kind == "resumed"]
    spans: list[Interval] = []
    deferrals = 0
    for event in past:
        if _is_valid_deferral(event):
            if not can_pause(deferrals):
                continue
            deferrals += 1
            stops = resumes
        elif event.kind == "lockdown_started" and _applies_to(event, wing):
            stops = [e.at for e in past if e.kind == "lockdown_ended" and e.wing == event.wing]
        else:
            continue
        cap = None if planned and event.until is not None else now
        end = _first_end(event.at, stops, event.until, cap)
        if end is not None and end > event.at:
            spans.append(Interval(event.at, end))
    return spans


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort and merge overlapping or touching intervals so time is counted once."""
    merged: list[Interval] = []
    for span in sorted(intervals, key=lambda i: i.start):
        if merged and span.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Interval(last.start, max(last.end, span.end))
        else:
            merged.append(span)
    return merged


def paused_intervals(events: Sequence[ClockEvent], now: datetime, *, wing: str | None = None,
                     planned: bool = False) -> list[Interval]:
    """The merged spans during which a concern's clock stood still, up to ``now``."""
    return merge(_raw_intervals(events, require_utc(now, "now"), wing, planned))


def paused_time(events: Sequence[ClockEvent], now: datetime, *,
                wing: str | None = None) -> timedelta:
    """Total real time the clock has stood still up to ``now``."""
    return sum((i.duration for i in paused_intervals(events, now, wing=wing)), timedelta(0))


def is_paused(intervals: Iterable[Interval], now: datetime) -> bool:
    """Whether ``now`` falls inside a pause (the sweep leaves paused items alone)."""
    now = require_utc(now, "now")
    return any(i.start <= now < i.end for i in intervals)


def deadline_with_pauses(start: datetime, duration: Duration, calendar: WorkingCalendar,
                         intervals: Sequence[Interval]) -> datetime:
    """The deadline ``duration`` after ``start``, pushed back by the paused time before it."""
    start = require_utc(start, "start")
    deadline = calendar.add(start, duration)
    for span in merge(intervals):
        begin = max(span.start, start)
        if span.end <= begin:
            continue
        if begin >= deadline:
            break
        if duration.is_working:
            deadline = calendar.add_working_time(deadline,
                                                 calendar.working_time(begin, span.end))
        else:
            deadline += span.end - begin
    return deadline
