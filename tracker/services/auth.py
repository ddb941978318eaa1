"""Sign-in with throttling, server-side sessions and API tokens."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import contains_eager, joinedload

from tracker.extensions import db
from tracker.models import ApiToken, Establishment, SignInThrottle, User, UserSession
from tracker.services.passwords import new_token, token_digest, verify_secret

GENERIC_FAILURE = "Sign-in failed. Check your details and try again."


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures are free, and how the lock-out grows after that."""

    free_attempts: int = 5
    base_lock_seconds: int = 60
    max_lock_seconds: int = 3600
    ip_free_attempts: int = 50
    cheap_hash: bool = False


@dataclass(frozen=True)
class SignInResult:
    """The outcome the sign-in page shows; `message` never says which part was wrong."""

    session_id: str | None
    user: User | None
    message: str | None
    retry_after_seconds: int = 0


def lock_seconds(failures: int, policy: ThrottlePolicy) -> int:
    """Back-off: nothing for the free attempts, then the base lock doubling up to the maximum."""
    over = failures - policy.free_attempts
    if over < 0:
        return 0
    return int(min(policy.base_lock_seconds * (2**over), policy.max_lock_seconds))


def _count_failure(key: str, now: datetime) -> int:
    """Add one failure to `key` in the shared table and return the new count.

    Every web process counts into the same row. The increment is a single UPDATE, so two
    processes never lose one another's failures; when the row is new, both may try to insert
    it at once: the loser's insert fails on the primary key and it counts by UPDATE instead.
    """
    for _ in range(3):
        bumped = db.session.execute(
            update(SignInThrottle).where(SignInThrottle.key == key)
            .values(failures=SignInThrottle.failures + 1, last_failure_at=now))
        if getattr(bumped, "rowcount", 0):
            return int(db.session.scalar(
                select(SignInThrottle.failures).where(SignInThrottle.key == key)) or 0)
        try:
            with db.session.begin_nested():
                db.session.add(SignInThrottle(key=key, failures=1, last_failure_at=now))
            return 1
        except IntegrityError:
            continue  # another process inserted it first: count by UPDATE on the next pass
    raise RuntimeError(f"could not record a sign-in failure for {key!r}")


def _locked_for(keys: list[str], now: datetime) -> int:
    rows = db.session.scalars(select(SignInThrottle).where(SignInThrottle.key.in_(keys))).all()
    waits = [(r.locked_until - now).total_seconds() for r in rows if r.locked_until]
    return max([math.ceil(w) for w in waits if w > 0], default=0)


def _record_failure(keys: list[tuple[str, int]], now: datetime, policy: ThrottlePolicy) -> None:
    for key, free in keys:
        failures = _count_failure(key, now)
        wait = lock_seconds(failures, ThrottlePolicy(free, policy.base_lock_seconds,
                                                     policy.max_lock_seconds))
        db.session.execute(update(SignInThrottle).where(SignInThrottle.key == key).values(
            locked_until=now + timedelta(seconds=wait) if wait else None))


def sign_in(
    username: str, secret: str, kind: str, remote_addr: str, now: datetime, policy: ThrottlePolicy
) -> SignInResult:
    """Check the secret; on success open a server-side session of `kind` (kiosk or staff)."""
    user_key, ip_key = f"user:{username.strip().lower()}", f"ip:{remote_addr}"
    wait = _locked_for([user_key, ip_key], now)
    if wait:
        minutes = max(1, -(-wait // 60))
        return SignInResult(None, None, f"Too many tries. Wait {minutes} minute"
                            f"{'s' if minutes > 1 else ''} and try again.", wait)
    user = db.session.scalar(
        select(User).where(func.lower(User.username) == username.strip().lower())
    )
    ok = verify_secret(user.secret_hash if user else None, secret, policy.cheap_hash)
    right_door = user is not None and user.active and (user.role == "supporter") == (kind == "kiosk")
    if not (ok and right_door and user is not None):
        _record_failure([(user_key, policy.free_attempts), (ip_key, policy.ip_free_attempts)],
                        now, policy)
        db.session.commit()
        return SignInResult(None, None, GENERIC_FAILURE)
    db.session.query(SignInThrottle).filter(SignInThrottle.key == user_key).delete()
    sid = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=sid, establishment_id=user.establishment_id, user_id=user.id,
                               kind=kind, created_at=now, last_seen_at=now))
    db.session.commit()
    return SignInResult(sid, user, None)


def resume_session(sid: str, now: datetime, idle_seconds: int) -> User | None:
    """The user of a live session; ends it (on the server) when it has been idle too long."""
    row = db.session.get(UserSession, sid)
    if row is None or row.ended_at is not None:
        return None
    if now - row.last_seen_at > timedelta(seconds=idle_seconds) or not row.user.active:
        row.ended_at, row.end_reason = now, "idle"
        db.session.commit()
        return None
    if now - row.last_seen_at > timedelta(seconds=5):  # avoid a write on every request
        row.last_seen_at = now
        try:
            db.session.commit()
        except OperationalError:
            # The database takes no writes (disk full, fail-over): the page still opens, so a
            # form keeps what was typed and its own save fails with a clear message.
            db.session.rollback()
    return row.user


def end_session(sid: str | None, now: datetime, reason: str = "finish") -> None:
    """End a session on the server, so the cookie is worthless from now on."""
    row = db.session.get(UserSession, sid) if sid else None
    if row is not None and row.ended_at is None:
        row.ended_at, row.end_reason = now, reason
        db.session.commit()


def issue_token(user: User, now: datetime) -> str:
    """A new API bearer token for `user`; only its digest is kept."""
    token = new_token()
    db.session.add(ApiToken(establishment_id=user.establishment_id, user_id=user.id,
                            token_hash=token_digest(token), created_at=now))
    db.session.commit()
    return token


# Built once: every API request runs it, and building the statement (with its eager loads)
# cost a third of the look-up.
_TOKEN_HOLDER = (
    select(User, Establishment.directory_version).join(ApiToken, ApiToken.user_id == User.id)
    .join(Establishment, Establishment.id == User.establishment_id)
    .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None),
           User.active.is_(True))
    .options(contains_eager(User.establishment), joinedload(User.wing), joinedload(User.schemes)))


def user_for_token(token: str) -> tuple[User, int] | None:
    """The active user a bearer token belongs to, if it is valid, with their establishment's
    directory version as the database has it now (see services/directory.py).

    One indexed select by the token's digest, bringing what every API request reads of the
    user (schemes for the access policy, establishment and wing), so none is a further query.
    """
    row = db.session.execute(_TOKEN_HOLDER, {"token_hash": token_digest(token)}).unique().first()
    return None if row is None else (row[0], row[1])
