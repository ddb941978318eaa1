"""The classify endpoint's input: a text and the optional kiosk answers; nothing is stored."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from tracker.schemas.fields import StrictBoolean


class StaffFlag(fields.Field):
    """`about_staff` may be a user name or true/false: either says a member of staff is named."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            return bool(value.strip())
        raise ValidationError("Give a staff user name or true/false.")


class ClassifyInSchema(Schema):
    """One text to classify."""

    id = fields.Raw(load_default=None)
    text = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    risk_now = StrictBoolean(load_default=False)
    about_staff = StaffFlag(load_default=False, allow_none=True)
    consent_to_share = StrictBoolean(load_default=False)
