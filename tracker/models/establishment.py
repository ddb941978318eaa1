"""A prison and its wings: every other row belongs to one establishment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base


class Establishment(Base):
    """A prison (establishment), e.g. HMP Leeford."""

    __tablename__ = "establishment"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime]
    # Raised by database triggers on every change to this establishment's users, wings, schemes
    # and scheme memberships: a process's cached directory is good while this still matches.
    directory_version: Mapped[int] = mapped_column(default=0, server_default="0")
    wings: Mapped[list[Wing]] = relationship(back_populates="establishment", order_by="Wing.code")


class Wing(Base):
    """A wing or unit of an establishment; retired wings keep their history."""

    __tablename__ = "wing"
    __table_args__ = (UniqueConstraint("establishment_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(80))
    retired: Mapped[bool] = mapped_column(default=False)
    establishment: Mapped[Establishment] = relationship(back_populates="wings")
