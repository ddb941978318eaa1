"""Benchmark: one sweep escalating 5,000 due items among 100,000 and among 1,000,000 stored.

Prints, per database, the median sweep time at each size and the ratio of the large to the
small timing: the sweep's cost should follow the number of items due, not the number stored
(target: under 2 s for 5,000 due). Rows are generated inside the database (a recursive CTE
on SQLite, generate_series on PostgreSQL), not through the ORM.

    .venv/bin/python bench/bench_sweep.py            # SQLite and PostgreSQL, full sizes
    .venv/bin/python bench/bench_sweep.py --quick    # 1,000 due among 20,000 / 100,000
    .venv/bin/python bench/bench_sweep.py --only sqlite
    .venv/bin/python bench/bench_sweep.py --pg postgresql://postgres@127.0.0.1:5432/test_bench_sweep
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # a Tuesday
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test_bench_sweep"


def _ensure_pg_database(url: str) -> None:
    """Create the benchmark's own database when it does not exist."""
    base, name = url.rsplit("/", 1)
    engine = create_engine(base.replace("postgresql://", "postgresql+psycopg://") + "/postgres",
                           isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def _app(url: str) -> Any:
    os.environ.setdefault("TRACKER_INSTANCE_PATH", tempfile.mkdtemp(prefix="bench-sweep-"))
    from tracker import create_app

    return create_app({"TESTING": False, "DATABASE_URL": url, "SECRET_KEY": "bench",
                       "OUTBOX_DELIVER_ON_COMMIT": "off", "CHEAP_HASHING": True})


def _fresh_schema() -> None:
    from tracker.extensions import db
    from tracker.services import schema

    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    schema.upgrade()


def _people() -> dict[str, int]:
    from tracker.extensions import db
    from tracker.models import Scheme, User
    from tracker.services import setup

    est = setup.create_establishment("HMP Benchford", ["A", "B", "C", "D"], NOW, code="BEN")
    for name, role, wing, schemes in (("sup", "supporter", "A", ["insiders"]),
                                      ("lead", "scheme_lead", None, ["insiders"]),
                                      ("sc", "safer_custody", None, []),
                                      ("officer", "officer", "A", []),
                                      ("governor", "governor", None, [])):
        setup.add_user(name, role, "1234" if role == "supporter" else "bench-password-1", NOW,
                       establishment="BEN", wing=wing, schemes=schemes, cheap_hash=True)
    users = {u.username: u.id for u in db.session.scalars(db.select(User))}
    scheme = db.session.scalar(db.select(Scheme).where(Scheme.key == "insiders"))
    assert scheme is not None
    scheme.lead_id = users["lead"]
    db.session.commit()
    wing = db.session.execute(text("SELECT id FROM wing WHERE code = 'A'")).scalar()
    return {"est": est.id, "sup": users["sup"], "wing": int(wing or 0)}


def _stamp(moment: datetime, dialect: str) -> Any:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect == "sqlite" else moment


def _insert(stored: int, due: int, ids: dict[str, int]) -> float:
    """Generate ``stored`` concerns in SQL, the first ``due`` of them overdue; returns seconds."""
    from tracker.extensions import db

    dialect = db.engine.dialect.name
    seq = ("WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < :stored) "
           if dialect == "sqlite" else "")
    source = "seq" if dialect == "sqlite" else "generate_series(1, :stored) AS seq(n)"
    cat = "'[\"bullying\"]'" + ("" if dialect == "sqlite" else "::json")
    empty_list = "'[]'" + ("" if dialect == "sqlite" else "::json")
    empty_obj = "'{}'" + ("" if dialect == "sqlite" else "::json")
    sql = f"""{seq}INSERT INTO concern (establishment_id, reference, idempotency_key, request_fingerprint,
        raised_by_id, wing_id, text, answers, categories, urgency, scheme, co_schemes, owner_team,
        extra_owners, confidentiality, routing, ruleset_version, status, escalation_level,
        ack_due_at, resolve_due_at, next_deadline, created_at, updated_at)
      SELECT :est, 'BEN-' || n, 'k' || n, 'f', :sup, :wing, 'bench concern text', {empty_obj},
        {cat}, 'routine', 'insiders', {empty_list}, 'safer_custody', {empty_list}, 'need_to_know',
        {empty_obj}, 'bench',
        CASE WHEN n % 10 = 0 AND n > :due THEN 'closed' ELSE 'new' END, 0,
        CASE WHEN n <= :due THEN :old_due ELSE :new_due END,
        CASE WHEN n <= :due THEN :old_due ELSE :new_due END,
        CASE WHEN n <= :due THEN :old_due ELSE :new_due END,
        CASE WHEN n <= :due THEN :old_created ELSE :now END, :now
      FROM {source}"""  # noqa: S608 (built from constants)
    params = {"stored": stored, "due": due, **{k: ids[k] for k in ("est", "sup", "wing")},
              "old_due": _stamp(NOW - timedelta(hours=1), dialect),
              "new_due": _stamp(NOW + timedelta(days=1), dialect),
              "old_created": _stamp(NOW - timedelta(days=10), dialect),
              "now": _stamp(NOW, dialect)}
    started = time.perf_counter()
    db.session.execute(text(sql), params)
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return time.perf_counter() - started


def _reset(due: int) -> None:
    """Put the due items back where they were, so each run sweeps the same work."""
    from tracker.extensions import db

    dialect = db.engine.dialect.name
    db.session.execute(text("DELETE FROM notification"))
    db.session.execute(text("DELETE FROM concern_event"))
    db.session.execute(text("UPDATE concern SET escalation_level = 0, next_deadline = :d "
                            "WHERE id <= :due"),
                       {"d": _stamp(NOW - timedelta(hours=1), dialect), "due": due})
    db.session.commit()


def _time_sweeps(due: int, runs: int) -> tuple[list[float], list[float]]:
    """Wall and this process's CPU seconds per sweep (the CPU figure is steadier on a busy box)."""
    from tracker.extensions import db
    from tracker.services.escalation import escalate_due

    walls, cpus = [], []
    for _ in range(runs):
        _reset(due)
        db.session.remove()
        started, cpu = time.perf_counter(), time.process_time()
        report = escalate_due(NOW)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        assert report.escalated == due, (report.escalated, due)
    return walls, cpus


def run_backend(label: str, url: str, sizes: tuple[int, int], due: int, runs: int) -> None:
    """Both sizes on one database; prints the medians and their ratio."""
    medians = []
    for stored in sizes:
        app = _app(url)
        with app.app_context():
            _fresh_schema()
            ids = _people()
            insert_s = _insert(stored, due, ids)
            times, cpus = _time_sweeps(due, runs)
            from tracker.extensions import db

            db.session.remove()
            db.engine.dispose()
        median = statistics.median(times)
        medians.append(median)
        print(f"{label:<10} {stored:>9,} stored, {due:,} due: sweep median {median:6.3f} s wall, "
              f"{statistics.median(cpus):.3f} s client CPU (runs {', '.join(f'{t:.3f}' for t in times)}; "
              f"insert {insert_s:.1f} s; {due / median:,.0f} items/s)", flush=True)
    print(f"{label:<10} ratio {sizes[1]:,} vs {sizes[0]:,} stored: {medians[1] / medians[0]:.2f} "
          f"(1.0 = cost follows items due only); load average now {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 due among 20,000 / 100,000")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), default=None)
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", PG_DEFAULT))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sizes, due = ((20_000, 100_000), 1_000) if args.quick else ((100_000, 1_000_000), 5_000)
    if args.only in (None, "sqlite"):
        folder = Path(tempfile.mkdtemp(prefix="bench-sweep-db-"))
        run_backend("SQLite", f"sqlite:///{folder / 'bench.sqlite3'}", sizes, due, args.runs)
    if args.only in (None, "postgresql"):
        _ensure_pg_database(args.pg)
        run_backend("PostgreSQL", args.pg, sizes, due, args.runs)


if __name__ == "__main__":
    main()
