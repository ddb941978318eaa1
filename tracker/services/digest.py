"""Weekly digest: a placeholder so the scheduler's Monday 07:00 slot exists (a later issue builds it).

The digest engineer replaces ``run_weekly``; keep its signature: ``run_weekly(now) -> int``
(how many digests were written). It must be safe to run twice for one week.
"""

from __future__ import annotations

from datetime import datetime


def run_weekly(now: datetime) -> int:
    """No-op until digests exist; returns 0 digests written."""
    return 0
