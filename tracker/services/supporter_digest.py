"""The supporter's weekly summary at the kiosk: their open referrals, which are late and why.

"Late" is the digest's definition (``digest_queries.late_at``); "why" is the latest reason
staff gave (a deferral, or a wing lockdown, which the supporter is told about as a
restricted regime), or, when none was given, that no one has acted yet and who it was
passed to. Only the supporter's own items, through the same access policy as everything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from tracker.core.escalation import delay_notice
from tracker.extensions import db
from tracker.models import OPEN_STATUSES, Concern, ConcernEvent, User
from tracker.services.digest_queries import REASON_KINDS, late_at
from tracker.services.viewers import viewer_for
from tracker.services.visibility import may_know_exists_sql


@dataclass(frozen=True)
class LateItem:
    """One late referral and the notice (message id and parameters) that explains it."""

    reference: str
    scheme: str
    message_id: str
    params: dict[str, Any]


@dataclass
class WeekSummary:
    """What the kiosk home shows under "This week"."""

    open_count: int = 0
    raised_this_week: int = 0
    late: list[LateItem] = field(default_factory=list)


def _latest(ids: list[int], kinds: tuple[str, ...]) -> dict[int, ConcernEvent]:
    rows = db.session.scalars(select(ConcernEvent).where(
        ConcernEvent.concern_id.in_(ids), ConcernEvent.kind.in_(kinds))
        .order_by(ConcernEvent.at, ConcernEvent.id))
    return {e.concern_id: e for e in rows}


def _explain(concern: Concern, reason: ConcernEvent | None,
             escalated: ConcernEvent | None, now: datetime) -> LateItem:
    code = None
    if reason is not None:
        code = "regime_restricted" if reason.kind == "lockdown_started" else reason.reason_code
    until = reason.until if reason is not None and reason.until and reason.until > now else None
    role = (escalated.data or {}).get("title") if escalated is not None else None
    message_id, params = delay_notice(concern.reference, code, reason.reason if reason else None,
                                      until, role, escalated.at if escalated else None)
    return LateItem(concern.reference, concern.scheme, message_id, params)


def weekly_summary(user: User, now: datetime) -> WeekSummary:
    """This supporter's open referrals now, the late ones explained, and what they raised this week."""
    viewer = viewer_for(user)
    mine = may_know_exists_sql(viewer)
    rows = db.session.execute(
        select(Concern, late_at(now).label("late")).where(
            mine, Concern.status.in_(OPEN_STATUSES)).order_by(Concern.created_at)).all()
    summary = WeekSummary(open_count=len(rows))
    summary.raised_this_week = int(db.session.scalar(select(db.func.count()).select_from(Concern)
                                   .where(mine, Concern.created_at >= now - timedelta(days=7))) or 0)
    late = [c for c, is_late in rows if is_late]
    if late:
        ids = [c.id for c in late]
        reasons, escalations = _latest(ids, REASON_KINDS), _latest(ids, ("escalated",))
        summary.late = [_explain(c, reasons.get(c.id), escalations.get(c.id), now) for c in late]
    return summary
