"""One exception root: bad rule text (RuleFileError) is kept apart from bad input (BadFactsError)."""

from __future__ import annotations


class RulesError(Exception):
    """Root of every error the rules engine raises, so callers can catch one class."""


class RuleFileError(RulesError):
    """A rule file is unreadable or invalid; names the file, rule and line so an editor can fix it."""

    def __init__(
        self, file: str, message: str, rule_id: str | None = None, line: int | None = None
    ) -> None:
        self.file = file
        self.rule_id = rule_id
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        rule = f" rule {self.rule_id}:" if self.rule_id else ""
        return f"{where}:{rule} {self.message}"


class BadFactsError(RulesError):
    """The facts handed to classify() are malformed (wrong type, unknown value)."""
