"""Benchmark: the first page of the staff queue with 1,000,000 stored and 50,000 open concerns.

    .venv/bin/python bench/bench_queue.py [--quick] [--requests N] [--explain] [--database-url URL]

Uses its own PostgreSQL databases (default ``bench_queue``, and ``bench_queue_empty`` for the
baseline; created if missing). It times the queue page (``GET /staff/queue``) and
``GET /api/v1/queue`` with the default filters, as the Safer Custody lead (who sees most
items), on a database holding only the people (the baseline) and on one filled with set-based
SQL (bench/bench_digest.py's loader), alternating request by request in the same run.
Prints p50/p95 per request, the ratio to the empty baseline and whether the target is met.
Target: p95 under 150 ms. ``--quick``: 100,000 stored, 5,000 open. ``--explain``: print the
SQL one API request sends, each statement with EXPLAIN (ANALYZE, BUFFERS) on the filled data.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, event, text
from werkzeug.test import TestResponse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_digest import NOW, _empty_database, _fill  # noqa: E402

from tracker import create_app  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.models import User  # noqa: E402
from tracker.services.auth import issue_token  # noqa: E402

TARGET_P95_MS = 150.0


def _ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    base = url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    admin = create_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return statistics.median(ordered), p95


def _calls(app: Flask) -> dict[str, Callable[[], TestResponse]]:
    """The two measured requests, signed in as the Safer Custody lead."""
    with app.app_context():
        sc = db.session.scalar(db.select(User).where(User.username == "bench.sc"))
        assert sc is not None
        token = issue_token(sc, NOW)
    browser, api = app.test_client(), app.test_client()
    signed = browser.post("/staff/signin", data={"username": "bench.sc",
                                                 "password": "a-long-benchmark-secret"})
    assert signed.status_code in (302, 303), f"bench user could not sign in: {signed.status_code}"
    calls: dict[str, Callable[[], TestResponse]] = {
        "GET /staff/queue": lambda: browser.get("/staff/queue"),
        "GET /api/v1/queue": lambda: api.get("/api/v1/queue",
                                             headers={"Authorization": f"Bearer {token}"}),
    }
    return calls


def _time_requests(apps: dict[str, Flask], requests: int) -> dict[str, dict[str, tuple[float, float]]]:
    """Round after round, each request on every database in turn, so a busy moment on a
    shared machine falls on the baseline and on both requests as much as on the filled one."""
    calls = {label: _calls(app) for label, app in apps.items()}
    samples: dict[str, dict[str, list[float]]] = {label: {} for label in apps}
    for label in apps:
        for name, call in calls[label].items():
            call()  # warm: templates compiled, connections open
            samples[label][name] = []
    for _ in range(requests):
        for name in calls["filled"]:
            for label in apps:
                started = time.perf_counter()
                response = calls[label][name]()
                samples[label][name].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, f"{name} ({label}): {response.status_code}"
    return {label: {name: _percentiles(times) for name, times in by_name.items()}
            for label, by_name in samples.items()}


def _explain(app: Flask, client_call: Callable[[], TestResponse]) -> None:
    """Log the SQL one request sends, then EXPLAIN (ANALYZE, BUFFERS) each statement on concern."""
    seen: list[tuple[str, Any]] = []

    def record(_c: object, _cur: object, statement: str, params: Any, *_a: object) -> None:
        seen.append((statement, params))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        client_call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, params in seen:
            if "FROM concern" not in statement or not statement.lstrip().upper().startswith("SELECT"):
                continue
            print("-" * 78)
            print(statement)
            print("params:", params)
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
            for (line,) in cursor.fetchall():
                print("   ", line)
        raw.rollback()
    finally:
        raw.close()


def main() -> int:
    """Baseline on an empty database, then the filled one; exit 1 if the target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 stored, 5,000 open")
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--explain", action="store_true",
                        help="print each queue statement with EXPLAIN (ANALYZE, BUFFERS) on the filled data")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/bench_queue")
    args = parser.parse_args()
    historical, open_items = (95_000, 5_000) if args.quick else (950_000, 50_000)
    sizes = {"empty": (0, 0), "filled": (historical, open_items)}
    urls = {"empty": args.database_url + "_empty", "filled": args.database_url}
    apps = {}
    for label, (hist, live) in sizes.items():
        _ensure_database(urls[label])
        apps[label] = create_app({"DATABASE_URL": urls[label], "SECRET_KEY": "bench",
                                  "CHEAP_HASHING": True, "CLOCK": lambda: NOW,
                                  "WTF_CSRF_ENABLED": False})
        with apps[label].app_context():
            print(f"{label} ({urls[label].rsplit('/', 1)[1]}): {hist + live:,} stored, {live:,} open")
            _empty_database()
            _fill(hist, live)
            db.session.remove()
    results = _time_requests(apps, args.requests)
    for label, by_name in results.items():
        print(f"{label}:")
        for name, (p50, p95) in by_name.items():
            print(f"  {name:<18} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    if args.explain:
        _explain(apps["filled"], _calls(apps["filled"])["GET /api/v1/queue"])
    return _summary(results, historical + open_items, open_items)


def _summary(results: dict[str, dict[str, tuple[float, float]]], stored: int, live: int) -> int:
    """One table: baseline and filled p50/p95 per request, the ratios, and the verdict."""
    print(f"\nSummary ({stored:,} stored, {live:,} open; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores)")
    print(f"  {'request':<18} {'empty p50':>9} {'empty p95':>9} {'filled p50':>10} {'filled p95':>10}"
          f" {'p50 ratio':>9} {'p95 ratio':>9}  target p95 < {TARGET_P95_MS:.0f} ms")
    met = True
    for name, (p50, p95) in results["filled"].items():
        e50, e95 = results["empty"][name]
        ok = p95 < TARGET_P95_MS
        met = met and ok
        print(f"  {name:<18} {e50:9.1f} {e95:9.1f} {p50:10.1f} {p95:10.1f} {p50 / e50:8.1f}x"
              f" {p95 / e95:8.1f}x  {'met' if ok else 'MISSED'}")
    print(f"Target (p95 under {TARGET_P95_MS:.0f} ms for every request): {'MET' if met else 'MISSED'}")
    return 0 if met else 1

if __name__ == "__main__":
    sys.exit(main())
