"""Peer-support schemes and who leads them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base

CONFIDENTIALITY = ("sealed", "need_to_know", "staff_complaint", "ordinary")


class Scheme(Base):
    """A scheme of one establishment (Listeners, Insiders...), with a named staff lead and deputy."""

    __tablename__ = "scheme"
    __table_args__ = (UniqueConstraint("establishment_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    key: Mapped[str] = mapped_column(String(30))  # listeners, insiders, ... as used in rules/
    name: Mapped[str] = mapped_column(String(80))
    confidentiality: Mapped[str] = mapped_column(String(20))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class SchemeLeadership(Base):
    """Who held a scheme's lead or deputy post, from when until when (open rows: in post now)."""

    __tablename__ = "scheme_leadership"
    __table_args__ = (Index("ix_scheme_leadership_scheme_post", "scheme_id", "post", "ended_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scheme.id"))
    post: Mapped[str] = mapped_column(String(10))  # lead or deputy
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # None: left empty
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
