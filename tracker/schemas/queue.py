"""Queue filters from a query string, and queue rows as the API returns them."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from tracker.models import STATUSES
from tracker.schemas.concern import ConcernStaffMetaSchema
from tracker.schemas.fields import StrictBoolean, TrimmedString
from tracker.services.queue import QueueFilters, QueueRow


class QueueFiltersSchema(Schema):
    """?scheme=&wing=&level=&status=&due=overdue|soon&mine=yes&page=&per_page="""

    scheme = TrimmedString(load_default=None, validate=validate.Length(max=30))
    wing = TrimmedString(load_default=None, validate=validate.Length(max=20))
    level = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(0, 3))
    status = TrimmedString(load_default=None, validate=validate.OneOf(STATUSES))
    due = TrimmedString(load_default=None, validate=validate.OneOf(["overdue", "soon"]))
    mine = StrictBoolean(load_default=False)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))

    @post_load
    def to_filters(self, data: dict[str, Any], **_: Any) -> QueueFilters:
        """The service's own type."""
        return QueueFilters(**data)


def clean_args(args: Any) -> dict[str, str]:
    """Empty query parameters (from a form left on 'any') mean 'no filter'."""
    return {k: v for k, v in args.items() if v != ""}


def dump_rows(rows: list[QueueRow]) -> list[dict[str, Any]]:
    """Queue lines for the API: the staff metadata view (never the words) and the clock state."""
    meta = ConcernStaffMetaSchema()
    return [{**meta.dump(r.concern), "overdue": r.overdue, "due_soon": r.due_soon,
             "next_deadline": r.concern.next_deadline.isoformat() if r.concern.next_deadline else None}
            for r in rows]
