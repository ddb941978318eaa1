"""Structured logs: one JSON object per line, a request id on every request, nothing said or secret.

What a request log line may carry is fixed here (REQUEST_FIELDS): method, path without its query
string, status, duration, user id and request id. Concern text, form bodies, tokens, cookies and
passwords are never passed to the logger, so no formatter or handler can leak them.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g, request
from sqlalchemy import inspect as sa_inspect
from werkzeug.wrappers import Response

log = logging.getLogger("tracker.request")

REQUEST_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")  # a caller's id is logged only if it is harmless
_HANDLER_MARK = "_tracker_handler"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the request fields if present."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for name in REQUEST_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["exc_type"] = record.exc_info[0].__name__
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Human-readable lines for a developer's terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extra = [f"{n}={getattr(record, n)}" for n in REQUEST_FIELDS if getattr(record, n, None)]
        return " ".join([line, *extra])


def request_id_from(header: str | None) -> str:
    """The caller's X-Request-ID when it is a plain token, else a fresh one."""
    if header and _SAFE_ID.match(header):
        return header
    return uuid.uuid4().hex


def _start() -> None:
    g.request_id = request_id_from(request.headers.get("X-Request-ID"))
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    request_id = g.get("request_id") or request_id_from(None)
    response.headers["X-Request-ID"] = request_id
    started = g.get("request_started")
    duration = round((time.perf_counter() - started) * 1000, 1) if started else None
    log.info("request", extra={
        "request_id": request_id, "method": request.method, "path": request.path,
        "status": response.status_code, "duration_ms": duration, "user_id": _user_id(),
    })
    return response


def _user_id() -> int | None:
    """The signed-in user's id from the identity map: never a query, so a database that has
    just gone away (the user row expired by the rollback) cannot turn a 503 into a 500."""
    user = g.get("user")
    identity = sa_inspect(user).identity if user is not None else None
    return int(identity[0]) if identity else None


def configure_logging(fmt: str, level: str = "INFO") -> None:
    """Send the tracker's logs to stderr in `fmt` (json or text); safe to call more than once."""
    handler = next((h for h in logging.getLogger().handlers if getattr(h, _HANDLER_MARK, False)),
                   None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        setattr(handler, _HANDLER_MARK, True)
        logging.getLogger().addHandler(handler)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    logging.getLogger().setLevel(level.upper())
    logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)  # /readyz asks often


def init_app(app: Flask) -> None:
    """Give every request an id and log it once; set up handlers unless under test."""
    app.before_request(_start)
    app.after_request(_finish)
    if not app.testing:
        configure_logging(str(app.config["LOG_FORMAT"]), str(app.config["LOG_LEVEL"]))
