"""Queue filters from a query string, and queue rows as the API returns them."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from tracker.clock import local
from tracker.models import STATUSES
from tracker.schemas.concern import ConcernStaffMetaSchema, iso_or_none
from tracker.schemas.fields import StrictBoolean, TrimmedString
from tracker.services.queue import QueueFilters, QueueItem, QueueRow


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


def _meta_constant(name: str) -> Any:
    """A constant of the staff metadata view, read from the schema so the two cannot drift."""
    declared = ConcernStaffMetaSchema._declared_fields[name]
    if not isinstance(declared, fields.Constant):
        raise TypeError(f"ConcernStaffMetaSchema.{name} is no longer a constant: see staff_meta")
    return declared.constant


_META_EXPLANATION = _meta_constant("explanation")
_META_CONTENT_VISIBLE = _meta_constant("content_visible")


def _text(value: Any) -> str | None:
    """As marshmallow's fields.String dumps a value."""
    return value if value.__class__ is str or value is None else str(value)


def _texts(values: Any) -> list[str | None] | None:
    """As fields.List(fields.String()) dumps a value."""
    return None if values is None else [_text(v) for v in values]


def staff_meta(c: QueueItem) -> dict[str, Any]:
    """ConcernStaffMetaSchema().dump(concern) for a queue line, without marshmallow's cost.

    Same keys, order and values: tests/unit/test_queue_serializer.py compares the two.
    """
    level = c.escalation_level
    created = c.created_at
    return {
        "reference": _text(c.reference), "categories": _texts(c.categories),
        "urgency": _text(c.urgency), "scheme": _text(c.scheme), "co_schemes": _texts(c.co_schemes),
        "status": _text(c.status), "escalation_level": None if level is None else int(level),
        "due_at": iso_or_none(c.ack_due_at), "resolve_by": iso_or_none(c.resolve_due_at),
        "explanation": _META_EXPLANATION, "tell_officer_now": c.tell_officer_now,
        "created_at": iso_or_none(created), "created_at_local": iso_or_none(local(created)),
        "wing": c.wing.code, "owner": _text(c.owner_team), "extra_owners": _texts(c.extra_owners),
        "confidentiality": _text(c.confidentiality), "content_visible": _META_CONTENT_VISIBLE,
    }


def dump_rows(rows: list[QueueRow]) -> list[dict[str, Any]]:
    """Queue lines for the API: the staff metadata view (never the words) and the clock state."""
    return [{**staff_meta(r.concern), "overdue": r.overdue, "due_soon": r.due_soon,
             "next_deadline": r.concern.next_deadline.isoformat() if r.concern.next_deadline else None}
            for r in rows]
