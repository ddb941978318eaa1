"""One error handler: JSON to API callers, a friendly page to people."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from sqlalchemy import event
from sqlalchemy.engine import Engine, ExceptionContext
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from tracker.extensions import db

log = logging.getLogger(__name__)

PLAIN = {
    400: "The request could not be understood.",
    401: "Sign in first.",
    403: "You do not have access to this.",
    404: "Not found.",
    405: "This action is not allowed here.",
    413: "What was sent is too large.",
    415: "Send JSON with Content-Type: application/json.",
    422: "Some of what was sent is not right.",
    429: "Too many requests. Wait a little and try again.",
    500: "Something went wrong on our side. Nothing was saved. Please try again.",
    503: "The service is busy or restarting. Please try again in a minute.",
}
STORAGE_FULL = ("Storage is full, so nothing was saved. Tell the administrator; "
                "try again once space has been freed.")


class ApiError(Exception):
    """An error an API caller should see as JSON with field messages."""

    def __init__(self, status: int, code: str, message: str,
                 fields: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def wants_json() -> bool:
    """API callers get JSON; browsers get a page."""
    return request.path.startswith("/api/")


def error_json(status: int, code: str, message: str,
               fields: dict[str, object] | None = None) -> Response:
    """The error body every API caller can rely on."""
    resp = jsonify({"error": {"code": code, "message": message, "fields": fields or {}}})
    resp.status_code = status
    return resp


def _respond(status: int, code: str, message: str | None = None) -> Response | tuple[str, int]:
    message = message or PLAIN.get(status, "Something went wrong.")
    if wants_json():
        return error_json(status, code, message)
    kiosk = request.path.startswith("/kiosk")
    return render_template("error.html", status=status, message=message, kiosk=kiosk), status


def _http(exc: HTTPException) -> Response | tuple[str, int]:
    status = exc.code or 500
    response = _respond(status, (exc.name or "error").lower().replace(" ", "_"))
    if isinstance(response, Response) and status == 405 and exc.valid_methods:  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
    return response


def _api_error(exc: ApiError) -> Response:
    return error_json(exc.status, exc.code, exc.message, exc.fields)


def storage_full(exc: BaseException | None) -> bool:
    """SQLite's SQLITE_FULL ("database or disk is full") or PostgreSQL's disk_full (53100)."""
    return exc is not None and ("database or disk is full" in str(exc)
                                or getattr(exc, "sqlstate", None) == "53100")


def _log_storage_full(context: ExceptionContext) -> None:
    """Wherever a write fails for want of space (kiosk, API, sweep), the operator is told why."""
    if storage_full(context.original_exception):
        log.error("database or disk is full: a write failed and was rolled back; free space on "
                  "the database's disk (%s)", type(context.original_exception).__name__)


def _database_down(exc: OperationalError) -> Response | tuple[str, int]:
    full = storage_full(exc.orig)
    if not full:
        log.warning("database unavailable: %s", type(exc).__name__)
    db.session.rollback()
    response = _respond(503, "storage_full" if full else "service_unavailable",
                        STORAGE_FULL if full else None)
    if isinstance(response, tuple):
        response = Response(response[0], status=503, mimetype="text/html")
    response.headers["Retry-After"] = "30"
    return response


def _unexpected(exc: Exception) -> Response | tuple[str, int]:
    log.exception("unhandled error")
    db.session.rollback()
    return _respond(500, "internal_server_error")


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(Exception, _unexpected)
    if not event.contains(Engine, "handle_error", _log_storage_full):
        event.listen(Engine, "handle_error", _log_storage_full)
