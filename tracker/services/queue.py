"""The staff queue: open items this person may act on, most serious and most overdue first."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Integer, Select, and_, bindparam, case, func, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter

from tracker.core.access import Viewer, may_know_exists
from tracker.core.escalation import Ladders
from tracker.extensions import db
from tracker.models import OPEN_STATUSES, STATUSES, Concern, User, Wing
from tracker.services.deadlines import ladders
from tracker.services.viewers import item_facts
from tracker.services.visibility import (
    VIEWER_ESTABLISHMENT_ID,
    VIEWER_USER_ID,
    bound_shape,
    may_know_exists_sql_bound,
    viewer_params,
)

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


class WingRef(NamedTuple):
    """The item's wing, as the queue shows it."""

    code: str


class QueueItem(NamedTuple):
    """The metadata of one queued item (never the words): what the queue page and API show.

    Read with Core rather than as a Concern entity; the attribute names are the Concern's.
    """

    id: int
    reference: str
    categories: list[str]
    urgency: str
    scheme: str
    co_schemes: list[str]
    owner_team: str
    extra_owners: list[str]
    confidentiality: str
    status: str
    escalation_level: int
    ack_due_at: datetime
    resolve_due_at: datetime
    next_deadline: datetime | None
    created_at: datetime
    tell_officer_now: bool
    wing: WingRef


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue with its clock state worked out."""

    concern: QueueItem
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


# Per-request values of the cached statements (see _statements).
_NOW = bindparam("queue_now", type_=Concern.__table__.c.next_deadline.type)
_SOON = bindparam("queue_soon", type_=Concern.__table__.c.next_deadline.type)
_SCHEME = bindparam("queue_scheme", type_=Concern.__table__.c.scheme.type)
_WING = bindparam("queue_wing", type_=Wing.__table__.c.code.type)
_LEVEL = bindparam("queue_level", type_=Concern.__table__.c.escalation_level.type)
_LIMIT = bindparam("queue_limit", type_=Integer())
_OFFSET = bindparam("queue_offset", type_=Integer())


def _base(viewer: Viewer, status: str | None) -> ColumnElement[bool]:
    wanted = [status] if status in STATUSES else list(OPEN_STATUSES)
    # The statuses are written into the SQL (not bound), so the planner can always prove the
    # open-items index's condition, also in a prepared statement's generic plan.
    statuses: BindParameter[list[str]] = bindparam("queue_statuses", wanted, expanding=True,
                                                   literal_execute=True)
    return and_(may_know_exists_sql_bound(viewer), Concern.status.in_(statuses))


def _narrow(stmt: Select[Any], f: QueueFilters) -> Select[Any]:
    if f.scheme:
        stmt = stmt.where(Concern.scheme == _SCHEME)
    if f.wing:
        stmt = stmt.where(Concern.wing_id.in_(select(Wing.id).where(
            Wing.establishment_id == VIEWER_ESTABLISHMENT_ID, Wing.code == _WING)))
    if f.level is not None:
        stmt = stmt.where(Concern.escalation_level == _LEVEL)
    if f.due == "overdue":
        stmt = stmt.where(Concern.next_deadline < _NOW)
    elif f.due == "soon":
        stmt = stmt.where(Concern.next_deadline >= _NOW, Concern.next_deadline < _SOON)
    if f.mine:
        stmt = stmt.where(Concern.assigned_to_id == VIEWER_USER_ID)
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


def _groups_stmt(viewer: Viewer, status: str | None) -> Select[Any]:
    """One grouped query gives every count and the total (instead of one query per filter)."""
    clock = case((Concern.next_deadline < _NOW, "overdue"),
                 (Concern.next_deadline < _SOON, "soon"), else_="later")
    mine = case((Concern.assigned_to_id == VIEWER_USER_ID, 1), else_=0)
    inner = (select(Concern.scheme.label("scheme"), Concern.wing_id.label("wing_id"),
                    Concern.escalation_level.label("level"), Concern.status.label("status"),
                    clock.label("clock"), mine.label("mine"))
             .where(_base(viewer, status)).subquery())
    keys = (inner.c.scheme, inner.c.wing_id, inner.c.level, inner.c.status, inner.c.clock, inner.c.mine)
    # Count by wing id over the open items (read from the index alone), then name the wings
    # of the few groups: no join per item.
    grouped = select(*keys, func.count().label("n")).group_by(*keys).subquery()
    return select(grouped.c.scheme, Wing.code, grouped.c.level, grouped.c.status, grouped.c.clock,
                  grouped.c.mine, grouped.c.n).join(Wing, Wing.id == grouped.c.wing_id)


_NAMED = aliased(User, name="named_staff")
# What a queue line shows (QueueItem's fields, by the Concern's attribute names), then what the
# access policy reads (services.viewers.ItemRow); never the words.
_ITEM_COLUMNS = tuple(getattr(Concern, name) for name in QueueItem._fields
                      if name not in ("tell_officer_now", "wing"))
_ROW_COLUMNS = (
    *_ITEM_COLUMNS,
    # Only the flag from the routing record (which is large and quotes the words).
    Concern.routing["tell_officer_now"].label("tell_officer_now"), Wing.code.label("wing_code"),
    Concern.establishment_id, Concern.raised_by_id, Concern.wing_id, Concern.about_staff_id,
    _NAMED.wing_id.label("about_staff_wing_id"), Concern.assigned_to_id, Concern.answers,
)


def _rows_stmt(viewer: Viewer, f: QueueFilters, status: str | None) -> Select[Any]:
    # The page's ids first, then their rows: the ids come from the open-items index alone (the
    # policy's columns are in it), so a viewer who may see few of the open items costs no
    # table read per item skipped.
    ids = (_narrow(select(Concern.id).where(_base(viewer, status)), f)
           .order_by(*QUEUE_ORDER).limit(_LIMIT).offset(_OFFSET).subquery())
    # The wing's code and the named member of staff's wing come with the page's rows (the
    # ORM used to load them with two more statements).
    return (select(*_ROW_COLUMNS).select_from(Concern)
            .join(ids, ids.c.id == Concern.id)
            .join(Wing, Wing.id == Concern.wing_id)
            .outerjoin(_NAMED, _NAMED.id == Concern.about_staff_id)
            .order_by(*QUEUE_ORDER))


_Shape = tuple[tuple[str, frozenset[str], bool], str | None, bool, bool, bool, str | None, bool]
_STATEMENTS: dict[tuple[int, _Shape], tuple[Ladders, Select[Any], Select[Any]]] = {}
# An entry (two statements) holds about 110 KB; a prison uses a few dozen shapes at most.
_STATEMENTS_MAX = 128


def _statements(viewer: Viewer, f: QueueFilters) -> tuple[Select[Any], Select[Any]]:
    """The grouped count and the page's rows, built once per kind of viewer and filter shape.

    Building the policy clause costs more than running it, so the statements are kept and
    reused (SQLAlchemy also reuses their compiled SQL). What differs between viewers of the
    same role, schemes and (wing or none), and between requests (now, filter values, page), is
    bound at execution. The policy clause also depends on the escalation ladders in force, so
    they are part of the key (a reloaded rule set is a new Ladders object; the entry holds it,
    so its id cannot be reused while cached).
    """
    status = f.status if f.status in STATUSES else None
    due = f.due if f.due in ("overdue", "soon") else None
    shape: _Shape = (bound_shape(viewer), status, bool(f.scheme), bool(f.wing),
                     f.level is not None, due, bool(f.mine))
    in_force = ladders()
    key = (id(in_force), shape)
    hit = _STATEMENTS.get(key)
    if hit is not None and hit[0] is in_force:
        return hit[1], hit[2]
    built = (in_force, _groups_stmt(viewer, status), _rows_stmt(viewer, f, status))
    if len(_STATEMENTS) >= _STATEMENTS_MAX:
        _STATEMENTS.clear()
    _STATEMENTS[key] = built
    return built[1], built[2]


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
    groups_stmt, rows_stmt = _statements(viewer, f)
    session = db.session
    if session.autoflush:  # as the ORM would before a query (a no-op when nothing is pending)
        session.flush()
    conn = session.connection()
    params: dict[str, Any] = {**viewer_params(viewer), "queue_now": now, "queue_soon": now + DUE_SOON}
    groups = [_Group(s, w, int(lv), st, c, bool(m), int(n))
              for s, w, lv, st, c, m, n in conn.execute(groups_stmt, params).all()]
    total = sum(g.n for g in groups if g.matches(f))
    pages = max(1, math.ceil(total / per_page))
    page = max(1, min(f.page, pages))
    if f.scheme:
        params["queue_scheme"] = f.scheme
    if f.wing:
        params["queue_wing"] = f.wing
    if f.level is not None:
        params["queue_level"] = f.level
    params["queue_limit"], params["queue_offset"] = per_page, (page - 1) * per_page
    rows = _checked_rows(viewer, conn.execute(rows_stmt, params).all(), now)
    return QueuePage(rows, total, page, pages, _counts(groups))


def _checked_rows(viewer: Viewer, result: Any, now: datetime) -> list[QueueRow]:
    """The page's lines, each re-checked against the Python policy (a SQL bug fails closed)."""
    soon = now + DUE_SOON
    rows = []
    for row in result:
        if not may_know_exists(viewer, item_facts(
                row, about_staff_wing_id=row.about_staff_wing_id)):
            continue
        item = QueueItem._make((*row[:len(_ITEM_COLUMNS)], bool(row.tell_officer_now),
                                WingRef(row.wing_code)))
        due = item.next_deadline
        overdue = due is not None and due < now
        rows.append(QueueRow(item, overdue, due is not None and not overdue and due < soon))
    return rows


def visible_open(viewer: Viewer, now: datetime, limit: int = 200) -> list[QueueItem]:
    """The first `limit` open items this person may know of, in queue order."""
    return [r.concern for r in queue_page(viewer, QueueFilters(per_page=limit), now).rows]
