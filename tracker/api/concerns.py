"""Concern endpoints: raise, read one, list my own, classify a text."""

from __future__ import annotations

import uuid

from flask import g, jsonify, request
from werkzeug.wrappers import Response

from tracker.api import bp
from tracker.api.helpers import json_body, load
from tracker.clock import utcnow
from tracker.errors import ApiError
from tracker.rules_engine import ConcernFacts
from tracker.rules_engine import classify as classify_text
from tracker.rules_runtime import current_rules
from tracker.schemas.classify import ClassifyInSchema
from tracker.schemas.concern import ConcernCreatedSchema, ConcernInSchema, dump_for
from tracker.services import concerns
from tracker.services.errors import IdempotencyConflict, InvalidInput, NotFound

# Built once: a schema holds no per-request state, and building one costs more than using it.
CONCERN_IN = ConcernInSchema()
CONCERN_CREATED = ConcernCreatedSchema()


@bp.post("/concerns")
def create_concern() -> tuple[Response, int]:
    """Raise a concern; a repeated Idempotency-Key returns the first result instead of a copy."""
    data = load(CONCERN_IN, json_body())
    user = g.user
    key = request.headers.get("Idempotency-Key") or data.pop("idempotency_key", None)
    if key is not None and not 8 <= len(key) <= 80:  # as the schema says; the column holds 80
        raise ApiError(422, "invalid", "Some fields are not right.",
                       {"Idempotency-Key": ["Use between 8 and 80 characters."]})
    data.pop("idempotency_key", None)
    data["wing"] = data.get("wing") or (user.wing.code if user.wing else None)
    if not data["wing"]:
        raise ApiError(422, "invalid", "Some fields are not right.",
                       {"wing": ["Say which wing this is about."]})
    req = concerns.ConcernRequest(idempotency_key=key or f"auto-{uuid.uuid4()}", **data)
    try:
        result = concerns.submit_concern(user, req, current_rules(), utcnow(),
                                         g.get("directory_version"))
    except InvalidInput as exc:
        raise ApiError(422, "invalid", "Some fields are not right.", dict(exc.fields)) from exc
    except IdempotencyConflict as exc:
        raise ApiError(422, "idempotency_conflict", str(exc)) from exc
    response = jsonify(CONCERN_CREATED.dump(result.concern))
    if not result.created:
        response.headers["Idempotent-Replayed"] = "true"
    return response, 201


@bp.get("/concerns/<reference>")
def get_concern(reference: str) -> Response:
    """One concern as the caller may see it; 404 when they may not know it exists."""
    try:
        concern, content = concerns.open_concern(g.user, g.viewer, reference, request.remote_addr,
                                                 utcnow(), via="api")
    except NotFound as exc:
        raise ApiError(404, "not_found", "No concern with that reference.") from exc
    return jsonify(dump_for(concern, g.user.role, content))


@bp.get("/me/concerns")
def my_concerns() -> Response:
    """Every concern the caller raised, newest first."""
    items = [dump_for(c, "supporter", True) for c in concerns.my_concerns(g.user)]
    return jsonify({"items": items})


@bp.post("/classify")
def classify() -> Response:
    """Classify a text with the rules in force; nothing is stored."""
    data = load(ClassifyInSchema(), json_body())
    facts = ConcernFacts(text=data["text"], risk_now=data["risk_now"],
                         about_staff=bool(data["about_staff"]),
                         consent_to_share=data["consent_to_share"],
                         establishment=g.user.establishment.code)
    result = classify_text(current_rules(), facts).as_dict()
    result["id"] = data.get("id")
    return jsonify(result)
