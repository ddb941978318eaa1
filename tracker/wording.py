"""Plain-English names and sentences shown to people, kept in one place and marked for translation.

Names are lazy strings: they turn into the page's language when a template shows them (kiosk
pages follow the terminal's language; staff pages and anything outside a request stay English).
"""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext

SCHEME_NAMES = {
    "listeners": lazy_gettext("Listeners"),
    "insiders": lazy_gettext("Insiders"),
    "buddies": lazy_gettext("Buddies"),
    "equality_reps": lazy_gettext("Equality Representatives"),
    "shannon_trust": lazy_gettext("Shannon Trust mentors"),
    "pal": lazy_gettext("Prison Advice Line"),
    "triage": lazy_gettext("Wing staff (to sort out)"),
}

SCHEME_ICONS = {
    "listeners": "👂", "insiders": "🤝", "buddies": "🧑‍🤝‍🧑", "equality_reps": "⚖️",
    "shannon_trust": "📖", "pal": "❓", "triage": "📋",
}

TEAM_NAMES = {
    "safer_custody": lazy_gettext("the Safer Custody team"),
    "equality_lead": lazy_gettext("the equality lead"),
    "complaints": lazy_gettext("the complaints team"),
    "wing_staff": lazy_gettext("the wing staff"),
    "education": lazy_gettext("the education team"),
}

STATUS_NAMES = {
    "new": lazy_gettext("Sent, waiting for staff"),
    "acknowledged": lazy_gettext("Staff have seen it"),
    "in_progress": lazy_gettext("Staff are working on it"),
    "deferred": lazy_gettext("Delayed"),
    "resolved": lazy_gettext("Sorted (waiting for you to confirm)"),
    "closed": lazy_gettext("Closed"),
}

URGENCY_NAMES = {"immediate": lazy_gettext("Right now"), "urgent": lazy_gettext("Urgent"),
                 "routine": lazy_gettext("Routine")}


def scheme_name(key: str) -> str:
    """The scheme as residents know it."""
    return str(SCHEME_NAMES.get(key, key.replace("_", " ").title()))


def team_name(key: str) -> str:
    """The staff team in plain words."""
    return str(TEAM_NAMES.get(key, key.replace("_", " ")))


def status_name(key: str) -> str | None:
    """A concern's status in plain words, or None for a status without a name yet."""
    name = STATUS_NAMES.get(key)
    return str(name) if name is not None else None


def urgency_name(key: str) -> str | None:
    """An urgency in plain words."""
    name = URGENCY_NAMES.get(key)
    return str(name) if name is not None else None


def audience(confidentiality: str, owner: str, scheme: str, consent: bool,
             immediate: bool) -> list[str]:
    """Who will see what, in short sentences for the kiosk's check page."""
    s, t = scheme_name(scheme), team_name(owner)
    lines = {
        "sealed": [gettext("Only the %(scheme)s will read what you wrote.", scheme=s),
                   gettext("Staff will only know that support was asked for, not what was said.")],
        "need_to_know": [gettext("Only the staff who must act will read it: %(team)s "
                                 "and the %(scheme)s lead.", team=t, scheme=s),
                         gettext("Other wing staff will not see it.")],
        "staff_complaint": [gettext("It goes to %(team)s.", team=t),
                            gettext("The member of staff it is about will not see it."),
                            gettext("Officers on their wing will not see it either.")],
        "ordinary": [gettext("It goes to the %(scheme)s and %(team)s.", scheme=s, team=t)],
    }[confidentiality]
    if confidentiality == "sealed" and consent:
        lines.append(gettext("The resident agreed that Safer Custody staff may read it."))
    if immediate:
        lines.append(gettext("Safer Custody will be alerted now that someone may be at risk."))
    return lines
