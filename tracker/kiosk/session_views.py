"""Kiosk sign-in, home, heartbeat and finish: short sessions that end on the server."""

from __future__ import annotations

from flask import current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from tracker.auth import throttle_policy
from tracker.clock import utcnow
from tracker.i18n import LANG_COOKIE, LANGUAGES
from tracker.kiosk import bp
from tracker.kiosk.messages import locked_out, plain
from tracker.services import auth as auth_service
from tracker.services import concerns, inbox, supporter_digest


@bp.route("/", methods=["GET", "POST"])
def signin() -> Response | str | tuple[str, int]:
    """Sign in with user name and PIN; the message never says which part was wrong."""
    if request.method == "GET":
        if g.get("user") is not None and g.user.role == "supporter":
            return redirect(url_for("kiosk.home"))
        return render_template("kiosk/signin.html", expired=bool(request.args.get("expired")))
    username = request.form.get("username", "")[:60]
    result = auth_service.sign_in(username, request.form.get("pin", "")[:64], "kiosk",
                                  request.remote_addr or "-", utcnow(), throttle_policy())
    if result.session_id is None:
        wait = result.retry_after_seconds
        message = locked_out(max(1, -(-wait // 60))) if wait else plain(result.message or "")
        return render_template("kiosk/signin.html", error=message,
                               username=username), 429 if wait else 401
    session.clear()
    session.update(sid=result.session_id, kind="kiosk")
    return redirect(url_for("kiosk.home"))


@bp.post("/language")
def set_language() -> Response:
    """Keep the chosen language on this kiosk terminal (a cookie), then show sign-in again."""
    response = redirect(url_for("kiosk.signin"), code=303)
    chosen = request.form.get("lang", "")
    if chosen in LANGUAGES:
        response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 24 * 3600, httponly=True,
                            samesite="Lax", secure=bool(current_app.config["SESSION_COOKIE_SECURE"]))
    return response


@bp.get("/home")
def home() -> str:
    """What the supporter can do next."""
    return render_template("kiosk/home.html", open_count=concerns.open_count(g.user),
                           unread_count=inbox.unread_count(g.user),
                           week=supporter_digest.weekly_summary(g.user, utcnow()))


@bp.post("/still-here")
def still_here() -> tuple[str, int]:
    """Heartbeat from the page script while someone is typing: keeps the session alive."""
    return "", 204


@bp.post("/finish")
def finish() -> Response:
    """End the session on the server and clear the screen for the next person."""
    auth_service.end_session(session.get("sid"), utcnow(), "finish")
    session.clear()
    return redirect(url_for("kiosk.signed_out"))


@bp.get("/signed-out")
def signed_out() -> str:
    """A blank, friendly page: nothing of the last person remains (idle time-outs land here)."""
    if session.get("sid"):
        auth_service.end_session(session.get("sid"), utcnow(), "idle")
        session.clear()
        g.user = None
    return render_template("kiosk/signed_out.html")
