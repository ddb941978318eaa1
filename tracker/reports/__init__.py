"""Managers' reports: the archived weekly digests and the dashboard (staff pages, English)."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from tracker.reports import views  # noqa: E402,F401  (routes register on import)
