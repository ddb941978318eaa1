"""The weekly digest, pure: weeks, age buckets, trends, and the digest's shapes in text and CSV.

The services run aggregating queries and hand this module small rows (a "cube" of counts
by scheme, wing, level, age bucket and reason); this module turns them into the digest's
content (a JSON-ready dict) and renders that content as plain text and CSV. Nothing here
touches Flask or the database, and no function here ever sees a concern's words: the
content holds references, schemes, wings, levels, counts and reason codes only.

Definitions (the same for this week, last week and the dashboard's twelve weeks):

* An item is *late* at a moment T when it was open at T and the clock it is on had run
  out: the acknowledgement deadline while nobody had acknowledged it, then the resolution
  deadline. Its age is how long ago that deadline passed.
* The *reason* for a late item is the reason code of its latest deferral (or "wing
  lockdown") recorded by T; a late item with none has "no reason given".
* *Within the clock*: of the items whose acknowledgement (resolution) deadline fell in the
  week, the share acknowledged (resolved) by it.
* *First action*: the first acknowledgement, deferral or assignment after an item was
  raised; the median is over items whose first action fell in the week.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
CONTENT_VERSION = 1
# Upper limits (in whole days late) of the age buckets; anything later is "over 28 days".
BUCKET_LIMITS: tuple[int, ...] = (2, 7, 28)
BUCKETS: tuple[str, ...] = ("1-2", "3-7", "8-28", "29+")
BUCKET_LABELS = {"1-2": "1–2 days", "3-7": "3–7 days", "8-28": "8–28 days",
                 "29+": "over 28 days"}
NO_REASON = "none"
REASON_LABELS = {
    "awaiting_investigation": "Awaiting investigation",
    "other_department": "Waiting for another department",
    "regime_restricted": "Staff shortage / regime restricted",
    "resident_moved": "Resident moved",
    "needs_information": "Needs more information from the supporter",
    "handed_off": "Handed to ACCT/CSIP/DIRF/complaint process",
    "other": "Other",
    "lockdown": "Wing lockdown",
    NO_REASON: "No reason given",
}
SCHEME_LABELS = {
    "listeners": "Listeners", "insiders": "Insiders", "buddies": "Buddies",
    "equality_reps": "Equality Representatives", "shannon_trust": "Shannon Trust",
    "pal": "Prison Advice Line", "triage": "Wing triage",
}
TOP_OLDEST = 10


def scheme_label(key: str) -> str:
    """A scheme's name as staff know it."""
    return SCHEME_LABELS.get(key, key.replace("_", " ").title())


def scope_label(scope: str) -> str:
    """'governor' -> 'Whole establishment'; 'scheme:insiders' -> 'Insiders scheme'; ..."""
    kind, _, key = scope.partition(":")
    if kind == "scheme":
        return f"{scheme_label(key)} scheme"
    if kind == "team":
        return f"{key.replace('_', ' ').title()} team"
    return "Whole establishment"


# --- weeks -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Week:
    """A Monday-to-Sunday week in Europe/London, as the UTC half-open span [start, end)."""

    ending: date  # the Sunday
    start: datetime
    end: datetime

    def previous(self) -> Week:
        """The week before."""
        return week_ending_on(self.ending - timedelta(days=7))


def week_ending_on(sunday: date) -> Week:
    """The Monday-to-Sunday week that holds this day (normally its last day, the Sunday)."""
    sunday = sunday + timedelta(days=6 - sunday.weekday())
    monday = sunday - timedelta(days=6)
    start = datetime.combine(monday, time(0), LONDON).astimezone(UTC)
    end = datetime.combine(sunday + timedelta(days=1), time(0), LONDON).astimezone(UTC)
    return Week(sunday, start, end)


def last_full_week(now: datetime) -> Week:
    """The latest week that has ended by ``now`` (on Monday 07:00, the day before's Sunday)."""
    today = now.astimezone(LONDON).date()
    return week_ending_on(today - timedelta(days=today.weekday() + 1))


def weeks_back(last: Week, count: int) -> list[Week]:
    """``count`` consecutive weeks ending with ``last``, oldest first."""
    return [week_ending_on(last.ending - timedelta(days=7 * i)) for i in reversed(range(count))]


def bucket_for(seconds_late: float) -> str:
    """The age bucket of an item late by this many seconds."""
    for limit, name in zip(BUCKET_LIMITS, BUCKETS, strict=False):
        if seconds_late <= limit * 86400:
            return name
    return BUCKETS[-1]


# --- trends ------------------------------------------------------------------------------

def trend(now: float | None, before: float | None) -> str | None:
    """'up', 'down' or 'same' against last week; None when either figure is missing."""
    if now is None or before is None:
        return None
    if abs(now - before) < 1e-9:
        return "same"
    return "up" if now > before else "down"


def figure(now: float | None, before: float | None, higher_is_better: bool = False) -> dict[str, Any]:
    """One figure with last week's value and the direction, as stored in the content."""
    direction = trend(now, before)
    good = None if direction in (None, "same") else (direction == "up") == higher_is_better
    return {"now": now, "last_week": before, "trend": direction, "better": good}


def median(sorted_values: Sequence[float]) -> float | None:
    """The median of already-sorted values (what the SQLite fallback hands over)."""
    n = len(sorted_values)
    if n == 0:
        return None
    mid = n // 2
    return float(sorted_values[mid]) if n % 2 else (sorted_values[mid - 1] + sorted_values[mid]) / 2


def share(met: int, due: int) -> float | None:
    """met / due, or None when nothing fell due."""
    return round(met / due, 4) if due else None


