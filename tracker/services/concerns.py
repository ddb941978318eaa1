"""Raising a concern and reading concerns back, each as the caller may see them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tracker import signals
from tracker.core.access import Viewer, may_know_exists, may_read_content
from tracker.extensions import db
from tracker.models import OPEN_STATUSES, Concern, Establishment, User
from tracker.rules_engine import ConcernFacts, Decision, RuleSet, classify
from tracker.services import audit, concern_store, deadlines, escalation, notify
from tracker.services.clock_state import Staffing, event_row
from tracker.services.concern_store import NewRows
from tracker.services.directory import Directory, Person, WingEntry, directory
from tracker.services.errors import IdempotencyConflict, InvalidInput, NotFound
from tracker.services.references import new_reference
from tracker.services.viewers import item_facts
from tracker.services.visibility import audience_keys

# A reference has five random characters (9.8 million a month per prison), so two concerns
# can draw the same one; the unique index refuses the second, which then draws again.
REFERENCE_DRAWS = 3


@dataclass(frozen=True)
class ConcernRequest:
    """What a supporter submits, already checked by the schema."""

    text: str
    wing: str
    idempotency_key: str
    resident_number: str | None = None
    about_staff: str | None = None
    risk_now: bool = False
    consent_to_share: bool = False
    is_about_staff: bool = False  # "yes, about staff" even when the name is not known

    def fingerprint(self) -> str:
        """Same key, same content: a retry. Same key, other content: a mistake to refuse."""
        body = {k: v for k, v in asdict(self).items() if k != "idempotency_key"}
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Submitted:
    """The stored concern, and whether this call created it (False: an idempotent replay)."""

    concern: Concern
    created: bool


def _resolve(raiser: User, req: ConcernRequest,
             known: Directory | None = None) -> tuple[WingEntry, Person | None]:
    """The wing and the member of staff named, from the establishment's cached directory."""
    errors: dict[str, list[str]] = {}
    known = known or directory(raiser.establishment_id)
    wing = known.wing(req.wing)
    if wing is None:
        errors["wing"] = ["There is no wing with that name here. Choose one from the list."]
    staff = known.staff_member(req.about_staff) if req.about_staff else None
    if req.about_staff and staff is None:
        errors["about_staff"] = ["No member of staff has that user name here."]
    if errors:
        raise InvalidInput(errors)
    assert wing is not None
    return wing, staff


def _existing(raiser: User, req: ConcernRequest) -> Concern | None:
    found = db.session.scalar(select(Concern).where(
        Concern.raised_by_id == raiser.id, Concern.idempotency_key == req.idempotency_key))
    if found is not None and found.request_fingerprint != req.fingerprint():
        raise IdempotencyConflict("This idempotency key was already used for another concern.")
    return found


def preview(rules: RuleSet, raiser: User, req: ConcernRequest) -> Decision:
    """Classify without storing, for the kiosk's check page."""
    _resolve(raiser, req)
    return classify(rules, _facts(raiser, req))


def _facts(raiser: User, req: ConcernRequest) -> ConcernFacts:
    return ConcernFacts(text=req.text, risk_now=req.risk_now,
                        about_staff=req.is_about_staff or bool(req.about_staff),
                        consent_to_share=req.consent_to_share,
                        establishment=raiser.establishment.code)


def submit_concern(raiser: User, req: ConcernRequest, rules: RuleSet, now: datetime,
                   directory_version: int | None = None) -> Submitted:
    """Classify, route, start the clock and write the outbox, all in one transaction.

    A repeated idempotency key is caught by the unique (raised_by_id, idempotency_key) index
    when the insert is refused, so a first submission does not pay for a look-up beforehand.
    """
    known = directory(raiser.establishment_id, directory_version)
    try:
        wing, staff = _resolve(raiser, req, known)
    except InvalidInput:
        existing = _existing(raiser, req)  # a retry of one stored before its wing was retired
        if existing is None:
            raise
        return Submitted(existing, created=False)
    decision = classify(rules, _facts(raiser, req))
    draws = 0
    while True:
        draws += 1
        concern = _build(raiser, req, wing, staff, decision, now, rules.learned_version)
        try:
            _store(concern, raiser, decision, now, wing, staff, known)
        except IntegrityError:
            db.session.rollback()  # a retry, or a double tap that raced us: the first one stands
            existing = _existing(raiser, req)
            if existing is not None:
                return Submitted(existing, created=False)
            if draws == REFERENCE_DRAWS or not _reference_taken(concern.reference):
                raise
            continue  # the random reference was already given to another concern: draw again
        signals.concern_submitted.send(concern, reference=concern.reference)
        if concern.urgency == "immediate":
            # The risk-to-life alert to Safer Custody goes now, not at the next scheduler run
            # (other new-item emails wait for it: within a minute, and cheaper under load).
            signals.notifications_written.send(None, concern_id=concern.id)
        return Submitted(concern, created=True)


