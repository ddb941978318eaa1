"""The access policy of tracker/core/access.py, compiled to SQL for list queries.

The queue and digests cannot load every row to ask the Python policy; this builds the same
decision as a WHERE clause. tests/integration/test_visibility_sql.py checks, over a generated
matrix of concerns and viewers, that both give the same answer.

Like the Python policy, it reads the routing stored on the concern row itself (scheme and
owner columns, copied schemes and extra owners as JSON lists): no join, so PostgreSQL decides
row by row while it walks the open items (an EXISTS over concern_audience under an OR became a
probe per open row, or a hash of every stored item's audience).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Integer,
    Text,
    and_,
    bindparam,
    cast,
    false,
    literal,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.functions import FunctionElement

from tracker.core.access import ROLE_TEAMS, STAFF_ROLES, Viewer
from tracker.core.escalation import COMPLAINT_LADDER, SCHEME_POSTS
from tracker.models import Concern, User
from tracker.services.deadlines import ladders


def audience_keys(scheme: str, co_schemes: list[str], owner: str, extra: list[str]) -> set[str]:
    """The audience rows a routing decision implies."""
    return ({f"scheme:{s}" for s in [scheme, *co_schemes]}
            | {f"team:{t}" for t in [owner, *extra]})


class list_has_any(FunctionElement[bool]):  # noqa: N801 (named like the SQL functions it stands for)
    """True when a JSON list of strings holds at least one of the given strings (exact match)."""

    type = Boolean()
    name = "list_has_any"
    inherit_cache = True


@compiles(list_has_any, "postgresql")
def _list_has_any_pg(element: list_has_any, compiler: SQLCompiler, **kw: Any) -> str:
    column, *values = element.clauses
    wanted = ", ".join(compiler.process(v, **kw) for v in values)
    return f"CAST({compiler.process(column, **kw)} AS JSONB) ?| CAST(ARRAY[{wanted}] AS TEXT[])"


@compiles(list_has_any, "sqlite")
def _list_has_any_sqlite(element: list_has_any, compiler: SQLCompiler, **kw: Any) -> str:
    column, *values = element.clauses
    wanted = ", ".join(compiler.process(v, **kw) for v in values)
    return (f"EXISTS (SELECT 1 FROM json_each({compiler.process(column, **kw)}) AS listed "  # noqa: S608
            f"WHERE listed.type = 'text' AND listed.value IN ({wanted}))")


def _has_any(column: Any, values: list[str]) -> ColumnElement[bool]:
    # Most lists are empty: a text comparison skips them before the JSON is parsed (exact
    # either way: any other spelling of a list goes on to the JSON test).
    return and_(cast(column, Text) != "[]", list_has_any(column, *(literal(v) for v in values)))


def _addressed_to_teams(teams: set[str]) -> ColumnElement[bool]:
    """Owned by one of these teams: the owner column, or one of the extra owners."""
    if not teams:
        return false()
    wanted = sorted(teams)
    return or_(Concern.owner_team.in_(wanted), _has_any(Concern.extra_owners, wanted))


def _addressed_to_schemes(schemes: frozenset[str]) -> ColumnElement[bool]:
    """Routed to one of these schemes: the primary scheme, or one copied in."""
    if not schemes:
        return false()
    wanted = sorted(schemes)
    return or_(Concern.scheme.in_(wanted), _has_any(Concern.co_schemes, wanted))


class _Ids(NamedTuple):
    """The viewer's ids as the clause uses them: values, or bound parameters filled in later."""

    user_id: int | BindParameter[int]
    establishment_id: int | BindParameter[int]
    wing_id: int | BindParameter[int] | None


# The bound form's parameters (see may_know_exists_sql_bound and viewer_params).
VIEWER_USER_ID: BindParameter[int] = bindparam("viewer_user_id", type_=Integer())
VIEWER_ESTABLISHMENT_ID: BindParameter[int] = bindparam("viewer_establishment_id", type_=Integer())
VIEWER_WING_ID: BindParameter[int] = bindparam("viewer_wing_id", type_=Integer())


