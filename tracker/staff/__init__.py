"""Staff pages: sign-in, the queue and the item page (the officer's side)."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from tracker.staff import actions, banner, change_password, views  # noqa: E402,F401  (routes register on import)
