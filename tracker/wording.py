"""Plain-English names and sentences shown to people, kept in one place for translation."""

from __future__ import annotations

SCHEME_NAMES = {
    "listeners": "Listeners",
    "insiders": "Insiders",
    "buddies": "Buddies",
    "equality_reps": "Equality Representatives",
    "shannon_trust": "Shannon Trust mentors",
    "pal": "Prison Advice Line",
    "triage": "Wing staff (to sort out)",
}

SCHEME_ICONS = {
    "listeners": "👂", "insiders": "🤝", "buddies": "🧑‍🤝‍🧑", "equality_reps": "⚖️",
    "shannon_trust": "📖", "pal": "❓", "triage": "📋",
}

TEAM_NAMES = {
    "safer_custody": "the Safer Custody team",
    "equality_lead": "the equality lead",
    "complaints": "the complaints team",
    "wing_staff": "the wing staff",
    "education": "the education team",
}

STATUS_NAMES = {
    "new": "Sent, waiting for staff",
    "acknowledged": "Staff have seen it",
    "in_progress": "Staff are working on it",
    "deferred": "Delayed",
    "resolved": "Sorted (waiting for you to confirm)",
    "closed": "Closed",
}

URGENCY_NAMES = {"immediate": "Right now", "urgent": "Urgent", "routine": "Routine"}


def scheme_name(key: str) -> str:
    """The scheme as residents know it."""
    return SCHEME_NAMES.get(key, key.replace("_", " ").title())


def team_name(key: str) -> str:
    """The staff team in plain words."""
    return TEAM_NAMES.get(key, key.replace("_", " "))


def audience(confidentiality: str, owner: str, scheme: str, consent: bool,
             immediate: bool) -> list[str]:
    """Who will see what, in short sentences for the kiosk's check page."""
    lines = {
        "sealed": [f"Only the {scheme_name(scheme)} will read what you wrote.",
                   "Staff will only know that support was asked for, not what was said."],
        "need_to_know": [f"Only the staff who must act will read it: {team_name(owner)} "
                         f"and the {scheme_name(scheme)} lead.", "Other wing staff will not see it."],
        "staff_complaint": [f"It goes to {team_name(owner)}.",
                            "The member of staff it is about will not see it.",
                            "Officers on their wing will not see it either."],
        "ordinary": [f"It goes to the {scheme_name(scheme)} and {team_name(owner)}."],
    }[confidentiality]
    if confidentiality == "sealed" and consent:
        lines.append("The resident agreed that Safer Custody staff may read it.")
    if immediate:
        lines.append("Safer Custody will be alerted now that someone may be at risk.")
    return lines
