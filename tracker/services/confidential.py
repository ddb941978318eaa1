"""Opening a sealed Listener item: only by an explicit, recorded, notified break-glass action."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tracker.clock import format_local
from tracker.core.access import Viewer
from tracker.extensions import db
from tracker.models import ConcernEvent, ContentGrant, Scheme, User
from tracker.services import audit, notify
from tracker.services.concerns import concern_for
from tracker.services.errors import InvalidInput, NotFound

MIN_REASON = 15


def break_glass(user: User, viewer: Viewer, reference: str, reason: str, remote_addr: str | None,
                now: datetime) -> None:
    """Grant this Safer Custody member the words of a sealed item, and tell the Listeners' coordinator."""
    concern = concern_for(viewer, reference)
    if concern.confidentiality != "sealed" or viewer.role != "safer_custody":
        raise NotFound(reference)
    if len(reason.strip()) < MIN_REASON:
        raise InvalidInput({"reason": [f"Give the reason in at least {MIN_REASON} characters: "
                                       "it is recorded and sent to the Listeners' coordinator."]})
    db.session.add(ContentGrant(establishment_id=concern.establishment_id, concern_id=concern.id,
                                user_id=user.id, kind="break_glass", reason=reason.strip(),
                                granted_at=now))
    db.session.add(ConcernEvent(establishment_id=concern.establishment_id, concern_id=concern.id,
                                at=now, actor_id=user.id, kind="break_glass",
                                reason=reason.strip(), data={}))
    audit.record(user, "break_glass", now, concern=concern, remote_addr=remote_addr,
                 reason=reason.strip())
    coordinator = _listener_coordinator(concern.establishment_id)
    if coordinator is not None:
        params = {"reference": concern.reference, "who": user.display_name,
                  "when": format_local(now), "reason": reason.strip()}
        notify.add(concern, coordinator, "email", "break_glass", "staff_break_glass", params, now,
                   f"{concern.id}:break_glass:{user.id}:{now.isoformat()}")
    db.session.commit()


def _listener_coordinator(establishment_id: int) -> User | None:
    scheme = db.session.scalar(select(Scheme).where(Scheme.establishment_id == establishment_id,
                                                    Scheme.key == "listeners"))
    if scheme is None:
        return None
    for person_id in (scheme.lead_id, scheme.deputy_id):
        person = db.session.get(User, person_id) if person_id else None
        if person is not None and person.active:
            return person
    return None
