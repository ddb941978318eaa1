"""Staff sign-in and the first queue and item pages; every read goes through the policy."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, session, url_for
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from tracker.auth import home_for, throttle_policy
from tracker.clock import utcnow
from tracker.schemas import plain_errors
from tracker.schemas.queue import QueueFiltersSchema, clean_args
from tracker.services import auth as auth_service
from tracker.services import confidential, item_view
from tracker.services import queue as queue_service
from tracker.services.errors import InvalidInput, NotFound
from tracker.staff import bp


@bp.route("/signin", methods=["GET", "POST"])
def signin() -> Response | str | tuple[str, int]:
    """Staff sign in with user name and password."""
    if request.method == "GET":
        return render_template("staff/signin.html", expired=bool(request.args.get("expired")))
    username = request.form.get("username", "")[:60]
    result = auth_service.sign_in(username, request.form.get("password", "")[:256], "staff",
                                  request.remote_addr or "-", utcnow(), throttle_policy())
    if result.session_id is None:
        status = 429 if result.retry_after_seconds else 401
        return render_template("staff/signin.html", error=result.message,
                               username=username), status
    session.clear()
    session.update(sid=result.session_id, kind="staff")
    return redirect(url_for(home_for(result.user.role) if result.user else "staff.signin"))


@bp.post("/signout")
def signout() -> Response:
    """End the session on the server."""
    auth_service.end_session(session.get("sid"), utcnow(), "signout")
    session.clear()
    return redirect(url_for("staff.signin"))


@bp.get("/queue")
def queue() -> tuple[str, int]:
    """Open items this person may act on, most serious and most overdue first."""
    try:
        filters = QueueFiltersSchema().load(clean_args(request.args))
    except ValidationError as exc:
        return render_template("staff/queue.html", page=None, errors=plain_errors(exc),
                               filters=None, args=request.args), 400
    now = utcnow()
    page = queue_service.queue_page(g.viewer, filters, now)
    return render_template("staff/queue.html", page=page, filters=filters, errors={},
                           args=request.args, now=now), 200


@bp.get("/concerns/<reference>")
def concern(reference: str) -> str:
    """One item: the words only when the policy allows; every read is logged."""
    try:
        view = item_view.item_page(g.user, g.viewer, reference, request.remote_addr, utcnow())
    except NotFound:
        abort(404)
    return render_template("staff/concern.html", v=view, c=view.concern, now=utcnow(), errors={})


@bp.post("/concerns/<reference>/break-glass")
def break_glass(reference: str) -> Response | tuple[str, int]:
    """Safer Custody opens a sealed Listener item, with a recorded reason the coordinator is told."""
    try:
        confidential.break_glass(g.user, g.viewer, reference, request.form.get("reason", "")[:2000],
                                 request.remote_addr, utcnow())
    except NotFound:
        abort(404)
    except InvalidInput as exc:
        view = item_view.item_page(g.user, g.viewer, reference, request.remote_addr, utcnow())
        return render_template("staff/concern.html", v=view, c=view.concern, now=utcnow(),
                               errors=exc.fields), 422
    return redirect(url_for("staff.concern", reference=reference), code=303)
