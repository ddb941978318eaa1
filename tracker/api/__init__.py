"""JSON API v1: bearer tokens, marshmallow schemas, errors always as JSON."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from tracker.api import actions, concerns, openapi, queue  # noqa: E402,F401  (routes register on import)
from tracker.extensions import csrf  # noqa: E402

csrf.exempt(bp)  # bearer tokens, no cookies: cross-site forgery cannot ride on them
