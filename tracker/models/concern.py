"""A concern raised at a kiosk, and its append-only history of events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from tracker.models.base import Base
from tracker.models.establishment import Wing
from tracker.models.user import User

OPEN_STATUSES = ("new", "acknowledged", "in_progress", "deferred")
STATUSES = (*OPEN_STATUSES, "resolved", "closed")
# The queue shows the most serious first: urgency_rank stores this order so an index can give it.
URGENCY_RANKS = {"immediate": 0, "urgent": 1, "routine": 2}
URGENCY_RANK_SQL = "CASE urgency WHEN 'immediate' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END"


class Concern(Base):
    """One referral: what was said, how the rules routed it, and where its clock stands."""

    __tablename__ = "concern"
    __table_args__ = (
        UniqueConstraint("raised_by_id", "idempotency_key"),
        # The sweep asks "which open items are due by now?": this index answers it
        # in time proportional to the items due, not to the items stored.
        Index("ix_concern_open_deadline", "status", "next_deadline"),
        Index("ix_concern_establishment_status", "establishment_id", "status"),
        # The digest asks "open at T?" and "due in this week?" over years of history: these
        # let it read the open items and the recently closed or due ones, not every row.
        Index("ix_concern_resolved_at", "resolved_at"),
        Index("ix_concern_updated_at", "updated_at"),
        Index("ix_concern_ack_due_at", "ack_due_at"),
        Index("ix_concern_resolve_due_at", "resolve_due_at"),
        # The database refuses a rank that disagrees with the urgency (raw SQL loaders included).
        CheckConstraint(f"urgency_rank = {URGENCY_RANK_SQL}", name="urgency_rank_matches"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(80))
    request_fingerprint: Mapped[str] = mapped_column(String(64))
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    resident_number: Mapped[str | None] = mapped_column(String(7))
    wing_id: Mapped[int] = mapped_column(ForeignKey("wing.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    about_staff_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    categories: Mapped[list[str]] = mapped_column(JSON)
    urgency: Mapped[str] = mapped_column(String(10))
    urgency_rank: Mapped[int] = mapped_column(SmallInteger, server_default="2")  # set from urgency
    scheme: Mapped[str] = mapped_column(String(30), index=True)
    co_schemes: Mapped[list[str]] = mapped_column(JSON)
    owner_team: Mapped[str] = mapped_column(String(30))
    extra_owners: Mapped[list[str]] = mapped_column(JSON)
    confidentiality: Mapped[str] = mapped_column(String(20))
    routing: Mapped[dict[str, Any]] = mapped_column(JSON)  # rules fired, evidence, explanations
    ruleset_version: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="new")
    escalation_level: Mapped[int] = mapped_column(default=0)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    ack_due_at: Mapped[datetime]
    resolve_due_at: Mapped[datetime]
    next_deadline: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    raised_by: Mapped[User] = relationship(foreign_keys=[raised_by_id])
    about_staff: Mapped[User | None] = relationship(foreign_keys=[about_staff_id])
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    wing: Mapped[Wing] = relationship()

    @property
    def is_open(self) -> bool:
        """Open items still have a clock running."""
        return self.status in OPEN_STATUSES

    @validates("urgency")
    def _rank_follows_urgency(self, _key: str, value: str) -> str:
        self.urgency_rank = URGENCY_RANKS.get(value, 2)
        return value


# The queue's first page: open items of one prison in queue order (most escalated, most urgent,
# soonest due first), so PostgreSQL reads the first page from the index and stops; the included
# columns let the per-filter counts and the access policy be answered from the index alone.
Index("ix_concern_queue_open", Concern.establishment_id, Concern.escalation_level.desc(),
      Concern.urgency_rank, Concern.next_deadline, Concern.id,
      postgresql_include=["status", "scheme", "wing_id", "assigned_to_id", "about_staff_id",
                          "owner_team", "confidentiality", "extra_owners", "co_schemes"],
      postgresql_where=Concern.status.in_(OPEN_STATUSES),
      sqlite_where=Concern.status.in_(OPEN_STATUSES))


class ConcernEvent(Base):
    """One state change of a concern: who, when, why. Rows are never updated or deleted."""

    __tablename__ = "concern_event"
    # The digest finds a week's first actions by kind and time without reading all history.
    __table_args__ = (Index("ix_concern_event_kind_at", "kind", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"))
    concern_id: Mapped[int] = mapped_column(ForeignKey("concern.id"), index=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    level: Mapped[int | None]
    reason_code: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(Text)
    until: Mapped[datetime | None]
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor: Mapped[User | None] = relationship()


@event.listens_for(ConcernEvent, "before_update")
@event.listens_for(ConcernEvent, "before_delete")
def _history_is_append_only(_mapper: Any, _conn: Any, target: ConcernEvent) -> None:
    """History is evidence; correcting it means adding an event, never editing one."""
    raise PermissionError(f"concern events are append-only (event {target.id})")
