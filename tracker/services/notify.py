"""Writing notifications into the outbox, in the transaction of the change that causes them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tracker.core.access import ROLE_TEAMS, may_know_exists
from tracker.extensions import db
from tracker.models import Concern, Notification, User
from tracker.services.directory import Directory, Person
from tracker.services.viewers import item_facts

TEAM_ROLES = {team: role for role, teams in ROLE_TEAMS.items() for team in teams}

TEXTS = {
    "staff_new_item": "New {urgency} concern {reference} on wing {wing} for {team}. "
                      "Acknowledge by {ack_due}.",
    "staff_immediate_alert": "IMMEDIATE: concern {reference} on wing {wing} shows a risk to life. "
                             "Act now and check on the resident in person.",
    "staff_break_glass": "{who} opened the sealed Listener concern {reference} on {when}. "
                         "Reason given: {reason}",
}


def _staff_audience(concern: Concern, known: Directory,
                    about_staff_wing_id: int | None) -> list[Person]:
    """Active staff of the owning teams, and the scheme's lead, who may know of this item."""
    teams = {concern.owner_team, *concern.extra_owners}
    roles = {TEAM_ROLES[t] for t in teams if t in TEAM_ROLES}
    lead = known.posts.get(concern.scheme, (None, None))[0]
    lead_id = lead.id if lead is not None and lead.active else None
    facts = item_facts(concern, about_staff_wing_id=about_staff_wing_id)
    return [p for p in known.staff
            if (p.role in roles or p.id == lead_id) and may_know_exists(p.viewer, facts)]


def add(concern: Concern, recipient: User, channel: str, kind: str, message_id: str,
        params: dict[str, str], now: datetime, dedupe: str) -> None:
    """One outbox row; the unique dedupe key stops a retried change from writing it twice."""
    db.session.add(Notification(**outbox_row(
        concern.establishment_id, concern.id, recipient.id, channel, kind, message_id, params,
        TEXTS.get(message_id, message_id).format(**params), dedupe, now)))


def outbox_row(establishment_id: int, concern_id: int | None, recipient_id: int, channel: str,
               kind: str, message_id: str, params: dict[str, Any], message: str, dedupe: str,
               now: datetime) -> dict[str, Any]:
    """Every column of a new, pending outbox row (for Core inserts and COPY, which apply no
    model defaults); the dedupe key is cut to its column's 200 characters."""
    return {"establishment_id": establishment_id, "concern_id": concern_id,
            "recipient_id": recipient_id, "channel": channel, "kind": kind,
            "message_id": message_id, "params": params, "message": message,
            "dedupe_key": dedupe[:200], "status": "pending", "attempts": 0,
            "next_attempt_at": now, "created_at": now}


def new_concern_rows(concern: Concern, now: datetime, known: Directory, wing_code: str,
                     about_staff_wing_id: int | None) -> list[dict[str, Any]]:
    """The outbox rows telling staff of a new item (not yet stored, so without its id: each
    `dedupe_key` is the part after "<id>:"); an immediate item alerts Safer Custody at once."""
    from tracker.clock import format_local

    params = {"reference": concern.reference, "urgency": concern.urgency,
              "wing": wing_code, "team": concern.owner_team.replace("_", " "),
              "ack_due": format_local(concern.ack_due_at)}
    rows = []
    for user in _staff_audience(concern, known, about_staff_wing_id):
        immediate = concern.urgency == "immediate" and user.role == "safer_custody"
        message_id = "staff_immediate_alert" if immediate else "staff_new_item"
        rows.append(outbox_row(concern.establishment_id, None, user.id, "email", message_id,
                               message_id, params, TEXTS[message_id].format(**params),
                               f"{message_id}:0:{user.id}", now))
    return rows
