"""Plain-words reasons for supporters and detailed ones for staff, built from the fired rules."""

from __future__ import annotations

from tracker.rules_engine.decision import Evidence
from tracker.rules_engine.facts import ConcernFacts
from tracker.rules_engine.model import Rule
from tracker.rules_engine.routing import Route, Routing

_MAX_REASONS = 3
LEARNED_PREFIX = "learned:"  # rule ids of the learned safety net's additions
_TELL_OFFICER = ("This could be a risk to life: tell an officer in person now. "
                 "Safer Custody has been alerted.")


def _join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _reasons(route: Route, rules: list[Rule]) -> list[str]:
    """Up to three distinct reasons, those behind the chosen route's categories first."""
    ranked = sorted(rules, key=lambda r: (r.urgency != "immediate",
                                          not set(r.categories) & set(route.when)))
    reasons = [r.reason for r in ranked if (r.categories or r.urgency or r.schemes)
               and not r.id.startswith(LEARNED_PREFIX)]
    return list(dict.fromkeys(reasons))[:_MAX_REASONS]


def _because(reasons: list[str], learned: list[str]) -> str:
    """'because it mentions a and b' and/or 'because it reads like ... (words: ...)'."""
    parts = []
    if reasons:
        parts.append(f"it mentions {_join(reasons)}")
    parts += learned  # the learned safety net's own sentences ("it reads like ...")
    return "because " + (", and ".join(parts) if len(parts) > 1 else "".join(parts))


def supporter_explanation(route: Route, co_schemes: tuple[str, ...], immediate: bool,
                          rules: list[Rule], routing: Routing) -> str:
    """E.g. 'Sent to the Insiders because it mentions being threatened over a debt.'"""
    names = routing.scheme_names
    target = names.get(route.scheme, route.scheme)
    reasons = _reasons(route, rules)
    learned = [r.reason for r in rules if r.id.startswith(LEARNED_PREFIX)]
    parts = []
    if immediate:
        parts.append(_TELL_OFFICER)
    if reasons or learned:
        parts.append(f"Sent to {target} {_because(reasons, learned)}.")
    else:
        parts.append(f"Sent to {target}: no scheme's topics matched, so staff will look at it.")
    if co_schemes:
        copied = _join([names.get(s, s) for s in co_schemes])
        parts.append(f"{copied[:1].upper()}{copied[1:]} will also be told.")
    text = routing.confidentiality_text.get(route.confidentiality)
    if text:
        parts.append(text)
    return " ".join(parts)


def staff_explanation(route: Route, urgency: str, rules: list[Rule],
                      evidence: tuple[Evidence, ...], facts: ConcernFacts) -> str:
    """Rule ids, descriptions and matched words, then the route taken."""
    lines = [f"Urgency {urgency}; route {route.id} ({route.description or route.scheme})."]
    for rule, found in zip(rules, evidence, strict=True):
        words = ", ".join(f'"{w}"' for w in found.words) or "kiosk answers"
        lines.append(f"- {rule.id}: {rule.description} [matched: {words}]")
    if facts.risk_now:
        lines.append("- kiosk answer 'at risk now' was yes: immediate by policy.")
    return "\n".join(lines)
