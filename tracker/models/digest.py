"""The weekly digest as archived: one row per establishment, scope, recipient and week."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base


class Digest(Base):
    """A digest as it was built for one recipient; the unique key makes a re-run skip it."""

    __tablename__ = "digest"
    __table_args__ = (UniqueConstraint("establishment_id", "scope", "recipient_id", "week_ending"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    scope: Mapped[str] = mapped_column(String(80))  # governor, scheme:insiders, team:safer_custody
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    week_ending: Mapped[date]
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
