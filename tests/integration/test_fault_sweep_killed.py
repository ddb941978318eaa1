"""Fault drill: `tracker sweep` killed with SIGKILL half-way; the next sweep finishes the job.

A real `tracker sweep --now ...` process works through thousands of due items in committed
batches. As soon as the database shows its first escalations it is killed with SIGKILL (no
clean-up, an open transaction left behind), and a second `tracker sweep` runs. Every item
must then have escalated exactly once for that deadline, with one set of notices, and no item
may be half-written (its stored level and deadline match its history).
"""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import text

from tests.conftest import FakeClock
from tests.fault_drills import (
    children,
    escalated_count,
    ledger,
    observer,
    poll,
    seed_due,
    seed_prison,
    tracker_argv,
    tracker_env,
)
from tracker.extensions import db
from tracker.models import Concern

ITEMS = 4000  # eight batches of 500: long enough to be caught mid-way, short enough for CI


def test_a_sweep_killed_mid_way_is_finished_by_the_next_and_nothing_is_doubled(
        app: Flask, clock: FakeClock, tmp_path: Path) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        prison = seed_prison(clock())
        items = seed_due(prison, clock(), ITEMS)
        due = db.session.get(Concern, items[0]).next_deadline  # a working day on
        supporter = prison["sup.a"].id
        db.session.remove()
    assert len(items) == ITEMS and due is not None
    sweep_at = (due + timedelta(minutes=1)).isoformat()
    env = tracker_env(url, tmp_path / "instance")
    watch = observer(url)
    try:
        with children(tmp_path / "logs") as kids:
            sweep = kids.start("sweep", tracker_argv("sweep", "--now", sweep_at), env)

            def still_running() -> None:
                assert sweep.poll() is None, "the sweep ended before it could be killed:\n" + \
                    kids.outputs()

            poll(lambda: escalated_count(watch), 120, "the sweep's first committed batch",
                 check=still_running, interval=0.005)
            kids.kill("sweep")
            at_kill = escalated_count(watch)
            print(f"\nsweep killed after {at_kill} of {ITEMS} items had been escalated")
            assert 0 < at_kill < ITEMS, "the kill did not land mid-sweep"

            second = subprocess.run(tracker_argv("sweep", "--now", sweep_at), env=env,  # noqa: S603
                                    capture_output=True, text=True, timeout=180, check=False)
        assert second.returncode == 0, second.stderr
        summary = re.search(r"(\d+) escalated, .* (\d+) notices written", second.stdout)
        assert summary, second.stdout[-2000:]
        assert int(summary.group(1)) == ITEMS - at_kill  # it did the rest, and only the rest
        if watch.dialect.name == "sqlite":
            assert scalar_text(watch, "PRAGMA integrity_check") == "ok"
    finally:
        watch.dispose()

    with app.app_context():
        book = ledger(items)
    assert [i for i, n in book.escalations.items() if n != 1] == []  # each item once, none missed
    assert set(book.levels.values()) == {1}
    assert book.inconsistent == []  # stored level and deadline agree with the history
    assert book.doubled_notices() == []
    expected = book.notice_counts(items[0])
    assert ("kiosk", supporter, "escalated") in expected  # the supporter was told
    assert any(channel == "email" for channel, _, _ in expected)  # and staff were
    assert [i for i in items if book.notice_counts(i) != expected] == []  # nobody missed out


def scalar_text(engine: object, sql: str) -> str:
    """One value of a raw statement."""
    with engine.connect() as conn:  # type: ignore[attr-defined]
        return str(conn.execute(text(sql)).scalar())
