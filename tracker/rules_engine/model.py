"""The compiled rule set: immutable data built once by the loader and shared by every classify()."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tracker.rules_engine.learned import LearnedNet
from tracker.rules_engine.lexicon import Matcher
from tracker.rules_engine.normalise import Corrector
from tracker.rules_engine.routing import Routing

RESOLVED = "_resolved"  # reserved lexicon holding "all sorted now"-style phrases
LONG_AGO = "_long_ago"  # reserved lexicon holding "hasn't done it for years"-style phrases
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
        self.every: dict[frozenset[str], tuple[str, ...]] = {}  # all three parts of the split

    def every_of(self, names: frozenset[str]) -> tuple[str, ...]:
        """Every lexicon name with metadata, in the split's order (used when nothing is negated)."""
        found = self.every.get(names)
        if found is None:
            strict, normal, free = self.split(names)
            found = self.every[names] = (*free, *strict, *normal)
        return found

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
    # Phrases that, just before a hit, deny it even where one negation word near it would not
    # ("no thoughts of" harming himself): a supporter's note saying there is no risk.
    denials: tuple[tuple[str, ...], ...] = ()
    # Words or phrases that keep a risk live in a sentence that also says it stopped long ago
    # ("he cut himself years ago and hasn't since, but he's started again").
    still_now: tuple[tuple[str, ...], ...] = ()
    # How far back a negation word can matter to a hit: the widest window or denial.
    widest: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "widest", max(self.window, self.strict_window,
                                               *map(len, self.denials)))


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
    # Characters every match of `pattern` contains: a text lacking one skips the search.
    pattern_needs: tuple[str, ...] = ()


def _only_any_of(rule: Rule) -> bool:
    """Whether any_of is the rule's only condition."""
    return bool(rule.any_of) and not (
        rule.all_of or rule.none_of or rule.near or rule.not_near or rule.pattern or rule.facts
        or rule.if_categories or rule.unless_categories)


class RuleIndex:
    """Which rules a matched lexicon can make fire, so classify() only looks at those.

    Each lexicon maps to a bit mask of rule positions; OR-ing the masks of the matched lexicons
    and reading the bits low to high gives the candidate rules in file order.
    """

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        masks: dict[str, int] = {}
        always = 0
        for i, rule in enumerate(rules):
            gate = rule.needs_any or rule.needs_all
            if not gate:
                always |= 1 << i
            for name in gate:
                masks[name] = masks.get(name, 0) | 1 << i
        self.always = always
        self.masks = masks
        # bit -> (rule, any_of when that is its only condition: then the mask alone decides it)
        self.by_bit = {1 << i: (rule, rule.any_of if _only_any_of(rule) else None)
                       for i, rule in enumerate(rules)}

    def mask(self, active: Mapping[str, object]) -> int:
        """Bit mask of the rules that may fire given the active lexicons."""
        found = self.always
        get = self.masks.get
        for name in active:
            found |= get(name, 0)
        return found

    def candidates(self, active: Mapping[str, object]) -> list[int]:
        """Rule positions, in file order, that may fire given the active lexicons."""
        found = self.mask(active)
        return [i for i in range(found.bit_length()) if found >> i & 1]


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
    learned: LearnedNet | None = None  # rules/learned.json, when present: the learned safety net
    # Short hash of learned.json: `version` covers the five YAML files only (web publishing
    # compiles those alone), so a stored decision records this too, to say which model spoke.
    learned_version: str | None = None
    negation_modes: NegationModes = field(init=False, repr=False, compare=False)
    rule_index: RuleIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "negation_modes", NegationModes(self.lexicons))
        object.__setattr__(self, "rule_index", RuleIndex(self.rules))
