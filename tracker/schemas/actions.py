"""Actions staff take on a concern's clock (acknowledge, defer, resume), and what comes back."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from marshmallow import Schema, ValidationError, fields, validate

from tracker.core.pauses import REASON_CODES
from tracker.schemas.fields import TrimmedString

LONDON = ZoneInfo("Europe/London")
REASON_HELP = "This text is shown to the supporter who raised the concern."


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


__all__ = ["ActionResultSchema", "ActionSchema", "DeferSchema", "NotificationSchema",
           "ValidationError", "load_action"]
