"""Clock terms (time to acknowledge, time to resolve) per urgency and category.

``ClockTerms.terms_for(categories, urgency)`` picks the term for a concern:
each category's term for that urgency (or the urgency's ``default`` when the
category has none, or the concern has no category), then the strictest one.
Acknowledge and resolve are chosen separately, so a concern that is both
``equality`` (3wd / 28d) and ``staff_complaint`` (1wd / 10wd) gets 1wd / 10wd.

"Strictest" means the earliest deadline. Given ``start`` and ``calendar`` the
deadlines are compared exactly (a bank holiday can reorder 5wd and 7d);
without them by ``Duration.nominal()``, which counts a working day as 1.4 days.

``deadlines(term, start, calendar, intervals)`` turns a term into the two
stored moments, extended by paused time. The resolve deadline is never before
the acknowledge deadline (an immediate concern raised at 23:55 would otherwise
be due to be resolved before it is due to be acknowledged).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tracker.core.calendar import Duration, WorkingCalendar, require_utc
from tracker.core.pauses import Interval, deadline_with_pauses

URGENCIES: tuple[str, ...] = ("immediate", "urgent", "routine")
CATEGORIES: tuple[str, ...] = ("bullying", "emotional_distress", "equality", "staff_complaint")
DEFAULT_KEY = "default"


@dataclass(frozen=True)
class ClockTerm:
    """How long staff have to acknowledge and to resolve, and which rule set each."""

    ack: Duration
    resolve: Duration
    ack_from: str = DEFAULT_KEY
    resolve_from: str = DEFAULT_KEY


@dataclass(frozen=True)
class ClockTerms:
    """The whole table: urgency -> category (or "default") -> ClockTerm."""

    table: Mapping[str, Mapping[str, ClockTerm]]

    def term(self, category: str | None, urgency: str) -> ClockTerm:
        """The term for one category (None = no category) at one urgency."""
        if urgency not in self.table:
            raise ValueError(f"unknown urgency {urgency!r}; expected one of {URGENCIES}")
        if category is not None and category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r}; expected one of {CATEGORIES}")
        row = self.table[urgency]
        key = category if category is not None and category in row else DEFAULT_KEY
        found = row[key]
        return ClockTerm(found.ack, found.resolve, key, key)

    def terms_for(
        self,
        categories: Iterable[str],
        urgency: str,
        *,
        start: datetime | None = None,
        calendar: WorkingCalendar | None = None,
    ) -> ClockTerm:
        """The strictest term across a concern's categories (ack and resolve separately)."""
        wanted: Sequence[str | None] = sorted(set(categories)) or [None]
        candidates = [self.term(category, urgency) for category in wanted]
        if len(candidates) == 1:  # nothing to rank: skip the calendar arithmetic
            return candidates[0]

        def rank(duration: Duration) -> timedelta | datetime:
            if start is not None and calendar is not None:
                return calendar.add(start, duration)
            return duration.nominal()

        best_ack = min(candidates, key=lambda t: rank(t.ack))
        best_resolve = min(candidates, key=lambda t: rank(t.resolve))
        return ClockTerm(best_ack.ack, best_resolve.resolve, best_ack.ack_from,
                         best_resolve.resolve_from)


@dataclass(frozen=True)
class Deadlines:
    """The two stored moments of a concern's clock, in UTC."""

    ack_due: datetime
    resolve_due: datetime


def deadlines(
    term: ClockTerm,
    start: datetime,
    calendar: WorkingCalendar,
    intervals: Sequence[Interval] = (),
) -> Deadlines:
    """When a concern raised at ``start`` must be acknowledged and resolved."""
    start = require_utc(start, "start")
    ack_due = deadline_with_pauses(start, term.ack, calendar, intervals)
    resolve_due = deadline_with_pauses(start, term.resolve, calendar, intervals)
    return Deadlines(ack_due, max(ack_due, resolve_due))
