"""Messages the kiosk shows that are written elsewhere in English, looked up in the page's language.

Validation messages come from the schemas and services, and delay notices from
``tracker.core.escalation.MESSAGES`` by message id; neither layer knows about languages. The
kiosk keeps the same English sentences here, marked for translation, and swaps them on the way
out. A sentence not listed (a new one) is shown in English rather than lost.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext, lazy_gettext, ngettext

from tracker.core.escalation import MESSAGES, render_notice

# English sentence (as the schema or service writes it) -> the same sentence, translatable.
VALIDATION = {
    "Write what is happening.": lazy_gettext("Write what is happening."),
    "Write what is happening as text.": lazy_gettext("Write what is happening as text."),
    "Write a little more: at least 10 letters.": lazy_gettext("Write a little more: at least 10 letters."),
    "Choose yes or no.": lazy_gettext("Choose yes or no."),
    "Choose the wing.": lazy_gettext("Choose the wing."),
    "A prison number is one letter, four numbers and two letters, like A1234BC.":
        lazy_gettext("A prison number is one letter, four numbers and two letters, like A1234BC."),
    "There is no wing with that name here. Choose one from the list.":
        lazy_gettext("There is no wing with that name here. Choose one from the list."),
    "No member of staff has that user name here.":
        lazy_gettext("No member of staff has that user name here."),
    "Sign-in failed. Check your details and try again.":
        lazy_gettext("Sign-in failed. Check your details and try again."),
    # tracker.errors.PLAIN: what the kiosk's error page says.
    "The request could not be understood.": lazy_gettext("The request could not be understood."),
    "Sign in first.": lazy_gettext("Sign in first."),
    "You do not have access to this.": lazy_gettext("You do not have access to this."),
    "Not found.": lazy_gettext("Not found."),
    "This action is not allowed here.": lazy_gettext("This action is not allowed here."),
    "What was sent is too large.": lazy_gettext("What was sent is too large."),
    "Some of what was sent is not right.": lazy_gettext("Some of what was sent is not right."),
    "Too many requests. Wait a little and try again.":
        lazy_gettext("Too many requests. Wait a little and try again."),
    "Something went wrong on our side. Nothing was saved. Please try again.":
        lazy_gettext("Something went wrong on our side. Nothing was saved. Please try again."),
    "The service is busy or restarting. Please try again in a minute.":
        lazy_gettext("The service is busy or restarting. Please try again in a minute."),
}
_TOO_LONG = re.compile(r"^This is too long \((\d+) characters\)\. The most is 4,000\.$")

# Delay notices by message id: the English of tracker.core.escalation.MESSAGES, translatable.
NOTICES = {
    "delay.awaiting_investigation": lazy_gettext(
        "Your concern {reference} is delayed. Staff are waiting for an investigation to finish."),
    "delay.other_department": lazy_gettext(
        "Your concern {reference} is delayed. Staff are waiting for another department."),
    "delay.regime_restricted": lazy_gettext(
        "Your concern {reference} is delayed. The prison is short of staff or the regime "
        "is restricted."),
    "delay.resident_moved": lazy_gettext(
        "Your concern {reference} is delayed. The person it is about has been moved."),
    "delay.needs_information": lazy_gettext(
        "Your concern {reference} is delayed. Staff need more information from you."),
    "delay.handed_off": lazy_gettext(
        "Your concern {reference} has been handed to another process, such as ACCT, CSIP, "
        "DIRF or a complaint."),
    "delay.other": lazy_gettext("Your concern {reference} is delayed."),
    "delay.no_action": lazy_gettext(
        "Your concern {reference} is late. No one has acted on this yet. "
        "It was passed to the {role} on {date}."),
    "delay.no_action_unassigned": lazy_gettext(
        "Your concern {reference} is late. No one has acted on this yet."),
    "delay.part.staff_said": lazy_gettext('Staff said: "{reason}"'),
    "delay.part.expected": lazy_gettext("They expect to deal with it by {until}."),
    "delay.part.passed_to": lazy_gettext("It was passed to the {role} on {date}."),
    "case.message": lazy_gettext('Staff sent a message about your concern {reference}: "{text}"'),
    "case.transferred": lazy_gettext(
        "Your concern {reference} has been passed to {scheme}, who deal with "
        "this kind of problem."),
    "case.handed_off": lazy_gettext(
        "Your concern {reference} has been passed to {process}, which now deals "
        "with it. Its reference is {external_ref}."),
    "case.resolved": lazy_gettext(
        'Staff say your concern {reference} is sorted: "{outcome}" Go to My '
        'referrals and press "Sorted" or "Not sorted".'),
    "case.reopened": lazy_gettext(
        "Your concern {reference} has been opened again. Staff are working on it."),
}


def plain(message: str) -> str:
    """One validation or sign-in sentence in the page's language (English when unknown)."""
    known = VALIDATION.get(message)
    if known is not None:
        return str(known)
    too_long = _TOO_LONG.match(message)
    if too_long:
        return gettext("This is too long (%(count)s characters). The most is 4,000.",
                       count=too_long.group(1))
    return message


def plain_fields(errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Every field's messages in the page's language."""
    return {field: [plain(m) for m in messages] for field, messages in errors.items()}


def locked_out(minutes: int) -> str:
    """The lock-out message, counted in the page's language."""
    return ngettext("Too many tries. Wait %(num)d minute and try again.",
                    "Too many tries. Wait %(num)d minutes and try again.", minutes)


def notice_text(message_id: str, params: Mapping[str, Any]) -> str:
    """A notice to the supporter, built from its message id, in the page's language."""
    translated = {key: str(NOTICES[key]) if key in NOTICES else text
                  for key, text in MESSAGES.items()}
    return render_notice(message_id, params, messages=translated)
