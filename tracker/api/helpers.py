"""Parsing API requests: JSON only, validated by a schema, errors in the one JSON shape."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema, ValidationError

from tracker.errors import ApiError
from tracker.schemas import plain_errors


def json_body() -> Any:
    """The request's JSON body, or a clear 415/400."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type",
                       "Send JSON with Content-Type: application/json.")
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "malformed_json", "The body is not valid JSON.")
    return body


def load(schema: Schema, body: Any) -> dict[str, Any]:
    """Validate with `schema`; unknown fields and bad values give 422 with per-field messages."""
    if not isinstance(body, dict):
        raise ApiError(422, "invalid", "Send a JSON object.", {"_schema": ["Send a JSON object."]})
    try:
        data: dict[str, Any] = schema.load(body)
    except ValidationError as exc:
        fields = plain_errors(exc)
        for name, msgs in fields.items():
            fields[name] = ["This field is not allowed." if m == "Unknown field." else m
                            for m in msgs]
        raise ApiError(422, "invalid", "Some fields are not right.", dict(fields)) from exc
    return data
