"""The sweep: open items whose stored deadline has passed move one level up, told to all concerned.

Safe to run twice and from two processes at once: each row is changed by a
conditional UPDATE that re-checks the deadline and level it was read with
(PostgreSQL also skips rows another sweep has locked), events and notices are
written in the same transaction, and every notice has a unique key per item,
level, deadline and recipient. Batches are bounded and committed one by one,
so a sweep that dies keeps what it finished and the next one does the rest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from tracker import signals
from tracker.core.escalation import Step, next_step
from tracker.core.sla import HistoryEvent, next_deadline
from tracker.extensions import db
from tracker.models import OPEN_STATUSES, Concern, ConcernEvent
from tracker.services import notices
from tracker.services.clock_state import (
    CLOCK_KINDS,
    Staffing,
    event,
    facts_for,
    ladder_for,
    setup_for,
    to_history,
)
from tracker.services.deadlines import clock_rules

BATCH_SIZE = 500


@dataclass
class SweepReport:
    """What one sweep did, for the CLI, the scheduler heartbeat and the tests."""

    now: datetime
    escalated: int = 0
    skipped_levels: int = 0
    rechecked: int = 0
    lost_races: int = 0
    batches: int = 0
    notices: int = 0
    lines: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """Figures only (the heartbeat row stores these)."""
        return {"escalated": self.escalated, "skipped_levels": self.skipped_levels,
                "rechecked": self.rechecked, "lost_races": self.lost_races,
                "batches": self.batches, "notices": self.notices}


def _due_rows(now: datetime, limit: int) -> list[tuple[int, datetime, int]]:
    """Open items whose deadline has passed: an index range scan on (status, next_deadline)."""
    query = (select(Concern.id, Concern.next_deadline, Concern.escalation_level)
             .where(Concern.status.in_(OPEN_STATUSES), Concern.next_deadline <= now)
             .order_by(Concern.next_deadline, Concern.id).limit(limit))
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=Concern)
    return [(i, d, lvl) for i, d, lvl in db.session.execute(query)]


def _histories(ids: list[int]) -> dict[int, list[HistoryEvent]]:
    """Every due item's clock history in one query."""
    found: dict[int, list[HistoryEvent]] = defaultdict(list)
    rows = db.session.scalars(select(ConcernEvent).where(
        ConcernEvent.concern_id.in_(ids), ConcernEvent.kind.in_(CLOCK_KINDS))
        .order_by(ConcernEvent.at, ConcernEvent.id))
    for row in rows:
        found[row.concern_id].append(to_history(row))
    return found


def escalate_due(now: datetime, *, batch_size: int = BATCH_SIZE,
                 after_batch: Callable[[int], None] | None = None) -> SweepReport:
    """Escalate every open item due by ``now``, one committed batch at a time."""
    report = SweepReport(now)
    staffing: dict[int, Staffing] = {}
    seen: set[int] = set()
    while True:
        rows = [r for r in _due_rows(now, batch_size) if r[0] not in seen]
        if not rows:
            db.session.rollback()
            break
        seen.update(r[0] for r in rows)
        _sweep_batch(rows, now, staffing, report)
        db.session.commit()
        report.batches += 1
        if report.notices:
            signals.notifications_written.send(None, count=report.notices)
        if after_batch is not None:
            after_batch(report.batches)
    return report


def _sweep_batch(rows: list[tuple[int, datetime, int]], now: datetime,
                 staffing: dict[int, Staffing], report: SweepReport) -> None:
    ids = [r[0] for r in rows]
    concerns = {c.id: c for c in db.session.scalars(
        select(Concern).where(Concern.id.in_(ids))
        .options(selectinload(Concern.wing), selectinload(Concern.raised_by)))}
    histories = _histories(ids)
    for concern_id, deadline, level in rows:
        concern = concerns[concern_id]
        if concern.next_deadline != deadline or concern.escalation_level != level:
            report.lost_races += 1
            continue
        people = staffing.setdefault(concern.establishment_id, Staffing(concern.establishment_id))
        _sweep_one(concern, histories.get(concern_id, []), now, people, report)


