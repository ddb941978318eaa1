"""The staff queue: open items this person may act on, most serious and most overdue first."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import selectinload

from tracker.core.access import Viewer, may_know_exists
from tracker.extensions import db
from tracker.models import OPEN_STATUSES, STATUSES, Concern, Wing
from tracker.services.viewers import item_facts
from tracker.services.visibility import may_know_exists_sql

URGENCY_RANK = case({"immediate": 0, "urgent": 1}, value=Concern.urgency, else_=2)
DUE_SOON = timedelta(hours=24)
PER_PAGE_MAX = 200


@dataclass(frozen=True)
class QueueFilters:
    """What the officer narrowed the queue to; every field is optional."""

    scheme: str | None = None
    wing: str | None = None
    level: int | None = None
    status: str | None = None  # None: every open status
    due: str | None = None  # "overdue" or "soon" (within 24 hours)
    mine: bool = False
    page: int = 1
    per_page: int = 50


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue with its clock state worked out."""

    concern: Concern
    overdue: bool
    due_soon: bool


@dataclass
class QueuePage:
    """A page of the queue with counts per filter value."""

    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


def _base(viewer: Viewer, status: str | None) -> ColumnElement[bool]:
    wanted = [status] if status in STATUSES else list(OPEN_STATUSES)
    return and_(may_know_exists_sql(viewer), Concern.status.in_(wanted))


def _narrow(stmt: Select[Any], f: QueueFilters, viewer: Viewer, now: datetime) -> Select[Any]:
    if f.scheme:
        stmt = stmt.where(Concern.scheme == f.scheme)
    if f.wing:
        stmt = stmt.where(Concern.wing_id.in_(select(Wing.id).where(
            Wing.establishment_id == viewer.establishment_id, Wing.code == f.wing)))
    if f.level is not None:
        stmt = stmt.where(Concern.escalation_level == f.level)
    if f.due == "overdue":
        stmt = stmt.where(Concern.next_deadline < now)
    elif f.due == "soon":
        stmt = stmt.where(Concern.next_deadline >= now, Concern.next_deadline < now + DUE_SOON)
    if f.mine:
        stmt = stmt.where(Concern.assigned_to_id == viewer.user_id)
    return stmt


def _counts(viewer: Viewer, f: QueueFilters, now: datetime) -> dict[str, dict[str, int]]:
    """How many visible items each filter value would show (ignoring the other filters)."""
    base = _base(viewer, f.status)
    out: dict[str, dict[str, int]] = {}
    for name, column in (("scheme", Concern.scheme), ("level", Concern.escalation_level),
                         ("status", Concern.status)):
        rows = db.session.execute(select(column, func.count()).where(base).group_by(column))
        out[name] = {str(value): n for value, n in rows}
    rows = db.session.execute(select(Wing.code, func.count()).select_from(Concern)
                              .join(Wing, Wing.id == Concern.wing_id).where(base).group_by(Wing.code))
    out["wing"] = {code: n for code, n in rows}
    overdue = func.sum(case((Concern.next_deadline < now, 1), else_=0))
    soon = func.sum(case((and_(Concern.next_deadline >= now,
                               Concern.next_deadline < now + DUE_SOON), 1), else_=0))
    mine = func.sum(case((Concern.assigned_to_id == viewer.user_id, 1), else_=0))
    o, s, m = db.session.execute(select(overdue, soon, mine).where(base)).one()
    out["due"] = {"overdue": int(o or 0), "soon": int(s or 0)}
    out["mine"] = {"yes": int(m or 0)}
    return out


def queue_page(viewer: Viewer, f: QueueFilters, now: datetime) -> QueuePage:
    """One page of the queue: the database applies the policy; Python re-checks each row."""
    per_page = max(1, min(f.per_page, PER_PAGE_MAX))
    base = _narrow(select(Concern).where(_base(viewer, f.status)), f, viewer, now)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = max(1, min(f.page, pages))
    stmt = (base.options(selectinload(Concern.wing), selectinload(Concern.about_staff))
            .order_by(Concern.escalation_level.desc(), URGENCY_RANK,
                      Concern.next_deadline.is_(None), Concern.next_deadline, Concern.id)
            .limit(per_page).offset((page - 1) * per_page))
    concerns = [c for c in db.session.scalars(stmt) if may_know_exists(viewer, item_facts(c))]
    rows = [_row(c, now) for c in concerns]
    return QueuePage(rows, total, page, pages, _counts(viewer, f, now))


def _row(concern: Concern, now: datetime) -> QueueRow:
    due = concern.next_deadline
    overdue = due is not None and due < now
    return QueueRow(concern, overdue, due is not None and not overdue and due < now + DUE_SOON)


def visible_open(viewer: Viewer, now: datetime, limit: int = 200) -> list[Concern]:
    """The first `limit` open items this person may know of, in queue order."""
    return [r.concern for r in queue_page(viewer, QueueFilters(per_page=limit), now).rows]
