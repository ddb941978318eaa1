"""Routing table: categories x establishment -> scheme, owner, co-referrals, confidentiality."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NoReturn

from tracker.rules_engine.errors import RuleFileError
from tracker.rules_engine.facts import CATEGORIES, CONFIDENTIALITY, SCHEMES, TEAMS
from tracker.rules_engine.yaml_marks import line_of

FILE = "routing.yaml"
_ROUTE_KEYS = {"id", "description", "when", "suggested", "scheme", "co_schemes", "owner",
               "extra_owners", "confidentiality"}
_OVERRIDABLE = _ROUTE_KEYS - {"id", "when"}
_DECIDED_LIMIT = 4096


@dataclass(frozen=True)
class Route:
    """One row of the routing table; the first row whose conditions hold decides."""

    id: str
    description: str
    when: tuple[str, ...]
    suggested: str | None
    scheme: str
    co_schemes: tuple[str, ...]
    owner: str
    extra_owners: tuple[str, ...]
    confidentiality: str

    def applies(self, categories: frozenset[str], suggested: frozenset[str]) -> bool:
        """All listed categories present, and the suggested scheme (if any) was suggested."""
        if self.suggested is not None and self.suggested not in suggested:
            return False
        return categories.issuperset(self.when)


@dataclass(frozen=True)
class Routing:
    """Ordered routes per establishment (precedence is the order) plus the plain-words names."""

    routes: dict[str, tuple[Route, ...]]  # establishment -> routes; "default" always present
    scheme_names: dict[str, str]
    team_names: dict[str, str]
    confidentiality_text: dict[str, str]
    immediate_team: str
    _decided: dict[tuple[object, ...], tuple[Route, tuple[str, ...], tuple[str, ...]]] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def table(self, establishment: str | None) -> tuple[Route, ...]:
        """The routes for an establishment, falling back to the default table."""
        return self.routes.get(establishment or "default", self.routes["default"])

    def route(self, categories: frozenset[str], suggested: frozenset[str],
              establishment: str | None) -> Route:
        """First route whose conditions hold; the table always ends in a catch-all."""
        table = self.table(establishment)
        return next(r for r in table if r.applies(categories, suggested))

    def decide(self, categories: frozenset[str], suggested: frozenset[str],
               establishment: str | None, immediate: bool) -> tuple[Route, tuple[str, ...],
                                                                   tuple[str, ...]]:
        """Route, co-referred schemes and extra owning teams (remembered: few combinations exist)."""
        key = (categories, suggested, establishment, immediate)
        found = self._decided.get(key)
        if found is None:
            route = self.route(categories, suggested, establishment)
            extra = set(route.extra_owners)
            if immediate:
                extra.add(self.immediate_team)
            extra.discard(route.owner)
            found = (route, self.co_schemes(route, categories, establishment), tuple(sorted(extra)))
            if len(self._decided) > _DECIDED_LIMIT:
                self._decided.clear()
            self._decided[key] = found
        return found

    def co_schemes(self, route: Route, categories: frozenset[str],
                   establishment: str | None) -> tuple[str, ...]:
        """The route's co-referrals plus the own scheme of every other category present."""
        extra = set(route.co_schemes)
        for category in categories:
            single = next((r for r in self.table(establishment) if r.when == (category,)), None)
            if single is not None:
                extra.add(single.scheme)
        extra.discard(route.scheme)
        extra.discard("triage")
        return tuple(sorted(extra))


def _fail(message: str, node: object, rule_id: str | None = None,
          key: str | None = None) -> NoReturn:
    """Raise a RuleFileError pointing at the node's line."""
    raise RuleFileError(FILE, message, rule_id=rule_id, line=line_of(node, key))


def _check_values(route: Any, key: str, values: list[str], allowed: tuple[str, ...], rid: str) -> None:
    """Every value of a route field must be a known id."""
    for value in values:
        if value not in allowed:
            _fail(f"{key}: unknown value {value!r} (known: {', '.join(allowed)})", route, rid, key)


