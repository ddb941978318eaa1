"""Staff handling a case: assign, note, message, transfer, hand off, resolve, reopen; the supporter's reply.

One function per use case. Each loads the item through the access policy (an item the caller
may not know answers NotFound, as if absent), checks ``may_act``, applies the change with a
guarded UPDATE (two officers acting at once never both win), writes the history event, an
audit row and the notices, and commits once. Supporter notices are stored as a message id
plus parameters (``tracker.core.escalation.MESSAGES``) so the kiosk shows them translated.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select

from tracker import signals
from tracker.core.access import STAFF_ROLES, Viewer, may_act, may_know_exists
from tracker.core.calendar import Duration
from tracker.core.escalation import HANDOFF_PROCESSES
from tracker.core.sla import HistoryEvent
from tracker.extensions import db
from tracker.models import (
    OPEN_STATUSES,
    Concern,
    ConcernAudience,
    ConcernEvent,
    Establishment,
    User,
)
from tracker.rules_runtime import current_rules
from tracker.services import audit, notices
from tracker.services.clock_actions import ActionResult
from tracker.services.clock_state import Conflict, deadline_now, event, guarded_update, is_active
from tracker.services.concerns import concern_for
from tracker.services.deadlines import clock_rules
from tracker.services.errors import InvalidInput, NotFound
from tracker.services.viewers import item_facts, viewer_for
from tracker.services.visibility import audience_keys
from tracker.wording import scheme_name

CONFIRM_WITHIN = Duration(5, "working_days")
STRICT = ("sealed", "staff_complaint")  # a transfer never loosens these (that needs consent)
PROCESSES = tuple(HANDOFF_PROCESSES)


def _load(viewer: Viewer, reference: str, *, open_only: bool = True) -> Concern:
    concern = concern_for(viewer, reference)
    if not may_act(viewer, item_facts(concern)):
        raise NotFound(reference)
    if open_only and not concern.is_open:
        raise Conflict("This item is resolved or closed. Reopen it first.")
    return concern


def _words(field: str, value: str | None, message: str, limit: int = 2000) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput({field: [message]})
    if len(text) > limit:
        raise InvalidInput({field: [f"Write at most {limit} characters."]})
    return text


def _finish(actor: User, concern: Concern, action: str, now: datetime, remote_addr: str | None,
            notified: bool, **detail: Any) -> None:
    audit.record(actor, f"action_{action}", now, concern=concern, remote_addr=remote_addr,
                 **detail)
    db.session.commit()
    if notified:
        signals.notifications_written.send(None, concern_id=concern.id)


# --- assignment -------------------------------------------------------------------

def assignable(concern: Concern) -> list[User]:
    """Active staff of the establishment whom the policy lets see this item (never its subject)."""
    facts = item_facts(concern)
    people = db.session.scalars(select(User).where(
        User.establishment_id == concern.establishment_id, User.role.in_(sorted(STAFF_ROLES)),
        User.active.is_(True), User.status == "active").order_by(User.display_name, User.id))
    return [u for u in people if is_active(u) and may_know_exists(viewer_for(u), facts)]


def _find_assignee(concern: Concern, assignee: str | int) -> User:
    query = select(User).where(User.establishment_id == concern.establishment_id)
    if isinstance(assignee, int) or str(assignee).isdigit():
        user = db.session.scalar(query.where(User.id == int(assignee)))
    else:
        user = db.session.scalar(query.where(User.username == str(assignee).strip()))
    refused = "Choose a member of staff who may see this item."
    if user is None or user.role not in STAFF_ROLES or not is_active(user):
        raise InvalidInput({"assignee": [refused]})
    if not may_know_exists(viewer_for(user), item_facts(concern)):
        raise InvalidInput({"assignee": [refused]})  # e.g. the officer a complaint names
    return user


def assign(actor: User, viewer: Viewer, reference: str, assignee: str | int | None,
           now: datetime, remote_addr: str | None = None) -> ActionResult:
    """Give the item to a colleague (or to oneself when ``assignee`` is None)."""
    concern = _load(viewer, reference)
    person = _find_assignee(concern, actor.id if assignee in (None, "", "me") else assignee)
    if concern.assigned_to_id == person.id:
        raise Conflict(f"This item is already assigned to {person.display_name}.")
    before = concern.assigned_to_id
    guarded_update(concern, assigned_to_id=person.id, updated_at=now)
    event(concern, "assigned", now, actor, level=concern.escalation_level,
          data={"to": person.id, "to_name": person.display_name, "from": before})
    _finish(actor, concern, "assign", now, remote_addr, False, to=person.username)
    return ActionResult(concern, "assign", f"Assigned to {person.display_name}.")


# --- words: internal note, message to the supporter ---------------------------------

def note(actor: User, viewer: Viewer, reference: str, text: str | None, now: datetime,
         remote_addr: str | None = None) -> ActionResult:
    """An internal note for staff; supporters never see it."""
    words = _words("reason", text, "Write the note.")
    concern = _load(viewer, reference, open_only=False)
    event(concern, "note", now, actor, level=concern.escalation_level, reason=words)
    _finish(actor, concern, "note", now, remote_addr, False)
    return ActionResult(concern, "note", "Note added (staff only).")


def message(actor: User, viewer: Viewer, reference: str, text: str | None, now: datetime,
            remote_addr: str | None = None) -> ActionResult:
    """Send the supporter a message in staff's own words (shown at the kiosk)."""
    words = _words("reason", text, "Write the message to the supporter.", limit=500)
    concern = _load(viewer, reference, open_only=False)
    event(concern, "messaged", now, actor, level=concern.escalation_level, reason=words)
    db.session.flush()
    last = db.session.scalar(select(ConcernEvent.id).where(
        ConcernEvent.concern_id == concern.id).order_by(ConcernEvent.id.desc()).limit(1))
    sent = notices.tell_supporter_text(concern, "message", f"message:{last}", now, "case.message",
                                       {"reference": concern.reference, "text": words})
    _finish(actor, concern, "message", now, remote_addr, sent)
    return ActionResult(concern, "message", "Message sent to the supporter.")


