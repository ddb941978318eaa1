"""The staff queue: open items this person may know of, most serious and oldest first."""

from __future__ import annotations

from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from tracker.core.access import Viewer, may_know_exists
from tracker.extensions import db
from tracker.models import OPEN_STATUSES, Concern, User
from tracker.services.viewers import item_facts

URGENCY_ORDER = case({"immediate": 0, "urgent": 1}, value=Concern.urgency, else_=2)


def visible_open(user: User, viewer: Viewer, limit: int = 200) -> list[Concern]:
    """Open items of this establishment, filtered through the access policy."""
    rows = db.session.scalars(
        select(Concern)
        .where(Concern.establishment_id == user.establishment_id,
               Concern.status.in_(OPEN_STATUSES))
        .options(selectinload(Concern.wing), selectinload(Concern.about_staff))
        .order_by(Concern.escalation_level.desc(), URGENCY_ORDER, Concern.next_deadline)
        .limit(limit * 5))
    return [c for c in rows if may_know_exists(viewer, item_facts(c))][:limit]
