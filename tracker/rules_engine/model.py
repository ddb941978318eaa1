"""The compiled rule set: immutable data built once by the loader and shared by every classify()."""

from __future__ import annotations

import re
from dataclasses import dataclass
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
