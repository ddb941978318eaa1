"""marshmallow 4 schemas: one module per resource, separate views per direction and audience."""

from __future__ import annotations

from marshmallow import ValidationError


def plain_errors(exc: ValidationError) -> dict[str, list[str]]:
    """marshmallow's nested messages flattened to field -> list of sentences."""
    messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
    out: dict[str, list[str]] = {}
    for key, value in messages.items():
        out[str(key)] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return out
