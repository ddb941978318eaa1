"""The managers' dashboard: twelve weeks of overdue items, clock shares and time to first action.

The same definitions and queries as the digest (``digest_queries``), through the signed-in
person's own access, narrowed by wing and scheme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from tracker.core.access import Viewer
from tracker.core.digest import FIRST_ACTION_BANDS, Week, last_full_week, scheme_label, share, weeks_back
from tracker.extensions import db
from tracker.models import Concern, ConcernEvent, Scheme, Wing
from tracker.models.base import UTCDateTime
from tracker.services import digest_queries as q

WEEKS = 12


@dataclass(frozen=True)
class Dashboard:
    """Series for the charts, oldest week first."""

    weeks: list[Week]
    overdue_by_scheme: dict[str, list[int]]
    ack_share: list[float | None]
    resolve_share: list[float | None]
    first_action: list[tuple[str, int]]


@dataclass(frozen=True)
class Choices:
    """What the filters offer: the establishment's wings and schemes."""

    wings: list[str]
    schemes: list[tuple[str, str]]


def choices(viewer: Viewer) -> Choices:
    """Wings and schemes of the viewer's establishment, for the filter form."""
    return Choices(
        wings=list(db.session.scalars(select(Wing.code).where(
            Wing.establishment_id == viewer.establishment_id).order_by(Wing.code))),
        schemes=[(k, scheme_label(k)) for k in db.session.scalars(select(Scheme.key).where(
            Scheme.establishment_id == viewer.establishment_id).order_by(Scheme.id))])


def _weeks_table(weeks: list[Week]) -> Any:
    """The weeks as rows (index, start, end) to join against: one query for all twelve."""
    rows = [select(literal(i).label("i"), literal(w.start, UTCDateTime()).label("start"),
                   literal(w.end, UTCDateTime()).label("end")) for i, w in enumerate(weeks)]
    return union_all(*rows).subquery("weeks")


def _overdue_by_scheme(viewer: Viewer, weeks: list[Week], wing: str | None,
                       scheme: str | None) -> list[dict[str, int]]:
    """Late items at each week's end, per scheme: one pass over the candidates."""
    table = _weeks_table(weeks)
    # Read the candidates once (open now, or closed since the first week's end), then test
    # them against each week; joined directly, PostgreSQL re-read them once per week.
    candidates = (select(Concern.id, Concern.scheme, Concern.status, Concern.created_at,
                         Concern.resolved_at, Concern.updated_at, Concern.acknowledged_at,
                         Concern.ack_due_at, Concern.resolve_due_at)
                  .where(q.in_scope(viewer, "governor", wing, scheme),
                         q.open_some_time(weeks[0].end, weeks[-1].end))
                  .cte("candidates").prefix_with("MATERIALIZED", dialect="postgresql"))
    c = aliased(Concern, candidates)
    rows = db.session.execute(
        select(table.c.i, c.scheme, func.count()).select_from(c)
        .join(table, q.late_at(table.c.end, c=c)).group_by(table.c.i, c.scheme))
    found: list[dict[str, int]] = [{} for _ in weeks]
    for i, key, n in rows:
        found[int(i)][key] = int(n)
    return found


def _shares(viewer: Viewer, weeks: list[Week], wing: str | None,
            scheme: str | None) -> tuple[list[float | None], list[float | None]]:
    """Per week: the share acknowledged and resolved within the clock (of what fell due)."""
    table = _weeks_table(weeks)
    span_start, span_end = weeks[0].start, weeks[-1].end
    ack_due = and_(Concern.ack_due_at >= table.c.start, Concern.ack_due_at < table.c.end)
    res_due = and_(Concern.resolve_due_at >= table.c.start, Concern.resolve_due_at < table.c.end)

    def count(cond: Any) -> Any:
        return func.sum(case((cond, 1), else_=0))

    rows = db.session.execute(
        select(table.c.i, count(ack_due),
               count(and_(ack_due, Concern.acknowledged_at <= Concern.ack_due_at)),
               count(res_due), count(and_(res_due, Concern.resolved_at <= Concern.resolve_due_at)))
        .join(table, or_(ack_due, res_due))
        .where(q.in_scope(viewer, "governor", wing, scheme),
               or_(and_(Concern.ack_due_at >= span_start, Concern.ack_due_at < span_end),
                   and_(Concern.resolve_due_at >= span_start, Concern.resolve_due_at < span_end)))
        .group_by(table.c.i))
    ack: list[float | None] = [None] * len(weeks)
    res: list[float | None] = [None] * len(weeks)
    for i, a, am, r, rm in rows:
        ack[int(i)], res[int(i)] = share(int(am or 0), int(a or 0)), share(int(rm or 0), int(r or 0))
    return ack, res


def _first_action_bands(viewer: Viewer, span: Week, wing: str | None,
                        scheme: str | None) -> list[tuple[str, int]]:
    """Items raised in the span, by time from raised to their first action (if any yet).

    Every action on such an item falls after the span's start, so the first one is a plain
    MIN per item: no per-event "was there an earlier one?" probe.
    """
    first = (select(Concern.id.label("id"), Concern.created_at.label("created_at"),
                    func.min(ConcernEvent.at).label("first_at"))
             .join(ConcernEvent, ConcernEvent.concern_id == Concern.id)
             .where(ConcernEvent.kind.in_(q.FIRST_ACTION_KINDS), ConcernEvent.at >= span.start,
                    ConcernEvent.at < span.end, Concern.created_at >= span.start,
                    q.in_scope(viewer, "governor", wing, scheme))
             .group_by(Concern.id, Concern.created_at).subquery())
    seconds = q.seconds_between(first.c.first_at, first.c.created_at)
    whens = [(seconds < limit, label) for limit, label in FIRST_ACTION_BANDS if limit]
    band = case(*whens, else_=FIRST_ACTION_BANDS[-1][1]).label("band")
    counts = {label: int(n) for label, n in db.session.execute(
        select(band, func.count()).group_by(band))}
    return [(label, counts.get(label, 0)) for _, label in FIRST_ACTION_BANDS]


def build(viewer: Viewer, now: datetime, wing: str | None = None,
          scheme: str | None = None) -> Dashboard:
    """Twelve weeks up to the last full week, as this person may see them."""
    q.tune_for_reports()
    weeks = weeks_back(last_full_week(now), WEEKS)
    per_week = _overdue_by_scheme(viewer, weeks, wing, scheme)
    keys = sorted({k for counts in per_week for k in counts})
    ack, res = _shares(viewer, weeks, wing, scheme)
    span = Week(weeks[-1].ending, weeks[0].start, weeks[-1].end)
    return Dashboard(
        weeks=weeks,
        overdue_by_scheme={k: [counts.get(k, 0) for counts in per_week] for k in keys},
        ack_share=ack, resolve_share=res,
        first_action=_first_action_bands(viewer, span, wing, scheme))


def as_dict(d: Dashboard) -> dict[str, Any]:
    """For tests and a later API."""
    return {"weeks": [w.ending.isoformat() for w in d.weeks],
            "overdue_by_scheme": d.overdue_by_scheme, "ack_share": d.ack_share,
            "resolve_share": d.resolve_share, "first_action": d.first_action}
