"""The audit log for admins: search and CSV export (the export is itself recorded)."""

from __future__ import annotations

from typing import Any

from flask import Response, g, render_template, request, stream_with_context
from marshmallow import Schema, ValidationError, fields, post_load, validate

from tracker.admin import bp
from tracker.clock import utcnow
from tracker.extensions import db
from tracker.schemas import plain_errors
from tracker.schemas.fields import TrimmedString
from tracker.schemas.queue import clean_args
from tracker.services import audit
from tracker.services.audit_search import AuditQuery, actions, export_csv, search


class AuditQuerySchema(Schema):
    """?actor=&reference=&action=&since=YYYY-MM-DD&until=YYYY-MM-DD&page="""

    actor = TrimmedString(load_default=None, validate=validate.Length(max=60))
    reference = TrimmedString(load_default=None, validate=validate.Length(max=20))
    action = TrimmedString(load_default=None, validate=validate.Length(max=40))
    since = fields.Date(load_default=None)
    until = fields.Date(load_default=None)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> AuditQuery:
        """The service's own type."""
        return AuditQuery(**data)


def _query() -> tuple[AuditQuery | None, dict[str, list[str]]]:
    try:
        return AuditQuerySchema().load(clean_args(request.args)), {}
    except ValidationError as exc:
        return None, plain_errors(exc)


@bp.get("/audit")
def audit_log() -> tuple[str, int]:
    """Search who read or did what, when and from where."""
    q, errors = _query()
    rows = search(g.user.establishment_id, q) if q else []
    return render_template("admin/audit.html", rows=rows, errors=errors, args=request.args,
                           actions=actions(g.user.establishment_id), q=q), 400 if errors else 200


@bp.get("/audit.csv")
def audit_csv() -> Response | tuple[str, int]:
    """The matching rows as CSV."""
    q, errors = _query()
    if q is None:
        return render_template("admin/audit.html", rows=[], errors=errors, args=request.args,
                               actions=[], q=None), 400
    audit.record(g.user, "audit_export", utcnow(), remote_addr=request.remote_addr,
                 filters={k: v for k, v in request.args.items() if v})
    db.session.commit()
    body = stream_with_context(export_csv(g.user.establishment_id, q))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=audit-log.csv"})
