"""Reference numbers a supporter can read out to a resident without confusing letters."""

from __future__ import annotations

import secrets
from datetime import datetime

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: easy to read aloud and to write down on paper.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def new_reference(establishment_code: str, now: datetime) -> str:
    """E.g. 'LEW-2611-K7Q4M': prison, year and month raised, five random characters."""
    tail = "".join(secrets.choice(ALPHABET) for _ in range(5))
    return f"{establishment_code.upper()}-{now:%y%m}-{tail}"
