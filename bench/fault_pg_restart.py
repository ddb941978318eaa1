"""Fault test: PostgreSQL restarts while kiosks submit. Run it with `bash bench/fault_pg_restart.sh`.

It starts a private PostgreSQL cluster on 127.0.0.1 (so the shared server and anyone's tests on it
are left alone), the tracker under gunicorn, and clients that each submit concerns with an
Idempotency-Key and, like a kiosk, retry the same key after a 503 or a dropped connection.
A few seconds in, the cluster is restarted (`pg_ctl restart -m fast`). Then it checks:

- every failure the clients saw was a 503 with Retry-After and a JSON error body (or a dropped
  connection), never a 500;
- nothing was half written: every stored concern has its history, and each key is stored once;
- the service resumed by itself: submissions succeeded after the restart without touching gunicorn.

Exit status 1 when any check fails. Everything it started is stopped and removed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import psycopg  # noqa: E402
from load import SUPPORTERS, TEXTS, Server, free_port, tracker_cli  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql") / sorted(os.listdir("/usr/lib/postgresql"))[-1] / "bin"


def as_postgres(*argv: str) -> subprocess.CompletedProcess[str]:
    """PostgreSQL refuses to run as root: its tools run as the postgres user."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *argv], check=True, capture_output=True, text=True,  # noqa: S603
                          timeout=120)


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary folder."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="fault-pg-"))
        self.data = self.dir / "data"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")

    def ctl(self, *args: str) -> None:
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "pg.log"),
                    "-w", "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1",
                    *args)

    def remove(self) -> None:
        try:
            self.ctl("stop", "-m", "immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass
class Seen:
    """What the clients saw."""

    stored: list[tuple[str, float]] = field(default_factory=list)  # (key, time) of each 201
    unavailable: int = 0
    dropped: int = 0
    bad: list[str] = field(default_factory=list)  # anything that is not 201 / proper 503 / drop
    lock: threading.Lock = field(default_factory=threading.Lock)


def _client(port: int, token: str, wing: str, deadline: float, seen: Seen, who: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    key, serial = uuid.uuid4().hex, who
    while time.time() < deadline:
        body = json.dumps({"text": TEXTS[serial % len(TEXTS)], "wing": wing})
        try:
            conn.request("POST", "/api/v1/concerns", body=body, headers={
                "Authorization": f"Bearer {token}", "Content-Type": "application/json",
                "Idempotency-Key": key})
            resp = conn.getresponse()
            payload, status = resp.read(), resp.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with seen.lock:
                seen.dropped += 1
            time.sleep(0.2)
            continue  # retry the same key: a kiosk whose connection dropped
        with seen.lock:
            if status == 201:
                seen.stored.append((key, time.time()))
                key, serial = uuid.uuid4().hex, serial + 1
            elif (status == 503 and resp.getheader("Retry-After")
                  and resp.getheader("Content-Type", "").startswith("application/json")
                  and json.loads(payload)["error"]["code"] == "service_unavailable"):
                seen.unavailable += 1
            else:
                seen.bad.append(f"{status} {payload[:200]!r}")
        if status != 201:
            time.sleep(0.2)  # a real kiosk waits Retry-After; the test keeps it short


def main() -> int:
    parser = argparse.ArgumentParser(description="PostgreSQL restart during load")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--restart-at", type=float, default=5)
    parser.add_argument("--clients", type=int, default=10)
    args = parser.parse_args()
    cluster = Cluster(free_port())
    work = Path(tempfile.mkdtemp(prefix="fault-pg-app-"))
    server: Server | None = None
    try:
        cluster.ctl("start")
        url = f"postgresql://postgres@127.0.0.1:{cluster.port}/tracker"
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{cluster.port}/postgres",
                             autocommit=True) as conn:
            conn.execute("CREATE DATABASE tracker")
        env = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_INSTANCE_PATH": str(work)}
        tracker_cli(env, "demo", "--no-serve")
        tokens = [(tracker_cli(env, "users", "token", u).strip().splitlines()[-1], w)
                  for u, w in SUPPORTERS]
        server = Server("wsgi:app", free_port(), 2, env, work / "gunicorn.log")
        server.wait_ready(2)
        seen = Seen()
        start = time.time()
        deadline = start + args.seconds
        clients = [threading.Thread(target=_client, args=(server.port, *tokens[i % len(tokens)],
                                                           deadline, seen, i))
                   for i in range(args.clients)]
        for c in clients:
            c.start()
        time.sleep(max(0.0, start + args.restart_at - time.time()))
        before = len(seen.stored)
        restart_began = time.time()
        cluster.ctl("restart", "-m", "fast")
        restarted = time.time()
        print(f"PostgreSQL restarted at {restart_began - start:.1f}s, took "
              f"{restarted - restart_began:.1f}s; {before} concerns stored before it")
        for c in clients:
            c.join()
        server.stop()
        with psycopg.connect(url) as conn:
            rows = conn.execute("SELECT idempotency_key FROM concern").fetchall()
            orphans = conn.execute(
                "SELECT count(*) FROM concern c WHERE NOT EXISTS (SELECT 1 FROM concern_event e "
                "WHERE e.concern_id = c.id AND e.kind = 'raised')").fetchone()
        stored_keys = [k for k, _ in seen.stored]
        first_after = min((t for _, t in seen.stored if t > restarted), default=None)
        db_keys = [k for (k,) in rows]
        demo_rows = len(db_keys) - len(set(db_keys) & set(stored_keys))
        checks = {
            "no 500s or malformed errors": not seen.bad,
            "every failure a 503 with Retry-After and JSON, or a dropped connection": not seen.bad,
            "each acknowledged key stored exactly once":
                sorted(set(stored_keys)) == sorted(k for k in db_keys if k in set(stored_keys))
                and len(stored_keys) == len(set(stored_keys)),
            "no concern without its history (no partial writes)": orphans is not None and orphans[0] == 0,
            "nothing stored that no client was told about (beyond the demo's 4)": demo_rows == 4,
            "service resumed by itself after the restart": first_after is not None,
        }
        print(f"clients: {len(seen.stored)} stored, {seen.unavailable} answered 503 + Retry-After, "
              f"{seen.dropped} dropped connections, {len(seen.bad)} other failures")
        if first_after is not None:
            print(f"first success {first_after - restarted:.1f}s after PostgreSQL was back "
                  f"(the restart itself took {restarted - restart_began:.1f}s)")
        for sample in seen.bad[:5]:
            print(f"   other failure: {sample}")
        for name, ok in checks.items():
            print(f"{'ok  ' if ok else 'FAIL'} {name}")
        if seen.bad:
            errors = [ln for ln in (work / "gunicorn.log").read_text().splitlines()
                      if "Error" in ln or "Exception" in ln or "File " in ln]
            print("server errors (first 40):", *errors[:40], sep="\n   ")
        return 0 if all(checks.values()) else 1
    finally:
        if server is not None:
            server.stop()
        cluster.remove()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