def _as_list(value: Any) -> list[str]:
    """Accept one value or a list of values."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _parse_route(raw: Any) -> Route:
    """Validate one route row and freeze it."""
    if not isinstance(raw, Mapping) or not raw.get("id"):
        _fail("each route needs an id", raw)
    rid = str(raw["id"])
    for key in raw:
        if key not in _ROUTE_KEYS:
            _fail(f"unknown route field {key!r}", raw, rid, key)
    for key in ("scheme", "owner", "confidentiality"):
        if key not in raw:
            _fail(f"route needs {key!r}", raw, rid)
    _check_values(raw, "when", _as_list(raw.get("when")), CATEGORIES, rid)
    _check_values(raw, "scheme", _as_list(raw["scheme"]) + _as_list(raw.get("co_schemes"))
                  + _as_list(raw.get("suggested")), SCHEMES, rid)
    _check_values(raw, "owner", _as_list(raw["owner"]) + _as_list(raw.get("extra_owners")), TEAMS, rid)
    _check_values(raw, "confidentiality", [raw["confidentiality"]], CONFIDENTIALITY, rid)
    return Route(rid, str(raw.get("description", "")), tuple(_as_list(raw.get("when"))),
                 raw.get("suggested"), raw["scheme"], tuple(_as_list(raw.get("co_schemes"))),
                 raw["owner"], tuple(_as_list(raw.get("extra_owners"))), raw["confidentiality"])


def _parse_table(raw_routes: Any) -> tuple[Route, ...]:
    """Parse the ordered default table and check it covers every category and ends in a catch-all."""
    if not isinstance(raw_routes, list) or not raw_routes:
        _fail("'routes' must be a non-empty list", raw_routes)
    routes = tuple(_parse_route(raw) for raw in raw_routes)
    seen: set[str] = set()
    for raw, route in zip(raw_routes, routes, strict=True):
        if route.id in seen:
            _fail("duplicate route id", raw, route.id)
        seen.add(route.id)
    for category in CATEGORIES:
        if not any(r.when == (category,) and r.suggested is None for r in routes):
            _fail(f"no route for {category!r} on its own", raw_routes)
    last = routes[-1]
    if last.when or last.suggested:
        _fail("the last route must be a catch-all (no 'when', no 'suggested')", raw_routes[-1], last.id)
    return routes


def _apply_overrides(default: tuple[Route, ...], raw: Any, name: str) -> tuple[Route, ...]:
    """An establishment's table: the default with some fields of some routes replaced."""
    by_id = {r.id: r for r in default}
    changes = raw.get("routes", {}) if isinstance(raw, Mapping) else None
    if not isinstance(changes, Mapping):
        _fail(f"establishment {name!r} needs a 'routes' mapping of route id -> changed fields", raw)
    for rid, fields in changes.items():
        if rid not in by_id:
            _fail(f"establishment {name!r} overrides unknown route", changes, rid, rid)
        bad = set(fields) - _OVERRIDABLE
        if bad:
            _fail(f"cannot override {sorted(bad)}", fields, rid)
        merged = {**by_id[rid].__dict__, **fields, "id": rid, "when": list(by_id[rid].when)}
        by_id[rid] = replace(_parse_route(_copy_marks(merged, fields)))
    return tuple(by_id[r.id] for r in default)


def _copy_marks(merged: dict, source: Any) -> dict:
    """Keep the override's line numbers on the merged mapping so errors still point at it."""
    from tracker.rules_engine.yaml_marks import MarkedDict

    result = MarkedDict(merged)
    result.line = getattr(source, "line", 0)
    result.key_lines = dict(getattr(source, "key_lines", {}))
    return result


def parse_routing(data: Any) -> Routing:
    """Validate routing.yaml's content and build the Routing table."""
    if not isinstance(data, Mapping):
        raise RuleFileError(FILE, "expected a mapping at the top level")
    default = _parse_table(data.get("routes"))
    tables = {"default": default}
    for name, raw in (data.get("establishments") or {}).items():
        tables[str(name)] = _apply_overrides(default, raw, str(name))
    immediate = (data.get("immediate") or {}).get("alert_team", "safer_custody")
    if immediate not in TEAMS:
        _fail(f"immediate.alert_team: unknown team {immediate!r}", data, key="immediate")
    return Routing(tables, dict(data.get("scheme_names") or {}), dict(data.get("team_names") or {}),
                   dict(data.get("confidentiality_text") or {}), immediate)
