"""Choosing a new password after an admin reset it: required before any other staff page."""

from __future__ import annotations

from flask import current_app, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.auth import home_for
from tracker.clock import utcnow
from tracker.services import secret_change
from tracker.services.errors import InvalidInput
from tracker.staff import bp


@bp.route("/new-password", methods=["GET", "POST"])
def change_password() -> Response | str | tuple[str, int]:
    """Type a new password twice."""
    if not g.user.must_change_secret:
        return redirect(url_for(home_for(g.user.role)))
    if request.method == "GET":
        return render_template("staff/change_password.html", errors={})
    try:
        secret_change.change_own_secret(
            g.user, request.form.get("new", "")[:256], request.form.get("again", "")[:256],
            utcnow(), bool(current_app.config.get("CHEAP_HASHING")), request.remote_addr)
    except InvalidInput as exc:
        return render_template("staff/change_password.html", errors=exc.fields), 422
    return redirect(url_for(home_for(g.user.role)))
