"""Benchmark: the first page of the staff queue with 1,000,000 stored and 50,000 open concerns.

    .venv/bin/python bench/bench_queue.py [--quick] [--requests N] [--database-url URL]

Uses its own PostgreSQL database (default ``bench_queue``; created if missing). It times the
queue page (``GET /staff/queue``) and ``GET /api/v1/queue`` with the default filters, as the
Safer Custody lead (who sees most items), first on a database holding only the people (the
baseline, same run), then after filling it with set-based SQL (bench/bench_digest.py's loader).
Prints p50/p95 per request and the ratio to the empty baseline. Target: p95 under 150 ms.
``--quick``: 100,000 stored, 5,000 open.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine, text

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


def _time_requests(app: Flask, requests: int) -> dict[str, tuple[float, float]]:
    with app.app_context():
        sc = db.session.scalar(db.select(User).where(User.username == "bench.sc"))
        assert sc is not None
        token = issue_token(sc, NOW)
    browser, api = app.test_client(), app.test_client()
    signed = browser.post("/staff/signin", data={"username": "bench.sc",
                                                 "password": "a-long-benchmark-secret"})
    assert signed.status_code in (302, 303), f"bench user could not sign in: {signed.status_code}"
    calls = {
        "GET /staff/queue": lambda: browser.get("/staff/queue"),
        "GET /api/v1/queue": lambda: api.get("/api/v1/queue",
                                             headers={"Authorization": f"Bearer {token}"}),
    }
    out = {}
    for name, call in calls.items():
        call()  # warm: templates compiled, connections open
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            response = call()
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, f"{name}: {response.status_code}"
        out[name] = _percentiles(samples)
    return out


def main() -> int:
    """Baseline on an empty database, then the filled one; exit 1 if the target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 stored, 5,000 open")
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/bench_queue")
    args = parser.parse_args()
    historical, open_items = (95_000, 5_000) if args.quick else (950_000, 50_000)
    _ensure_database(args.database_url)
    app = create_app({"DATABASE_URL": args.database_url, "SECRET_KEY": "bench",
                      "CHEAP_HASHING": True, "CLOCK": lambda: NOW, "WTF_CSRF_ENABLED": False})
    results = {}
    for label, (hist, live) in (("empty", (0, 0)), ("filled", (historical, open_items))):
        with app.app_context():
            _empty_database()
            _fill(hist, live)
            db.session.remove()
        results[label] = _time_requests(app, args.requests)
        print(f"{label}: {hist + live:,} stored, {live:,} open")
        for name, (p50, p95) in results[label].items():
            print(f"  {name:<18} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    worst = max(p95 for _, p95 in results["filled"].values())
    for name in results["filled"]:
        ratio = results["filled"][name][1] / results["empty"][name][1]
        print(f"{name}: p95 filled / empty = {ratio:.1f}x")
    print(f"Target p95 under {TARGET_P95_MS:.0f} ms: {'met' if worst < TARGET_P95_MS else 'MISSED'}")
    return 0 if worst < TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
