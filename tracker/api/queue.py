"""The staff queue over the API: the same items, order and filters as /staff/queue."""

from __future__ import annotations

from flask import g, jsonify, request
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from tracker.api import bp
from tracker.clock import utcnow
from tracker.errors import ApiError
from tracker.schemas import plain_errors
from tracker.schemas.queue import QueueFiltersSchema, clean_args, dump_rows
from tracker.services import queue as queue_service


@bp.get("/queue")
def queue() -> Response:
    """{"items": [...], "total", "page", "pages", "counts"}: never the words of a concern."""
    try:
        filters = QueueFiltersSchema().load(clean_args(request.args))
    except ValidationError as exc:
        raise ApiError(422, "invalid", "Some filters are not right.", dict(plain_errors(exc))) from exc
    page = queue_service.queue_page(g.viewer, filters, utcnow())
    return jsonify({"items": dump_rows(page.rows), "total": page.total,
                    "page": page.page, "pages": page.pages, "counts": page.counts})
