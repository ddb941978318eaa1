"""Administration pages: the rules lab now; people, schemes and wings later."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from tracker.admin import audit, rules_lab  # noqa: E402,F401  (routes register on import)
