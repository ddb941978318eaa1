"""Who a concern is addressed to (for queries), and explicit grants to read sealed content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base


class ConcernAudience(Base):
    """One addressee of a concern: 'team:<team>' or 'scheme:<scheme>'.

    The routing decision is also kept on the concern as lists; these rows let the database
    apply the access policy in the queue query (an indexed EXISTS) instead of Python loops.
    """

    __tablename__ = "concern_audience"
    concern_id: Mapped[int] = mapped_column(ForeignKey("concern.id", ondelete="CASCADE"),
                                            primary_key=True)
    key: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)


class ContentGrant(Base):
    """A recorded reason why one person may read a sealed item's words (break-glass)."""

    __tablename__ = "content_grant"
    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    concern_id: Mapped[int] = mapped_column(ForeignKey("concern.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(20))  # break_glass
    reason: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[datetime]