def _not_excluded(viewer: Viewer, ids: _Ids) -> ColumnElement[bool]:
    """Not the named member of staff, nor (for officers) a colleague on the named member's wing."""
    excluded: ColumnElement[bool] = Concern.about_staff_id == ids.user_id
    if viewer.role == "officer" and viewer.wing_id is not None:
        same_wing = select(User.id).where(User.wing_id == ids.wing_id)
        excluded = or_(excluded, Concern.about_staff_id.in_(same_wing))
    return or_(Concern.about_staff_id.is_(None), not_(excluded))


def _in_audience(viewer: Viewer, ids: _Ids) -> ColumnElement[bool]:
    if viewer.role == "governor":
        return true()
    by_team = _addressed_to_teams(set(ROLE_TEAMS.get(viewer.role, frozenset())))
    if viewer.role == "officer":
        by_team = and_(by_team, Concern.wing_id == ids.wing_id)
    by_scheme = (and_(_addressed_to_schemes(viewer.schemes),
                      Concern.confidentiality != "staff_complaint")
                 if viewer.role == "scheme_lead" else false())
    return or_(Concern.assigned_to_id == ids.user_id, by_team, by_scheme, _by_ladder(viewer, ids))


def _by_ladder(viewer: Viewer, ids: _Ids) -> ColumnElement[bool]:
    """Items escalated to a rung the viewer's role staffs (core.access ``ladder_roles``)."""
    all_ladders = ladders()
    reached = []
    named = [k for k in all_ladders.by_scheme if k not in ("default", COMPLAINT_LADDER)]
    for key, ladder in all_ladders.by_scheme.items():
        level = ladder.first_level(viewer.role)
        if level is None or viewer.role in SCHEME_POSTS:
            continue
        if key == COMPLAINT_LADDER:
            which = Concern.confidentiality == "staff_complaint"
        else:
            scheme = Concern.scheme.not_in(named) if key == "default" else Concern.scheme == key
            which = and_(scheme, Concern.confidentiality != "staff_complaint") \
                if COMPLAINT_LADDER in all_ladders.by_scheme else scheme
        reached.append(and_(which, Concern.escalation_level >= level))
    if not reached:
        return false()
    clause = or_(*reached)
    if viewer.role == "officer":
        clause = and_(clause, Concern.wing_id == ids.wing_id,
                      Concern.confidentiality != "staff_complaint")
    return clause


def _policy(viewer: Viewer, ids: _Ids) -> ColumnElement[bool]:
    same_prison = Concern.establishment_id == ids.establishment_id
    if viewer.role == "supporter":
        return and_(same_prison, Concern.raised_by_id == ids.user_id)
    if viewer.role not in STAFF_ROLES or viewer.role == "admin":
        return false()
    return and_(same_prison, _not_excluded(viewer, ids), _in_audience(viewer, ids))


def may_know_exists_sql(viewer: Viewer) -> ColumnElement[bool]:
    """SQL twin of core.access.may_know_exists."""
    return _policy(viewer, _Ids(viewer.user_id, viewer.establishment_id, viewer.wing_id))


def bound_shape(viewer: Viewer) -> tuple[str, frozenset[str], bool]:
    """What may_know_exists_sql_bound's SQL depends on (with the ladders in force): viewers
    alike in these share one clause."""
    return viewer.role, viewer.schemes, viewer.wing_id is None


def may_know_exists_sql_bound(viewer: Viewer) -> ColumnElement[bool]:
    """may_know_exists_sql with the viewer's ids left as bound parameters, for a statement kept
    and reused for every viewer of the same bound_shape; execute it with viewer_params(viewer).

    A missing wing stays in the SQL (``IS NULL``, as in the unbound form), so it is part of
    the shape; a parameter left unset is an error at execution, never a match.
    """
    wing = None if viewer.wing_id is None else VIEWER_WING_ID
    return _policy(viewer, _Ids(VIEWER_USER_ID, VIEWER_ESTABLISHMENT_ID, wing))


def viewer_params(viewer: Viewer) -> dict[str, int]:
    """The values of may_know_exists_sql_bound's parameters for this viewer."""
    params = {VIEWER_USER_ID.key: viewer.user_id, VIEWER_ESTABLISHMENT_ID.key: viewer.establishment_id}
    if viewer.wing_id is not None:
        params[VIEWER_WING_ID.key] = viewer.wing_id
    return params
