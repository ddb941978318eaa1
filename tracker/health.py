"""Probes for the process manager and the load balancer: /healthz (alive) and /readyz (can serve)."""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify
from werkzeug.wrappers import Response

from tracker.clock import utcnow
from tracker.extensions import csrf
from tracker.services import health

bp = Blueprint("health", __name__)
csrf.exempt(bp)


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up and answering; touches no database, so a slow database never kills it."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Ready for traffic: database reachable, schema at head, scheduler heartbeat not stale."""
    result = health.readiness(utcnow())
    body = {"status": "ready" if result.ready else "not_ready", **result.checks}
    return jsonify(body), 200 if result.ready else 503


def init_app(app: Flask) -> None:
    """Register the probes."""
    app.register_blueprint(bp)
