"""Loading what the clock core needs for a concern: its history, the rules in force, who is in post."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import JSON, Table, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value

from tracker.core.access import Viewer
from tracker.core.escalation import Ladder
from tracker.core.sla import ClockFacts, ClockSetup, HistoryEvent, next_deadline
from tracker.extensions import db, on_postgresql
from tracker.models import Concern, ConcernEvent, Notification, Scheme, User
from tracker.services.deadlines import clock_rules, ladders
from tracker.services.directory import Directory
from tracker.services.errors import ServiceError
from tracker.services.viewers import viewer_for

# History kinds the clock reads; others (notes, reads) never move a deadline.
CLOCK_KINDS = ("acknowledged", "escalated", "paused", "resumed", "lockdown_started",
               "lockdown_ended", "resolved", "closed", "post_empty", "handed_off", "reopened")


class Conflict(ServiceError):
    """The item changed meanwhile (another officer or the sweep): look again and retry."""


def setup_for(concern: Concern) -> ClockSetup:
    """Terms, calendar and this concern's ladder."""
    rules = clock_rules()
    return ClockSetup(rules.terms, rules.calendar, ladder_for(concern))


def facts_for(concern: Concern) -> ClockFacts:
    """The clock's view of a concern."""
    return ClockFacts(concern.created_at, tuple(concern.categories), concern.urgency,
                      concern.wing.code if concern.wing else None)


def to_history(event: ConcernEvent) -> HistoryEvent:
    """One stored event as the clock core sees it."""
    return HistoryEvent(event.kind, event.at, event.level, event.reason_code, event.until,
                        (event.data or {}).get("wing"), event.reason)


def history_for(concern_id: int) -> list[HistoryEvent]:
    """The events that move this concern's clock, oldest first."""
    rows = db.session.scalars(select(ConcernEvent).where(
        ConcernEvent.concern_id == concern_id, ConcernEvent.kind.in_(CLOCK_KINDS))
        .order_by(ConcernEvent.at, ConcernEvent.id))
    return [to_history(e) for e in rows]


def deadline_now(concern: Concern, now: datetime,
                 extra: Sequence[HistoryEvent] = ()) -> datetime | None:
    """Where the running clock ends, given the stored history plus events not yet flushed."""
    history = sorted([*history_for(concern.id), *extra], key=lambda e: e.at)
    return next_deadline(facts_for(concern), history, concern.escalation_level,
                         setup_for(concern), now)


def guarded_update(concern: Concern, **values: object) -> None:
    """Change a concern only if its clock is where we read it: two writers never both win."""
    result = db.session.execute(
        update(Concern).where(Concern.id == concern.id,
                              Concern.escalation_level == concern.escalation_level,
                              _same_deadline(concern.next_deadline),
                              Concern.status == concern.status)
        .values(**values).execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise Conflict("This item changed while you were looking at it. Look again and retry.")
    for key, value in values.items():
        set_committed_value(concern, key, value)


def _same_deadline(value: datetime | None):  # type: ignore[no-untyped-def]
    return Concern.next_deadline.is_(None) if value is None else Concern.next_deadline == value


class BulkRows:
    """Rows a sweep batch writes, inserted together by Core executemany (no ORM per row)."""

    def __init__(self) -> None:
        self.rows: dict[type, list[dict[str, object]]] = {ConcernEvent: [], Notification: []}

    def add(self, model: type, row: dict[str, object]) -> None:
        """Queue one row."""
        self.rows[model].append(row)

    def flush(self) -> None:
        """Insert everything queued, events first."""
        for model, rows in self.rows.items():
            if rows:
                keys = sorted({k for row in rows for k in row})  # every row gets every key
                table = model.__table__  # type: ignore[attr-defined]
                if on_postgresql():
                    _copy(table, keys, rows)
                else:
                    same = [{k: row.get(k) for k in keys} for row in rows]
                    db.session.execute(insert(table), same)
                rows.clear()


def _copy(table: Table, keys: list[str], rows: list[dict[str, object]]) -> None:
    """PostgreSQL COPY on the session's own connection and transaction.

    A sweep writes thousands of history and outbox rows; COPY streams them in one go where
    an executemany would run one INSERT per row (measured in bench/bench_sweep.py).
    """
    json_keys = {c.name for c in table.columns if isinstance(c.type, JSON)}
    raw = db.session.connection().connection.driver_connection
    columns = ", ".join(f'"{k}"' for k in keys)
    with raw.cursor() as cursor, cursor.copy(  # type: ignore[union-attr]
            f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row.get(k)) if k in json_keys else row.get(k)
                            for k in keys])


_bulk: ContextVar[BulkRows | None] = ContextVar("tracker_bulk_rows", default=None)


@contextmanager
def bulk_rows() -> Iterator[BulkRows]:
    """Within this block, history and outbox rows are queued and inserted in one go."""
    rows = BulkRows()
    token = _bulk.set(rows)
    try:
        yield rows
    finally:
        _bulk.reset(token)


def add_row(model: type, row: dict[str, object]) -> None:
    """Add a history or outbox row: queued in a bulk block, else through the ORM session."""
    bulk = _bulk.get()
    if bulk is not None:
        bulk.add(model, row)
    else:
        db.session.add(model(**row))