# --- assembling --------------------------------------------------------------------------

@dataclass(frozen=True)
class CubeRow:
    """How many items were late at T with these attributes."""

    scheme: str
    wing: str
    level: int | None
    bucket: str
    reason: str
    count: int


@dataclass(frozen=True)
class ClockFigures:
    """The week's clock performance, as counted by the database."""

    ack_due: int = 0
    ack_met: int = 0
    resolve_due: int = 0
    resolve_met: int = 0
    median_first_action_seconds: float | None = None
    first_actions: int = 0


@dataclass(frozen=True)
class OldItem:
    """One of the oldest open items: identifiers and age, never words."""

    reference: str
    scheme: str
    wing: str
    level: int
    age_days: int


@dataclass(frozen=True)
class SchemePosts:
    """A scheme and whether its lead and deputy posts are held by active staff."""

    key: str
    name: str
    lead_active: bool
    deputy_active: bool


@dataclass
class WeekFigures:
    """Everything the queries found for one scope and one week."""

    cube: list[CubeRow] = field(default_factory=list)
    clock: ClockFigures = field(default_factory=ClockFigures)


def _sum_by(cube: Iterable[CubeRow], key: str) -> dict[Any, int]:
    out: dict[Any, int] = {}
    for row in cube:
        value = getattr(row, key)
        out[value] = out.get(value, 0) + row.count
    return out


def _compare(now: Mapping[Any, int], before: Mapping[Any, int], order: Iterable[Any],
             label: Any = str, with_before: bool = True) -> list[dict[str, Any]]:
    keys = [k for k in order if k in now or k in before]
    keys += sorted((k for k in {*now, *before} if k not in keys), key=str)
    return [{"key": k, "label": label(k),
             **figure(now.get(k, 0), before.get(k, 0) if with_before else None)} for k in keys]


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)


def assemble(*, establishment: str, scope: str, recipient: str, week: Week, this: WeekFigures,
             last: WeekFigures, oldest: Sequence[OldItem], posts: Sequence[SchemePosts],
             notes: Sequence[str] = ()) -> dict[str, Any]:
    """The digest's content (JSON-ready): every figure with last week's and the direction."""
    levels_now = _sum_by(this.cube, "level")
    by_scheme = _compare(_sum_by(this.cube, "scheme"), _sum_by(last.cube, "scheme"),
                         SCHEME_LABELS, scheme_label)
    for row in by_scheme:
        row["buckets"] = {b: sum(r.count for r in this.cube if r.scheme == row["key"]
                                 and r.bucket == b) for b in BUCKETS}
    reasons_now, reasons_before = _sum_by(this.cube, "reason"), _sum_by(last.cube, "reason")
    given = [k for k in REASON_LABELS if k != NO_REASON]
    c, p = this.clock, last.clock
    return {
        "version": CONTENT_VERSION, "establishment": establishment, "scope": scope,
        "scope_label": scope_label(scope), "recipient": recipient,
        "week_ending": week.ending.isoformat(), "week_start": week.start.isoformat(),
        "week_end": week.end.isoformat(),
        "overdue": {
            "total": figure(sum(r.count for r in this.cube), sum(r.count for r in last.cube)),
            "by_scheme": by_scheme,
            "by_wing": _compare(_sum_by(this.cube, "wing"), _sum_by(last.cube, "wing"), ()),
            # Levels are as they stand now; last week's level is not kept, so no trend.
            "by_level": _compare(levels_now, {}, sorted(levels_now, key=lambda x: x or 0),
                                 lambda n: f"Level {n}", with_before=False),
            "by_bucket": _compare(_sum_by(this.cube, "bucket"), _sum_by(last.cube, "bucket"),
                                  BUCKETS, BUCKET_LABELS.get),
        },
        "reasons": _compare({k: v for k, v in reasons_now.items() if k != NO_REASON},
                            {k: v for k, v in reasons_before.items() if k != NO_REASON},
                            given, lambda k: REASON_LABELS.get(k, k)),
        "no_reason": figure(reasons_now.get(NO_REASON, 0), reasons_before.get(NO_REASON, 0)),
        "schemes_without_posts": [
            {"key": s.key, "name": s.name, "lead": s.lead_active, "deputy": s.deputy_active}
            for s in posts if not (s.lead_active and s.deputy_active)],
        "clock": {
            "acknowledged_in_time": {**figure(share(c.ack_met, c.ack_due),
                                              share(p.ack_met, p.ack_due), True),
                                     "met": c.ack_met, "due": c.ack_due},
            "resolved_in_time": {**figure(share(c.resolve_met, c.resolve_due),
                                          share(p.resolve_met, p.resolve_due), True),
                                 "met": c.resolve_met, "due": c.resolve_due},
            "median_first_action_hours": {
                **figure(_hours(c.median_first_action_seconds),
                         _hours(p.median_first_action_seconds)),
                "items": c.first_actions},
        },
        "oldest": [{"reference": o.reference, "scheme": o.scheme, "wing": o.wing,
                    "level": o.level, "age_days": o.age_days} for o in oldest[:TOP_OLDEST]],
        "notes": list(notes),
    }


# Time to first action, for the dashboard's distribution: (upper limit in seconds, label).
FIRST_ACTION_BANDS: tuple[tuple[float | None, str], ...] = (
    (3600, "under 1 h"), (4 * 3600, "1–4 h"), (24 * 3600, "4–24 h"),
    (3 * 86400, "1–3 days"), (7 * 86400, "3–7 days"), (None, "over 7 days"))
