"""Staff act on a concern's clock through one endpoint; anyone reads their own notices.

``ACTIONS`` is a dispatch table: action name -> (schema, service call). Later
actions (assign, note, message, transfer, handoff, resolve, reopen) are added
as rows, not as new endpoints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g, jsonify
from marshmallow import Schema
from werkzeug.wrappers import Response

from tracker.api import bp
from tracker.api.helpers import json_body, load
from tracker.clock import utcnow
from tracker.errors import ApiError
from tracker.schemas.actions import ActionResultSchema, ActionSchema, DeferSchema, NotificationSchema
from tracker.services import clock_actions, inbox
from tracker.services.clock_state import Conflict
from tracker.services.errors import InvalidInput, NotFound

Handler = Callable[[str, dict[str, Any]], clock_actions.ActionResult]


def _acknowledge(reference: str, _data: dict[str, Any]) -> clock_actions.ActionResult:
    return clock_actions.acknowledge(g.user, g.viewer, reference, utcnow())


def _defer(reference: str, data: dict[str, Any]) -> clock_actions.ActionResult:
    return clock_actions.defer(g.user, g.viewer, reference, data["reason_code"],
                               data.get("reason"), data["until"], utcnow())


def _resume(reference: str, _data: dict[str, Any]) -> clock_actions.ActionResult:
    return clock_actions.resume(g.user, g.viewer, reference, utcnow())


ACTIONS: dict[str, tuple[type[Schema], Handler]] = {
    "acknowledge": (ActionSchema, _acknowledge),
    "defer": (DeferSchema, _defer),
    "resume": (ActionSchema, _resume),
}


def _action_name(body: Any) -> str:
    name = body.get("action") if isinstance(body, dict) else None
    if not isinstance(name, str) or not name:
        raise ApiError(422, "invalid", "Say which action.", {"action": ["Say which action."]})
    if name not in ACTIONS:
        known = ", ".join(sorted(ACTIONS))
        raise ApiError(422, "unknown_action", f"Unknown action {name!r}. Use one of: {known}.",
                       {"action": [f"Unknown action. Use one of: {known}."]})
    return name


@bp.post("/concerns/<reference>/actions")
def concern_action(reference: str) -> Response:
    """Acknowledge, defer (reason code, words shown to the supporter, expected date) or resume."""
    body = json_body()
    name = _action_name(body)
    schema, handler = ACTIONS[name]
    data = load(schema(), body)
    try:
        result = handler(reference, data)
    except NotFound as exc:
        raise ApiError(404, "not_found", "No concern with that reference.") from exc
    except Conflict as exc:
        raise ApiError(409, "conflict", str(exc)) from exc
    except InvalidInput as exc:
        raise ApiError(422, "invalid", "Some fields are not right.", dict(exc.fields)) from exc
    return jsonify(ActionResultSchema().dump(result))


@bp.get("/me/notifications")
def my_notifications() -> Response:
    """The caller's notices, newest first."""
    rows = inbox.items(g.user)
    return jsonify({"items": NotificationSchema(many=True).dump(rows)})