def event(concern: Concern, kind: str, now: datetime, actor: User | None = None,
          **fields: object) -> None:
    """Append one history row (in the caller's transaction)."""
    add_row(ConcernEvent, event_row(concern.establishment_id, concern.id, kind, now,
                                    actor.id if actor else None, **fields))


def event_row(establishment_id: int, concern_id: int | None, kind: str, now: datetime,
              actor_id: int | None = None, **fields: object) -> dict[str, object]:
    """One history row as a dict (concern_id None for a concern not stored yet)."""
    return {"establishment_id": establishment_id, "concern_id": concern_id, "at": now,
            "actor_id": actor_id, "kind": kind, "data": fields.pop("data", None) or {}, **fields}


def is_active(user: User | None) -> bool:
    """In post and able to act: not disabled, not moved or released."""
    return user is not None and user.active and user.status == "active"


@dataclass
class Staffing:
    """Who is in post in one establishment, looked up once per sweep and reused."""

    establishment_id: int
    _roles: set[str] | None = None
    _officer_wings: set[int] | None = None
    _schemes: dict[str, tuple[User | None, User | None]] = field(default_factory=dict)
    _people: dict[tuple[str, tuple[str, ...]], list[User]] = field(default_factory=dict)
    _viewers: dict[int, Viewer] = field(default_factory=dict)
    _setups: dict[str, ClockSetup] = field(default_factory=dict)
    alerted: set[str] = field(default_factory=set)  # empty posts already reported to admins

    @classmethod
    def from_directory(cls, known: Directory) -> Staffing:
        """Who is in post, from a process's cached directory (no query): for one submission."""
        posts = {key: (lead if lead is not None and lead.in_post else None,
                       deputy if deputy is not None and deputy.in_post else None)
                 for key, (lead, deputy) in known.posts.items()}
        return cls(known.establishment_id, set(known.roles), set(known.officer_wings),
                   posts)  # type: ignore[arg-type]  # Person has what staffed() reads of a User

    def setup(self, ladder: str, build: Callable[[], ClockSetup]) -> ClockSetup:
        """The clock setup for a ladder, built once per sweep."""
        if ladder not in self._setups:
            self._setups[ladder] = build()
        return self._setups[ladder]

    def viewer(self, user: User) -> Viewer:
        """The access policy's view of a person, built once per sweep."""
        if user.id not in self._viewers:
            self._viewers[user.id] = viewer_for(user)
        return self._viewers[user.id]

    def roles(self) -> set[str]:
        """Roles that have at least one active user."""
        if self._roles is None:
            rows = db.session.execute(select(User.role).where(
                User.establishment_id == self.establishment_id, User.active.is_(True),
                User.status == "active").distinct())
            self._roles = {r for (r,) in rows}
        return self._roles

    def scheme_posts(self, scheme: str) -> tuple[User | None, User | None]:
        """The scheme's lead and deputy, only when they are active."""
        if scheme not in self._schemes:
            row = db.session.scalar(select(Scheme).where(
                Scheme.establishment_id == self.establishment_id, Scheme.key == scheme))
            lead = db.session.get(User, row.lead_id) if row and row.lead_id else None
            deputy = db.session.get(User, row.deputy_id) if row and row.deputy_id else None
            self._schemes[scheme] = (lead if is_active(lead) else None,
                                     deputy if is_active(deputy) else None)
        return self._schemes[scheme]

    def staffed(self, scheme: str, role: str, wing_id: int | None = None) -> bool:
        """Is there an active user for this role on this scheme's ladder?

        Officers staff the custodial-manager rung for their own wing only (the access
        policy shows them no other wing's items), so that rung needs one on the item's wing.
        """
        lead, deputy = self.scheme_posts(scheme)
        if role == "scheme_lead":
            return lead is not None
        if role == "scheme_deputy":
            return deputy is not None
        if role == "officer" and wing_id is not None:
            return wing_id in self.officer_wings()
        return role in self.roles()

    def officer_wings(self) -> set[int]:
        """Wings with at least one active officer."""
        if self._officer_wings is None:
            self._officer_wings = set(db.session.scalars(select(User.wing_id).where(
                User.establishment_id == self.establishment_id, User.role == "officer",
                User.active.is_(True), User.status == "active", User.wing_id.is_not(None))
                .distinct()))
        return self._officer_wings

    def people(self, scheme: str, roles: Iterable[str]) -> list[User]:
        """The active users who staff these roles for this scheme (looked up once per sweep)."""
        key = (scheme, tuple(roles))
        if key not in self._people:
            self._people[key] = self._find_people(scheme, key[1])
        return self._people[key]

    def _find_people(self, scheme: str, roles: tuple[str, ...]) -> list[User]:
        lead, deputy = self.scheme_posts(scheme)
        found: dict[int, User] = {}
        plain = [r for r in roles if r not in ("scheme_lead", "scheme_deputy")]
        for role, person in (("scheme_lead", lead), ("scheme_deputy", deputy)):
            if role in roles and person is not None:
                found[person.id] = person
        if plain:
            for user in db.session.scalars(select(User).where(
                    User.establishment_id == self.establishment_id, User.role.in_(plain),
                    User.active.is_(True), User.status == "active")):
                found[user.id] = user
        return sorted(found.values(), key=lambda u: u.id)


def ladder_for(concern: Concern) -> Ladder:
    """This concern's ladder."""
    return ladders().for_item(concern.scheme, concern.confidentiality)
