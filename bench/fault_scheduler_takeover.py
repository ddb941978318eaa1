"""Fault drill: two `tracker scheduler` processes, the leader killed with SIGKILL; time the takeover.

Production settings unless --fast. For each database it creates a fresh schema, seeds items
due before the start (the first leader escalates them), starts two real scheduler processes,
waits until one leads, kills it with SIGKILL, seeds items that fall due while nobody leads, and
measures the seconds from the kill to the standby's first heartbeat. Then it checks that every
item escalated exactly once and no notice was written twice. Exit status 1 when the takeover
took 60 s or more or anything was doubled or missed.

    .venv/bin/python bench/fault_scheduler_takeover.py                  # SQLite and PostgreSQL
    .venv/bin/python bench/fault_scheduler_takeover.py --only postgresql
    .venv/bin/python bench/fault_scheduler_takeover.py --fast           # the test's short periods
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_sweep import _ensure_pg_database, _fresh_schema  # noqa: E402

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test_fault_takeover"
FAST = {"SCHEDULER_TICK_SECONDS": 2, "SCHEDULER_RENEW_SECONDS": 0.5,
        "SCHEDULER_LEASE_SECONDS": 3}
LIMIT_S = 60.0


def run(label: str, url: str, settings: dict[str, object]) -> bool:
    """One drill on one database; prints the figures; True when every check held."""
    from tests.fault_drills import ledger, takeover_drill
    from tracker import create_app
    from tracker.extensions import db

    work = Path(tempfile.mkdtemp(prefix="fault-takeover-"))
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "CHEAP_HASHING": True,
                      "OUTBOX_DELIVER_ON_COMMIT": "off"})
    with app.app_context():
        _fresh_schema()
        result = takeover_drill(url, work, settings, timeout=300)
        book = ledger(result.items)
        db.session.remove()
        db.engine.dispose()
    once = all(n == 1 for n in book.escalations.values())
    doubled = book.doubled_notices()
    ok = result.takeover_s < LIMIT_S and once and not doubled and not book.inconsistent
    print(f"{label:<10} first leader after {result.first_leader_s:5.1f} s; leader killed; "
          f"standby's first heartbeat {result.takeover_s:5.1f} s after the kill "
          f"(limit {LIMIT_S:.0f} s); escalated {result.before_kill} before and "
          f"{result.after_kill} after the kill, each of {len(result.items)} items "
          f"{'exactly once' if once else 'NOT exactly once'}; doubled notices: {len(doubled)}; "
          f"{'OK' if ok else 'FAILED'}  (logs in {work / 'logs'})", flush=True)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=("sqlite", "postgresql"), default=None)
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT))
    parser.add_argument("--fast", action="store_true", help="the test's short periods")
    args = parser.parse_args()
    settings: dict[str, object] = dict(FAST) if args.fast else {}
    print(f"settings: {settings or 'production defaults'}", flush=True)
    os.environ.setdefault("TRACKER_INSTANCE_PATH", tempfile.mkdtemp(prefix="fault-takeover-i-"))
    ok = True
    if args.only in (None, "sqlite"):
        folder = Path(tempfile.mkdtemp(prefix="fault-takeover-db-"))
        ok &= run("SQLite", f"sqlite:///{folder / 'tracker.sqlite3'}", settings)
    if args.only in (None, "postgresql"):
        _ensure_pg_database(args.pg)
        ok &= run("PostgreSQL", args.pg, settings)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
