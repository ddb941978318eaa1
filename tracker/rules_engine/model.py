"""The compiled rule set: immutable data built once by the loader and shared by every classify()."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tracker.rules_engine.lexicon import Matcher
from tracker.rules_engine.normalise import Corrector
from tracker.rules_engine.routing import Routing

RESOLVED = "_resolved"  # reserved lexicon holding "all sorted now"-style phrases
NEGATION_MODES = ("normal", "strict", "none")


@dataclass(frozen=True)
class LexiconInfo:
    """A named word list's metadata; its words live in the shared Matcher."""

    name: str
    description: str
    negation: str  # normal | strict | none


Split = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]  # strict, normal, never negated


class NegationModes:
    """Each set of lexicons a hit belongs to, split by negation mode (worked out once per set)."""

    def __init__(self, lexicons: Mapping[str, LexiconInfo]) -> None:
        self._modes = {name: info.negation for name, info in lexicons.items()}
        self.splits: dict[frozenset[str], Split] = {}

    def split(self, names: frozenset[str]) -> Split:
        """(strict, normal, none) lexicon names; names with no metadata are left out."""
        found = self.splits.get(names)
        if found is None:
            modes = self._modes
            ordered = sorted(n for n in names if n in modes)
            found = self.splits[names] = (
                tuple(n for n in ordered if modes[n] == "strict"),
                tuple(n for n in ordered if modes[n] == "normal"),
                tuple(n for n in ordered if modes[n] == "none"),
            )
        return found


@dataclass(frozen=True)
class NegationConfig:
    """How a negation word or a resolved statement cancels a matched signal."""

    words: frozenset[str]
    ignore_before: frozenset[str]
    window: int
    strict_window: int
    boundaries: frozenset[str]


@dataclass(frozen=True)
class Near:
    """Two lexicons whose matches must fall within a few words of each other, in one sentence."""

    first: str
    second: str
    within: int


@dataclass(frozen=True)
class Rule:
    """One classification rule: conditions (all must hold) and an outcome."""

    id: str
    description: str
    reason: str
    any_of: tuple[str, ...] = ()
    all_of: tuple[str, ...] = ()
    none_of: tuple[str, ...] = ()
    near: Near | None = None
    not_near: Near | None = None
    pattern: re.Pattern[str] | None = None
    facts: tuple[tuple[str, object], ...] = ()
    if_categories: tuple[str, ...] = ()
    unless_categories: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    urgency: str | None = None
    schemes: tuple[str, ...] = ()
    # Worked out by the loader: lexicons that must match for the rule to stand a chance, so
    # classify() can skip most rules with one set operation.
    needs_any: frozenset[str] = frozenset()
    needs_all: frozenset[str] = frozenset()


class RuleIndex:
    """Which rules a matched lexicon can make fire, so classify() only looks at those."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        by_lexicon: dict[str, list[int]] = {}
        always: list[int] = []
        for i, rule in enumerate(rules):
            gate = rule.needs_any or rule.needs_all
            if not gate:
                always.append(i)
            for name in gate:
                by_lexicon.setdefault(name, []).append(i)
        self.always = tuple(always)
        self.by_lexicon = {name: tuple(ids) for name, ids in by_lexicon.items()}

    def candidates(self, active: Mapping[str, object]) -> list[int]:
        """Rule positions, in file order, that may fire given the active lexicons."""
        found = set(self.always)
        by_lexicon = self.by_lexicon
        for name in active:
            ids = by_lexicon.get(name)
            if ids:
                found.update(ids)
        return sorted(found)


@dataclass(frozen=True)
class RuleSet:
    """Everything classify() needs, compiled once; version is a short hash of the rule files."""

    version: str
    source_dir: Path
    lexicons: dict[str, LexiconInfo]
    matcher: Matcher
    corrector: Corrector
    negation: NegationConfig
    rules: tuple[Rule, ...]
    routing: Routing
    negation_modes: NegationModes = field(init=False, repr=False, compare=False)
    rule_index: RuleIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "negation_modes", NegationModes(self.lexicons))
        object.__setattr__(self, "rule_index", RuleIndex(self.rules))
