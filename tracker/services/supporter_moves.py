"""A supporter moved to another prison or released: their items and notices go to a coordinator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update

from tracker import signals
from tracker.extensions import db
from tracker.models import OPEN_STATUSES, Concern, Notification, Scheme, User, UserSession
from tracker.services import notices
from tracker.services.clock_state import event, is_active
from tracker.services.errors import InvalidInput
from tracker.services.people_admin import Actor, person, record, snapshot

LEFT = {"moved": "moved to another prison", "released": "released"}
HANDOVER = ("{supporter} has been {left}. Their open concern {reference} ({urgency}) now comes "
            "to you as their scheme's coordinator, and its notices will come to you too.")


@dataclass
class MoveReport:
    """What moving a supporter handed over, and what had nobody to go to."""

    user: User
    handed_over: list[str] = field(default_factory=list)  # concern references
    relayed_notices: int = 0
    nobody_for: list[str] = field(default_factory=list)


def _coordinator(supporter: User, concern: Concern | None) -> User | None:
    """The lead of the supporter's own scheme, else of the concern's scheme."""
    lead = notices.coordinator_for(supporter)
    if lead is not None or concern is None:
        return lead
    lead_id = db.session.scalar(select(Scheme.lead_id).where(
        Scheme.establishment_id == concern.establishment_id, Scheme.key == concern.scheme))
    found = db.session.get(User, lead_id) if lead_id else None
    return found if is_active(found) else None


def move_supporter(actor: Actor, est_id: int, username: str, status: str,
                   now: datetime) -> MoveReport:
    """Mark a supporter moved or released (inactive); hand their open items to a coordinator."""
    if status not in LEFT:
        raise InvalidInput({"status": ["Choose moved or released."]})
    user = person(est_id, username)
    if not user.is_supporter:
        raise InvalidInput({"username": ["Only supporters are marked moved or released; "
                                         "deactivate staff instead."]})
    before = snapshot(user)
    user.status, user.active = status, False
    db.session.execute(update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=status).execution_options(synchronize_session=False))
    report = MoveReport(user)
    _hand_over_items(user, status, now, report)
    _relay_unread(user, now, report)
    record(actor, "user_move", now, est_id, target=user.username, before=before,
           after=snapshot(user), handed_over=report.handed_over,
           relayed_notices=report.relayed_notices, nobody_for=report.nobody_for)
    db.session.commit()
    if report.handed_over or report.relayed_notices:
        signals.notifications_written.send(None)
    return report


def _hand_over_items(user: User, status: str, now: datetime, report: MoveReport) -> None:
    items = db.session.scalars(select(Concern).where(
        Concern.raised_by_id == user.id, Concern.status.in_(OPEN_STATUSES)).order_by(Concern.id))
    for concern in items:
        lead = _coordinator(user, concern)
        event(concern, "raiser_left", now, reason=LEFT[status],
              data={"status": status, "coordinator_id": lead.id if lead else None})
        if lead is None:
            report.nobody_for.append(concern.reference)
            continue
        params = {"supporter": user.display_name, "left": LEFT[status],
                  "reference": concern.reference, "urgency": concern.urgency}
        db.session.add(Notification(
            establishment_id=concern.establishment_id, concern_id=concern.id,
            recipient_id=lead.id, channel="email", kind="raiser_left", message_id="raiser_left",
            params=params, message=HANDOVER.format(**params),
            dedupe_key=f"raiser_left:{concern.id}:{user.id}:{lead.id}:{status}"[:200],
            status="pending", next_attempt_at=now, created_at=now))
        report.handed_over.append(concern.reference)


def _relay_unread(user: User, now: datetime, report: MoveReport) -> None:
    """Notices the supporter never read at the kiosk go to the coordinator instead."""
    unread = list(db.session.scalars(select(Notification).where(
        Notification.recipient_id == user.id, Notification.channel == "kiosk",
        Notification.read_at.is_(None)).order_by(Notification.id)))
    for note in unread:
        concern = db.session.get(Concern, note.concern_id) if note.concern_id else None
        lead = _coordinator(user, concern)
        if lead is None:
            continue
        relay = {"supporter": user.display_name, "notice": note.message,
                 "notice_id": note.message_id, "notice_params": dict(note.params or {})}
        db.session.add(Notification(
            establishment_id=note.establishment_id, concern_id=note.concern_id,
            recipient_id=lead.id, channel="email", kind=f"{note.kind}_relay", message_id="relay",
            params=relay, message=notices.STAFF_TEXTS["relay"].format(**relay),
            dedupe_key=f"relay:{note.id}:{lead.id}"[:200], status="pending",
            next_attempt_at=now, created_at=now))
        report.relayed_notices += 1
