"""Things every page shares: the front door, template helpers and wording."""

from __future__ import annotations

from flask import Blueprint, Flask, Request, current_app, redirect, url_for
from werkzeug.wrappers import Response

from tracker import i18n, wording
from tracker.clock import format_local
from tracker.kiosk.messages import notice_text, plain

root = Blueprint("root", __name__)

# The one request that carries a whole rule file (lexicons.yaml is some 270 KB).
RULES_UPLOAD_ENDPOINT = "admin.rules_candidate_upload"


class TrackerRequest(Request):
    """Bodies are held to MAX_CONTENT_LENGTH, except an admin's rule-file upload."""

    @property
    def max_content_length(self) -> int | None:
        """RULES_UPLOAD_MAX_BYTES for the rule-file upload, else Flask's (the app-wide limit)."""
        if self.endpoint == RULES_UPLOAD_ENDPOINT:
            return int(current_app.config["RULES_UPLOAD_MAX_BYTES"])
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        Request.max_content_length.fset(self, value)  # type: ignore[attr-defined]


@root.get("/")
def index() -> Response:
    """The front door of a kiosk is the kiosk sign-in."""
    return redirect(url_for("kiosk.signin"))


def init_app(app: Flask) -> None:
    """Register the front door, the kiosk languages and the helpers templates use."""
    app.request_class = TrackerRequest
    app.register_blueprint(root)
    i18n.init_app(app)
    app.jinja_env.filters["local"] = format_local
    app.jinja_env.globals.update(
        scheme_name=wording.scheme_name, scheme_icon=wording.SCHEME_ICONS.get,
        team_name=wording.team_name, status_name=wording.status_name,
        urgency_name=wording.urgency_name, notice_text=notice_text, plain=plain,
        kiosk_idle_seconds=app.config["KIOSK_IDLE_SECONDS"])
