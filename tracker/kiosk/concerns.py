"""Raising a concern at the kiosk: write, check where it goes, send, and see it sent."""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import gettext
from marshmallow import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from tracker.clock import utcnow
from tracker.extensions import db
from tracker.kiosk import bp
from tracker.kiosk.messages import plain_fields
from tracker.rules_runtime import current_rules
from tracker.schemas import plain_errors
from tracker.schemas.concern import KioskConcernSchema
from tracker.services import concerns
from tracker.services.errors import IdempotencyConflict, InvalidInput, NotFound
from tracker.services.people import staff_choices, wing_choices
from tracker.wording import audience

FORM_FIELDS = ("text", "resident_number", "wing", "risk_now", "is_about_staff", "about_staff",
               "consent_to_share", "idempotency_key")


def _typed() -> dict[str, str]:
    return {k: request.form.get(k, "") for k in FORM_FIELDS}


def _form(typed: dict[str, str], errors: dict[str, list[str]] | None = None,
          status: int = 200, banner: str | None = None) -> tuple[str, int]:
    """The concern form, keeping whatever the supporter typed."""
    user = g.user
    return render_template(
        "kiosk/concern_form.html", typed=typed, errors=plain_fields(errors or {}), banner=banner,
        wings=wing_choices(user.establishment_id), staff=staff_choices(user.establishment_id),
    ), status


def _request(typed: dict[str, str]) -> concerns.ConcernRequest:
    data: dict[str, Any] = KioskConcernSchema().load(
        {k: v for k, v in typed.items() if v != "" or k == "text"})
    if not data["is_about_staff"]:
        data["about_staff"] = None
    return concerns.ConcernRequest(**data)


@bp.route("/concerns/new", methods=["GET", "POST"])
def new_concern() -> tuple[str, int]:
    """A blank form (GET), or the form again with what was typed (POST from 'Change')."""
    if request.method == "POST":
        return _form(_typed())
    wing = g.user.wing.code if g.user.wing else ""
    return _form({"wing": wing, "idempotency_key": uuid.uuid4().hex})


@bp.post("/concerns/check")
def check_concern() -> tuple[str, int]:
    """Say where it will go, who will see what and by when, before anything is stored."""
    typed = _typed()
    try:
        req = _request(typed)
        decision = concerns.preview(current_rules(), g.user, req)
    except ValidationError as exc:
        return _form(typed, plain_errors(exc), 422)
    except InvalidInput as exc:
        return _form(typed, exc.fields, 422)
    due = concerns.preview_due(decision, utcnow())
    lines = audience(decision.confidentiality, decision.owner, decision.scheme,
                     req.consent_to_share, decision.urgency == "immediate")
    return render_template("kiosk/check.html", typed=typed, decision=decision, due=due,
                           audience=lines), 200


@bp.post("/concerns/submit")
def submit_concern() -> Response | tuple[str, int]:
    """Store it once (a double tap returns the same reference) and show where it went."""
    typed = _typed()
    try:
        result = concerns.submit_concern(g.user, _request(typed), current_rules(), utcnow())
    except ValidationError as exc:
        return _form(typed, plain_errors(exc), 422)
    except InvalidInput as exc:
        return _form(typed, exc.fields, 422)
    except IdempotencyConflict:
        typed["idempotency_key"] = uuid.uuid4().hex
        return _form(typed, status=409, banner=gettext(
            "This was changed after it was sent. Check it and send it again."))
    except SQLAlchemyError:
        db.session.rollback()
        return _form(typed, status=503, banner=gettext("Not saved — please try again."))
    return redirect(url_for("kiosk.sent", reference=result.concern.reference), code=303)


@bp.get("/concerns/<reference>/sent")
def sent(reference: str) -> str:
    """The reference to give the resident, where it went and why, and what to do now."""
    try:
        concern, _ = concerns.open_concern(g.user, g.viewer, reference, request.remote_addr,
                                           utcnow(), via="kiosk")
    except NotFound:
        abort(404)
    return render_template("kiosk/sent.html", concern=concern)


@bp.get("/referrals")
def referrals() -> str:
    """Everything this supporter raised, with its status."""
    return render_template("kiosk/referrals.html", items=concerns.my_concerns(g.user))
