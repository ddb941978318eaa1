"""Escalation decisions (which level next, by when) and the plain-words delay notice.

A ``Ladder`` is one scheme's list of ``Level``s (0 = owning team ... top =
Governor), loaded from ``rules/escalation.yaml``. ``next_step`` is the only
decision: move one level up; a level whose post is empty (none of its roles is
staffed, per the ``staffed(role)`` callback) is skipped at once and the skip is
returned with its reason in plain words ("the Buddies scheme has no active
lead"). ``start_step`` is the same decision for a new item (level 0, or the
first staffed level above it).

Choices the issue left open:

* The new level's deadline runs from ``now`` (the moment of escalation), so a
  late sweep still gives each level its full time. A replay that wants exact
  history passes the old deadline as ``now``.
* Each level may give one deadline, or one per urgency (an immediate item
  cannot wait a working day at each level).
* At the top the item stays there: ``next_step`` from the top returns the top
  again with ``renotify=True`` and a fresh deadline, so the Governor is
  reminded at every further deadline instead of the item going silent.
* The top level is never skipped; if even it is unstaffed the step says so
  (``staffed=False`` and ``vacancy``) so the shell can alert admins.

``delay_notice`` returns a message id from ``MESSAGES`` and its parameters
(dates already as "Tuesday 3 March", Europe/London) so the shell stores ids,
not prose; ``render_notice`` gives the English text: the code's sentence, then
staff's own words, the expected date and who it was passed to, when known.
No reason code means nobody gave one: "No one has acted on this yet...".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, cached_property
from typing import Any

from tracker.core.calendar import Duration, WorkingCalendar, format_local_date, require_utc

ROLES: tuple[str, ...] = (
    "scheme_lead", "scheme_deputy", "safer_custody", "equality_lead",
    "complaints", "officer", "governor", "admin",
)
_VACANCY = {
    "safer_custody": "there is no active Safer Custody manager",
    "equality_lead": "there is no active equality lead",
    "complaints": "there is no active member of the complaints team",
    "officer": "there is no active custodial manager",
    "governor": "there is no active Governor",
    "admin": "there is no active administrator",
}

# Rungs staffed by a scheme's own named lead or deputy rather than by a role.
SCHEME_POSTS = frozenset({"scheme_lead", "scheme_deputy"})

# The ladder key in rules/escalation.yaml that every complaint about staff climbs.
COMPLAINT_LADDER = "staff_complaint"


@dataclass(frozen=True)
class Level:
    """One rung: who staffs it, what to call it in notices, and how long it has."""

    number: int
    title: str
    roles: tuple[str, ...]
    deadlines: Mapping[str, Duration]

    def deadline_for(self, urgency: str) -> Duration:
        """This level's time for an item of that urgency ("default" otherwise)."""
        return self.deadlines[urgency if urgency in self.deadlines else "default"]


@dataclass(frozen=True)
class Ladder:
    """A scheme's escalation ladder; ``name`` is a noun phrase like "the Buddies scheme"."""

    scheme: str
    name: str
    levels: tuple[Level, ...]

    @property
    def top(self) -> Level:
        """The last rung (the Governor)."""
        return self.levels[-1]

    def roles_up_to(self, level: int) -> frozenset[str]:
        """Roles (not scheme posts) staffing any rung an item at ``level`` has reached."""
        reached = self._reached
        return reached[min(level, len(reached) - 1)]

    @cached_property
    def _reached(self) -> tuple[frozenset[str], ...]:
        """roles_up_to for each level, worked out once (the policy asks for every item)."""
        return tuple(frozenset(role for rung in self.levels[:n + 1] for role in rung.roles
                               if role not in SCHEME_POSTS) for n in range(len(self.levels)))

    def first_level(self, role: str) -> int | None:
        """The lowest rung this role staffs, or None."""
        return next((rung.number for rung in self.levels if role in rung.roles), None)

    def vacancy(self, level: Level, staffed: Callable[[str], bool]) -> str | None:
        """Why a level is empty, in plain words, or None when someone staffs it."""
        if any(staffed(role) for role in level.roles):
            return None
        return " and ".join(self._role_vacancy(role) for role in level.roles)

    def _role_vacancy(self, role: str) -> str:
        if role == "scheme_lead":
            return f"{self.name} has no active lead"
        if role == "scheme_deputy":
            return f"{self.name} has no active deputy"
        return _VACANCY[role]


@dataclass(frozen=True)
class Ladders:
    """All schemes' ladders; unknown schemes fall back to ``default``."""

    by_scheme: Mapping[str, Ladder]

    def for_scheme(self, scheme: str) -> Ladder:
        """The ladder that owns items of ``scheme``."""
        return self.by_scheme.get(scheme) or self.by_scheme["default"]

    def for_item(self, scheme: str, confidentiality: str) -> Ladder:
        """A complaint about staff climbs its own ladder, whichever scheme carries it.

        The scheme's ladder runs through scheme leads and wing staff, who never see such a
        complaint, so the escalation would reach no one until the Governor.
        """
        if confidentiality == "staff_complaint" and COMPLAINT_LADDER in self.by_scheme:
            return self.by_scheme[COMPLAINT_LADDER]
        return self.for_scheme(scheme)


@dataclass(frozen=True)
class Skip:
    """A level passed over because its post is empty, with the recorded reason."""

    level: int
    title: str
    reason: str


@dataclass(frozen=True)
class Step:
    """The outcome of one escalation decision."""

    from_level: int
    level: int
    title: str
    roles: tuple[str, ...]
    deadline: datetime
    skipped: tuple[Skip, ...] = ()
    at_top: bool = False
    renotify: bool = False
    staffed: bool = True
    vacancy: str | None = None


