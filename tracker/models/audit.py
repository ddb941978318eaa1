"""The access log: who read which concern's content, and who did what, when and from where."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base


class AccessLog(Base):
    """Append-only: a read of content, an action, or an administrative change."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_concern_at", "concern_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(String(40))
    concern_id: Mapped[int | None] = mapped_column(ForeignKey("concern.id"))
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


@event.listens_for(AccessLog, "before_update")
@event.listens_for(AccessLog, "before_delete")
def _audit_is_append_only(_mapper: Any, _conn: Any, target: AccessLog) -> None:
    """An audit trail that can be edited proves nothing."""
    raise PermissionError(f"the access log is append-only (row {target.id})")
