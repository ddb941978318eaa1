"""Writing a new concern with everything that comes with it: audience, history, outbox.

Every submission writes the same handful of rows. They are worked out first, without the
concern's id; then PostgreSQL writes them all in one statement (the concern's INSERT as a
common table expression whose id the other INSERTs read), so a submission costs one round trip
to store instead of four and no ORM flush. SQLite, which has no INSERT inside WITH, writes them
in turn. Both paths write the same rows, which the test suite runs on each database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import JSON, Table, TextualSelect, insert, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state

from tracker.extensions import db, on_postgresql
from tracker.models import Concern, ConcernAudience, ConcernEvent, Notification

CONCERN = cast(Table, Concern.__table__)
AUDIENCE = cast(Table, ConcernAudience.__table__)
EVENT = cast(Table, ConcernEvent.__table__)
OUTBOX = cast(Table, Notification.__table__)


@dataclass
class NewRows:
    """What a new concern brings with it, each row without the concern's id.

    An outbox row's `dedupe_key` here is the part after the id: the stored key is
    "<concern id>:<this>".
    """

    audience: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    outbox: list[dict[str, Any]] = field(default_factory=list)


def store(concern: Concern, rows: NewRows) -> None:
    """Insert the concern and its rows in the session's transaction; the concern becomes a
    persistent, loaded object with its id (the caller commits)."""
    if on_postgresql():
        _together(concern, rows)
    else:
        _in_turn(concern, rows)


def _in_turn(concern: Concern, rows: NewRows) -> None:
    db.session.add(concern)
    db.session.flush()  # the concern's id, for the rows below
    if rows.audience:
        db.session.execute(insert(AUDIENCE),
                           [{"concern_id": concern.id, "key": k} for k in rows.audience])
    if rows.events:  # one executemany: every row gets every key
        keys = {k for e in rows.events for k in e}
        db.session.execute(insert(EVENT), [{**dict.fromkeys(keys), **e, "concern_id": concern.id}
                                           for e in rows.events])
    if rows.outbox:
        db.session.execute(insert(OUTBOX), [
            {**n, "concern_id": concern.id, "dedupe_key": f"{concern.id}:{n['dedupe_key']}"[:200]}
            for n in rows.outbox])


def _together(concern: Concern, rows: NewRows) -> None:
    state = instance_state(concern)
    values = {c.key: state.dict[c.key] for c in CONCERN.columns if c.key in state.dict}
    event_keys = tuple(sorted({k for row in rows.events for k in row} - {"concern_id"}))
    outbox_keys = tuple(sorted({k for row in rows.outbox for k in row}
                               - {"concern_id", "dedupe_key"}))
    statement = _together_sql(tuple(values), event_keys, outbox_keys)
    params = {f"c_{k}": json.dumps(v) if k in _JSON_COLUMNS else v for k, v in values.items()}
    params |= {"audience": list(rows.audience), "events": _json_rows(rows.events),
               "outbox": _json_rows(rows.outbox)}
    stored = db.session.execute(statement, params).one()
    for column in CONCERN.columns:  # what the database stored, server defaults included
        setattr(concern, column.key, getattr(stored, column.key))
    make_transient_to_detached(concern)  # clean, as if just loaded
    db.session.add(concern)


_PG = postgresql.dialect()
_JSON_COLUMNS = frozenset(c.key for c in CONCERN.columns if isinstance(c.type, JSON))


def _json_rows(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, default=lambda v: v.isoformat() if isinstance(v, datetime) else v)


def _q(name: str) -> str:
    return _PG.identifier_preparer.quote(name)


def _type(table: Table, name: str) -> str:
    return table.c[name].type.compile(dialect=_PG)


def _from_records(cte: str, table: Table, keys: tuple[str, ...], param: str,
                  computed: dict[str, str] | None = None) -> str:
    """`cte AS (INSERT INTO table ... SELECT the new id, the record's fields FROM :param)`;
    `computed` columns take an SQL expression over the record `x` and the new concern."""
    computed = computed or {}
    names = ["concern_id", *keys, *computed]
    record = ", ".join(f"{_q(k)} {_type(table, k)}" for k in (*keys, *computed))
    fields = ["new_concern.id", *(f"x.{_q(k)}" for k in keys), *computed.values()]
    return (f"{cte} AS (INSERT INTO {table.name} ({', '.join(map(_q, names))}) "  # noqa: S608
            f"SELECT {', '.join(fields)} FROM new_concern, "  # names from metadata, values bound
            f"jsonb_to_recordset(CAST(:{param} AS JSONB)) AS x({record}))")


@lru_cache(maxsize=64)
def _together_sql(concern_keys: tuple[str, ...], event_keys: tuple[str, ...],
                  outbox_keys: tuple[str, ...]) -> TextualSelect:
    """One statement: the concern's INSERT as a CTE whose id the audience, history and outbox
    INSERTs read; their rows come as a text array and two JSON arrays of records. Names and
    types come from the tables' metadata (so it follows the models), values only as bound
    parameters; compiled once per shape."""
    values = ", ".join(f"CAST(:c_{k} AS {_type(CONCERN, k)})" if k in _JSON_COLUMNS else f":c_{k}"
                       for k in concern_keys)
    parts = [
        f"new_concern AS (INSERT INTO concern ({', '.join(map(_q, concern_keys))}) "  # noqa: S608 (metadata names)
        f"VALUES ({values}) RETURNING *)",
        "new_audience AS (INSERT INTO concern_audience (concern_id, \"key\") "
        "SELECT new_concern.id, k FROM new_concern, unnest(CAST(:audience AS TEXT[])) AS k)",
        _from_records("new_events", EVENT, event_keys, "events"),
        _from_records("new_outbox", OUTBOX, outbox_keys, "outbox", {
            "dedupe_key": "left(new_concern.id || ':' || x.dedupe_key, 200)"}),
    ]
    # Named in the model's order: .columns() matches result columns by position.
    returned = ", ".join(_q(c.key) for c in CONCERN.columns)
    return text("WITH " + ",\n".join(parts) + f"\nSELECT {returned} FROM new_concern").columns(
        *CONCERN.columns)
