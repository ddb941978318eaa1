"""The access policy of tracker/core/access.py, compiled to SQL for list queries.

The queue and digests cannot load every row to ask the Python policy; this builds the same
decision as a WHERE clause. tests/integration/test_visibility_sql.py checks, over a generated
matrix of concerns and viewers, that both give the same answer.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, not_, or_, select, true

from tracker.core.access import ROLE_TEAMS, STAFF_ROLES, Viewer
from tracker.models import Concern, ConcernAudience, User


def audience_keys(scheme: str, co_schemes: list[str], owner: str, extra: list[str]) -> set[str]:
    """The audience rows a routing decision implies."""
    return ({f"scheme:{s}" for s in [scheme, *co_schemes]}
            | {f"team:{t}" for t in [owner, *extra]})


def _addressed_to(keys: set[str]) -> ColumnElement[bool]:
    if not keys:
        return false()
    return exists(select(ConcernAudience.concern_id).where(
        ConcernAudience.concern_id == Concern.id, ConcernAudience.key.in_(sorted(keys))))


def _not_excluded(viewer: Viewer) -> ColumnElement[bool]:
    """Not the named member of staff, nor (for officers) a colleague on the named member's wing."""
    excluded: ColumnElement[bool] = Concern.about_staff_id == viewer.user_id
    if viewer.role == "officer" and viewer.wing_id is not None:
        same_wing = select(User.id).where(User.wing_id == viewer.wing_id)
        excluded = or_(excluded, Concern.about_staff_id.in_(same_wing))
    return or_(Concern.about_staff_id.is_(None), not_(excluded))


def _in_audience(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.role == "governor":
        return true()
    teams = {f"team:{t}" for t in ROLE_TEAMS.get(viewer.role, frozenset())}
    by_team = _addressed_to(teams)
    if viewer.role == "officer":
        by_team = and_(by_team, Concern.wing_id == viewer.wing_id)
    by_scheme = (and_(_addressed_to({f"scheme:{s}" for s in viewer.schemes}),
                      Concern.confidentiality != "staff_complaint")
                 if viewer.role == "scheme_lead" else false())
    return or_(Concern.assigned_to_id == viewer.user_id, by_team, by_scheme)


def may_know_exists_sql(viewer: Viewer) -> ColumnElement[bool]:
    """SQL twin of core.access.may_know_exists."""
    same_prison = Concern.establishment_id == viewer.establishment_id
    if viewer.role == "supporter":
        return and_(same_prison, Concern.raised_by_id == viewer.user_id)
    if viewer.role not in STAFF_ROLES or viewer.role == "admin":
        return false()
    return and_(same_prison, _not_excluded(viewer), _in_audience(viewer))
