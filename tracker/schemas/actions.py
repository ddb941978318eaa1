"""Actions staff take on a concern's clock (acknowledge, defer, resume), and what comes back."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from marshmallow import Schema, ValidationError, fields, validate

from tracker.core.escalation import HANDOFF_PROCESSES
from tracker.core.pauses import REASON_CODES
from tracker.schemas.fields import TrimmedString

LONDON = ZoneInfo("Europe/London")
REASON_HELP = "This text is shown to the supporter who raised the concern."
SCHEMES = ("listeners", "insiders", "buddies", "equality_reps", "shannon_trust", "pal")
PROCESSES = tuple(HANDOFF_PROCESSES)


class ExpectedDate(fields.Field):
    """A date (meaning the end of that day in London) or an ISO 8601 time; comes out in UTC."""

    default_error_messages = {"invalid": "Give a date like 2026-12-01 or a time like "
                                         "2026-12-01T14:00:00+00:00."}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        text = value.strip()
        try:
            if len(text) == 10:
                day = date.fromisoformat(text) + timedelta(days=1)
                return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)
            moment = datetime.fromisoformat(text)
        except ValueError as exc:
            raise self.make_error("invalid") from exc
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=LONDON)
        return moment.astimezone(UTC)


class ActionSchema(Schema):
    """Every action names itself; the dispatch table picks the schema for the rest."""

    action = fields.String(required=True, error_messages={"required": "Say which action."})


class DeferSchema(ActionSchema):
    """Pause the clock: a reason code from the list, words for the supporter, an expected date."""

    reason_code = fields.String(required=True, validate=validate.OneOf(
        REASON_CODES, error=f"Choose one of: {', '.join(REASON_CODES)}."),
        error_messages={"required": "Choose a reason."})
    reason = TrimmedString(load_default=None, allow_none=True, validate=validate.Length(max=500),
                           metadata={"description": REASON_HELP})
    until = ExpectedDate(required=True, error_messages={"required": "Give the expected date."})


class AssignSchema(ActionSchema):
    """Assign to a colleague (user name or id) or to the caller ("me" or left out)."""

    assignee = fields.Raw(load_default=None, allow_none=True,
                          metadata={"description": "user name, user id, or \"me\""})


class NoteSchema(ActionSchema):
    """An internal note: staff only, never shown to the supporter."""

    reason = TrimmedString(required=True, validate=validate.Length(
        min=1, max=2000, error="Write the note (at most 2000 characters)."),
        error_messages={"required": "Write the note.", "null": "Write the note."})


class MessageSchema(ActionSchema):
    """Words for the supporter, shown at the kiosk."""

    reason = TrimmedString(required=True, validate=validate.Length(
        min=1, max=500, error="Write the message (at most 500 characters)."),
        error_messages={"required": "Write the message to the supporter.",
                        "null": "Write the message to the supporter."},
        metadata={"description": REASON_HELP})


class TransferSchema(ActionSchema):
    """Move to another scheme; the reason is kept as a routing correction."""

    to_scheme = fields.String(required=True, validate=validate.OneOf(
        SCHEMES, error=f"Choose one of: {', '.join(SCHEMES)}."),
        error_messages={"required": "Choose the scheme.", "null": "Choose the scheme."})
    reason = TrimmedString(required=True, validate=validate.Length(
        min=1, max=500, error="Say why (at most 500 characters)."),
        error_messages={"required": "Say why it belongs to the other scheme.",
                        "null": "Say why it belongs to the other scheme."})


class HandoffSchema(ActionSchema):
    """Hand to a statutory process (reason_code: acct, csip, dirf, complaint) with its reference."""

    reason_code = fields.String(required=True, validate=validate.OneOf(
        PROCESSES, error=f"Choose one of: {', '.join(PROCESSES)}."),
        error_messages={"required": "Choose the process.", "null": "Choose the process."})
    external_ref = TrimmedString(required=True, validate=validate.Length(
        min=1, max=60, error="Give the process's reference (at most 60 characters)."),
        error_messages={"required": "Give the process's reference.",
                        "null": "Give the process's reference."})


class ResolveSchema(ActionSchema):
    """Resolve with an outcome; the outcome is sent to the supporter."""

    outcome = TrimmedString(required=True, validate=validate.Length(
        min=1, max=500, error="Say what was done (at most 500 characters)."),
        error_messages={"required": "Say what was done (the supporter is told).",
                        "null": "Say what was done (the supporter is told)."},
        metadata={"description": REASON_HELP})


class ReopenSchema(ActionSchema):
    """Open a resolved or closed item again, optionally saying why (staff only)."""

    reason = TrimmedString(load_default=None, allow_none=True, validate=validate.Length(max=500))


MAX_BULK = 100


class BulkSchema(Schema):
    """The references a bulk action applies to (the rest is the action's own fields)."""

    references = fields.List(fields.String(validate=validate.Length(min=1, max=20)),
                             required=True, validate=validate.Length(
                                 min=1, max=MAX_BULK,
                                 error=f"Give between 1 and {MAX_BULK} references."),
                             error_messages={"required": "Give the references."})


class ActionResultSchema(Schema):
    """What an action did and where the clock now stands."""

    reference = fields.Function(lambda r: r.concern.reference)
    action = fields.String()
    status = fields.Function(lambda r: r.concern.status)
    escalation_level = fields.Function(lambda r: r.concern.escalation_level)
    next_deadline = fields.Function(
        lambda r: r.concern.next_deadline.isoformat() if r.concern.next_deadline else None)
    paused = fields.Boolean()
    escalated = fields.Boolean()
    message = fields.String()


class NotificationSchema(Schema):
    """One notice in the caller's inbox."""

    id = fields.Integer()
    created_at = fields.Function(lambda n: n.created_at.isoformat())
    reference = fields.String(allow_none=True)
    kind = fields.String()
    message = fields.String()
    read = fields.Boolean()


def load_action(schema: Schema, body: dict[str, Any]) -> dict[str, Any]:
    """Validate with the action's own schema (unknown fields refused)."""
    data: dict[str, Any] = schema.load(body)
    return data


__all__ = ["ActionResultSchema", "ActionSchema", "AssignSchema", "BulkSchema", "DeferSchema",
           "HandoffSchema", "MessageSchema", "NoteSchema", "NotificationSchema", "ReopenSchema",
           "ResolveSchema", "TransferSchema", "ValidationError", "load_action"]
