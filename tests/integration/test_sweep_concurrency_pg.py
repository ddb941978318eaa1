"""Two sweeps at once on PostgreSQL (two connections): every item escalates exactly once."""

from __future__ import annotations

import os
import threading

import pytest
from flask import Flask

from tests.clock_helpers import count, raise_item, staff_leads
from tests.conftest import FakeClock
from tests.factories import make_prison
from tracker.extensions import db
from tracker.models import Concern, ConcernEvent, Notification
from tracker.services.escalation import SweepReport, escalate_due

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("TRACKER_TEST_DATABASE_URL", "").startswith("postgresql"),
                       reason="needs PostgreSQL: set TRACKER_TEST_DATABASE_URL"),
]


def test_two_sweeps_at_once_escalate_each_item_once(app: Flask, clock: FakeClock) -> None:
    with app.app_context():
        prison = make_prison(clock())
        staff_leads(prison)
        items = [raise_item(prison, clock()) for _ in range(30)]
        due = items[0].next_deadline
        assert due is not None
    start = threading.Barrier(2)
    reports: list[SweepReport] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        with app.app_context():
            try:
                start.wait()
                reports.append(escalate_due(due, batch_size=4))
            except BaseException as exc:  # noqa: BLE001  (reported to the main thread)
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sum(r.escalated for r in reports) == 30
    with app.app_context():
        assert count(ConcernEvent, ConcernEvent.kind == "escalated") == 30
        assert count(Concern, Concern.escalation_level == 1) == 30
        assert count(Notification, Notification.channel == "kiosk") == 30
