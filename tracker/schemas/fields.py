"""Field types and validators shared by the schemas."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields

PRISON_NUMBER = re.compile(r"^[A-Z][0-9]{4}[A-Z]{2}$")


class TrimmedString(fields.String):
    """A string with surrounding spaces removed; blank becomes None."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        text = text.strip() if text is not None else None
        return text or None

    def _validate(self, value: Any) -> None:
        if value is not None:  # blank became None: length and other checks do not apply
            super()._validate(value)


class PrisonNumber(TrimmedString):
    """A prison number like A1234BC; lower case and spaces are forgiven."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        if text is None:
            return None
        text = text.replace(" ", "").upper()
        if not PRISON_NUMBER.match(text):
            raise ValidationError("A prison number is one letter, four numbers and two "
                                  "letters, like A1234BC.")
        return text


class StrictBoolean(fields.Boolean):
    """true/false (and yes/no from forms); anything else is refused with a plain message."""

    truthy = {True, "true", "yes", "on", "1"}
    falsy = {False, "false", "no", "off", "0"}
    default_error_messages = {"invalid": "Choose yes or no."}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, bool | str):  # 0 and 1 equal False and True: refuse numbers
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def concern_text(value: str) -> None:
    """What is happening: 10 to 4,000 characters, not counting spaces at the ends."""
    size = len(value.strip())
    if size < 10:
        raise ValidationError("Write a little more: at least 10 letters.")
    if len(value) > 4000:
        raise ValidationError(f"This is too long ({len(value)} characters). "
                              "The most is 4,000.")
