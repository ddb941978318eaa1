"""The staff queue: open items this person may act on, most serious and most overdue first."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, case, func, select
from sqlalchemy.orm import defer, selectinload
from sqlalchemy.sql.elements import BindParameter

from tracker.core.access import Viewer, may_know_exists
from tracker.extensions import db
from tracker.models import OPEN_STATUSES, STATUSES, Concern, Wing
from tracker.services.viewers import item_facts
from tracker.services.visibility import may_know_exists_sql

# Queue order: highest escalation level, most urgent, soonest due (undated last), oldest id.
# It is the column order of ix_concern_queue_open, so PostgreSQL reads the first page from it.
QUEUE_ORDER = (Concern.escalation_level.desc(), Concern.urgency_rank,
               Concern.next_deadline.asc().nulls_last(), Concern.id)
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
    # The statuses are written into the SQL (not bound), so the planner can always prove the
    # open-items index's condition, also in a prepared statement's generic plan.
    statuses: BindParameter[list[str]] = bindparam("queue_statuses", wanted, expanding=True,
                                                   literal_execute=True)
    return and_(may_know_exists_sql(viewer), Concern.status.in_(statuses))


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


@dataclass(frozen=True)
class _Group:
    """Visible items sharing every filterable value: one row of the grouped count."""

    scheme: str
    wing: str
    level: int
    status: str
    clock: str  # overdue, soon or later
    mine: bool
    n: int

    def matches(self, f: QueueFilters) -> bool:
        """Whether these items pass the officer's filters."""
        return ((not f.scheme or self.scheme == f.scheme) and (not f.wing or self.wing == f.wing)
                and (f.level is None or self.level == f.level)
                and (not f.due or self.clock == f.due) and (not f.mine or self.mine))


def _groups(viewer: Viewer, f: QueueFilters, now: datetime) -> list[_Group]:
    """One grouped query gives every count and the total (instead of one query per filter)."""
    clock = case((Concern.next_deadline < now, "overdue"),
                 (Concern.next_deadline < now + DUE_SOON, "soon"), else_="later")
    mine = case((Concern.assigned_to_id == viewer.user_id, 1), else_=0)
    inner = (select(Concern.scheme.label("scheme"), Concern.wing_id.label("wing_id"),
                    Concern.escalation_level.label("level"), Concern.status.label("status"),
                    clock.label("clock"), mine.label("mine"))
             .where(_base(viewer, f.status)).subquery())
    keys = (inner.c.scheme, inner.c.wing_id, inner.c.level, inner.c.status, inner.c.clock, inner.c.mine)
    # Count by wing id over the open items (read from the index alone), then name the wings
    # of the few groups: no join per item.
    grouped = select(*keys, func.count().label("n")).group_by(*keys).subquery()
    rows = db.session.execute(
        select(grouped.c.scheme, Wing.code, grouped.c.level, grouped.c.status, grouped.c.clock,
               grouped.c.mine, grouped.c.n).join(Wing, Wing.id == grouped.c.wing_id))
    return [_Group(s, w, int(lv), st, c, bool(m), int(n)) for s, w, lv, st, c, m, n in rows]


def _counts(groups: list[_Group]) -> dict[str, dict[str, int]]:
    """How many visible items each filter value would show (ignoring the other filters)."""
    out: dict[str, dict[str, int]] = {k: {} for k in ("scheme", "wing", "level", "status")}
    out["due"], out["mine"] = {"overdue": 0, "soon": 0}, {"yes": 0}
    for g in groups:
        for name, value in (("scheme", g.scheme), ("wing", g.wing), ("level", str(g.level)),
                            ("status", g.status)):
            out[name][value] = out[name].get(value, 0) + g.n
        if g.clock in out["due"]:
            out["due"][g.clock] += g.n
        out["mine"]["yes"] += g.n if g.mine else 0
    return out


def queue_page(viewer: Viewer, f: QueueFilters, now: datetime) -> QueuePage:
    """One page of the queue: the database applies the policy; Python re-checks each row."""
    per_page = max(1, min(f.per_page, PER_PAGE_MAX))
    groups = _groups(viewer, f, now)
    total = sum(g.n for g in groups if g.matches(f))
    pages = max(1, math.ceil(total / per_page))
    page = max(1, min(f.page, pages))
    # The page's ids first, then their rows: the ids come from the open-items index alone (the
    # policy's columns are in it), so a viewer who may see few of the open items costs no
    # table read per item skipped.
    ids = (_narrow(select(Concern.id).where(_base(viewer, f.status)), f, viewer, now)
           .order_by(*QUEUE_ORDER).limit(per_page).offset((page - 1) * per_page).subquery())
    stmt = (select(Concern).join(ids, ids.c.id == Concern.id)
            .options(selectinload(Concern.wing), selectinload(Concern.about_staff),
                     defer(Concern.text, raiseload=True))  # the queue never shows the words
            .order_by(*QUEUE_ORDER))
    concerns = [c for c in db.session.scalars(stmt) if may_know_exists(viewer, item_facts(c))]
    rows = [_row(c, now) for c in concerns]
    return QueuePage(rows, total, page, pages, _counts(groups))


def _row(concern: Concern, now: datetime) -> QueueRow:
    due = concern.next_deadline
    overdue = due is not None and due < now
    return QueueRow(concern, overdue, due is not None and not overdue and due < now + DUE_SOON)


def visible_open(viewer: Viewer, now: datetime, limit: int = 200) -> list[Concern]:
    """The first `limit` open items this person may know of, in queue order."""
    return [r.concern for r in queue_page(viewer, QueueFilters(per_page=limit), now).rows]
