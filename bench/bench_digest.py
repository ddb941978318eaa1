"""Benchmark: the Governor's weekly digest over 1,000,000 historical and 50,000 open items.

    .venv/bin/python bench/bench_digest.py [--quick] [--reuse] [--database-url URL] [--runs N]

Uses its own PostgreSQL database (default ``bench_digest``: ``createdb -h 127.0.0.1 -U
postgres bench_digest``), which it empties and fills with set-based SQL (INSERT ... SELECT
FROM generate_series), not the ORM. It then builds the Governor's digest (the same service
the weekly job runs: aggregating queries for this week and last) several times and prints
the median, next to a plain ``SELECT count(*) FROM concern`` in the same run, and the ratio.
Target: under 5 seconds. ``--quick``: 100,000 historical and 5,000 open items; ``--reuse``:
time the data a previous run left.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker import create_app  # noqa: E402
from tracker.core.digest import last_full_week  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import User  # noqa: E402
from tracker.services import digest, schema, setup  # noqa: E402
from tracker.services import digest_queries as q  # noqa: E402
from tracker.services.viewers import viewer_for  # noqa: E402

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # a Monday, 07:00: the weekly job's moment
TARGET_SECONDS = 5.0
SCHEMES = ["listeners", "insiders", "buddies", "equality_reps", "shannon_trust", "pal", "triage"]
REASONS = ["awaiting_investigation", "other_department", "regime_restricted", "resident_moved",
           "needs_information", "handed_off", "other"]

CONCERNS = """
INSERT INTO concern (establishment_id, reference, idempotency_key, request_fingerprint, raised_by_id,
  wing_id, text, answers, categories, urgency, scheme, co_schemes, owner_team, extra_owners,
  confidentiality, routing, ruleset_version, status, escalation_level, ack_due_at, resolve_due_at,
  next_deadline, created_at, updated_at, acknowledged_at, resolved_at)
SELECT :est, 'B-' || (:offset + g), 'k' || (:offset + g), 'f', :raiser,
  (CAST(:wings AS int[]))[1 + (g % 4)], 'benchmark text ' || g, '{}', '["bullying"]', 'routine',
  (CAST(:schemes AS text[]))[1 + (g % 7)], '[]', 'safer_custody', '[]', 'need_to_know', '{}', 'bench',
  s.status, s.level, s.created + interval '1 day', s.created + interval '5 days',
  CASE WHEN s.open THEN s.created + interval '1 day' END, s.created, s.created + s.took,
  CASE WHEN s.status <> 'new' THEN s.created + s.ack END,
  CASE WHEN NOT s.open THEN s.created + s.took END
FROM generate_series(1, :n) AS g
CROSS JOIN LATERAL (SELECT
  CAST(:open AS boolean) AS open,
  CASE WHEN CAST(:open AS boolean)
       THEN (ARRAY['new', 'new', 'acknowledged', 'deferred', 'in_progress'])[1 + (g % 5)]
       ELSE 'closed' END AS status,
  CASE WHEN CAST(:open AS boolean) THEN g % 4 ELSE 0 END AS level,
  CAST(:newest AS timestamptz) - (random() * :span_days) * interval '1 day' AS created,
  (random() * 40) * interval '1 hour' AS ack,
  (random() * 12 + 0.1) * interval '1 day' AS took) AS s
"""
EVENTS = """
INSERT INTO concern_event (establishment_id, concern_id, at, kind, from_status, to_status, level,
  reason_code, data)
SELECT establishment_id, id, created_at, 'raised', NULL, 'new', 0, NULL, CAST('{}' AS json) FROM concern
UNION ALL
SELECT establishment_id, id, acknowledged_at, 'acknowledged', 'new', 'acknowledged', 0, NULL,
  CAST('{}' AS json) FROM concern WHERE acknowledged_at IS NOT NULL
UNION ALL
SELECT establishment_id, id, coalesce(acknowledged_at, created_at) + interval '2 hours', 'paused',
  'acknowledged', 'deferred', escalation_level, (CAST(:reasons AS text[]))[1 + (id % 7)], CAST('{}' AS json)
  FROM concern WHERE status = 'deferred'
UNION ALL
SELECT establishment_id, id, resolved_at, 'resolved', 'acknowledged', 'closed', 0, NULL, CAST('{}' AS json)
  FROM concern WHERE resolved_at IS NOT NULL
