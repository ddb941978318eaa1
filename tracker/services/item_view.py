"""What the staff item page shows: the concern as allowed, its timeline, and who has viewed it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker.core.access import Viewer
from tracker.extensions import db
from tracker.models import AccessLog, Concern, ConcernEvent, User
from tracker.services.concerns import open_concern


@dataclass(frozen=True)
class Viewing:
    """One person's most recent look at the item."""

    name: str
    role: str
    last_at: datetime
    times: int
    content: bool


@dataclass(frozen=True)
class ItemView:
    """Everything the item page needs, decided by the policy before it reaches a template."""

    concern: Concern
    content: bool
    events: list[ConcernEvent]
    viewed_by: list[Viewing]
    may_break_glass: bool


def timeline(concern: Concern) -> list[ConcernEvent]:
    """Every event of the item, oldest first, with who did it."""
    return list(db.session.scalars(
        select(ConcernEvent).where(ConcernEvent.concern_id == concern.id)
        .options(selectinload(ConcernEvent.actor)).order_by(ConcernEvent.at, ConcernEvent.id)))


def viewed_by(concern: Concern) -> list[Viewing]:
    """Staff who opened the item, most recent first (supporters' own reads are left out)."""
    reads = ("read_content", "read_metadata")
    rows = db.session.execute(
        select(User.display_name, User.role, func.max(AccessLog.at), func.count(),
               func.max(func.cast(AccessLog.action == "read_content", db.Integer)))
        .join(User, User.id == AccessLog.actor_id)
        .where(AccessLog.concern_id == concern.id, AccessLog.action.in_(reads),
               User.role != "supporter")
        .group_by(User.id, User.display_name, User.role)
        .order_by(func.max(AccessLog.at).desc()))
    return [Viewing(name, role, at, n, bool(c)) for name, role, at, n, c in rows]


def item_page(user: User, viewer: Viewer, reference: str, remote_addr: str | None,
              now: datetime) -> ItemView:
    """Open the item (logging the read) and gather its page."""
    concern, content = open_concern(user, viewer, reference, remote_addr, now, via="staff")
    may_break_glass = (concern.confidentiality == "sealed" and not content
                       and viewer.role == "safer_custody")
    return ItemView(concern, content, timeline(concern), viewed_by(concern), may_break_glass)
