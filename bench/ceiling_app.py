"""The ceiling for bench/load.py: the least a Flask endpoint can do to store one row.

Same gunicorn config, same worker count, same PostgreSQL database as the tracker under test;
POST /insert writes one row to bench_ceiling and answers 201 with its id.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Flask, jsonify, request
from sqlalchemy import create_engine, text
from werkzeug.wrappers import Response

app = Flask(__name__)
url = os.environ["BENCH_CEILING_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
engine = create_engine(url, pool_pre_ping=True)


@app.get("/healthz")
def healthz() -> Response:
    """Answers once a worker has booted, as the tracker's does."""
    return jsonify({"status": "ok"})


@app.post("/insert")
def insert() -> tuple[Response, int]:
    """One INSERT in its own transaction."""
    body = (request.get_json(silent=True) or {}).get("text", "")
    with engine.begin() as conn:
        row_id = conn.execute(text("INSERT INTO bench_ceiling (body, created_at) VALUES (:b, :t) "
                                   "RETURNING id"), {"b": body, "t": datetime.now(UTC)}).scalar()
    return jsonify({"id": row_id}), 201
