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

from sqlalchemy import Table, bindparam, select, text, tuple_, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from tracker import signals
from tracker.core.escalation import Step, next_step
from tracker.core.sla import HistoryEvent, next_deadline
from tracker.extensions import db, on_postgresql
from tracker.models import OPEN_STATUSES, Concern, ConcernEvent
from tracker.services import notices
from tracker.services.clock_state import (
    CLOCK_KINDS,
    Staffing,
    bulk_rows,
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
    if on_postgresql():
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
    won = _claim_batch(rows, now)
    report.lost_races += len(rows) - len(won)
    if not won:
        return
    concerns = {c.id: c for c in db.session.scalars(
        select(Concern).where(Concern.id.in_(won))
        .options(selectinload(Concern.wing), selectinload(Concern.raised_by),
                 selectinload(Concern.about_staff)))}
    histories = _histories(sorted(won))
    changes: list[dict[str, object]] = []
    # History and outbox rows are inserted together at the end of the batch.
    with db.session.no_autoflush, bulk_rows() as queued:
        for concern_id, _deadline, _level in rows:
            if concern_id not in won:
                continue
            concern = concerns[concern_id]
            people = staffing.setdefault(concern.establishment_id,
                                         Staffing(concern.establishment_id))
            changes.append(_sweep_one(concern, histories.get(concern_id, []), now, people,
                                      report))
        _apply(changes, now)
        queued.flush()


def _claim_batch(rows: list[tuple[int, datetime, int]], now: datetime) -> set[int]:
    """One conditional UPDATE for the batch: only rows still at the deadline and level we read.

    From here to commit the rows are ours, so two sweeps never both win. On PostgreSQL they
    already are: ``FOR UPDATE SKIP LOCKED`` in this same transaction locked them and returned
    their latest committed values, so a second guard would only cost a round trip. SQLite
    reads before it takes the write lock, so there the UPDATE re-checks what was read.
    """
    if on_postgresql():
        return {i for i, _, _ in rows}
    table: Table = Concern.__table__  # type: ignore[assignment]
    guard = tuple_(table.c.id, table.c.next_deadline, table.c.escalation_level).in_(
        [(i, d, lvl) for i, d, lvl in rows])
    by_key = table.c.id.in_([i for i, _, _ in rows])  # so the primary key finds the rows
    result = db.session.execute(update(table).where(by_key, guard).values(updated_at=now)
                                .returning(table.c.id))
    return {row[0] for row in result}


_CONCERN: Table = Concern.__table__  # type: ignore[assignment]
_APPLY = (update(_CONCERN)
          .where(_CONCERN.c.id == bindparam("b_id"))
          .values(escalation_level=bindparam("b_level"), next_deadline=bindparam("b_deadline")))


_APPLY_PG = text(
    "UPDATE concern SET escalation_level = v.level, next_deadline = v.deadline, updated_at = :now "
    "FROM unnest(CAST(:ids AS integer[]), CAST(:levels AS integer[]), "
    "CAST(:deadlines AS timestamptz[])) AS v(id, level, deadline) WHERE concern.id = v.id")


def _apply(changes: list[dict[str, object]], now: datetime) -> None:
    """Store every claimed row's new level and deadline in one statement (PostgreSQL: arrays)."""
    if not changes:
        return
    if on_postgresql():
        db.session.execute(_APPLY_PG, {"now": now, "ids": [c["b_id"] for c in changes],
                                       "levels": [c["b_level"] for c in changes],
                                       "deadlines": [c["b_deadline"] for c in changes]})
    else:
        db.session.execute(_APPLY, changes)


def _sweep_one(concern: Concern, history: list[HistoryEvent], now: datetime,
               staffing: Staffing, report: SweepReport) -> dict[str, object]:
    """Re-derive the deadline from history; escalate only when it really has passed."""
    actual = next_deadline(facts_for(concern), history, concern.escalation_level,
                           staffing.setup(ladder_for(concern).scheme, lambda: setup_for(concern)), now)
    if actual is None or actual > now:  # paused, or rules changed: not due after all
        report.rechecked += 1
        return _change(concern, concern.escalation_level, actual)
    step = step_for(concern, staffing, now)
    old = concern.next_deadline
    change = _change(concern, step.level, step.deadline)
    report.notices += record_step(concern, step, staffing, now, old, history)
    report.escalated += 1
    report.skipped_levels += len(step.skipped)
    report.lines.append(f"{concern.reference}: level {step.from_level} -> {step.level} "
                        f"({step.title})" + "".join(f"; skipped: {s.reason}" for s in step.skipped))
    return change


def _change(concern: Concern, level: int, deadline: datetime | None) -> dict[str, object]:
    set_committed_value(concern, "escalation_level", level)
    set_committed_value(concern, "next_deadline", deadline)
    return {"b_id": concern.id, "b_level": level, "b_deadline": deadline}


def step_for(concern: Concern, staffing: Staffing, now: datetime) -> Step:
    """The next rung for this item, skipping empty posts."""
    return next_step(ladder_for(concern), concern.escalation_level, now,
                     lambda role: staffing.staffed(concern.scheme, role, concern.wing_id),
                     urgency=concern.urgency, calendar=clock_rules().calendar)


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
    for vacancy in [s.reason for s in step.skipped] + ([step.vacancy] if step.vacancy else []):
        if vacancy not in staffing.alerted:  # once per empty post per sweep
            staffing.alerted.add(vacancy)
            notices.tell_admins_vacancy(concern, vacancy, now)
    message = "staff_reminder" if step.renotify else "staff_escalated"
    count = notices.tell_staff(concern, staffing.people(concern.scheme, step.roles), message,
                               key, now, viewer=staffing.viewer, title=step.title)
    code, text, until = reason or _last_reason(history, concern, now)
    told = notices.tell_supporter(concern, "escalated", f"escalated:{key}", now,
                                  reason_code=code, reason=text, until=until, role=step.title,
                                  passed_at=now)
    return count + int(told)


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


def first_post_vacancy(concern: Concern, staffing: Staffing) -> tuple[str, str] | None:
    """Why the new item's level-0 post is empty, and that level's title; None when staffed.

    The submission then makes the item due at once and records the empty post; the next sweep
    (within a minute) moves it up, skipping further empty levels. The item is not moved at
    submission, so the submitter's answer still shows where the rules sent it.
    """
    ladder = ladder_for(concern)
    vacancy = ladder.vacancy(ladder.levels[0],
                             lambda role: staffing.staffed(concern.scheme, role, concern.wing_id))
    return None if vacancy is None else (vacancy, ladder.levels[0].title)
