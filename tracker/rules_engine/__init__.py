"""Pure rules engine: load and validate rule files, classify and route concerns, explain, evaluate."""

from tracker.rules_engine.classify import classify
from tracker.rules_engine.decision import Decision, Evidence
from tracker.rules_engine.errors import BadFactsError, RuleFileError, RulesError
from tracker.rules_engine.evaluate import EvaluationReport, evaluate
from tracker.rules_engine.facts import ConcernFacts
from tracker.rules_engine.loader import load_ruleset
from tracker.rules_engine.model import RuleSet

__all__ = [
    "BadFactsError", "ConcernFacts", "Decision", "EvaluationReport", "Evidence", "RuleFileError",
    "RuleSet", "RulesError", "classify", "evaluate", "load_ruleset",
]
