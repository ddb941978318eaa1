"""The outbox: notices to supporters (kiosk inbox) and staff (email), written with the change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base


class Notification(Base):
    """One message to one recipient; dedupe_key makes a retried change write it only once."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_recipient_read", "recipient_id", "read_at"),
        Index("ix_notification_delivery", "status", "next_attempt_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    concern_id: Mapped[int | None] = mapped_column(ForeignKey("concern.id"), index=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    channel: Mapped[str] = mapped_column(String(10))  # kiosk or email
    kind: Mapped[str] = mapped_column(String(30))
    message_id: Mapped[str] = mapped_column(String(60))  # translatable text id
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message: Mapped[str] = mapped_column(Text)  # English rendering, for email and fallback
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending, sent, dead
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]
