"""What-if: replay stored history under other clock terms or ladders, and compare."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.core.clock_rules import load_clock_rules, load_ladders
from tracker.core.sla import ClockSetup, HistoryEvent, replay
from tracker.extensions import db
from tracker.models import Concern, ConcernEvent
from tracker.services.clock_state import CLOCK_KINDS, facts_for, to_history


@dataclass
class ReplayReport:
    """Per concern: how far it climbed in fact, and how far it would have under the rules given."""

    examined: int = 0
    would_escalate: int = 0
    did_escalate: int = 0
    differ: int = 0
    lines: list[str] = field(default_factory=list)


def replay_since(since: datetime, rules_dir: Path, now: datetime, batch: int = 500) -> ReplayReport:
    """Every concern raised since ``since``, replayed up to ``now`` under ``rules_dir``."""
    rules = load_clock_rules(rules_dir / "clocks.yaml")
    ladders = load_ladders(rules_dir / "escalation.yaml")
    report = ReplayReport()
    query = (select(Concern).where(Concern.created_at >= since).order_by(Concern.id)
             .options(selectinload(Concern.wing)).execution_options(yield_per=batch))
    chunk: list[Concern] = []
    for concern in db.session.scalars(query):
        chunk.append(concern)
        if len(chunk) >= batch:
            _replay_chunk(chunk, rules, ladders, now, report)
            chunk = []
    if chunk:
        _replay_chunk(chunk, rules, ladders, now, report)
    return report


def _replay_chunk(chunk: list[Concern], rules, ladders, now: datetime,  # type: ignore[no-untyped-def]
                  report: ReplayReport) -> None:
    histories: dict[int, list[HistoryEvent]] = defaultdict(list)
    for row in db.session.scalars(select(ConcernEvent).where(
            ConcernEvent.concern_id.in_([c.id for c in chunk]), ConcernEvent.kind.in_(CLOCK_KINDS))
            .order_by(ConcernEvent.at, ConcernEvent.id)):
        histories[row.concern_id].append(to_history(row))
    for concern in chunk:
        history = histories[concern.id]
        ladder = ladders.for_item(concern.scheme, concern.confidentiality)
        setup = ClockSetup(rules.terms, rules.calendar, ladder)
        outcome = replay(facts_for(concern), history, setup, now)
        actual = [e for e in history if e.kind == "escalated"]
        actual_level = max((e.level or 0 for e in actual), default=0)
        report.examined += 1
        report.would_escalate += bool(outcome.escalations)
        report.did_escalate += bool(actual)
        if outcome.final_level != actual_level or len(outcome.escalations) != len(actual):
            report.differ += 1
            steps = ", ".join(f"L{lvl} at {at:%Y-%m-%d %H:%M}Z" for at, lvl in outcome.escalations)
            report.lines.append(f"{concern.reference}: reached level {actual_level} "
                                f"({len(actual)} escalations); under these rules level "
                                f"{outcome.final_level} ({steps or 'none'})")
