"""Writing the access log: every read of content and every action, with who, when and where."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tracker.extensions import db
from tracker.models import AccessLog, Concern, User


def record(actor: User | None, action: str, now: datetime, *, concern: Concern | None = None,
           remote_addr: str | None = None, establishment_id: int | None = None,
           **detail: Any) -> None:
    """Add one audit row to the current transaction (the caller commits)."""
    est = establishment_id or (concern.establishment_id if concern else None)
    if est is None and actor is not None:
        est = actor.establishment_id
    if est is None:
        raise ValueError("an audit row needs an establishment")
    db.session.add(AccessLog(establishment_id=est, at=now, actor_id=actor.id if actor else None,
                             action=action, concern_id=concern.id if concern else None,
                             remote_addr=remote_addr, detail=detail))
