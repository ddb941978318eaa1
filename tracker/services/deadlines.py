"""Clock terms and the working calendar as configured in rules/, loaded once per rules folder."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from flask import current_app

from tracker.core.clock_rules import ClockRules, load_clock_rules, load_ladders
from tracker.core.clocks import Deadlines, deadlines
from tracker.core.escalation import Ladders


@lru_cache(maxsize=8)
def _rules(rules_dir: str) -> ClockRules:
    return load_clock_rules(Path(rules_dir) / "clocks.yaml")


def clock_rules() -> ClockRules:
    """The clock terms and calendar in force."""
    return _rules(current_app.config["RULES_DIR"])


@lru_cache(maxsize=8)
def _ladders(rules_dir: str) -> Ladders:
    return load_ladders(Path(rules_dir) / "escalation.yaml")


def ladders() -> Ladders:
    """The escalation ladders in force."""
    return _ladders(current_app.config["RULES_DIR"])


def forget_cached() -> None:
    """Drop the cached terms and ladders (the rule files changed)."""
    _rules.cache_clear()
    _ladders.cache_clear()


def for_new(categories: Iterable[str], urgency: str, now: datetime) -> Deadlines:
    """Acknowledge-by and resolve-by for a concern raised now."""
    rules = clock_rules()
    term = rules.terms.terms_for(categories, urgency, start=now, calendar=rules.calendar)
    return deadlines(term, now, rules.calendar)
