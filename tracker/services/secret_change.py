"""Choosing a new password or PIN after an admin reset it (forced before anything else)."""

from __future__ import annotations

from datetime import datetime

from tracker.extensions import db
from tracker.models import User
from tracker.services import audit
from tracker.services.errors import InvalidInput
from tracker.services.passwords import hash_secret, verify_secret
from tracker.services.setup import MIN_PASSWORD, PIN

PIN_RULE = "A PIN is 4 to 8 numbers."
PIN_MISMATCH = "The two PINs are not the same."
PIN_SAME = "Choose a PIN that is different from the one you were given."


def change_own_secret(user: User, new: str, again: str, now: datetime,
                      cheap_hash: bool = False, remote_addr: str | None = None) -> None:
    """Set the person's own new secret; clears 'must change at next sign-in'."""
    errors = _problems(user, new, again, cheap_hash)
    if errors:
        raise InvalidInput(errors)
    user.secret_hash = hash_secret(new, cheap_hash)
    user.must_change_secret = False
    audit.record(user, "secret_changed", now, remote_addr=remote_addr, target=user.username,
                 before={"must_change_secret": True}, after={"must_change_secret": False})
    db.session.commit()


def _problems(user: User, new: str, again: str, cheap_hash: bool) -> dict[str, list[str]]:
    supporter = user.is_supporter
    if supporter and not PIN.match(new):
        return {"new": [PIN_RULE]}
    if not supporter and len(new) < MIN_PASSWORD:
        return {"new": [f"A staff password needs at least {MIN_PASSWORD} characters."]}
    if new != again:
        return {"again": [PIN_MISMATCH if supporter else "The two passwords are not the same."]}
    if verify_secret(user.secret_hash, new, cheap_hash):
        return {"new": [PIN_SAME if supporter
                        else "Choose a password that is different from the one you were given."]}
    return {}
