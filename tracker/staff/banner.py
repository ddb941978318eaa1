"""The banner on every staff page when the scheduler has been missing runs for 5 minutes."""

from __future__ import annotations

from typing import Any

from flask import g

from tracker.clock import utcnow
from tracker.services.scheduler_state import scheduler_health
from tracker.staff import bp


@bp.app_context_processor
def scheduler_banner() -> dict[str, Any]:
    """Templates call ``scheduler_problem()``; looked up only on staff pages, once per request."""
    def problem() -> str | None:
        if "scheduler_problem" not in g:
            g.scheduler_problem = scheduler_health(utcnow()).message
        message: str | None = g.scheduler_problem
        return message
    return {"scheduler_problem": problem}
