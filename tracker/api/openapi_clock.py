"""OpenAPI paths for clock actions and notices (kept apart so openapi.py stays short)."""

from __future__ import annotations

from typing import Any

from apispec import APISpec

from tracker.core.pauses import REASON_CODES
from tracker.schemas.actions import ActionResultSchema, NotificationSchema


def _errors(*codes: int) -> dict[str, Any]:
    return {str(c): {"description": "error", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}} for c in codes}


ACTION_BODY = {"type": "object", "required": ["action"], "properties": {
    "action": {"type": "string", "enum": ["acknowledge", "defer", "resume", "assign", "note",
                                          "message", "transfer", "handoff", "resolve",
                                          "reopen"],
               "description": "Unknown actions answer 422 (code unknown_action)."},
    "assignee": {"type": ["string", "integer", "null"],
                 "description": "assign: user name or id of a colleague allowed to see the item; "
                                "\"me\" or left out assigns to the caller."},
    "to_scheme": {"type": "string", "description": "transfer: the scheme it moves to."},
    "outcome": {"type": "string", "maxLength": 500,
                "description": "resolve: what was done; shown to the supporter."},
    "external_ref": {"type": "string", "maxLength": 60,
                     "description": "handoff: the statutory process's reference."},
    "reason_code": {"type": "string", "enum": [*REASON_CODES, "acct", "csip", "dirf",
                                               "complaint"],
                    "description": "defer: why the clock pauses; handoff: acct, csip, dirf or "
                                   "complaint."},
    "reason": {"type": "string", "maxLength": 500,
               "description": "defer only: shown to the supporter who raised the concern; "
                              "required for other and handed_off (give the reference)."},
    "until": {"type": "string", "description": "defer only: expected date (YYYY-MM-DD = end "
                                               "of that day, Europe/London) or ISO 8601 time."}},
    "additionalProperties": False}


def add_paths(spec: APISpec, secured: list[dict[str, list[str]]]) -> None:
    """Describe POST /concerns/{reference}/actions and GET /me/notifications."""
    spec.components.schema("ActionResult", schema=ActionResultSchema)
    spec.components.schema("Notification", schema=NotificationSchema)
    spec.path("/concerns/{reference}/actions", operations={"post": {
        "summary": "Staff act on a concern's clock: acknowledge, defer (at most twice), resume",
        "security": secured,
        "parameters": [{"name": "reference", "in": "path", "required": True,
                        "schema": {"type": "string"}}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": ACTION_BODY}}},
        "responses": {"200": {"description": "done", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/ActionResult"}}}},
            **_errors(400, 401, 403, 404, 409, 415, 422)}}})
    spec.path("/queue/actions", operations={"post": {
        "summary": "One action on up to 100 items; each in its own transaction, reported per item",
        "security": secured,
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            **ACTION_BODY, "required": ["action", "references"],
            "properties": {**ACTION_BODY["properties"], "references": {  # type: ignore[dict-item]
                "type": "array", "minItems": 1, "maxItems": 100,
                "items": {"type": "string"}}}}}}},
        "responses": {"200": {"description": "a result per reference (ok, or error + message)",
                              "content": {"application/json": {"schema": {
                                  "type": "object", "properties": {
                                      "action": {"type": "string"},
                                      "done": {"type": "integer"},
                                      "failed": {"type": "integer"},
                                      "results": {"type": "array", "items": {
                                          "type": "object"}}}}}}},
            **_errors(400, 401, 403, 415, 422)}}})
    spec.path("/me/notifications", operations={"get": {
        "summary": "The caller's notices, newest first", "security": secured,
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
            "type": "object", "required": ["items"], "properties": {"items": {
                "type": "array", "items": {"$ref": "#/components/schemas/Notification"}}}}}}},
            **_errors(401, 403)}}})
