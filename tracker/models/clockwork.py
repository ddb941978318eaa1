"""Rows the clock machinery keeps: wing lockdowns, the scheduler's lease and its heartbeats."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base


class WingLockdown(Base):
    """A wing-wide lockdown; ``active_wing_id`` is set only while it runs, so a wing has one at most."""

    __tablename__ = "wing_lockdown"
    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    wing_id: Mapped[int] = mapped_column(ForeignKey("wing.id"), index=True)
    active_wing_id: Mapped[int | None] = mapped_column(ForeignKey("wing.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime]
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class SchedulerLease(Base):
    """Who runs the scheduler now (system-wide, not per establishment): renewed while alive."""

    __tablename__ = "scheduler_lease"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    acquired_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class SchedulerHeartbeat(Base):
    """The last run of one scheduler job, so staff pages can say when runs are being missed."""

    __tablename__ = "scheduler_heartbeat"
    job_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    last_run_at: Mapped[datetime]
    last_ok_at: Mapped[datetime | None]
    runs: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
