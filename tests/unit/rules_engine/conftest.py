"""Shared fixtures for the rules-engine unit tests: the shipped rule set, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.rules_engine import ConcernFacts, Decision, RuleSet, classify, load_ruleset

REPO = Path(__file__).resolve().parents[3]
RULES_DIR = REPO / "rules"


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    """The shipped rules, compiled once for the whole session."""
    return load_ruleset(RULES_DIR)


@pytest.fixture(scope="session")
def decide(ruleset: RuleSet):
    """Classify a text (plus optional kiosk answers) with the shipped rules."""

    def _decide(text: str, **answers: object) -> Decision:
        return classify(ruleset, ConcernFacts(text=text, **answers))  # type: ignore[arg-type]

    return _decide
