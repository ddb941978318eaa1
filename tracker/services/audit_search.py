"""Searching and exporting the access log (admins), itself an audited action."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from tracker.clock import LONDON, format_local
from tracker.extensions import db
from tracker.models import AccessLog, Concern, User

PAGE = 100


@dataclass(frozen=True)
class AuditQuery:
    """Filters an admin can set; dates are Europe/London calendar days, inclusive."""

    actor: str | None = None
    reference: str | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None
    page: int = 1


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def _statement(establishment_id: int, q: AuditQuery) -> Select[Any]:
    actor = aliased(User)
    stmt = (select(AccessLog.at, actor.username, actor.role, AccessLog.action,
                   Concern.reference, AccessLog.remote_addr, AccessLog.detail)
            .outerjoin(actor, actor.id == AccessLog.actor_id)
            .outerjoin(Concern, Concern.id == AccessLog.concern_id)
            .where(AccessLog.establishment_id == establishment_id))
    if q.actor:
        stmt = stmt.where(func.lower(actor.username) == q.actor.lower())
    if q.reference:
        stmt = stmt.where(Concern.reference == q.reference.upper())
    if q.action:
        stmt = stmt.where(AccessLog.action == q.action)
    if q.since:
        stmt = stmt.where(AccessLog.at >= _day_start(q.since))
    if q.until:
        stmt = stmt.where(AccessLog.at < _day_start(q.until + timedelta(days=1)))
    return stmt.order_by(AccessLog.at.desc(), AccessLog.id.desc())


def search(establishment_id: int, q: AuditQuery) -> list[Any]:
    """One page of matching rows, newest first."""
    stmt = _statement(establishment_id, q).limit(PAGE).offset((max(q.page, 1) - 1) * PAGE)
    return list(db.session.execute(stmt))


def actions(establishment_id: int) -> list[str]:
    """The kinds of action recorded, for the filter list."""
    return list(db.session.scalars(select(AccessLog.action).distinct().where(
        AccessLog.establishment_id == establishment_id).order_by(AccessLog.action)))


def export_csv(establishment_id: int, q: AuditQuery) -> Iterator[str]:
    """Every matching row as CSV, streamed; times in UTC and in London time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["at_utc", "at_london", "actor", "role", "action", "reference", "from",
                     "detail"])
    yield _drain(buffer)
    stmt = _statement(establishment_id, q).execution_options(yield_per=1000)
    for at, username, role, action, reference, addr, detail in db.session.execute(stmt):
        writer.writerow([at.isoformat(), format_local(at, "%Y-%m-%d %H:%M:%S"), username or "",
                         role or "", action, reference or "", addr or "", _safe(detail)])
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    value = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return value


def _safe(detail: dict[str, Any] | None) -> str:
    """Detail as key=value; cells that a spreadsheet would run as a formula are defused."""
    text = "; ".join(f"{k}={v}" for k, v in sorted((detail or {}).items()))
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
