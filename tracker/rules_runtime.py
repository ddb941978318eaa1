"""The rule set the running app classifies with; a failed reload keeps the last good one."""

from __future__ import annotations

import logging
import threading
import time
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
        self._stamp = self.files_stamp()
        self._checked = time.monotonic()

    def files_stamp(self) -> tuple[tuple[str, int, int], ...]:
        """Name, modification time and size of every rule file (the learned safety net's model
        included): changes when one is written."""
        found = []
        folder = Path(self.rules_dir)
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("learned.json")]):
            info = path.stat()
            found.append((path.name, info.st_mtime_ns, info.st_size))
        return tuple(found)

    def refresh_if_changed(self, every_seconds: float = 2.0) -> bool:
        """Reload when the files changed (published from another worker); checks at most every few s."""
        now = time.monotonic()
        if now - self._checked < every_seconds:
            return False
        self._checked = now
        stamp = self.files_stamp()
        if stamp == self._stamp:
            return False
        self._stamp = stamp  # a broken file is reported once, not retried on every request
        ok = self.reload()
        from tracker.services import deadlines  # clock terms and ladders too

        deadlines.forget_cached()
        return ok

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
            self._stamp = self.files_stamp()
        return True


def init_app(app: Flask) -> None:
    """Load the rules once at start-up: a broken rule file stops the app before it serves."""
    app.extensions["tracker.rules"] = RuleHolder(Path(app.config["RULES_DIR"]))
    app.before_request(_pick_up_published_rules)


def _pick_up_published_rules() -> None:
    """Every worker process follows a publish made in another one (rules are files)."""
    holder: RuleHolder = current_app.extensions["tracker.rules"]
    holder.refresh_if_changed()


def current_rules() -> RuleSet:
    """The rule set in force for this app."""
    holder: RuleHolder = current_app.extensions["tracker.rules"]
    return holder.current
