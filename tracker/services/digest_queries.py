"""The digest's aggregating queries: the database counts, Python only reads the small results.

Every query is limited by ``may_know_exists_sql(viewer)`` (the access policy compiled to
SQL) and by the digest's scope, so a digest holds only what its recipient may know of: a
complaint never reaches the person it names, and no query selects a concern's words.
Definitions are in ``tracker.core.digest``; "as of T" queries read the stored timestamps,
so last week's figures are worked out the same way as this week's.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, literal, not_, or_, select, text, true
from sqlalchemy.orm import aliased

from tracker.core.access import Viewer
from tracker.core.digest import (
    BUCKET_LIMITS,
    BUCKETS,
    NO_REASON,
    TOP_OLDEST,
    ClockFigures,
    CubeRow,
    OldItem,
    SchemePosts,
    Week,
    median,
)
from tracker.extensions import db, on_postgresql
from tracker.models import OPEN_STATUSES, Concern, ConcernAudience, ConcernEvent, Scheme, User, Wing
from tracker.services.visibility import may_know_exists_sql

FIRST_ACTION_KINDS = ("acknowledged", "paused", "deferred", "assigned", "resolved")
REASON_KINDS = ("paused", "lockdown_started")


def tune_for_reports() -> None:
    """PostgreSQL, for this transaction: no JIT (the digest's queries are short aggregates over
    many expressions; compiling them cost 500 ms of 900 measured) and room to sort in memory."""
    if on_postgresql():
        db.session.execute(text("SET LOCAL jit = off"))
        db.session.execute(text("SET LOCAL work_mem = '32MB'"))  # group 50,000 rows in memory


def scope_filter(scope: str) -> ColumnElement[bool]:
    """'governor': everything the viewer may know of; 'team:x' / 'scheme:x': addressed to it."""
    kind, _, key = scope.partition(":")
    if kind not in ("team", "scheme"):
        return true()
    return exists(select(ConcernAudience.concern_id).where(
        ConcernAudience.concern_id == Concern.id, ConcernAudience.key == f"{kind}:{key}"))


def in_scope(viewer: Viewer, scope: str, wing: str | None = None,
             scheme: str | None = None) -> ColumnElement[bool]:
    """What this viewer may know of, in this scope, narrowed by wing and scheme."""
    clauses = [may_know_exists_sql(viewer), scope_filter(scope)]
    if wing:
        clauses.append(Concern.wing_id.in_(select(Wing.id).where(
            Wing.establishment_id == viewer.establishment_id, Wing.code == wing)))
    if scheme:
        clauses.append(Concern.scheme == scheme)
    return and_(*clauses)


def open_at(moment: Any, earliest: datetime | None = None, c: Any = Concern) -> ColumnElement[bool]:
    """Raised by then and not yet resolved or closed then.

    The second OR is implied by the first; it is there so PostgreSQL can answer from three
    indexes (open statuses, resolved_at, updated_at) instead of reading all history. When
    ``moment`` is a column (one row per week), ``earliest`` is the first of those moments;
    ``c`` may be an alias of Concern (the dashboard's pre-selected candidates).
    """
    floor = earliest if earliest is not None else moment
    closed_at = func.coalesce(c.resolved_at, c.updated_at)
    still_open = c.status.in_(OPEN_STATUSES)
    return and_(c.created_at <= moment, or_(still_open, closed_at > moment),
                or_(still_open, c.resolved_at > floor, c.updated_at > floor))


def open_some_time(first: datetime, last: datetime) -> ColumnElement[bool]:
    """A superset of the items open at some moment in [first, last], answerable from indexes."""
    still_open = Concern.status.in_(OPEN_STATUSES)
    return and_(Concern.created_at <= last,
                or_(still_open, Concern.resolved_at > first, Concern.updated_at > first))


def late_since(moment: Any, c: Any = Concern) -> ColumnElement[datetime]:
    """The deadline the item was on at that moment: acknowledge-by until acknowledged."""
    unacknowledged = or_(c.acknowledged_at.is_(None), c.acknowledged_at > moment)
    return case((unacknowledged, c.ack_due_at), else_=c.resolve_due_at)


def late_at(moment: Any, earliest: datetime | None = None, c: Any = Concern) -> ColumnElement[bool]:
    """Open at that moment, with its clock run out."""
    return and_(open_at(moment, earliest, c), late_since(moment, c) < moment)


def _bucket(moment: datetime) -> ColumnElement[int]:
    """The age bucket's position in BUCKETS (a small integer keeps the grouping narrow)."""
    since = late_since(moment)
    whens = [(since >= moment - timedelta(days=limit), i) for i, limit in enumerate(BUCKET_LIMITS)]
    return case(*whens, else_=len(BUCKET_LIMITS))


def latest_reasons(establishment_id: int, moment: datetime) -> Any:
    """Per concern, the latest deferral's code (or 'lockdown') recorded by then: a subquery.

    One pass over the reason events (window function, set-based) joined to the late items,
    rather than one lookup per late item: 50,000 lookups cost seconds, this costs a sort.
    """
    code = case((ConcernEvent.kind == "lockdown_started", literal("lockdown")),
                else_=ConcernEvent.reason_code)
    rank = func.row_number().over(partition_by=ConcernEvent.concern_id,
                                  order_by=(ConcernEvent.at.desc(), ConcernEvent.id.desc()))
    return (select(ConcernEvent.concern_id.label("concern_id"), code.label("reason"),
                   rank.label("rank"))
            .where(ConcernEvent.establishment_id == establishment_id,
                   ConcernEvent.kind.in_(REASON_KINDS), ConcernEvent.at <= moment)
            .subquery("latest_reason"))


def late_cube(viewer: Viewer, scope: str, moment: datetime, with_level: bool = True,
              wing: str | None = None, scheme: str | None = None) -> list[CubeRow]:
    """Late items at ``moment`` counted by scheme, wing, level, age bucket and reason."""
    level = Concern.escalation_level if with_level else literal(None)
    reasons = latest_reasons(viewer.establishment_id, moment)
    items = (select(Concern.scheme.label("scheme"), Concern.wing_id.label("wing_id"),
                    level.label("level"), _bucket(moment).label("bucket"),
                    func.coalesce(reasons.c.reason, NO_REASON).label("reason"))
             .outerjoin(reasons, and_(reasons.c.concern_id == Concern.id, reasons.c.rank == 1))
             .where(in_scope(viewer, scope, wing, scheme), late_at(moment)).subquery())
    rows = db.session.execute(
        select(items.c.scheme, items.c.wing_id, items.c.level, items.c.bucket, items.c.reason,
               func.count()).group_by(items.c.scheme, items.c.wing_id, items.c.level,
                                      items.c.bucket, items.c.reason)).all()
    codes: dict[int, str] = {i: c for i, c in db.session.execute(select(Wing.id, Wing.code).where(
        Wing.establishment_id == viewer.establishment_id))}
    return [CubeRow(s, codes.get(w, "?"), lv, BUCKETS[b], r, int(n)) for s, w, lv, b, r, n in rows]


def seconds_between(later: Any, earlier: Any) -> Any:
    """Seconds between two timestamp columns, in the dialect's own arithmetic."""
    if on_postgresql():
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def _in(column: Any, week: Week) -> ColumnElement[bool]:
    return and_(column >= week.start, column < week.end)


def clock_figures(viewer: Viewer, scope: str, week: Week, wing: str | None = None,
                  scheme: str | None = None, with_median: bool = True) -> ClockFigures:
    """Shares acknowledged and resolved within the clock, and the median time to first action."""
    ack_due, res_due = _in(Concern.ack_due_at, week), _in(Concern.resolve_due_at, week)
    ack_met = and_(ack_due, Concern.acknowledged_at.is_not(None),
                   Concern.acknowledged_at <= Concern.ack_due_at)
    res_met = and_(res_due, Concern.resolved_at.is_not(None),
                   Concern.resolved_at <= Concern.resolve_due_at)

    def count(cond: ColumnElement[bool]) -> Any:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    a, am, r, rm = db.session.execute(
        select(count(ack_due), count(ack_met), count(res_due), count(res_met))
        .where(in_scope(viewer, scope, wing, scheme), or_(ack_due, res_due))).one()
    seconds, n = (first_action_median(viewer, scope, week, wing, scheme) if with_median
                  else (None, 0))
    return ClockFigures(int(a), int(am), int(r), int(rm), seconds, n)


def first_actions(viewer: Viewer, scope: str, week: Week, wing: str | None = None,
                  scheme: str | None = None) -> Any:
    """A subquery of (seconds from raised to first action) for first actions in the week."""
    earlier = aliased(ConcernEvent)
    before = exists(select(earlier.id).where(
        earlier.concern_id == ConcernEvent.concern_id, earlier.kind.in_(FIRST_ACTION_KINDS),
        or_(earlier.at < ConcernEvent.at,
            and_(earlier.at == ConcernEvent.at, earlier.id < ConcernEvent.id))))
    return (select(seconds_between(ConcernEvent.at, Concern.created_at).label("seconds"))
            .join(Concern, Concern.id == ConcernEvent.concern_id)
            .where(ConcernEvent.kind.in_(FIRST_ACTION_KINDS), _in(ConcernEvent.at, week),
                   not_(before), in_scope(viewer, scope, wing, scheme)).subquery())


def first_action_median(viewer: Viewer, scope: str, week: Week, wing: str | None = None,
                        scheme: str | None = None) -> tuple[float | None, int]:
    """(median seconds, how many): percentile_cont on PostgreSQL, ORDER BY + OFFSET elsewhere."""
    sub = first_actions(viewer, scope, week, wing, scheme)
    if on_postgresql():
        value, n = db.session.execute(select(
            func.percentile_cont(0.5).within_group(sub.c.seconds), func.count())).one()
        return (None if value is None else float(value)), int(n)
    n = int(db.session.scalar(select(func.count()).select_from(sub)) or 0)
    if n == 0:
        return None, 0
    middle = list(db.session.scalars(select(sub.c.seconds).order_by(sub.c.seconds)
                                     .limit(2 - n % 2).offset((n - 1) // 2)))
    return median([float(v) for v in middle]), n


def oldest_open(viewer: Viewer, scope: str, moment: datetime) -> list[OldItem]:
    """The ten oldest items open at ``moment``: references and where they stand, no words."""
    rows = db.session.execute(
        select(Concern.reference, Concern.scheme, Wing.code, Concern.escalation_level,
               Concern.created_at).join(Wing, Wing.id == Concern.wing_id)
        .where(in_scope(viewer, scope), open_at(moment))
        .order_by(Concern.created_at, Concern.id).limit(TOP_OLDEST))
    return [OldItem(ref, scheme, wing, level, (moment - created).days)
            for ref, scheme, wing, level, created in rows]


def scheme_posts(establishment_id: int, keys: list[str] | None) -> list[SchemePosts]:
    """The schemes in scope and whether an active person holds the lead and deputy posts."""
    lead, deputy = aliased(User), aliased(User)

    def held(person: Any) -> ColumnElement[bool]:
        return and_(person.id.is_not(None), person.active.is_(True), person.status == "active")

    stmt = (select(Scheme.key, Scheme.name, held(lead), held(deputy))
            .outerjoin(lead, lead.id == Scheme.lead_id).outerjoin(deputy, deputy.id == Scheme.deputy_id)
            .where(Scheme.establishment_id == establishment_id).order_by(Scheme.id))
    if keys is not None:
        stmt = stmt.where(Scheme.key.in_(keys))
    return [SchemePosts(k, name, bool(a), bool(b)) for k, name, a, b in db.session.execute(stmt)]
