"""The supporter's answer to a resolved referral: "Sorted" closes it, "Not sorted" reopens it."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from tracker.clock import utcnow
from tracker.extensions import db
from tracker.kiosk import bp
from tracker.services import case_actions
from tracker.services.clock_state import Conflict
from tracker.services.errors import NotFound


@bp.post("/referrals/<reference>/sorted")
def confirm_sorted(reference: str) -> Response:
    """The supporter confirms it is sorted: the item closes."""
    try:
        case_actions.confirm_sorted(g.user, reference, utcnow(), request.remote_addr)
    except NotFound:
        abort(404)
    except Conflict:
        db.session.rollback()
        flash(gettext("This referral is not waiting for your answer."), "error")
        return redirect(url_for("kiosk.referrals"), code=303)
    flash(gettext("Thank you. Referral %(reference)s is closed.", reference=reference.upper()),
          "ok")
    return redirect(url_for("kiosk.referrals"), code=303)


@bp.post("/referrals/<reference>/not-sorted")
def not_sorted(reference: str) -> Response:
    """The supporter says it is not sorted: it opens again and staff are told."""
    try:
        case_actions.not_sorted(g.user, reference, utcnow(), request.remote_addr)
    except NotFound:
        abort(404)
    except Conflict:
        db.session.rollback()
        flash(gettext("This referral is not waiting for your answer."), "error")
        return redirect(url_for("kiosk.referrals"), code=303)
    flash(gettext("Referral %(reference)s has been opened again. Staff have been told.",
                  reference=reference.upper()), "ok")
    return redirect(url_for("kiosk.referrals"), code=303)
