"""Pure rules engine: load and validate rule files, classify and route concerns, explain, evaluate."""

from typing import TYPE_CHECKING, Any

from tracker.rules_engine.classify import classify
from tracker.rules_engine.decision import Decision, Evidence
from tracker.rules_engine.errors import BadFactsError, RuleFileError, RulesError
from tracker.rules_engine.facts import ConcernFacts
from tracker.rules_engine.loader import load_ruleset
from tracker.rules_engine.model import RuleSet

if TYPE_CHECKING:
    from tracker.rules_engine.evaluate import EvaluationReport, evaluate


def __getattr__(name: str) -> Any:
    """Import evaluate lazily, so `python -m tracker.rules_engine.evaluate` runs it only once."""
    if name in ("evaluate", "EvaluationReport"):
        from tracker.rules_engine import evaluate as module

        return getattr(module, name)
    raise AttributeError(name)

__all__ = [
    "BadFactsError", "ConcernFacts", "Decision", "EvaluationReport", "Evidence", "RuleFileError",
    "RuleSet", "RulesError", "classify", "evaluate", "load_ruleset",
]