@cache
def _default_calendar() -> WorkingCalendar:
    """England and Wales calendar, built once (loading holidays is not free)."""
    return WorkingCalendar()


def next_step(ladder: Ladder, current_level: int, now: datetime,
              staffed: Callable[[str], bool], *, urgency: str = "routine",
              calendar: WorkingCalendar | None = None) -> Step:
    """Move one level up, skipping empty posts; at the top, stay and re-notify."""
    now = require_utc(now, "now")
    top = ladder.top
    if not -1 <= current_level <= top.number:
        raise ValueError(f"level {current_level} is not on {ladder.scheme}'s ladder")
    cal = calendar or _default_calendar()
    skipped: list[Skip] = []
    for level in ladder.levels[current_level + 1:] if current_level < top.number else [top]:
        vacancy = ladder.vacancy(level, staffed)
        if vacancy is not None and level is not top:
            skipped.append(Skip(level.number, level.title, vacancy))
            continue
        return Step(
            from_level=current_level, level=level.number, title=level.title,
            roles=level.roles, deadline=cal.add(now, level.deadline_for(urgency)),
            skipped=tuple(skipped), at_top=level is top,
            renotify=current_level == top.number, staffed=vacancy is None, vacancy=vacancy,
        )
    raise AssertionError("unreachable: the top level is never skipped")


def start_step(ladder: Ladder, now: datetime, staffed: Callable[[str], bool], *,
               urgency: str = "routine", calendar: WorkingCalendar | None = None) -> Step:
    """Place a new item at level 0, or at once higher when level 0's post is empty."""
    return next_step(ladder, -1, now, staffed, urgency=urgency, calendar=calendar)


def is_due(next_deadline: datetime | None, now: datetime) -> bool:
    """Whether a stored deadline has passed (None = no running clock, never due)."""
    if next_deadline is None:
        return False
    return require_utc(now, "now") >= require_utc(next_deadline, "next_deadline")


# --- the notice to the supporter -------------------------------------------------

MESSAGES: dict[str, str] = {
    "delay.awaiting_investigation":
        "Your concern {reference} is delayed. Staff are waiting for an investigation to finish.",
    "delay.other_department":
        "Your concern {reference} is delayed. Staff are waiting for another department.",
    "delay.regime_restricted":
        "Your concern {reference} is delayed. The prison is short of staff or the regime "
        "is restricted.",
    "delay.resident_moved":
        "Your concern {reference} is delayed. The person it is about has been moved.",
    "delay.needs_information":
        "Your concern {reference} is delayed. Staff need more information from you.",
    "delay.handed_off":
        "Your concern {reference} has been handed to another process, such as ACCT, CSIP, "
        "DIRF or a complaint.",
    "delay.other": "Your concern {reference} is delayed.",
    "delay.no_action":
        "Your concern {reference} is late. No one has acted on this yet. "
        "It was passed to the {role} on {date}.",
    "delay.no_action_unassigned":
        "Your concern {reference} is late. No one has acted on this yet.",
    # Sentences added after the main one when their parameter is present.
    "delay.part.staff_said": 'Staff said: "{reason}"',
    "delay.part.expected": "They expect to deal with it by {until}.",
    "delay.part.passed_to": "It was passed to the {role} on {date}.",
    # Case handling (issue 5): what staff did, in plain words. Parameters never use the
    # delay parts' names (reason, until, role), so nothing is appended to them.
    "case.message": 'Staff sent a message about your concern {reference}: "{text}"',
    "case.transferred": "Your concern {reference} has been passed to {scheme}, who deal with "
                        "this kind of problem.",
    "case.handed_off": "Your concern {reference} has been passed to {process}, which now deals "
                       "with it. Its reference is {external_ref}.",
    "case.resolved": 'Staff say your concern {reference} is sorted: "{outcome}" Go to My '
                     'referrals and press "Sorted" or "Not sorted".',
    "case.reopened": "Your concern {reference} has been opened again. Staff are working on it.",
}
HANDOFF_PROCESSES: dict[str, str] = {
    "acct": "the ACCT process (care for someone at risk of self-harm)",
    "csip": "the CSIP process (a plan to stop violence and bullying)",
    "dirf": "a DIRF (a report of discrimination)",
    "complaint": "the complaints process",
}
_PARTS = (("reason", "delay.part.staff_said"), ("until", "delay.part.expected"),
          ("role", "delay.part.passed_to"))


def delay_notice(reference: str, reason_code: str | None, reason_text: str | None,
                 until: date | datetime | None, escalated_to_role: str | None,
                 escalated_at: datetime | None) -> tuple[str, dict[str, Any]]:
    """Pick the supporter's delay message id and its parameters (dates already in words)."""
    role = escalated_to_role if escalated_at is not None else None
    params: dict[str, Any] = {
        "reference": reference,
        "reason": (reason_text or "").strip() or None,
        "until": format_local_date(until) if until is not None else None,
        "role": role,
        "date": format_local_date(escalated_at) if role and escalated_at else None,
    }
    if reason_code is None:
        return ("delay.no_action" if role else "delay.no_action_unassigned"), params
    if f"delay.{reason_code}" not in MESSAGES:
        raise ValueError(f"unknown reason code {reason_code!r}")
    return f"delay.{reason_code}", params


def render_notice(message_id: str, params: Mapping[str, Any],
                  messages: Mapping[str, str] = MESSAGES) -> str:
    """English text of a notice: the main sentence, then staff's words, date and handover."""
    sentences = [messages[message_id].format(**params)]
    if not message_id.startswith("delay.no_action"):
        sentences += [messages[part].format(**params)
                      for key, part in _PARTS if params.get(key)]
    return " ".join(sentences)
