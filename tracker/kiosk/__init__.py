"""The wing kiosk: peer supporters sign in with a PIN, raise concerns, follow their referrals."""

from flask import Blueprint

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")

from tracker.kiosk import answers, change_pin, concerns, inbox, session_views  # noqa: E402,F401  (routes register on import)
