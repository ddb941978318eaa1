"""The OpenAPI document of the whole API, generated from the marshmallow schemas."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import jsonify
from werkzeug.wrappers import Response

from tracker.api import bp
from tracker.api.openapi_clock import add_paths as add_clock_paths
from tracker.schemas.classify import ClassifyInSchema
from tracker.schemas.concern import (
    ConcernCreatedSchema,
    ConcernInSchema,
    ConcernStaffFullSchema,
    ConcernSupporterSchema,
)

ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message", "fields"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                   "fields": {"type": "object"}}}}}
DECISION = {"type": "object", "properties": {
    "id": {}, "categories": {"type": "array", "items": {"type": "string"}},
    "urgency": {"type": "string", "enum": ["immediate", "urgent", "routine"]},
    "scheme": {"type": "string"}, "co_schemes": {"type": "array", "items": {"type": "string"}},
    "owner": {"type": "string"}, "confidentiality": {"type": "string"},
    "rules": {"type": "array", "items": {"type": "string"}},
    "evidence": {"type": "array", "items": {"type": "object"}},
    "explanation": {"type": "string"}}}


def _errors(*codes: int) -> dict[str, Any]:
    return {str(c): {"description": "error", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}} for c in codes}


def _json(ref: str | dict[str, Any], description: str = "ok") -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{ref}"} if isinstance(ref, str) else ref
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def build_spec() -> dict[str, Any]:
    """Describe every endpoint; the tests check each route of the blueprint is listed."""
    spec = APISpec(title="Peer-support referral tracker API", version="1.0.0",
                   openapi_version="3.0.3", plugins=[MarshmallowPlugin()])
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name, schema in (("ConcernIn", ConcernInSchema), ("ConcernCreated", ConcernCreatedSchema),
                         ("ConcernSupporter", ConcernSupporterSchema),
                         ("ConcernStaff", ConcernStaffFullSchema), ("ClassifyIn", ClassifyInSchema)):
        spec.components.schema(name, schema=schema)
    spec.components.schema("Error", ERROR)
    spec.components.schema("Decision", DECISION)
    secured: list[dict[str, list[str]]] = [{"bearer": []}]
    spec.path("/concerns", operations={"post": {
        "summary": "Raise a concern", "security": secured,
        "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                        "schema": {"type": "string", "minLength": 8, "maxLength": 80}}],
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/ConcernIn"}}}},
        "responses": {"201": _json("ConcernCreated", "stored"),
                      **_errors(400, 401, 403, 413, 415, 422)}}})
    spec.path("/concerns/{reference}", operations={"get": {
        "summary": "One concern as the caller may see it", "security": secured,
        "parameters": [{"name": "reference", "in": "path", "required": True,
                        "schema": {"type": "string"}}],
        # anyOf, not oneOf: the two views share most fields, so a body can match both.
        "responses": {"200": _json({"anyOf": [{"$ref": "#/components/schemas/ConcernSupporter"},
                                              {"$ref": "#/components/schemas/ConcernStaff"}]}),
                      **_errors(401, 403, 404)}}})
    spec.path("/me/concerns", operations={"get": {
        "summary": "The caller's own concerns", "security": secured,
        "responses": {"200": _json({"type": "object", "properties": {"items": {
            "type": "array", "items": {"$ref": "#/components/schemas/ConcernSupporter"}}}}),
            **_errors(401, 403)}}})
    spec.path("/classify", operations={"post": {
        "summary": "Classify a text; nothing is stored", "security": secured,
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/ClassifyIn"}}}},
        "responses": {"200": _json("Decision"), **_errors(400, 401, 413, 415, 422)}}})
    spec.path("/queue", operations={"get": {
        "summary": "The staff queue (no concern words)", "security": secured,
        "parameters": [{"name": n, "in": "query", "required": False, "schema": sch} for n, sch in (
            ("scheme", {"type": "string"}), ("wing", {"type": "string"}),
            ("level", {"type": "integer", "minimum": 0, "maximum": 3}),
            ("status", {"type": "string"}), ("due", {"type": "string", "enum": ["overdue", "soon"]}),
            ("mine", {"type": "boolean"}), ("page", {"type": "integer", "minimum": 1}),
            ("per_page", {"type": "integer", "minimum": 1, "maximum": 200}))],
        "responses": {"200": _json({"type": "object", "required": ["items"], "properties": {
            "items": {"type": "array", "items": {"type": "object"}}, "total": {"type": "integer"},
            "page": {"type": "integer"}, "pages": {"type": "integer"},
            "counts": {"type": "object"}}}), **_errors(401, 403, 422)}}})
    add_clock_paths(spec, secured)
    spec.path("/openapi.json", operations={"get": {
        "summary": "This document", "responses": {"200": {"description": "ok"}}}})
    doc = spec.to_dict()
    doc["servers"] = [{"url": "/api/v1"}]
    return doc


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI document."""
    return jsonify(build_spec())
