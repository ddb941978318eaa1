"""Which establishment an admin page works on, and who is acting (for the audit rows)."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, g, render_template, request, session
from marshmallow import ValidationError

from tracker.admin import bp
from tracker.schemas import plain_errors
from tracker.services.errors import InvalidInput
from tracker.services.people_admin import Actor
from tracker.services.schemes_admin import SchemeGap, schemes_without_lead

SCOPE_KEY = "admin_establishment"


def scope_id() -> int:
    """A governor manages their own establishment; an admin the one they chose (default: own)."""
    if g.user.role == "admin":
        return int(session.get(SCOPE_KEY) or g.user.establishment_id)
    return int(g.user.establishment_id)


def actor() -> Actor:
    """The signed-in person and their address."""
    return Actor(g.user, request.remote_addr)


def cheap_hash() -> bool:
    """Tests hash cheaply; production uses the full Argon2 cost."""
    return bool(current_app.config.get("CHEAP_HASHING"))


def errors_of(exc: ValidationError | InvalidInput) -> dict[str, list[str]]:
    """Field -> messages, from a schema or a service."""
    return exc.fields if isinstance(exc, InvalidInput) else plain_errors(exc)


def form_error(template: str, exc: ValidationError | InvalidInput, **context: Any) -> tuple[str, int]:
    """Show the form again with its errors (summary at top, each next to its field)."""
    return render_template(template, errors=errors_of(exc), form=request.form, **context), 422


def done(message: str) -> None:
    """A one-line confirmation on the next page."""
    flash(message, "info")


@bp.app_template_global()
def scheme_gaps() -> list[SchemeGap]:
    """For the admin banner: schemes of the managed establishment with an empty post."""
    if g.get("user") is None or request.blueprint != "admin":
        return []
    return schemes_without_lead(scope_id())