def _store(concern: Concern, raiser: User, decision: Decision, now: datetime,
           wing: WingEntry, staff: Person | None, known: Directory) -> None:
    """Work out every row the new concern brings, write them together, commit."""
    rows = NewRows(audience=sorted(audience_keys(decision.scheme, list(decision.co_schemes),
                                                 decision.owner, list(decision.extra_owners))))
    rows.events.append(event_row(
        concern.establishment_id, None, "raised", now, raiser.id, to_status="new", level=0,
        data={"rules": list(decision.rules), "ruleset_version": decision.ruleset_version,
              "scheme": decision.scheme, "urgency": decision.urgency}))
    empty = escalation.first_post_vacancy(concern, Staffing.from_directory(known))
    if empty is not None:  # due at once: the next sweep moves it up
        reason, title = empty
        concern.next_deadline = now
        rows.events.append(event_row(concern.establishment_id, None, "post_empty", now,
                                     level=0, reason=reason, data={"title": title}))
    rows.outbox = notify.new_concern_rows(concern, now, known, wing.code,
                                          staff.wing_id if staff else None)
    concern_store.store(concern, rows)
    _commit_keeping_loaded()


def _reference_taken(reference: str) -> bool:
    return db.session.scalar(select(Concern.id).where(Concern.reference == reference)) is not None


def _commit_keeping_loaded() -> None:
    """Commit without expiring the objects just written: the answer is built from them as they
    are, rather than read back in a second transaction (a server default not sent with the
    insert is still expired by the flush and loaded if asked for)."""
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def _build(raiser: User, req: ConcernRequest, wing: WingEntry, staff: Person | None,
           decision: Decision, now: datetime, learned_version: str | None) -> Concern:
    due = deadlines.for_new(decision.categories, decision.urgency, now)
    establishment: Establishment = raiser.establishment
    return Concern(
        establishment_id=raiser.establishment_id, reference=new_reference(establishment.code, now),
        idempotency_key=req.idempotency_key, request_fingerprint=req.fingerprint(),
        raised_by_id=raiser.id, resident_number=req.resident_number, wing_id=wing.id,
        text=req.text, about_staff_id=staff.id if staff else None,
        answers={"risk_now": req.risk_now,
                 "about_staff": req.is_about_staff or bool(req.about_staff),
                 "consent_to_share": req.consent_to_share},
        categories=list(decision.categories), urgency=decision.urgency, scheme=decision.scheme,
        co_schemes=list(decision.co_schemes), owner_team=decision.owner,
        extra_owners=list(decision.extra_owners), confidentiality=decision.confidentiality,
        routing=_routing_record(decision, learned_version),
        ruleset_version=decision.ruleset_version,
        status="new", escalation_level=0, ack_due_at=due.ack_due, resolve_due_at=due.resolve_due,
        next_deadline=due.ack_due, created_at=now, updated_at=now)


def _routing_record(decision: Decision, learned_version: str | None) -> dict[str, object]:
    """What the rules decided and why, and which learned model (if any) was in force."""
    data = decision.as_dict()
    return {**{k: data[k] for k in ("rules", "evidence", "explanation", "staff_explanation",
                                     "alert_safer_custody", "tell_officer_now")},
            "learned_version": learned_version}


def concern_for(viewer: Viewer, reference: str) -> Concern:
    """The concern if the viewer may know it exists; otherwise NotFound, as if it did not."""
    concern = db.session.scalar(select(Concern).where(Concern.reference == reference.upper()))
    if concern is None or not may_know_exists(viewer, item_facts(concern)):
        raise NotFound(reference)
    return concern


def can_read(viewer: Viewer, concern: Concern) -> bool:
    """Whether the text and detail may be shown to this viewer."""
    return may_read_content(viewer, item_facts(concern, with_grants=True))


def preview_due(decision: Decision, now: datetime) -> datetime:
    """When staff would have to act if it were sent now."""
    return deadlines.for_new(decision.categories, decision.urgency, now).ack_due


def open_count(raiser: User) -> int:
    """How many of this supporter's referrals are still open."""
    return db.session.scalar(select(func.count()).select_from(Concern).where(
        Concern.raised_by_id == raiser.id, Concern.status.in_(OPEN_STATUSES))) or 0


def my_concerns(raiser: User, limit: int = 200) -> list[Concern]:
    """Everything this supporter raised, newest first."""
    return list(db.session.scalars(select(Concern).where(Concern.raised_by_id == raiser.id)
                                   .order_by(Concern.created_at.desc()).limit(limit)))


def open_concern(user: User, viewer: Viewer, reference: str, remote_addr: str | None,
                 now: datetime, via: str) -> tuple[Concern, bool]:
    """Fetch a concern for reading and log the read: content or metadata only."""
    concern = concern_for(viewer, reference)
    content = can_read(viewer, concern)
    audit.record(user, "read_content" if content else "read_metadata", now, concern=concern,
                 remote_addr=remote_addr, via=via)
    db.session.commit()
    return concern, content