# --- transfer (a routing correction) --------------------------------------------------

def _route_for(concern: Concern, to_scheme: str) -> tuple[str, list[str], str]:
    """Owner team, extra owners and confidentiality for a scheme, from the routing table."""
    est = db.session.get(Establishment, concern.establishment_id)
    code = est.code if est else None
    table = current_rules().routing.table(code)
    # The scheme's own route: not the staff-complaint channel, fewest conditions.
    routes = sorted((r for r in table if r.scheme == to_scheme),
                    key=lambda r: (r.confidentiality == "staff_complaint", len(r.when)))
    route = routes[0] if routes else None
    if route is None:
        raise InvalidInput({"to_scheme": ["No route in the routing table uses that scheme."]})
    if concern.confidentiality in STRICT:
        owner = concern.owner_team if concern.confidentiality == "staff_complaint" else route.owner
        return owner, list(concern.extra_owners), concern.confidentiality
    return route.owner, list(route.extra_owners), route.confidentiality


def transfer(actor: User, viewer: Viewer, reference: str, to_scheme: str | None,
             reason: str | None, now: datetime, remote_addr: str | None = None) -> ActionResult:
    """Re-route to another scheme, with a reason; kept as a routing correction for the rules lab."""
    words = _words("reason", reason, "Say why it belongs to the other scheme.", limit=500)
    concern = _load(viewer, reference)
    target = (to_scheme or "").strip()
    if not target:
        raise InvalidInput({"to_scheme": ["Choose the scheme."]})
    if target == concern.scheme:
        raise InvalidInput({"to_scheme": ["It is already with that scheme."]})
    owner, extra, confidentiality = _route_for(concern, target)
    before = {"scheme": concern.scheme, "owner": concern.owner_team,
              "confidentiality": concern.confidentiality, "co_schemes": list(concern.co_schemes)}
    co = [s for s in concern.co_schemes if s != target]
    guarded_update(concern, scheme=target, co_schemes=co, owner_team=owner, extra_owners=extra,
                   confidentiality=confidentiality, updated_at=now)
    db.session.execute(delete(ConcernAudience).where(ConcernAudience.concern_id == concern.id))
    for key in sorted(audience_keys(target, co, owner, extra)):
        db.session.add(ConcernAudience(concern_id=concern.id, key=key))
    after = {"scheme": target, "owner": owner, "confidentiality": confidentiality,
             "co_schemes": co}
    event(concern, "transferred", now, actor, level=concern.escalation_level, reason=words,
          data={"correction": True, "before": before, "after": after,
                "rules": list((concern.routing or {}).get("rules", [])),
                "ruleset_version": concern.ruleset_version,
                "categories": list(concern.categories)})
    sent = notices.tell_supporter_text(
        concern, "transferred", f"transfer:{target}:{now.isoformat()}", now, "case.transferred",
        {"reference": concern.reference, "scheme": str(scheme_name(target))})
    _finish(actor, concern, "transfer", now, remote_addr, sent, before=before, after=after)
    return ActionResult(concern, "transfer", f"Transferred to {scheme_name(target)}.")


