"""Who is calling: the session or bearer token, checked against the one access policy on every request."""

from __future__ import annotations

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from werkzeug.wrappers import Response

from tracker.clock import utcnow
from tracker.core.access import route_allowed, route_needs_sign_in
from tracker.models import User
from tracker.services import auth as auth_service
from tracker.services.viewers import viewer_for

# What a person whose secret was reset may still reach before choosing a new one.
WHILE_CHANGING = frozenset({"kiosk.change_pin", "staff.change_password", "kiosk.finish",
                            "kiosk.still_here", "kiosk.signed_out", "staff.signout"})


def init_app(app: Flask) -> None:
    """Every request passes through the policy before any view runs."""
    app.before_request(_load_and_enforce)
    app.jinja_env.globals["can"] = can
    app.after_request(_no_store)


def throttle_policy() -> auth_service.ThrottlePolicy:
    """Sign-in throttling as configured."""
    cfg = current_app.config
    return auth_service.ThrottlePolicy(
        cfg["SIGNIN_FREE_ATTEMPTS"], cfg["SIGNIN_BASE_LOCK_SECONDS"],
        cfg["SIGNIN_MAX_LOCK_SECONDS"], cfg["SIGNIN_IP_FREE_ATTEMPTS"],
        bool(cfg.get("CHEAP_HASHING")),
    )


def _user_from_request() -> User | None:
    if request.blueprint == "api":
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        found = auth_service.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            return None
        holder, g.directory_version = found  # read with the token: a submission needs no re-read
        return holder
    sid, kind = session.get("sid"), session.get("kind")
    if not sid:
        return None
    idle = current_app.config["KIOSK_IDLE_SECONDS" if kind == "kiosk" else "STAFF_IDLE_SECONDS"]
    user = auth_service.resume_session(sid, utcnow(), idle)
    if user is None:
        session.clear()
        g.session_expired = True
    return user


def _load_and_enforce() -> Response | None:
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static":
        return None  # routing will answer 404/405
    g.user = user = _user_from_request() if route_needs_sign_in(endpoint) or session else None
    if user is not None:
        g.viewer = viewer_for(user)
    if not route_needs_sign_in(endpoint):
        return None
    if user is None:
        if request.blueprint != "api":
            target = "kiosk.signin" if request.blueprint == "kiosk" else "staff.signin"
            return redirect(url_for(target, expired=1 if g.get("session_expired") else None,
                                    reason="signin"))
        abort(401)
    if not route_allowed(endpoint, user.role):
        abort(403)
    if user.must_change_secret and request.blueprint != "api" and endpoint not in WHILE_CHANGING:
        # An admin reset this secret: choosing a new one comes before anything else.
        return redirect(url_for("kiosk.change_pin" if user.is_supporter else "staff.change_password"))
    return None


def _no_store(response: Response) -> Response:
    """Nothing of one person's session may come back from a cache for the next."""
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response  # the other security headers: tracker/security_headers.py


def can(endpoint: str) -> bool:
    """For templates: may the signed-in user open this page? (Links follow the same policy.)"""
    user = g.get("user")
    return user is not None and route_allowed(endpoint, user.role)


def home_for(role: str) -> str:
    """Where a member of staff lands after signing in."""
    return "admin.rules_lab_page" if role == "admin" else "staff.queue"
