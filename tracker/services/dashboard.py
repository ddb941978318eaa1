"""The managers' dashboard: twelve weeks of overdue items, clock shares and time to first action.

The same definitions and queries as the digest (``digest_queries``), through the signed-in
person's own access, narrowed by wing and scheme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select

from tracker.core.access import Viewer
from tracker.core.digest import FIRST_ACTION_BANDS, Week, last_full_week, scheme_label, share, weeks_back
from tracker.extensions import db
from tracker.models import Concern, Scheme, Wing
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


def _overdue_by_scheme(viewer: Viewer, week: Week, wing: str | None,
                       scheme: str | None) -> dict[str, int]:
    rows = db.session.execute(
        select(Concern.scheme, func.count()).where(
            q.in_scope(viewer, "governor", wing, scheme), q.late_at(week.end))
        .group_by(Concern.scheme))
    return {s: int(n) for s, n in rows}


def _first_action_bands(viewer: Viewer, span: Week, wing: str | None,
                        scheme: str | None) -> list[tuple[str, int]]:
    sub = q.first_actions(viewer, "governor", span, wing, scheme)
    whens = [(sub.c.seconds < limit, label) for limit, label in FIRST_ACTION_BANDS if limit]
    band = case(*whens, else_=FIRST_ACTION_BANDS[-1][1]).label("band")
    counts = {label: int(n) for label, n in db.session.execute(
        select(band, func.count()).group_by(band))}
    return [(label, counts.get(label, 0)) for _, label in FIRST_ACTION_BANDS]


def build(viewer: Viewer, now: datetime, wing: str | None = None,
          scheme: str | None = None) -> Dashboard:
    """Twelve weeks up to the last full week, as this person may see them."""
    q.tune_for_reports()
    weeks = weeks_back(last_full_week(now), WEEKS)
    per_week = [_overdue_by_scheme(viewer, w, wing, scheme) for w in weeks]
    keys = sorted({k for counts in per_week for k in counts})
    clocks = [q.clock_figures(viewer, "governor", w, wing, scheme, with_median=False) for w in weeks]
    span = Week(weeks[-1].ending, weeks[0].start, weeks[-1].end)
    return Dashboard(
        weeks=weeks,
        overdue_by_scheme={k: [counts.get(k, 0) for counts in per_week] for k in keys},
        ack_share=[share(c.ack_met, c.ack_due) for c in clocks],
        resolve_share=[share(c.resolve_met, c.resolve_due) for c in clocks],
        first_action=_first_action_bands(viewer, span, wing, scheme))


def as_dict(d: Dashboard) -> dict[str, Any]:
    """For tests and a later API."""
    return {"weeks": [w.ending.isoformat() for w in d.weeks],
            "overdue_by_scheme": d.overdue_by_scheme, "ack_share": d.ack_share,
            "resolve_share": d.resolve_share, "first_action": d.first_action}
