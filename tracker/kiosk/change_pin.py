"""Choosing a new PIN after an admin reset it: the kiosk asks before anything else."""

from __future__ import annotations

from flask import current_app, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext
from werkzeug.wrappers import Response

from tracker.clock import utcnow
from tracker.kiosk import bp
from tracker.services import secret_change
from tracker.services.errors import InvalidInput

# The service's English sentences, translated for the kiosk.
MESSAGES = {
    secret_change.PIN_RULE: lazy_gettext("A PIN is 4 to 8 numbers."),
    secret_change.PIN_MISMATCH: lazy_gettext("The two PINs are not the same."),
    secret_change.PIN_SAME: lazy_gettext("Choose a PIN that is different from the one you were given."),
}


@bp.route("/new-pin", methods=["GET", "POST"])
def change_pin() -> Response | str | tuple[str, int]:
    """Type a new PIN twice; until then the kiosk shows nothing else."""
    if not g.user.must_change_secret:
        return redirect(url_for("kiosk.home"))
    if request.method == "GET":
        return render_template("kiosk/change_pin.html", errors={})
    try:
        secret_change.change_own_secret(
            g.user, request.form.get("new", "")[:64], request.form.get("again", "")[:64],
            utcnow(), bool(current_app.config.get("CHEAP_HASHING")), request.remote_addr)
    except InvalidInput as exc:
        errors = {k: [str(MESSAGES.get(m, m)) for m in v] for k, v in exc.fields.items()}
        return render_template("kiosk/change_pin.html", errors=errors), 422
    return redirect(url_for("kiosk.home"))
