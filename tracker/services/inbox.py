"""A person's notices: the kiosk inbox for supporters, and the API's list for anyone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from tracker.extensions import db
from tracker.models import Concern, Notification, User


@dataclass(frozen=True)
class InboxItem:
    """One notice as shown: no internal fields, the concern by its reference."""

    id: int
    created_at: datetime
    reference: str | None
    kind: str
    message_id: str
    params: dict[str, object]
    message: str
    read: bool


def _mine(user: User, kiosk_only: bool):  # type: ignore[no-untyped-def]
    where = [Notification.recipient_id == user.id]
    if kiosk_only:
        where.append(Notification.channel == "kiosk")
    return where


def items(user: User, *, kiosk_only: bool = False, limit: int = 100) -> list[InboxItem]:
    """This person's notices, newest first."""
    rows = db.session.execute(
        select(Notification, Concern.reference)
        .outerjoin(Concern, Concern.id == Notification.concern_id)
        .where(*_mine(user, kiosk_only))
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit))
    return [InboxItem(n.id, n.created_at, ref, n.kind, n.message_id, dict(n.params or {}),
                      n.message, n.read_at is not None) for n, ref in rows]


def unread_count(user: User, *, kiosk_only: bool = True) -> int:
    """How many notices this person has not marked as read."""
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        *_mine(user, kiosk_only), Notification.read_at.is_(None))) or 0


def mark_read(user: User, notification_id: int | None, now: datetime) -> int:
    """Mark one notice (or, with None, all of them) as read; only the person's own."""
    where = [*_mine(user, False), Notification.read_at.is_(None)]
    if notification_id is not None:
        where.append(Notification.id == notification_id)
    result = db.session.execute(update(Notification).where(*where).values(read_at=now)
                                .execution_options(synchronize_session=False))
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
