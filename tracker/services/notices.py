"""Notices the clock writes: the supporter's delay notice and staff emails for a new level.

Rows go into the outbox (``Notification``) in the caller's transaction, with a
message id and parameters so a later engineer can translate them; ``message``
holds the English rendering.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from tracker.clock import format_local
from tracker.core.access import Viewer, may_know_exists
from tracker.core.escalation import delay_notice, render_notice
from tracker.extensions import db, on_postgresql
from tracker.models import Concern, Notification, Scheme, User
from tracker.services import outbox  # noqa: F401  (connects the after-commit delivery)
from tracker.services.clock_state import add_row, is_active
from tracker.services.notify import outbox_row
from tracker.services.viewers import item_facts, viewer_for

STAFF_TEXTS = {
    "staff_escalated": "Concern {reference} ({urgency}, wing {wing}) is overdue and has been "
                       "passed to you as {title}. Act by {due}.",
    "staff_reminder": "Reminder: concern {reference} ({urgency}, wing {wing}) is still overdue "
                      "at the top of the ladder. Act by {due}.",
    "staff_unstaffed": "Concern {reference} ({urgency}, wing {wing}) is overdue and no one "
                       "staffs the top of its ladder: {vacancy}.",
    "staff_not_sorted": "The supporter says concern {reference} ({urgency}, wing {wing}) is not "
                        "sorted, so it has been opened again. Act by {due}.",
    "admin_vacancy": "An overdue concern ({urgency}, wing {wing}) had no one to go to: "
                     "{vacancy}. Give the post to an active person (Admin > People) so "
                     "escalations reach someone.",
    "relay": "{supporter} can no longer use the kiosk (moved or released), so this notice "
             "comes to you as their scheme lead: {notice}",
}


def _add(concern: Concern, recipient: User, channel: str, kind: str, message_id: str,
         params: dict[str, Any], message: str, now: datetime, dedupe: str) -> bool:
    add_row(Notification, outbox_row(concern.establishment_id, concern.id, recipient.id,
                                     channel, kind, message_id, params, message, dedupe, now))
    return True


def coordinator_for(supporter: User) -> User | None:
    """The active lead of the supporter's own scheme (first scheme with one)."""
    for scheme in supporter.schemes:
        lead = db.session.get(User, scheme.lead_id) if scheme.lead_id else None
        if is_active(lead):
            return lead
    return None


def tell_supporter(concern: Concern, kind: str, key: str, now: datetime, *,
                   reason_code: str | None, reason: str | None, until: datetime | None,
                   role: str | None, passed_at: datetime | None) -> bool:
    """The plain-words notice to whoever raised it, or to their coordinator when they left."""
    message_id, params = delay_notice(concern.reference, reason_code, reason, until, role,
                                      passed_at)
    return tell_supporter_text(concern, kind, key, now, message_id, params)


def tell_supporter_text(concern: Concern, kind: str, key: str, now: datetime,
                        message_id: str, params: dict[str, Any]) -> bool:
    """A case-handling notice (message id + parameters) to the raiser, or their coordinator."""
    text = render_notice(message_id, params)
    raiser = concern.raised_by
    if is_active(raiser):
        return _add(concern, raiser, "kiosk", kind, message_id, params, text, now,
                    f"notice:{concern.id}:{key}:{raiser.id}")
    lead = coordinator_for(raiser) or _scheme_lead(concern)
    if lead is None:
        return False
    relay = {"supporter": raiser.display_name, "notice": text, "notice_id": message_id,
             "notice_params": params}
    return _add(concern, lead, "email", f"{kind}_relay", "relay", relay,
                STAFF_TEXTS["relay"].format(**relay), now, f"notice:{concern.id}:{key}:{lead.id}")


def _scheme_lead(concern: Concern) -> User | None:
    lead_id = db.session.scalar(select(Scheme.lead_id).where(
        Scheme.establishment_id == concern.establishment_id, Scheme.key == concern.scheme))
    lead = db.session.get(User, lead_id) if lead_id else None
    return lead if is_active(lead) else None


def tell_staff(concern: Concern, people: list[User], message_id: str, key: str,
               now: datetime, viewer: Callable[[User], Viewer] = viewer_for, **extra: str) -> int:
    """Email the staff now responsible; the access policy decides who may know of the item."""
    params = {"reference": concern.reference, "urgency": concern.urgency,
              "wing": concern.wing.code, "due": format_local(concern.next_deadline), **extra}
    facts = item_facts(concern)
    sent = 0
    for person in people:
        if not may_know_exists(viewer(person), facts):
            continue
        _add(concern, person, "email", message_id, message_id, params,
             STAFF_TEXTS[message_id].format(**params), now,
             f"staff:{concern.id}:{key}:{person.id}")
        sent += 1
    return sent


def tell_admins_vacancy(concern: Concern, vacancy: str, now: datetime) -> int:
    """Tell the establishment's admins that an escalation found a post empty.

    Admins may not know of items, so the email names no reference and no words, only the
    urgency, the wing and the empty post; one email per post per local day, not per item.
    """
    admins = db.session.scalars(select(User).where(
        User.establishment_id == concern.establishment_id, User.role == "admin",
        User.active.is_(True), User.status == "active").order_by(User.id))
    params = {"urgency": concern.urgency, "wing": concern.wing.code, "vacancy": vacancy}
    day = format_local(now, "%Y-%m-%d")
    message = STAFF_TEXTS["admin_vacancy"].format(**params)
    rows = [outbox_row(concern.establishment_id, None, admin.id, "email", "admin_vacancy",
                       "admin_vacancy", params, message,
                       f"vacancy:{concern.establishment_id}:{vacancy}:{day}:{admin.id}", now)
            for admin in admins]
    if not rows:
        return 0
    # Two sweeps (or two items in one day) may raise the same alert: the first one wins.
    insert = pg_insert if on_postgresql() else sqlite_insert
    result = db.session.execute(insert(Notification).values(rows)
                                .on_conflict_do_nothing(index_elements=["dedupe_key"]))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
