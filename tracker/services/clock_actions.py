"""Staff acting on an item's clock: acknowledge, defer with a reason, resume; wing lockdowns.

Each use case loads, decides through the core, writes the event (the clock is
derived from events, so nothing is lost when settings change), stores the
recomputed deadline with a guarded UPDATE, writes the supporter's notice and
commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tracker import signals
from tracker.core.access import Viewer, may_act
from tracker.core.pauses import MAX_PAUSES, REASON_CODES, can_pause, pause_count
from tracker.core.sla import HistoryEvent, clock_events
from tracker.extensions import db
from tracker.models import OPEN_STATUSES, Concern, User, Wing, WingLockdown
from tracker.services import notices
from tracker.services.clock_state import (
    Conflict,
    Staffing,
    deadline_now,
    event,
    guarded_update,
    history_for,
    ladder_for,
)
from tracker.services.concerns import concern_for
from tracker.services.errors import InvalidInput, NotFound
from tracker.services.escalation import record_step, step_for
from tracker.services.viewers import item_facts

MAX_DEFER = timedelta(days=90)
NEEDS_WORDS = ("other", "handed_off")  # "other" says nothing alone; a hand-off needs its reference


@dataclass(frozen=True)
class ActionResult:
    """What an action did, for the API and the staff pages."""

    concern: Concern
    action: str
    message: str
    paused: bool = False
    escalated: bool = False


def _actionable(viewer: Viewer, reference: str) -> Concern:
    concern = concern_for(viewer, reference)
    if not may_act(viewer, item_facts(concern)):
        raise NotFound(reference)
    if not concern.is_open:
        raise Conflict("This item is closed; its clock has stopped.")
    return concern


def _done(concern: Concern, notices_written: bool) -> None:
    db.session.commit()
    if notices_written:
        signals.notifications_written.send(None, concern_id=concern.id)


def acknowledge(actor: User, viewer: Viewer, reference: str, now: datetime) -> ActionResult:
    """Stop the acknowledge clock: from now on the resolve deadline runs."""
    concern = _actionable(viewer, reference)
    if concern.acknowledged_at is not None:
        raise Conflict("This item was already acknowledged.")
    status = "acknowledged" if concern.status == "new" else concern.status
    deadline = deadline_now(concern, now, [HistoryEvent("acknowledged", now)])
    old_status = concern.status
    guarded_update(concern, status=status, acknowledged_at=now, next_deadline=deadline,
                   updated_at=now)
    event(concern, "acknowledged", now, actor, from_status=old_status, to_status=status,
          level=concern.escalation_level)
    _done(concern, False)
    return ActionResult(concern, "acknowledge", "Acknowledged. The resolve deadline now runs.")


def check_deferral(reason_code: str, reason: str | None, until: datetime,
                   now: datetime) -> None:
    """A pause needs a known reason, words where the code says too little, and a date ahead."""
    errors: dict[str, list[str]] = {}
    if reason_code not in REASON_CODES:
        errors["reason_code"] = [f"Choose one of: {', '.join(REASON_CODES)}."]
    if reason_code in NEEDS_WORDS and not (reason or "").strip():
        errors["reason"] = ["Say why in a few words (for a hand-off, give its reference)."]
    if until <= now:
        errors["until"] = ["The expected date must be in the future."]
    elif until > now + MAX_DEFER:
        errors["until"] = [f"Defer for at most {MAX_DEFER.days} days."]
    if errors:
        raise InvalidInput(errors)


def defer(actor: User, viewer: Viewer, reference: str, reason_code: str, reason: str | None,
          until: datetime, now: datetime) -> ActionResult:
    """Pause the clock with a reason until a date; the third deferral escalates instead."""
    check_deferral(reason_code, reason, until, now)
    concern = _actionable(viewer, reference)
    history = history_for(concern.id)
    count = pause_count(clock_events(history), now)
    if not can_pause(count):
        return _refuse_and_escalate(actor, concern, history, reason_code, reason, until, now)
    paused = HistoryEvent("paused", now, reason_code=reason_code, until=until, reason=reason)
    old_status = concern.status
    guarded_update(concern, status="deferred", next_deadline=deadline_now(concern, now, [paused]),
                   updated_at=now)
    event(concern, "paused", now, actor, from_status=old_status, to_status="deferred",
          level=concern.escalation_level, reason_code=reason_code, reason=reason, until=until,
          data={"deferral": count + 1})
    role, passed_at = _current_holder(concern, history)
    notices.tell_supporter(concern, "deferred", f"deferred:{count + 1}", now,
                           reason_code=reason_code, reason=reason, until=until, role=role,
                           passed_at=passed_at)
    _done(concern, True)
    left = MAX_PAUSES - count - 1
    return ActionResult(concern, "defer", f"Deferred. The clock is paused. {left} more "
                        f"deferral{'s' if left != 1 else ''} allowed before it escalates.",
                        paused=True)


def _current_holder(concern: Concern, history: list[HistoryEvent]) -> tuple[str | None,
                                                                             datetime | None]:
    """Who holds the item now and since when, for "It was passed to ..." (None at level 0)."""
    escalations = [e for e in history if e.kind == "escalated"]
    if concern.escalation_level == 0 or not escalations:
        return None, None
    return ladder_for(concern).levels[concern.escalation_level].title, escalations[-1].at


def _refuse_and_escalate(actor: User, concern: Concern, history: list[HistoryEvent],
                         reason_code: str, reason: str | None, until: datetime,
                         now: datetime) -> ActionResult:
    staffing = Staffing(concern.establishment_id)
    step = step_for(concern, staffing, now)
    old_deadline = concern.next_deadline
    guarded_update(concern, escalation_level=step.level, next_deadline=step.deadline,
                   updated_at=now)
    event(concern, "defer_refused", now, actor, level=step.from_level, reason_code=reason_code,
          reason=reason, until=until,
          data={"why": f"already deferred {MAX_PAUSES} times; it escalates instead"})
    record_step(concern, step, staffing, now, old_deadline, history,
                reason=(reason_code, reason, until))
    _done(concern, True)
    return ActionResult(concern, "defer", f"Not paused: this item was already deferred "
                        f"{MAX_PAUSES} times. It has been passed to the {step.title}.",
                        escalated=True)


def resume(actor: User, viewer: Viewer, reference: str, now: datetime) -> ActionResult:
    """End a deferral early: the clock runs again from now."""
    concern = _actionable(viewer, reference)
    history = history_for(concern.id)
    if not _deferral_running(history, now):
        raise Conflict("This item is not paused by a deferral.")
    status = "acknowledged" if concern.acknowledged_at else "new"
    old_status = concern.status
    guarded_update(concern, status=status, updated_at=now,
                   next_deadline=deadline_now(concern, now, [HistoryEvent("resumed", now)]))
    event(concern, "resumed", now, actor, from_status=old_status, to_status=status,
          level=concern.escalation_level)
    _done(concern, False)
    return ActionResult(concern, "resume", "Resumed. The clock is running again.")


def _deferral_running(history: list[HistoryEvent], now: datetime) -> bool:
    last_pause = next((e for e in reversed(history) if e.kind == "paused"), None)
    if last_pause is None or last_pause.until is None or last_pause.until <= now:
        return False
    return not any(e.kind == "resumed" and e.at >= last_pause.at for e in history)


# --- wing lockdowns ---------------------------------------------------------------

def _wing(establishment_id: int, code: str) -> Wing:
    wing = db.session.scalar(select(Wing).where(Wing.establishment_id == establishment_id,
                                                func.upper(Wing.code) == code.strip().upper()))
    if wing is None:
        raise InvalidInput({"wing": [f"No wing {code!r} here."]})
    return wing


def _open_items(wing: Wing) -> list[Concern]:
    return list(db.session.scalars(select(Concern).where(
        Concern.wing_id == wing.id, Concern.status.in_(OPEN_STATUSES)).order_by(Concern.id)))


def start_lockdown(actor: User | None, establishment_id: int, wing_code: str, reason: str,
                   now: datetime, until: datetime | None = None) -> int:
    """Record a wing lockdown once and pause every open item of the wing; returns how many."""
    if not reason.strip():
        raise InvalidInput({"reason": ["Say why the wing is locked down."]})
    wing = _wing(establishment_id, wing_code)
    lockdown = WingLockdown(establishment_id=establishment_id, wing_id=wing.id,
                            active_wing_id=wing.id, reason=reason.strip(), started_at=now,
                            started_by_id=actor.id if actor else None)
    db.session.add(lockdown)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict(f"Wing {wing.code} is already locked down.") from exc
    items = _open_items(wing)
    for concern in items:
        started = HistoryEvent("lockdown_started", now, until=until, wing=wing.code)
        guarded_update(concern, updated_at=now, next_deadline=deadline_now(concern, now, [started]))
        event(concern, "lockdown_started", now, actor, reason=reason.strip(), until=until,
              data={"wing": wing.code, "lockdown_id": lockdown.id})
        notices.tell_supporter(concern, "deferred", f"lockdown:{lockdown.id}", now,
                               reason_code="regime_restricted", reason=reason.strip(),
                               until=until, role=None, passed_at=None)
    _done_many(bool(items))
    return len(items)


def end_lockdown(actor: User | None, establishment_id: int, wing_code: str,
                 now: datetime) -> int:
    """End the wing's lockdown: every open item's clock runs again; returns how many."""
    wing = _wing(establishment_id, wing_code)
    lockdown = db.session.scalar(select(WingLockdown).where(WingLockdown.active_wing_id == wing.id))
    if lockdown is None:
        raise Conflict(f"Wing {wing.code} is not locked down.")
    lockdown.active_wing_id, lockdown.ended_at = None, now
    lockdown.ended_by_id = actor.id if actor else None
    items = _open_items(wing)
    for concern in items:
        ended = HistoryEvent("lockdown_ended", now, wing=wing.code)
        guarded_update(concern, updated_at=now, next_deadline=deadline_now(concern, now, [ended]))
        event(concern, "lockdown_ended", now, actor, data={"wing": wing.code,
                                                          "lockdown_id": lockdown.id})
    _done_many(False)
    return len(items)


def _done_many(notices_written: bool) -> None:
    db.session.commit()
    if notices_written:
        signals.notifications_written.send(None)
