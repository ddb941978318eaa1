"""The outcome of classifying one concern, and its JSON contract."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Evidence:
    """Why a rule fired: its id and the words of the text that matched."""

    rule: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    """Where a concern goes, how fast, who may see it, and why."""

    categories: tuple[str, ...]
    urgency: str
    scheme: str
    co_schemes: tuple[str, ...]
    owner: str
    extra_owners: tuple[str, ...]
    confidentiality: str
    rules: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    alert_safer_custody: bool
    tell_officer_now: bool
    supporter_explanation: str
    staff_explanation: str
    ruleset_version: str

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract shared by `tracker classify` and POST /api/v1/classify (no id)."""
        return {
            "categories": list(self.categories),
            "urgency": self.urgency,
            "scheme": self.scheme,
            "co_schemes": list(self.co_schemes),
            "owner": self.owner,
            "extra_owners": list(self.extra_owners),
            "confidentiality": self.confidentiality,
            "rules": list(self.rules),
            "evidence": [{"rule": e.rule, "words": list(e.words)} for e in self.evidence],
            "alert_safer_custody": self.alert_safer_custody,
            "tell_officer_now": self.tell_officer_now,
            "explanation": self.supporter_explanation,
            "staff_explanation": self.staff_explanation,
            "ruleset_version": self.ruleset_version,
        }
