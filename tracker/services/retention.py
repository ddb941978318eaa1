"""Data retention: what a closed item said is removed after a set time; its history and audit stay."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Concern, ConcernEvent

REDACTED = "[Text removed under the retention policy]"
CLOSED_STATUSES = ("resolved", "closed")


@dataclass(frozen=True)
class RetentionReport:
    """What a run removed (or, in a dry run, would remove)."""

    cutoff: datetime
    dry_run: bool
    references: list[str] = field(default_factory=list)


def due_for_redaction(now: datetime, older_than_days: int) -> list[Concern]:
    """Closed items whose closing is older than the period and whose text is still there."""
    cutoff = now - timedelta(days=older_than_days)
    closed_at = func.coalesce(Concern.resolved_at, Concern.updated_at)
    return list(db.session.scalars(
        select(Concern).where(Concern.status.in_(CLOSED_STATUSES), closed_at <= cutoff,
                              Concern.text != REDACTED)
        .order_by(Concern.id).with_for_update(skip_locked=True)))


def _redact(concern: Concern, now: datetime, older_than_days: int) -> None:
    concern.text = REDACTED
    concern.resident_number = None
    # The matched words and the staff explanation quote what was said; the rules fired do not.
    concern.routing = {**concern.routing, "evidence": [], "staff_explanation": REDACTED}
    concern.updated_at = now
    db.session.add(ConcernEvent(
        establishment_id=concern.establishment_id, concern_id=concern.id, at=now, actor_id=None,
        kind="redacted", from_status=concern.status, to_status=concern.status,
        reason_code="retention", reason=f"Text removed {older_than_days} days after closing.",
        data={"older_than_days": older_than_days}))


def redact_closed(now: datetime, older_than_days: int, dry_run: bool = False) -> RetentionReport:
    """Replace the text of items closed more than `older_than_days` ago, one event each; commit once."""
    if older_than_days < 1:
        raise ValueError("the retention period must be at least one day")
    items = due_for_redaction(now, older_than_days)
    report = RetentionReport(now - timedelta(days=older_than_days), dry_run,
                             [c.reference for c in items])
    if dry_run:
        db.session.rollback()
        return report
    for concern in items:
        _redact(concern, now, older_than_days)
    db.session.commit()
    return report
