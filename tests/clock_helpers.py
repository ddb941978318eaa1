"""Helpers for clock tests: items with a chosen urgency and category, people in post or not."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from tests.factories import Prison, raise_concern
from tracker.core.access import Viewer
from tracker.extensions import db
from tracker.models import Concern, ConcernEvent, Notification, Scheme, User
from tracker.services import deadlines
from tracker.services.viewers import viewer_for

TEXT = "they keep taking his canteen on the landing and he is scared"


def staff_leads(prison: Prison, scheme: str = "insiders", lead: str | None = "lead.insiders",
                deputy: str | None = None) -> None:
    """Name a scheme's lead and deputy (None leaves the post empty)."""
    row = db.session.scalar(select(Scheme).where(
        Scheme.establishment_id == prison.establishment.id, Scheme.key == scheme))
    assert row is not None
    row.lead_id = db.session.merge(prison[lead]).id if lead else None
    row.deputy_id = db.session.merge(prison[deputy]).id if deputy else None
    db.session.commit()


def raise_item(prison: Prison, now: datetime, *, urgency: str = "routine",
               categories: tuple[str, ...] = ("bullying",), scheme: str = "insiders",
               who: str = "sup.a", wing: str = "A") -> Concern:
    """Raise through the real service, then fix urgency/category/scheme so rules changes don't matter."""
    raiser = db.session.merge(prison[who])
    concern = raise_concern(raiser, TEXT, now, wing=wing).concern
    due = deadlines.for_new(categories, urgency, now)
    concern.urgency, concern.categories, concern.scheme = urgency, list(categories), scheme
    concern.owner_team = "safer_custody"
    concern.ack_due_at, concern.resolve_due_at = due.ack_due, due.resolve_due
    empty = db.session.scalar(select(ConcernEvent.id).where(
        ConcernEvent.concern_id == concern.id, ConcernEvent.kind == "post_empty"))
    concern.next_deadline = now if empty else due.ack_due
    db.session.commit()
    return concern


def events(concern: Concern, kind: str | None = None) -> list[ConcernEvent]:
    """A concern's history, oldest first (optionally one kind)."""
    query = select(ConcernEvent).where(ConcernEvent.concern_id == concern.id)
    if kind:
        query = query.where(ConcernEvent.kind == kind)
    return list(db.session.scalars(query.order_by(ConcernEvent.id)))


def kiosk_notices(user: User) -> list[Notification]:
    """Notices to this person's kiosk inbox, oldest first."""
    return list(db.session.scalars(select(Notification).where(
        Notification.recipient_id == user.id, Notification.channel == "kiosk")
        .order_by(Notification.id)))


def count(model: type, *where: object) -> int:
    """Rows of a model matching the conditions."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


def acting(prison: Prison, name: str = "lead.insiders") -> tuple[User, Viewer]:
    """A member of staff, attached to this session, and the policy's view of them."""
    user = db.session.merge(prison[name])
    return user, viewer_for(user)


def reloaded(concern: Concern) -> Concern:
    """The concern as the database now holds it."""
    fresh = db.session.get(Concern, concern.id, populate_existing=True)
    assert fresh is not None
    return fresh
