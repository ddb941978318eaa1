"""Hashing of passwords, kiosk PINs and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import CHEAPEST, RFC_9106_LOW_MEMORY

_STRONG = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
_CHEAP = PasswordHasher.from_parameters(CHEAPEST)  # tests only: argon2 at full cost is slow on purpose


def hasher(cheap: bool = False) -> PasswordHasher:
    """The Argon2id hasher; the cheap one exists so the test suite is not dominated by hashing."""
    return _CHEAP if cheap else _STRONG


def hash_secret(secret: str, cheap: bool = False) -> str:
    """Argon2id hash of a password or PIN."""
    return hasher(cheap).hash(secret)


def verify_secret(stored: str | None, secret: str, cheap: bool = False) -> bool:
    """Constant-effort check: a missing user still costs one verification."""
    target = stored or _dummy_hash(cheap)
    try:
        ok = hasher(cheap).verify(target, secret)
    except (VerificationError, InvalidHashError):
        return False
    return ok and stored is not None


_DUMMIES: dict[bool, str] = {}


def _dummy_hash(cheap: bool) -> str:
    if cheap not in _DUMMIES:
        _DUMMIES[cheap] = hasher(cheap).hash(secrets.token_hex(8))
    return _DUMMIES[cheap]


def new_token() -> str:
    """A bearer token with 256 bits of entropy."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Tokens are high-entropy, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()
