"""Fault drill: two `tracker scheduler` processes; the leader is killed; the standby takes over.

Real processes on one database with short periods (the production periods are measured by
`bench/fault_scheduler_takeover.py`: a standby must lead within a minute). Items due before the
start are escalated by the first leader, items that fall due while it is dead by the standby;
each exactly once, with one set of notices.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from tests.fault_drills import ledger, takeover_drill
from tracker.extensions import db

FAST = {"SCHEDULER_TICK_SECONDS": 2, "SCHEDULER_RENEW_SECONDS": 0.5,
        "SCHEDULER_LEASE_SECONDS": 3}


def test_the_standby_takes_over_from_a_killed_leader_and_nothing_is_doubled(
        app: Flask, tmp_path: Path) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        result = takeover_drill(url, tmp_path, FAST, timeout=60)
        book = ledger(result.items)
        pg = db.engine.dialect.name == "postgresql"
    print(f"\nfirst leader after {result.first_leader_s:.1f} s; standby led "
          f"{result.takeover_s:.1f} s after the leader was killed")
    assert result.standby != result.leader
    # PostgreSQL frees a dead leader's advisory lock at once; elsewhere its lease must run out.
    bound = FAST["SCHEDULER_RENEW_SECONDS"] + (0 if pg else FAST["SCHEDULER_LEASE_SECONDS"])
    assert result.takeover_s < bound + 5  # a few seconds' slack for a busy machine
    assert result.before_kill == result.after_kill == len(result.items) // 2
    assert [i for i, n in book.escalations.items() if n != 1] == []
    assert book.inconsistent == [] and book.doubled_notices() == []
