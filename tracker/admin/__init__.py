"""Administration pages: people, schemes and their leads, wings, rules lab and publishing, audit."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from tracker.admin import (  # noqa: E402,F401  (routes register on import)
    audit,
    people,
    places,
    rules_lab,
    rules_publish,
    scope,
)