def _sweep_one(concern: Concern, history: list[HistoryEvent], now: datetime,
               staffing: Staffing, report: SweepReport) -> None:
    """Re-derive the deadline from history; escalate only when it really has passed."""
    actual = next_deadline(facts_for(concern), history, concern.escalation_level,
                           setup_for(concern), now)
    if actual is None or actual > now:  # paused, or rules changed: not due after all
        if _claim(concern, next_deadline=actual, updated_at=now):
            report.rechecked += 1
        else:
            report.lost_races += 1
        return
    step = step_for(concern, staffing, now)
    old = concern.next_deadline
    if not _claim(concern, escalation_level=step.level, next_deadline=step.deadline,
                  updated_at=now):
        report.lost_races += 1
        return
    report.notices += record_step(concern, step, staffing, now, old, history)
    report.escalated += 1
    report.skipped_levels += len(step.skipped)
    report.lines.append(f"{concern.reference}: level {step.from_level} -> {step.level} "
                        f"({step.title})" + "".join(f"; skipped: {s.reason}" for s in step.skipped))


def step_for(concern: Concern, staffing: Staffing, now: datetime) -> Step:
    """The next rung for this item, skipping empty posts."""
    return next_step(ladder_for(concern), concern.escalation_level, now,
                     lambda role: staffing.staffed(concern.scheme, role),
                     urgency=concern.urgency, calendar=clock_rules().calendar)


def _claim(concern: Concern, **values: object) -> bool:
    """The conditional UPDATE: only if the row still has the deadline and level we read."""
    guard = (Concern.next_deadline.is_(None) if concern.next_deadline is None
             else Concern.next_deadline == concern.next_deadline)
    result = db.session.execute(
        update(Concern).where(Concern.id == concern.id, guard,
                              Concern.escalation_level == concern.escalation_level)
        .values(**values).execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    for key, value in values.items():
        set_committed_value(concern, key, value)
    return True


def record_step(concern: Concern, step: Step, staffing: Staffing, now: datetime,
                old_deadline: datetime | None, history: list[HistoryEvent],
                reason: tuple[str | None, str | None, datetime | None] | None = None) -> int:
    """Events, staff emails and the supporter's notice for one escalation; returns notices."""
    key = f"L{step.level}:{old_deadline.isoformat() if old_deadline else now.isoformat()}"
    for skip in step.skipped:
        event(concern, "level_skipped", now, level=skip.level, reason=skip.reason,
              data={"title": skip.title})
    event(concern, "escalated", now, level=step.level,
          data={"from_level": step.from_level, "title": step.title, "renotify": step.renotify,
                "deadline": step.deadline.isoformat()})
    if not step.staffed:
        event(concern, "escalation_unstaffed", now, level=step.level, reason=step.vacancy)
    message = "staff_reminder" if step.renotify else "staff_escalated"
    count = notices.tell_staff(concern, staffing.people(concern.scheme, step.roles), message,
                               key, now, title=step.title)
    code, text, until = reason or _last_reason(history, concern, now)
    told = notices.tell_supporter(concern, "escalated", f"escalated:{key}", now,
                                  reason_code=code, reason=text, until=until, role=step.title,
                                  passed_at=now)
    return count + (1 if told is not None else 0)


def _last_reason(history: list[HistoryEvent], concern: Concern,
                 now: datetime) -> tuple[str | None, str | None, datetime | None]:
    """The latest reason staff gave; "other" (no words) once someone has acknowledged it."""
    deferrals = [e for e in history if e.kind == "paused" and e.reason_code]
    if deferrals:
        last = deferrals[-1]
        return last.reason_code, last.reason, last.until if last.until and last.until > now else None
    if concern.acknowledged_at is not None:
        return "other", None, None
    return None, None, None


def place_new(concern: Concern, now: datetime) -> None:
    """A new item whose level-0 post is empty is due at once; the empty post is recorded.

    The next sweep (within a minute) moves it up, skipping further empty levels. The item
    is not moved here so the submitter's answer still shows where the rules sent it.
    """
    staffing = Staffing(concern.establishment_id)
    ladder = ladder_for(concern)
    vacancy = ladder.vacancy(ladder.levels[0], lambda role: staffing.staffed(concern.scheme, role))
    if vacancy is None:
        return
    event(concern, "post_empty", now, level=0, reason=vacancy,
          data={"title": ladder.levels[0].title})
    concern.next_deadline = now
