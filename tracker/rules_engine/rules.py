"""Parse classification.yaml into Rule objects, rejecting unknown facts, lexicons and bad patterns."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tracker.rules_engine.errors import RuleFileError
from tracker.rules_engine.facts import CATEGORIES, DECLARED_FACTS, SCHEMES, URGENCIES
from tracker.rules_engine.model import LexiconInfo, Near, Rule
from tracker.rules_engine.pattern_needs import required_characters
from tracker.rules_engine.yaml_marks import line_of

FILE = "classification.yaml"
_RULE_KEYS = {"id", "description", "reason", "when", "then"}
_WHEN_KEYS = {"any_of", "all_of", "none_of", "near", "not_near", "pattern", "facts", "if_categories",
              "unless_categories"}
_THEN_KEYS = {"categories", "urgency", "schemes"}


class _Ctx:
    """Where we are in the file, so every error names the rule and line."""

    def __init__(self, rule_id: str | None, node: object) -> None:
        self.rule_id = rule_id
        self.node = node

    def fail(self, message: str, node: object = None, key: str | None = None) -> None:
        """Raise a RuleFileError at the most precise line known."""
        line = line_of(node if node is not None else self.node, key) or line_of(self.node)
        raise RuleFileError(FILE, message, rule_id=self.rule_id, line=line)


def _names(ctx: _Ctx, when: Any, key: str, known: Mapping[str, Any] | tuple[str, ...],
           what: str) -> tuple[str, ...]:
    """A list of known names (lexicons or categories) under a condition key."""
    raw = when.get(key) or []
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list):
        ctx.fail(f"{key} must be a list of {what} names", when, key)
    for value in values:
        if value not in known:
            ctx.fail(f"{key}: unknown {what} {value!r}", when, key)
    return tuple(values)


def _near(ctx: _Ctx, when: Any, lexicons: Mapping[str, LexiconInfo], key: str) -> Near | None:
    """Parse 'near: {lexicons: [a, b], within: N}' (or not_near)."""
    raw = when.get(key)
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        ctx.fail(f"{key} must be {{lexicons: [a, b], within: N}}", when, key)
    names = _names(ctx, raw, "lexicons", lexicons, "lexicon")
    within = raw.get("within", 8)
    if len(names) != 2 or not isinstance(within, int) or within < 1:
        ctx.fail(f"{key} needs exactly two lexicons and a positive 'within'", raw)
    return Near(names[0], names[1], within)


def _pattern(ctx: _Ctx, when: Any) -> re.Pattern[str] | None:
    """Compile a rule's regular expression, or say why it is bad."""
    raw = when.get("pattern")
    if raw is None:
        return None
    try:
        return re.compile(str(raw))
    except re.error as exc:
        ctx.fail(f"bad pattern {raw!r}: {exc}", when, "pattern")
    return None  # pragma: no cover - fail() always raises


def _facts(ctx: _Ctx, when: Any) -> tuple[tuple[str, object], ...]:
    """Structured-fact conditions; each fact must be declared and the value of its declared type."""
    raw = when.get("facts") or {}
    if not isinstance(raw, Mapping):
        ctx.fail("facts must be a mapping of fact -> value", when, "facts")
    for name, value in raw.items():
        if name not in DECLARED_FACTS:
            ctx.fail(f"unknown fact {name!r} (declared: {', '.join(DECLARED_FACTS)})", raw, name)
        if type(value) is not DECLARED_FACTS[name]:
            ctx.fail(f"fact {name!r} takes {DECLARED_FACTS[name].__name__}", raw, name)
    return tuple(raw.items())


def _outcome(ctx: _Ctx, then: Any) -> tuple[tuple[str, ...], str | None, tuple[str, ...]]:
    """Categories, urgency floor and suggested schemes, all checked against the known ids."""
    if not isinstance(then, Mapping) or not then:
        ctx.fail("a rule needs a 'then' with categories, urgency or schemes")
    for key in then:
        if key not in _THEN_KEYS:
            ctx.fail(f"unknown outcome {key!r}", then, key)
    categories = _names(ctx, then, "categories", CATEGORIES, "category")
    schemes = _names(ctx, then, "schemes", SCHEMES, "scheme")
    urgency = then.get("urgency")
    if urgency is not None and urgency not in URGENCIES:
        ctx.fail(f"urgency must be one of {URGENCIES}", then, "urgency")
    return categories, urgency, schemes


def _rule(raw: Any, lexicons: Mapping[str, LexiconInfo]) -> Rule:
    """Validate one rule and freeze it."""
    ctx = _Ctx(raw.get("id") if isinstance(raw, Mapping) else None, raw)
    if not isinstance(raw, Mapping) or not raw.get("id"):
        ctx.fail("each rule needs an id")
    ctx.rule_id = str(raw["id"])
    for key in raw:
        if key not in _RULE_KEYS:
            ctx.fail(f"unknown rule field {key!r}", raw, key)
    if not raw.get("description"):
        ctx.fail("each rule needs a description")
    when = raw.get("when")
    if not isinstance(when, Mapping) or not when:
        ctx.fail("a rule needs at least one condition under 'when'")
    for key in when:
        if key not in _WHEN_KEYS:
            ctx.fail(f"unknown condition {key!r} (known: {', '.join(sorted(_WHEN_KEYS))})", when, key)
    categories, urgency, schemes = _outcome(ctx, raw.get("then"))
    any_of = _names(ctx, when, "any_of", lexicons, "lexicon")
    all_of = _names(ctx, when, "all_of", lexicons, "lexicon")
    near = _near(ctx, when, lexicons, "near")
    pattern = _pattern(ctx, when)
    return Rule(
        id=ctx.rule_id, description=str(raw["description"]),
        reason=str(raw.get("reason") or raw["description"]),
        any_of=any_of, all_of=all_of,
        none_of=_names(ctx, when, "none_of", lexicons, "lexicon"),
        near=near, not_near=_near(ctx, when, lexicons, "not_near"),
        pattern=pattern, facts=_facts(ctx, when),
        if_categories=_names(ctx, when, "if_categories", CATEGORIES, "category"),
        unless_categories=_names(ctx, when, "unless_categories", CATEGORIES, "category"),
        categories=categories, urgency=urgency, schemes=schemes,
        needs_any=frozenset(any_of),
        needs_all=frozenset(all_of) | (frozenset((near.first, near.second)) if near else frozenset()),
        pattern_needs=tuple(sorted(required_characters(pattern))) if pattern is not None else (),
    )


def parse_rules(data: Any, lexicons: Mapping[str, LexiconInfo]) -> tuple[Rule, ...]:
    """All rules in file order (order matters for unless_categories), ids unique."""
    raw_rules = data.get("rules") if isinstance(data, Mapping) else None
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RuleFileError(FILE, "expected 'rules:' with a list of rules", line=line_of(data))
    rules: list[Rule] = []
    seen: dict[str, int | None] = {}
    for raw in raw_rules:
        rule = _rule(raw, lexicons)
        if rule.id in seen:
            raise RuleFileError(FILE, f"duplicate rule id (first at line {seen[rule.id]})",
                                rule_id=rule.id, line=line_of(raw))
        seen[rule.id] = line_of(raw)
        rules.append(rule)
    return tuple(rules)
