"""The queue's own serializer (schemas.queue.staff_meta) dumps exactly what ConcernStaffMetaSchema does.

The API's queue lines skip marshmallow for speed; this pins them to the schema, field by field
and in the same order, on varied concerns (None fields, non-string list items, summer time),
so the two can never drift apart.
"""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from tracker.models import Concern, Wing
from tracker.schemas.concern import ConcernStaffMetaSchema
from tracker.schemas.queue import dump_rows, staff_meta
from tracker.services.queue import QueueItem, QueueRow, WingRef

WINTER = datetime(2026, 11, 24, 10, 0, 5, 123456, tzinfo=UTC)
SUMMER = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 the next day in London


def _concern(rng: random.Random, n: int) -> Concern:
    def when() -> datetime | None:
        return rng.choice([None, WINTER, SUMMER, WINTER + timedelta(minutes=rng.randrange(10_000))])

    concern = Concern(
        id=n, reference=rng.choice([f"TST-2611-{n:05d}", None]),
        categories=rng.choice([[], ["bullying"], ["self_harm", "bullying"], None, ["x", 7]]),
        urgency=rng.choice(["immediate", "urgent", "routine", None]),
        scheme=rng.choice(["insiders", "listeners", "pal", None]),
        co_schemes=rng.choice([[], ["buddies"], ["insiders", "pal"], None]),
        owner_team=rng.choice(["safer_custody", "wing_staff", None]),
        extra_owners=rng.choice([[], ["equality_lead"], None]),
        confidentiality=rng.choice(["need_to_know", "sealed", "staff_complaint", "ordinary", None]),
        status=rng.choice(["new", "acknowledged", "in_progress", None]),
        escalation_level=rng.choice([0, 1, 2, 3, None]),
        ack_due_at=when(), resolve_due_at=when(), next_deadline=when(), created_at=when(),
        routing=rng.choice([{}, {"tell_officer_now": True}, {"tell_officer_now": False},
                            {"tell_officer_now": None, "explanation": "quoted words"}]),
    )
    concern.wing = Wing(code=rng.choice(["A", "B", "Healthcare"]))
    return concern


def _item(c: Concern) -> QueueItem:
    """A queue line built from the same values (services.queue reads them with Core)."""
    return QueueItem(c.id, c.reference, c.categories, c.urgency, c.scheme, c.co_schemes,
                     c.owner_team, c.extra_owners, c.confidentiality, c.status,
                     c.escalation_level, c.ack_due_at, c.resolve_due_at, c.next_deadline,
                     c.created_at, bool(c.routing.get("tell_officer_now")), WingRef(c.wing.code))


def _exact(d: dict[str, Any]) -> str:
    # repr tells True from 1 and keeps the key order, which == on dicts would not.
    return repr(list(d.items()))


def _marshmallow_rows(rows: list[tuple[Concern, bool, bool]]) -> list[dict[str, Any]]:
    """What dump_rows returned when it used the schema."""
    meta = ConcernStaffMetaSchema()
    return [{**meta.dump(c), "overdue": overdue, "due_soon": soon,
             "next_deadline": c.next_deadline.isoformat() if c.next_deadline else None}
            for c, overdue, soon in rows]


def test_staff_meta_matches_the_schema_on_varied_concerns() -> None:
    rng = random.Random(20261124)  # noqa: S311 (seeded test data)
    schema = ConcernStaffMetaSchema()
    for n in range(400):
        concern = _concern(rng, n)
        assert _exact(staff_meta(_item(concern))) == _exact(schema.dump(concern)), n


def test_staff_meta_matches_the_schema_with_every_field_missing_a_value() -> None:
    for n, nulls in enumerate(itertools.combinations(
            ["reference", "categories", "urgency", "scheme", "co_schemes", "owner_team",
             "extra_owners", "confidentiality", "status", "escalation_level", "ack_due_at",
             "resolve_due_at", "created_at"], 3)):
        concern = _concern(random.Random(n), n)  # noqa: S311
        for name in nulls:
            setattr(concern, name, None)
        assert _exact(staff_meta(_item(concern))) == _exact(ConcernStaffMetaSchema().dump(concern))


def test_dump_rows_matches_the_schema_based_rows() -> None:
    rng = random.Random(7)  # noqa: S311
    concerns = [_concern(rng, n) for n in range(60)]
    flags = [(rng.random() < 0.5, rng.random() < 0.5) for _ in concerns]
    ours = dump_rows([QueueRow(_item(c), o, s) for c, (o, s) in zip(concerns, flags, strict=True)])
    theirs = _marshmallow_rows([(c, o, s) for c, (o, s) in zip(concerns, flags, strict=True)])
    assert [_exact(d) for d in ours] == [_exact(d) for d in theirs]


def test_every_schema_field_is_dumped() -> None:
    """A field added to ConcernStaffMetaSchema must be added to staff_meta too."""
    concern = _concern(random.Random(1), 1)  # noqa: S311
    assert list(staff_meta(_item(concern))) == list(ConcernStaffMetaSchema().dump_fields)