"""
AUDIENCE = """
INSERT INTO concern_audience (concern_id, key)
SELECT id, 'scheme:' || scheme FROM concern UNION ALL SELECT id, 'team:' || owner_team FROM concern
"""


def _empty_database() -> None:
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    schema.upgrade()


def _fill(historical: int, open_items: int) -> tuple[int, User]:
    est = setup.create_establishment("HMP Benchmark", ["A", "B", "C", "D"], NOW - timedelta(days=800),
                                     code="BEN")
    people = (("bench.governor", "governor", []), ("bench.sup", "supporter", ["insiders"]),
              ("bench.sc", "safer_custody", []))
    for username, role, schemes in people:
        secret = "4321" if role == "supporter" else "a-long-benchmark-secret"
        setup.add_user(username, role, secret, NOW - timedelta(days=800),
                       establishment="BEN", wing="A" if role == "supporter" else None,
                       schemes=schemes, cheap_hash=True)
    governor = db.session.scalar(select(User).where(User.username == "bench.governor"))
    raiser = db.session.scalar(select(User.id).where(User.username == "bench.sup"))
    wings = list(db.session.scalars(text("SELECT id FROM wing WHERE establishment_id = :e ORDER BY code"),
                                    {"e": est.id}))
    assert governor is not None and raiser is not None
    common = {"est": est.id, "raiser": raiser, "wings": wings, "schemes": SCHEMES}
    t0 = time.perf_counter()
    indexes = _drop_secondary_indexes()  # bulk load first, index after: the usual way
    # Rows are consistent by construction: skip per-row foreign-key triggers while loading.
    db.session.execute(text("SET LOCAL session_replication_role = replica"))
    db.session.execute(text("SELECT setseed(0.42)"))
    db.session.execute(text(CONCERNS), {**common, "offset": 0, "n": historical, "open": False,
                                        "newest": NOW - timedelta(days=14), "span_days": 730})
    db.session.execute(text(CONCERNS), {**common, "offset": historical, "n": open_items, "open": True,
                                        "newest": NOW, "span_days": 60})
    print(f"  concerns inserted: {time.perf_counter() - t0:.1f} s")
    db.session.execute(text(EVENTS), {"reasons": REASONS})
    print(f"  events inserted: {time.perf_counter() - t0:.1f} s")
    db.session.execute(text(AUDIENCE))
    print(f"  audience inserted: {time.perf_counter() - t0:.1f} s")
    for definition in indexes:
        db.session.execute(text(definition))
    db.session.commit()
    print(f"  {len(indexes)} indexes rebuilt: {time.perf_counter() - t0:.1f} s")
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return est.id, governor


def _drop_secondary_indexes() -> list[str]:
    """Drop the non-unique indexes of the big tables; return their definitions to rebuild."""
    rows = db.session.execute(text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
        "('concern', 'concern_event', 'concern_audience') AND indexdef NOT LIKE '%UNIQUE%'")).all()
    for name, _ in rows:
        db.session.execute(text(f'DROP INDEX "{name}"'))
    return [definition for _, definition in rows]


def _median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        db.session.rollback()  # nothing cached in the session between runs
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    """Fill, time, print; exit 1 when the target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 historical, 5,000 open")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/bench_digest")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true",
                        help="time the data a previous run left (skip emptying and filling)")
    args = parser.parse_args()
    historical, open_items = (100_000, 5_000) if args.quick else (1_000_000, 50_000)
    app = create_app({"DATABASE_URL": args.database_url, "SECRET_KEY": "bench", "CHEAP_HASHING": True})
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            print("This benchmark needs PostgreSQL (--database-url).", file=sys.stderr)
            return 2
        started = time.perf_counter()
        found = db.session.scalar(select(User).where(User.username == "bench.governor")) \
            if args.reuse else None
        if found is None:
            _empty_database()
            _, governor = _fill(historical, open_items)
        else:
            governor = found
            historical = db.session.scalar(text("SELECT count(*) FROM concern WHERE status = 'closed'"))
            open_items = db.session.scalar(text("SELECT count(*) FROM concern WHERE status <> 'closed'"))
        events = db.session.scalar(text("SELECT count(*) FROM concern_event"))
        verb = "Reused" if found is not None else "Filled"
        print(f"{verb} {historical:,} historical + {open_items:,} open concerns in "  # noqa: S608
              f"{time.perf_counter() - started:.1f} s ({events:,} events).")
        week = last_full_week(NOW)
        viewer = viewer_for(governor)
        count = _median_seconds(lambda: db.session.scalar(text("SELECT count(*) FROM concern")),
                                args.runs)
        parts = {
            "late cube, this week": lambda: q.late_cube(viewer, "governor", week.end),
            "late cube, last week": lambda: q.late_cube(viewer, "governor", week.previous().end, False),
            "clock shares + median": lambda: q.clock_figures(viewer, "governor", week),
            "ten oldest open": lambda: q.oldest_open(viewer, "governor", week.end),
        }
        for name, work in parts.items():
            tuned = (lambda w: lambda: (q.tune_for_reports(), w()))(work)
            print(f"  {name:<24} {_median_seconds(tuned, args.runs) * 1000:8.1f} ms (median)")
        content: dict[str, object] = {}

        def whole() -> None:
            content.update(digest.build_content(governor, "governor", week))

        total = _median_seconds(whole, args.runs)
        overdue = content["overdue"]["total"]["now"]  # type: ignore[index]
        print(f"Governor's digest (week ending {week.ending}): median {total:.3f} s over {args.runs} runs; "
              f"{overdue:,} overdue items")
        print(f"Baseline SELECT count(*) FROM concern: median {count * 1000:.1f} ms; "  # noqa: S608
              f"digest / count(*) = {total / count:.1f}x")
        print(f"Target under {TARGET_SECONDS:.0f} s: {'met' if total < TARGET_SECONDS else 'MISSED'}")
        db.session.remove()
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
