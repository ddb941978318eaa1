"""Where a concern's clock stands, derived from its history alone, and the what-if replay.

Pure: facts and events in, moments out. The shell stores the result in
``Concern.next_deadline``; because paused time and escalations come from the
events, recomputing under changed clock terms or ladders never loses them.

Which clock runs (choices the issue left open):

* Not escalated yet: the acknowledge term until the item is acknowledged, then
  the resolve term, both counted from when it was raised.
* Escalated: the current level's own deadline, counted from the last
  escalation; when the item is acknowledged after that escalation the resolve
  term takes over again (so a late resolve deadline escalates it further).
* A level whose post was found empty (a ``post_empty`` event at the current
  level, after the item reached it) is due at once, so the sweep moves it up.
* A pause with no end yet (a lockdown without an expected end) stops the
  clock: ``None`` is returned and the item is not swept until it ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tracker.core.calendar import Duration, WorkingCalendar, require_utc
from tracker.core.clocks import ClockTerms
from tracker.core.escalation import Ladder
from tracker.core.pauses import EVENT_KINDS, ClockEvent, deadline_with_pauses, paused_intervals

ACT_KINDS = ("acknowledged",)
END_KINDS = ("resolved", "closed", "handed_off")
RESTART_KINDS = ("reopened",)  # a reopened item's resolve clock starts again from the reopening


@dataclass(frozen=True)
class HistoryEvent:
    """One stored event as the clock sees it."""

    kind: str
    at: datetime
    level: int | None = None
    reason_code: str | None = None
    until: datetime | None = None
    wing: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ClockFacts:
    """What a concern's clock depends on besides its history."""

    created_at: datetime
    categories: tuple[str, ...]
    urgency: str
    wing: str | None = None


@dataclass(frozen=True)
class ClockSetup:
    """The rules in force: terms, calendar and the concern's ladder."""

    terms: ClockTerms
    calendar: WorkingCalendar
    ladder: Ladder


def clock_events(history: Sequence[HistoryEvent]) -> list[ClockEvent]:
    """The pause-related events, in the core's ``ClockEvent`` form."""
    return [ClockEvent(e.kind, e.at, e.until, e.wing, e.reason_code)  # type: ignore[arg-type]
            for e in history if e.kind in EVENT_KINDS]


def open_ended_pause(history: Sequence[HistoryEvent], now: datetime, wing: str | None) -> bool:
    """Whether a lockdown with no expected end is running for this wing at ``now``."""
    now = require_utc(now, "now")
    for e in history:
        if e.kind != "lockdown_started" or e.at > now or e.until is not None:
            continue
        if e.wing is not None and e.wing != wing:
            continue
        ended = any(x.kind == "lockdown_ended" and x.wing == e.wing and e.at <= x.at <= now
                    for x in history)
        if not ended:
            return True
    return False


def _last(history: Sequence[HistoryEvent], kinds: Sequence[str],
          now: datetime) -> HistoryEvent | None:
    found = [e for e in history if e.kind in kinds and e.at <= now]
    return max(found, key=lambda e: e.at) if found else None


def _post_empty(history: Sequence[HistoryEvent], level: int, now: datetime) -> datetime | None:
    """When the current level's post was found empty (since the item reached that level)."""
    reached = _last(history, ("escalated",), now)
    for e in history:
        if (e.kind == "post_empty" and e.level == level and e.at <= now
                and (reached is None or e.at >= reached.at)):
            return e.at
    return None


def running_clock(facts: ClockFacts, history: Sequence[HistoryEvent], level: int,
                  setup: ClockSetup, now: datetime) -> tuple[datetime, Duration]:
    """The start and length of the clock running at ``now`` (before pauses)."""
    term = setup.terms.terms_for(facts.categories, facts.urgency, start=facts.created_at,
                                 calendar=setup.calendar)
    acked = _last(history, ACT_KINDS, now)
    escalated = _last(history, ("escalated",), now)
    restarted = _last(history, RESTART_KINDS, now)
    if restarted is not None and (escalated is None or restarted.at >= escalated.at):
        return restarted.at, term.resolve
    if level == 0 or escalated is None:
        return facts.created_at, (term.resolve if acked else term.ack)
    if acked is not None and acked.at >= escalated.at:
        return facts.created_at, term.resolve
    rung = setup.ladder.levels[min(level, setup.ladder.top.number)]
    return escalated.at, rung.deadline_for(facts.urgency)


def next_deadline(facts: ClockFacts, history: Sequence[HistoryEvent], level: int,
                  setup: ClockSetup, now: datetime) -> datetime | None:
    """The moment the running clock runs out, pushed back by every pause; None while stopped."""
    now = require_utc(now, "now")
    ended, restarted = _last(history, END_KINDS, now), _last(history, RESTART_KINDS, now)
    if ended is not None and (restarted is None or restarted.at < ended.at):
        return None
    if open_ended_pause(history, now, facts.wing):
        return None
    empty = _post_empty(history, level, now)
    if empty is not None:
        return empty
    start, duration = running_clock(facts, history, level, setup, now)
    intervals = paused_intervals(clock_events(history), now, wing=facts.wing, planned=True)
    return deadline_with_pauses(start, duration, setup.calendar, intervals)


# --- what-if replay --------------------------------------------------------------

@dataclass(frozen=True)
class ReplayOutcome:
    """What the rules would have done with one concern's history, up to ``until``."""

    escalations: tuple[tuple[datetime, int], ...] = field(default_factory=tuple)

    @property
    def final_level(self) -> int:
        """The highest level reached (0 when it never escalated)."""
        return max((lvl for _, lvl in self.escalations), default=0)


def replay(facts: ClockFacts, history: Sequence[HistoryEvent], setup: ClockSetup,
           until: datetime, max_steps: int = 50) -> ReplayOutcome:
    """Replay stored actions (acks, pauses, resolution) and re-derive every escalation.

    Every level is assumed staffed (who was in post then is not stored).
    """
    actions = [e for e in history if e.kind not in ("escalated", "level_skipped")]
    steps: list[tuple[datetime, int]] = []
    level, since = 0, require_utc(facts.created_at, "created_at")
    for _ in range(max_steps):
        known = sorted(actions + [HistoryEvent("escalated", at, lvl) for at, lvl in steps],
                       key=lambda e: e.at)
        due = _next_due(facts, known, level, setup, since, until)
        if due is None or due > until:
            break
        level = min(level + 1, setup.ladder.top.number)
        steps.append((due, level))
        since = due
    return ReplayOutcome(tuple(steps))


def _next_due(facts: ClockFacts, known: Sequence[HistoryEvent], level: int, setup: ClockSetup,
              since: datetime, until: datetime) -> datetime | None:
    """Walk the actions after ``since``: the first deadline that falls before the next action."""
    checkpoints = [since, *sorted({e.at for e in known if since < e.at <= until})]
    for i, moment in enumerate(checkpoints):
        due = next_deadline(facts, [e for e in known if e.at <= moment], level, setup, moment)
        if due is None:
            if _last(known, END_KINDS, moment) is not None:
                return None
            continue
        following = checkpoints[i + 1] if i + 1 < len(checkpoints) else None
        if following is None or due < following:
            return max(due, moment)
    return None
