"""The banner on every staff page when the scheduler has been missing runs for 5 minutes."""

from __future__ import annotations

from typing import Any

from flask import g

from tracker.clock import utcnow
from tracker.services.scheduler_state import scheduler_health
from tracker.staff import bp


@bp.app_context_processor
def scheduler_banner() -> dict[str, Any]:
    """Templates call ``scheduler_problem()`` (once per page); only staff pages have it."""
    def problem() -> str | None:
        if g.get("user") is None or g.user.role == "supporter":
            return None
        return scheduler_health(utcnow()).message
    return {"scheduler_problem": problem}
