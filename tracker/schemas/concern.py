"""Concern schemas: what a supporter or API client sends, and what each audience gets back."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from tracker.clock import local
from tracker.models import Concern
from tracker.schemas.fields import PrisonNumber, StrictBoolean, TrimmedString, concern_text

TEXT_REQUIRED: dict[str, Any] = {"required": "Write what is happening.", "null": "Write what is happening.",
                 "invalid": "Write what is happening as text."}


class ConcernInSchema(Schema):
    """A new concern from the API."""

    text = fields.String(required=True, validate=concern_text, error_messages=TEXT_REQUIRED)
    resident_number = PrisonNumber(load_default=None, allow_none=True)
    wing = TrimmedString(load_default=None, allow_none=True, validate=validate.Length(max=20))
    about_staff = TrimmedString(load_default=None, allow_none=True,
                                validate=validate.Length(max=60))
    risk_now = StrictBoolean(load_default=False)
    consent_to_share = StrictBoolean(load_default=False)
    idempotency_key = TrimmedString(load_default=None, allow_none=True,
                                    validate=validate.Length(min=8, max=80))


ANSWER: dict[str, Any] = {"required": "Choose yes or no.", "null": "Choose yes or no."}
WING_REQUIRED: dict[str, Any] = {"required": "Choose the wing.", "null": "Choose the wing."}


class KioskConcernSchema(ConcernInSchema):
    """The kiosk form: the three questions must be answered, the wing chosen."""

    wing = TrimmedString(required=True, validate=validate.Length(max=20),
                         error_messages=WING_REQUIRED)
    risk_now = StrictBoolean(required=True, error_messages=ANSWER)
    is_about_staff = StrictBoolean(required=True, error_messages=ANSWER)
    consent_to_share = StrictBoolean(required=True, error_messages=ANSWER)
    idempotency_key = TrimmedString(required=True, validate=validate.Length(min=8, max=80))


def iso_or_none(value: Any) -> str | None:
    """A datetime as ISO 8601, None as None (marshmallow's DateTime dump, without its cost)."""
    return value.isoformat() if value is not None else None


class ConcernCreatedSchema(Schema):
    """What the raiser gets back at once: where it went, why, and by when."""

    reference = fields.String()
    categories = fields.List(fields.String())
    urgency = fields.String()
    scheme = fields.String()
    co_schemes = fields.List(fields.String())
    status = fields.String()
    escalation_level = fields.Integer()
    due_at = fields.Function(lambda c: iso_or_none(c.ack_due_at))
    resolve_by = fields.Function(lambda c: iso_or_none(c.resolve_due_at))
    explanation: fields.Field = fields.Function(lambda c: c.routing.get("explanation", ""))
    tell_officer_now = fields.Function(lambda c: bool(c.routing.get("tell_officer_now")))
    created_at = fields.Function(lambda c: iso_or_none(c.created_at))
    created_at_local = fields.Function(lambda c: iso_or_none(local(c.created_at)))


class ConcernSupporterSchema(ConcernCreatedSchema):
    """The raiser's own view: their text and answers, never staff notes or rule detail."""

    text = fields.String()
    resident_number = fields.String(allow_none=True)
    wing = fields.Function(lambda c: c.wing.code)


class ConcernStaffMetaSchema(ConcernCreatedSchema):
    """What any staff member who may know of the item sees: never the words."""

    wing = fields.Function(lambda c: c.wing.code)
    owner = fields.String(attribute="owner_team")
    extra_owners = fields.List(fields.String())
    confidentiality = fields.String()
    content_visible = fields.Constant(False)
    # The routing explanation quotes the words that matched, so it is content too.
    explanation: fields.Field = fields.Constant(
        "The reasons quote what was said, so they are shown only to staff who may read this "
        "concern.")


class ConcernStaffFullSchema(ConcernStaffMetaSchema):
    """For staff allowed to read the content: words, evidence and rules that fired."""

    content_visible = fields.Constant(True)
    explanation: fields.Field = fields.Function(lambda c: c.routing.get("staff_explanation", ""))
    text = fields.String()
    resident_number = fields.String(allow_none=True)
    rules = fields.Function(lambda c: c.routing.get("rules", []))
    evidence = fields.Function(lambda c: c.routing.get("evidence", []))
    ruleset_version = fields.String()


def dump_for(concern: Concern, role: str, content: bool) -> dict[str, Any]:
    """The right view of a concern for the caller."""
    if role == "supporter":
        schema: Schema = ConcernSupporterSchema()
    else:
        schema = ConcernStaffFullSchema() if content else ConcernStaffMetaSchema()
    return dict(schema.dump(concern))