def corrections(establishment_id: int | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Transfers staff made, newest first: candidate fixes for the routing rules."""
    query = (select(ConcernEvent, Concern.reference).join(Concern, Concern.id == ConcernEvent.concern_id)
             .where(ConcernEvent.kind == "transferred"))
    if establishment_id is not None:
        query = query.where(ConcernEvent.establishment_id == establishment_id)
    rows = db.session.execute(query.order_by(ConcernEvent.at.desc(), ConcernEvent.id.desc())
                              .limit(limit))
    return [{"at": e.at, "reference": ref, "from": e.data.get("before", {}).get("scheme"),
             "to": e.data.get("after", {}).get("scheme"), "rules": e.data.get("rules", []),
             "categories": e.data.get("categories", []), "reason": e.reason,
             "ruleset_version": e.data.get("ruleset_version")} for e, ref in rows]


# --- hand-off, resolve, reopen -----------------------------------------------------------

def handoff(actor: User, viewer: Viewer, reference: str, process: str | None,
            external_ref: str | None, now: datetime,
            remote_addr: str | None = None) -> ActionResult:
    """Pass the item to a statutory process with its reference; the clock stops as handed off."""
    key = (process or "").strip().lower()
    if key not in HANDOFF_PROCESSES:
        raise InvalidInput({"reason_code": [f"Choose one of: {', '.join(PROCESSES)}."]})
    ref = _words("external_ref", external_ref, "Give the process's reference.", limit=60)
    concern = _load(viewer, reference)
    old = concern.status
    guarded_update(concern, status="in_progress", next_deadline=None, updated_at=now)
    event(concern, "handed_off", now, actor, from_status=old, to_status="in_progress",
          level=concern.escalation_level, reason_code=key, reason=ref,
          data={"process": key, "external_ref": ref})
    sent = notices.tell_supporter_text(
        concern, "handed_off", f"handoff:{key}:{ref}", now, "case.handed_off",
        {"reference": concern.reference, "process": HANDOFF_PROCESSES[key], "external_ref": ref})
    _finish(actor, concern, "handoff", now, remote_addr, sent, process=key, external_ref=ref)
    return ActionResult(concern, "handoff", f"Handed off to {key.upper()} ({ref}). "
                        "The clock has stopped.")


def resolve(actor: User, viewer: Viewer, reference: str, outcome: str | None, now: datetime,
            remote_addr: str | None = None) -> ActionResult:
    """Resolve with an outcome the supporter is sent; it closes when they confirm (or in 5 working days)."""
    words = _words("outcome", outcome, "Say what was done (the supporter is told).", limit=500)
    concern = _load(viewer, reference)
    old = concern.status
    guarded_update(concern, status="resolved", resolved_at=now, next_deadline=None,
                   updated_at=now)
    event(concern, "resolved", now, actor, from_status=old, to_status="resolved",
          level=concern.escalation_level, reason=words)
    sent = notices.tell_supporter_text(
        concern, "resolved", f"resolved:{now.isoformat()}", now, "case.resolved",
        {"reference": concern.reference, "outcome": words})
    _finish(actor, concern, "resolve", now, remote_addr, sent)
    return ActionResult(concern, "resolve", "Resolved. The supporter has been sent the outcome.")


def _reopen(actor: User, concern: Concern, now: datetime, reason: str | None,
            by_supporter: bool) -> None:
    old = concern.status
    restart = HistoryEvent("reopened", now)
    guarded_update(concern, status="in_progress", resolved_at=None, updated_at=now,
                   next_deadline=deadline_now(concern, now, [restart]))
    event(concern, "reopened", now, actor, from_status=old, to_status="in_progress",
          level=concern.escalation_level, reason=reason,
          data={"by": "supporter" if by_supporter else "staff"})


def reopen(actor: User, viewer: Viewer, reference: str, reason: str | None, now: datetime,
           remote_addr: str | None = None) -> ActionResult:
    """Open a resolved or closed item again; the resolve clock restarts from now."""
    concern = _load(viewer, reference, open_only=False)
    if concern.is_open:
        raise Conflict("This item is still open.")
    _reopen(actor, concern, now, (reason or "").strip() or None, by_supporter=False)
    sent = notices.tell_supporter_text(concern, "reopened", f"reopened:{now.isoformat()}", now,
                                       "case.reopened", {"reference": concern.reference})
    _finish(actor, concern, "reopen", now, remote_addr, sent)
    return ActionResult(concern, "reopen", "Reopened. The clock is running again.")


# --- the supporter's answer and the sweep ------------------------------------------------

def _own_resolved(supporter: User, reference: str) -> Concern:
    concern = db.session.scalar(select(Concern).where(Concern.reference == reference.upper()))
    if concern is None or concern.raised_by_id != supporter.id:
        raise NotFound(reference)
    if concern.status != "resolved":
        raise Conflict("This referral is not waiting for your answer.")
    return concern


def confirm_sorted(supporter: User, reference: str, now: datetime,
                   remote_addr: str | None = None) -> Concern:
    """The supporter says it is sorted: the item closes."""
    concern = _own_resolved(supporter, reference)
    guarded_update(concern, status="closed", updated_at=now)
    event(concern, "closed", now, supporter, from_status="resolved", to_status="closed",
          data={"by": "supporter"})
    _finish(supporter, concern, "confirm_sorted", now, remote_addr, False)
    return concern


def not_sorted(supporter: User, reference: str, now: datetime,
               remote_addr: str | None = None) -> Concern:
    """The supporter says it is not sorted: the item reopens and the staff who hold it are told."""
    concern = _own_resolved(supporter, reference)
    _reopen(supporter, concern, now, "The supporter says it is not sorted.", by_supporter=True)
    people = _holders(concern)
    sent = notices.tell_staff(concern, people, "staff_not_sorted",
                              f"not_sorted:{now.isoformat()}", now) if people else 0
    _finish(supporter, concern, "not_sorted", now, remote_addr, bool(sent))
    return concern


def _holders(concern: Concern) -> list[User]:
    """Whoever resolved it and whoever it is assigned to (the people who will act)."""
    ids = {concern.assigned_to_id} if concern.assigned_to_id else set()
    resolver = db.session.scalar(select(ConcernEvent.actor_id).where(
        ConcernEvent.concern_id == concern.id, ConcernEvent.kind == "resolved")
        .order_by(ConcernEvent.id.desc()).limit(1))
    if resolver:
        ids.add(resolver)
    people = [db.session.get(User, i) for i in sorted(ids)]
    return [p for p in people if p is not None and is_active(p)]


def close_unconfirmed(now: datetime, batch: int = 500) -> int:
    """Close resolved items the supporter has not answered within 5 working days (idempotent)."""
    calendar = clock_rules().calendar
    closed = 0
    candidates = list(db.session.scalars(select(Concern).where(
        Concern.status == "resolved", Concern.resolved_at.is_not(None),
        Concern.resolved_at <= now).order_by(Concern.resolved_at, Concern.id).limit(batch)))
    for concern in candidates:
        resolved_at = concern.resolved_at
        assert resolved_at is not None
        if calendar.add(_utc(resolved_at), CONFIRM_WITHIN) > now:
            continue
        try:
            guarded_update(concern, status="closed", updated_at=now)
        except Conflict:
            continue  # the supporter answered, or another sweep closed it meanwhile
        event(concern, "closed", now, None, from_status="resolved", to_status="closed",
              data={"by": "timeout", "after": str(CONFIRM_WITHIN)})
        db.session.commit()  # each item on its own: a conflict never undoes the others
        closed += 1
    db.session.commit()
    return closed


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


__all__ = ["OPEN_STATUSES", "PROCESSES", "assign", "assignable", "close_unconfirmed",
           "confirm_sorted", "corrections", "handoff", "message", "not_sorted", "note",
           "reopen", "resolve", "transfer"]
