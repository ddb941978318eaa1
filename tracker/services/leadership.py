"""Scheme posts (lead, deputy) and their history: who held each post, from when until when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Scheme, SchemeLeadership, User

POSTS = ("lead", "deputy")


def holder_id(scheme: Scheme, post: str) -> int | None:
    """The user id in a post now."""
    return scheme.lead_id if post == "lead" else scheme.deputy_id


def assign(scheme: Scheme, post: str, user: User | None, now: datetime,
           actor: User | None = None) -> bool:
    """Put `user` (or nobody) in a post, closing the previous holder's history row.

    Adds to the caller's transaction; returns False when nothing changed. The escalation
    ladder reads Scheme.lead_id/deputy_id at sweep time, so open items follow at once.
    """
    new_id = user.id if user else None
    current = _open_row(scheme, post)
    if holder_id(scheme, post) == new_id and (current.user_id if current else None) == new_id:
        return False
    if current is not None:
        current.ended_at = now
    setattr(scheme, f"{post}_id", new_id)
    if new_id is not None:
        db.session.add(SchemeLeadership(
            establishment_id=scheme.establishment_id, scheme_id=scheme.id, post=post,
            user_id=new_id, started_at=now, set_by_id=actor.id if actor else None))
    return True


def _open_row(scheme: Scheme, post: str) -> SchemeLeadership | None:
    if scheme.id is None:
        return None
    return db.session.scalar(select(SchemeLeadership).where(
        SchemeLeadership.scheme_id == scheme.id, SchemeLeadership.post == post,
        SchemeLeadership.ended_at.is_(None)).order_by(SchemeLeadership.id.desc()).limit(1))


def history(scheme: Scheme) -> list[SchemeLeadership]:
    """Every holder of the scheme's posts, newest first."""
    return list(db.session.scalars(select(SchemeLeadership).where(
        SchemeLeadership.scheme_id == scheme.id)
        .order_by(SchemeLeadership.started_at.desc(), SchemeLeadership.id.desc())))
