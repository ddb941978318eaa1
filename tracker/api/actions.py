"""Staff act on a concern through one endpoint (and on many at once); anyone reads their notices.

``ACTIONS`` is a dispatch table: action name -> (schema, service call). The case-handling
actions (assign, note, message, transfer, handoff, resolve, reopen) are rows like the clock's.
Bulk actions run each reference in its own transaction and report per reference: one item
that changed meanwhile (or that the caller may not know) does not undo the others.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g, jsonify, request
from marshmallow import Schema
from werkzeug.wrappers import Response

from tracker.api import bp
from tracker.api.helpers import json_body, load
from tracker.clock import utcnow
from tracker.errors import ApiError
from tracker.extensions import db
from tracker.schemas.actions import (
    ActionResultSchema,
    ActionSchema,
    AssignSchema,
    BulkSchema,
    DeferSchema,
    HandoffSchema,
    MessageSchema,
    NoteSchema,
    NotificationSchema,
    ReopenSchema,
    ResolveSchema,
    TransferSchema,
)
from tracker.services import case_actions, clock_actions, inbox
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


def _assign(reference: str, data: dict[str, Any]) -> clock_actions.ActionResult:
    return case_actions.assign(g.user, g.viewer, reference, data.get("assignee"), utcnow(),
                               request.remote_addr)


def _note(reference: str, data: dict[str, Any]) -> clock_actions.ActionResult:
    return case_actions.note(g.user, g.viewer, reference, data["reason"], utcnow(),
                             request.remote_addr)


def _message(reference: str, data: dict[str, Any]) -> clock_actions.ActionResult:
    return case_actions.message(g.user, g.viewer, reference, data["reason"], utcnow(),
                                request.remote_addr)


def _transfer(reference: str, data: dict[str, Any]) -> clock_actions.ActionResult:
    return case_actions.transfer(g.user, g.viewer, reference, data["to_scheme"], data["reason"],
                                 utcnow(), request.remote_addr)


def _handoff(reference: str, data: dict[str, Any]) -> clock_actions.ActionResult:
    return case_actions.handoff(g.user, g.viewer, reference, data["reason_code"],
                                data["external_ref"], utcnow(), request.remote_addr)


def _resolve(reference: str, data: dict[str, Any]) -> clock_actions.ActionResult:
    return case_actions.resolve(g.user, g.viewer, reference, data["outcome"], utcnow(),
                                request.remote_addr)


def _reopen(reference: str, data: dict[str, Any]) -> clock_actions.ActionResult:
    return case_actions.reopen(g.user, g.viewer, reference, data.get("reason"), utcnow(),
                               request.remote_addr)


ACTIONS: dict[str, tuple[type[Schema], Handler]] = {
    "acknowledge": (ActionSchema, _acknowledge),
    "defer": (DeferSchema, _defer),
    "resume": (ActionSchema, _resume),
    "assign": (AssignSchema, _assign),
    "note": (NoteSchema, _note),
    "message": (MessageSchema, _message),
    "transfer": (TransferSchema, _transfer),
    "handoff": (HandoffSchema, _handoff),
    "resolve": (ResolveSchema, _resolve),
    "reopen": (ReopenSchema, _reopen),
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


def _run_one(handler: Handler, reference: str, data: dict[str, Any]) -> dict[str, Any]:
    """One reference of a bulk action, in its own transaction."""
    try:
        result = handler(reference, data)
    except NotFound:
        db.session.rollback()
        return {"reference": reference, "ok": False, "error": "not_found",
                "message": "No concern with that reference."}
    except Conflict as exc:
        db.session.rollback()
        return {"reference": reference, "ok": False, "error": "conflict", "message": str(exc)}
    except InvalidInput as exc:
        db.session.rollback()
        return {"reference": reference, "ok": False, "error": "invalid",
                "message": "Some fields are not right.", "fields": dict(exc.fields)}
    return {"ok": True, **ActionResultSchema().dump(result)}


@bp.post("/queue/actions")
def queue_actions() -> Response:
    """One action on up to 100 references: each in its own transaction, a result per reference."""
    body = json_body()
    name = _action_name(body)
    refs = load(BulkSchema(), {"references": body["references"]} if "references" in body else {})
    schema, handler = ACTIONS[name]
    data = load(schema(), {k: v for k, v in body.items() if k != "references"})
    seen: dict[str, None] = dict.fromkeys(r.strip().upper() for r in refs["references"])
    results = [_run_one(handler, ref, data) for ref in seen]
    done = sum(1 for r in results if r["ok"])
    return jsonify({"action": name, "done": done, "failed": len(results) - done,
                    "results": results})


@bp.get("/me/notifications")
def my_notifications() -> Response:
    """The caller's notices, newest first."""
    rows = inbox.items(g.user)
    return jsonify({"items": NotificationSchema(many=True).dump(rows)})
