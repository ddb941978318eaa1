"""The rule set the running app classifies with; a failed reload keeps the last good one."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import Flask, current_app

from tracker.rules_engine import RulesError, RuleSet, load_ruleset

log = logging.getLogger(__name__)


class RuleHolder:
    """Holds the current RuleSet; swaps it only for one that loaded cleanly."""

    def __init__(self, rules_dir: Path) -> None:
        self.rules_dir = rules_dir
        self._lock = threading.Lock()
        self.current: RuleSet = load_ruleset(rules_dir)
        self.last_error: str | None = None

    def reload(self) -> bool:
        """Try the files again; on error keep serving the last good rule set."""
        try:
            fresh = load_ruleset(self.rules_dir)
        except RulesError as exc:
            self.last_error = str(exc)
            log.error("rule reload failed; keeping version %s: %s", self.current.version, exc)
            return False
        with self._lock:
            self.current, self.last_error = fresh, None
        return True


def init_app(app: Flask) -> None:
    """Load the rules once at start-up: a broken rule file stops the app before it serves."""
    app.extensions["tracker.rules"] = RuleHolder(Path(app.config["RULES_DIR"]))


def current_rules() -> RuleSet:
    """The rule set in force for this app."""
    holder: RuleHolder = current_app.extensions["tracker.rules"]
    return holder.current
