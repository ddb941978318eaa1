"""The facts a rule may refer to, declared and typed in code so rule files cannot invent new ones."""

from __future__ import annotations

from dataclasses import dataclass, fields

from tracker.rules_engine.errors import BadFactsError

#: Structured kiosk answers a rule may test with ``facts:``; name -> accepted Python type.
DECLARED_FACTS: dict[str, type] = {
    "risk_now": bool,
    "about_staff": bool,
    "consent_to_share": bool,
    "establishment": str,
}

CATEGORIES: tuple[str, ...] = ("bullying", "emotional_distress", "equality", "staff_complaint")
URGENCIES: tuple[str, ...] = ("routine", "urgent", "immediate")  # lowest to highest
SCHEMES: tuple[str, ...] = (
    "listeners", "insiders", "buddies", "equality_reps", "shannon_trust", "pal", "triage",
)
TEAMS: tuple[str, ...] = ("safer_custody", "equality_lead", "complaints", "wing_staff", "education")
CONFIDENTIALITY: tuple[str, ...] = ("staff_complaint", "sealed", "need_to_know", "ordinary")


@dataclass(frozen=True)
class ConcernFacts:
    """What the kiosk knows about one concern: the free text plus the structured answers."""

    text: str
    risk_now: bool = False
    about_staff: bool = False
    consent_to_share: bool = False
    establishment: str | None = None

    def fact(self, name: str) -> object:
        """Return a declared fact by name (rules only ever read declared facts)."""
        return getattr(self, name)


#: The kiosk answers check_facts() checks, with their types (worked out once).
_CHECKED = tuple((f.name, DECLARED_FACTS[f.name]) for f in fields(ConcernFacts) if f.name != "text")


def check_facts(facts: object) -> ConcernFacts:
    """Reject malformed input early, so a bad caller never gets a silently wrong routing."""
    if (type(facts) is ConcernFacts and type(facts.text) is str and type(facts.risk_now) is bool
            and type(facts.about_staff) is bool and type(facts.consent_to_share) is bool
            and (facts.establishment is None or type(facts.establishment) is str)):
        return facts  # the usual, well-formed case, checked without a loop
    if not isinstance(facts, ConcernFacts):
        raise BadFactsError(f"expected ConcernFacts, got {type(facts).__name__}")
    if not isinstance(facts.text, str):
        raise BadFactsError(f"text must be str, got {type(facts.text).__name__}")
    for name, expected in _CHECKED:
        value = getattr(facts, name)
        if type(value) is not expected and not (name == "establishment" and value is None):
            raise BadFactsError(
                f"{name} must be {expected.__name__}, got {type(value).__name__}"
            )
    return facts
