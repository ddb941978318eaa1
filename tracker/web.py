"""Things every page shares: the front door, template helpers and wording."""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, url_for
from werkzeug.wrappers import Response

from tracker import wording
from tracker.clock import format_local

root = Blueprint("root", __name__)


@root.get("/")
def index() -> Response:
    """The front door of a kiosk is the kiosk sign-in."""
    return redirect(url_for("kiosk.signin"))


def init_app(app: Flask) -> None:
    """Register the front door and the helpers templates use."""
    app.register_blueprint(root)
    app.jinja_env.filters["local"] = format_local
    app.jinja_env.globals.update(
        scheme_name=wording.scheme_name, scheme_icon=wording.SCHEME_ICONS.get,
        team_name=wording.team_name, status_name=wording.STATUS_NAMES.get,
        urgency_name=wording.URGENCY_NAMES.get,
        kiosk_idle_seconds=app.config["KIOSK_IDLE_SECONDS"])
