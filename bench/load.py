"""Load benchmark: kiosk submissions and officer queue reads (1:4) against gunicorn + PostgreSQL.

One command, everything on 127.0.0.1, cleans up after itself:

    .venv/bin/python bench/load.py                 # 50 clients, 60 s mixed load
    .venv/bin/python bench/load.py --quick         # 10 s, for a smoke run

It creates a scratch database, loads the demo prison (`tracker demo --no-serve`), takes bearer
tokens (`tracker users token`), then runs three phases with the same clients and workers:

1. ceiling: a minimal Flask endpoint that inserts one row (bench/ceiling_app.py), same DB;
2. mix:    submissions and GET /api/v1/queue reads by staff, 1:4;
3. submit: POST /api/v1/concerns only, each with a fresh Idempotency-Key.

It prints requests, throughput and p50/p95/p99 per request type, error counts, and the ratio of
submission throughput to the ceiling (target >= 30%) and p99 (target < 250 ms). Exit status 1
when any request failed. Latency is measured by closed-loop clients (each waits for its answer),
so with 50 clients the mean latency is 50 / throughput: p99 < 250 ms needs well over 200 req/s.

On a shared machine the throughput depends on what else runs, so it also prints the CPU seconds
spent in the measured window by gunicorn, by the PostgreSQL backends of the scratch database and
by the client processes, and per request: those figures compare runs; the load average at start
and end says how busy the machine was. For a fair run both apps get the same gunicorn.conf.py,
worker count, clients and database; clients connect only once every worker has loaded the app
(keep-alive connections stay with one worker), and the app reads a copy of rules/ (an edit during
the run would make every worker reload the rule set).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
SUPPORTERS = (("listener.a", "A"), ("insider.b", "B"), ("equality.c", "C"))
STAFF = ("officer.a", "officer.b", "safer.custody", "governor", "insiders.lead", "equality.lead",
         "complaints")
TEXTS = (
    "Lad on the 2s keeps getting his canteen taxed and says he owes double bubble now.",
    "Feeling really low since his mum died, not sleeping, wants someone to talk to.",
    "He has asked for a halal meal three times and the servery keep giving him pork.",
    "Wants to know when his release date paperwork will be sorted, apps not answered.",
    "Being called names on the landing every day because of his accent, it is getting worse.",
)
WARMUP_SECONDS = 3.0  # each phase starts with this much unmeasured load
# A keep-alive connection stays with the gunicorn worker that accepted it, and accepts are
# races: some workers end up with many clients and some with none (seen: 38% 36% 21% 3% 2% of
# the ceiling's CPU). Reconnecting every so often spreads the clients over the workers.
RECONNECT_EVERY = 20


@dataclass
class Tally:
    """Latencies (ms) and failures of one request type."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    samples: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.samples = (self.samples + other.samples)[:5]


def percentile(sorted_ms: list[float], pct: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_ms:
        return float("nan")
    rank = max(0, min(len(sorted_ms) - 1, int(round(pct / 100 * len(sorted_ms) + 0.5)) - 1))
    return sorted_ms[rank]


# -- the clients ---------------------------------------------------------------------------------

def _request(conn: http.client.HTTPConnection, kind: str, spec: dict[str, Any], who: int,
             serial: int) -> tuple[int, bytes]:
    if kind == "queue":
        token = spec["staff_tokens"][who % len(spec["staff_tokens"])]
        conn.request("GET", "/api/v1/queue", headers={"Authorization": f"Bearer {token}"})
    elif kind == "submit":
        token, wing = spec["supporter_tokens"][who % len(spec["supporter_tokens"])]
        body = json.dumps({"text": TEXTS[serial % len(TEXTS)], "wing": wing,
                           "consent_to_share": True})
        conn.request("POST", "/api/v1/concerns", body=body, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json",
            "Idempotency-Key": uuid.uuid4().hex})
    else:
        conn.request("POST", "/insert", body=json.dumps({"text": TEXTS[serial % len(TEXTS)]}),
                     headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    return response.status, response.read()


EXPECTED = {"queue": 200, "submit": 201, "insert": 201}


def _kind(phase: str, who: int, serial: int) -> str:
    if phase == "ceiling":
        return "insert"
    if phase == "submit":
        return "submit"
    return "submit" if (serial + who) % 5 == 0 else "queue"  # one submission to four reads


def _client(spec: dict[str, Any], who: int, out: dict[str, Tally]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", spec["port"], timeout=30)
    serial = 0
    while (start := time.time()) < spec["deadline"]:
        kind = _kind(spec["phase"], who, serial)
        serial += 1
        tally = out.setdefault(kind, Tally())
        try:
            status, body = _request(conn, kind, spec, who, serial)
            failed = status != EXPECTED[kind]
            detail = f"{status} {body[:160]!r}"
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", spec["port"], timeout=30)
            failed, detail = True, f"{type(exc).__name__}: {exc}"
        if start < spec["warm_until"]:
            continue
        if failed:
            tally.errors += 1
            if len(tally.samples) < 5:
                tally.samples.append(detail)
        else:
            tally.latencies.append((time.time() - start) * 1000)
        if serial % RECONNECT_EVERY == 0:  # let another worker take this client now and then
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", spec["port"], timeout=30)
            try:
                conn.connect()  # outside the timed request
            except OSError:
                pass  # the next request reconnects and counts the failure
    conn.close()


def _client_process(spec: dict[str, Any], first: int, count: int, queue: Any) -> None:
    tallies: list[dict[str, Tally]] = [{} for _ in range(count)]
    threads = [threading.Thread(target=_client, args=(spec, first + i, tallies[i]))
               for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    merged: dict[str, Tally] = {}
    for tally in tallies:
        for kind, part in tally.items():
            merged.setdefault(kind, Tally()).add(part)
    usage = resource.getrusage(resource.RUSAGE_SELF)  # this client process's CPU, warm-up included
    queue.put(({k: (v.latencies, v.errors, v.samples) for k, v in merged.items()},
               usage.ru_utime + usage.ru_stime))


@dataclass
class CpuUse:
    """CPU seconds spent during the measured part of a phase, by whom."""

    seconds: float = 0.0
    server: float = 0.0  # gunicorn master and workers
    per_worker: list[float] = field(default_factory=list)  # each gunicorn process, busiest first
    database: float = 0.0  # PostgreSQL backends serving the benchmark's database
    machine: float = 0.0  # every process on the machine (other engineers' work included)
    clients: float = 0.0  # the client processes, warm-up included (scaled to the window below)


def _proc_cpu(pid: int) -> float:
    """utime + stime of one process, in seconds (0 when it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def _backends(database: str) -> list[int]:
    """PostgreSQL backends whose process title names this database."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if cmd.startswith("postgres:") and f" {database} " in cmd:
                found.append(int(entry.name))
    return found


def _machine_busy() -> float:
    """Seconds of CPU the whole machine has been busy (all CPUs), from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(server_pid: int, database: str) -> tuple[float, dict[int, float], dict[int, float], float]:
    """Wall time, server process CPU by pid, database backend CPU by pid, machine busy time."""
    pids = [server_pid, *_children(server_pid)]
    return (time.time(), {p: _proc_cpu(p) for p in pids},
            {p: _proc_cpu(p) for p in _backends(database)}, _machine_busy())


def cpu_between(before: tuple[float, dict[int, float], dict[int, float], float],
                after: tuple[float, dict[int, float], dict[int, float], float]) -> CpuUse:
    """What each party spent between two snapshots (processes born in between count from 0)."""
    per_process = sorted((v - before[1].get(p, 0.0) for p, v in after[1].items()), reverse=True)
    return CpuUse(seconds=after[0] - before[0], server=sum(per_process), per_worker=per_process,
                  database=sum(v - before[2].get(p, 0.0) for p, v in after[2].items()),
                  machine=after[3] - before[3])


def run_phase(phase: str, port: int, seconds: float, clients: int, procs: int,
              tokens: dict[str, Any], server_pid: int, database: str,
              ) -> tuple[dict[str, Tally], float, CpuUse]:
    """Closed-loop clients spread over `procs` processes (the GIL would cap one)."""
    now = time.time()
    spec = {"phase": phase, "port": port, "warm_until": now + WARMUP_SECONDS,
            "deadline": now + WARMUP_SECONDS + seconds, **tokens}
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    share = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    starts = [sum(share[:i]) for i in range(procs)]
    workers = [ctx.Process(target=_client_process, args=(spec, starts[i], share[i], queue))
               for i in range(procs) if share[i]]
    for w in workers:
        w.start()
    time.sleep(max(0.0, spec["warm_until"] - time.time()))
    before = cpu_snapshot(server_pid, database)
    time.sleep(max(0.0, spec["deadline"] - time.time()))
    use = cpu_between(before, cpu_snapshot(server_pid, database))
    merged: dict[str, Tally] = {}
    client_cpu = 0.0
    for _ in workers:
        tallies, cpu = queue.get(timeout=seconds + 120)
        client_cpu += cpu
        for kind, (lat, errors, samples) in tallies.items():
            merged.setdefault(kind, Tally()).add(Tally(lat, errors, samples))
    for w in workers:
        w.join(timeout=30)
    use.clients = client_cpu * seconds / (seconds + WARMUP_SECONDS)  # the measured share, roughly
    return merged, seconds, use


# -- the servers and the database ------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def admin(pg: str) -> psycopg.Connection[Any]:
    return psycopg.connect(f"{pg}/postgres", autocommit=True)


def tracker_cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([PY, "-c", "from tracker.cli import main; main()", *args],  # noqa: S603
                          env=env, cwd=REPO, capture_output=True, text=True, check=True,
                          timeout=300)
    return done.stdout


class Server:
    """A gunicorn master we started, and stop, by its process id."""

    def __init__(self, app_spec: str, port: int, workers: int, env: dict[str, str], log: Path):
        self.port, self.log = port, log
        env = {**env, "TRACKER_BIND": f"127.0.0.1:{port}", "TRACKER_WORKERS": str(workers),
               "TRACKER_ACCESS_LOG": "off", "TRACKER_LOG_LEVEL": "WARNING"}
        self.proc = subprocess.Popen(  # noqa: S603
            [PY, "-m", "gunicorn", "-c", str(REPO / "gunicorn.conf.py"), "--chdir", str(REPO),
             app_spec], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)

    def wait_ready(self, workers: int, timeout: float = 120) -> None:
        """Until every worker has loaded the app (gunicorn.conf.py logs it) and /healthz answers.

        Clients keep their connection to the worker that accepted it: if they connected while
        only some workers were up, those few would serve the whole run and the rest idle.
        """
        end, answered = time.time() + timeout, 0
        while time.time() < end and self.log.read_text().count("Worker ready") < workers:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}:\n{self.log.read_text()[-2000:]}")
            time.sleep(0.2)
        while time.time() < end and answered < 2 * workers:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}:\n{self.log.read_text()[-2000:]}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                conn.request("GET", "/healthz")
                answered += conn.getresponse().status == 200
            except (OSError, http.client.HTTPException):
                time.sleep(0.2)
            finally:
                conn.close()
        if answered < 2 * workers:
            raise RuntimeError(f"gunicorn on {self.port} not ready within {timeout}s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# -- the report ------------------------------------------------------------------------------------

def report_rows(phase: str, tallies: dict[str, Tally], seconds: float) -> list[str]:
    rows = []
    for kind in sorted(tallies):
        t = tallies[kind]
        ms = sorted(t.latencies)
        rows.append(f"{phase:<8} {kind:<7} {len(ms):>8} {len(ms) / seconds:>8.1f} "
                    f"{percentile(ms, 50):>7.1f} {percentile(ms, 95):>7.1f} "
                    f"{percentile(ms, 99):>7.1f} {t.errors:>6}")
        rows += [f"         error sample: {s}" for s in t.samples]
    return rows


def rps(tallies: dict[str, Tally], kind: str, seconds: float) -> float:
    return len(tallies[kind].latencies) / seconds if kind in tallies else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of the mixed phase")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--quick", action="store_true", help="10 s mixed, 5 s for the others")
    parser.add_argument("--workers", type=int, default=None,
                        help="gunicorn workers for both apps (default: gunicorn.conf.py's)")
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432",
                        help="PostgreSQL server (127.0.0.1 only); a scratch database is made")
    args = parser.parse_args()
    if "127.0.0.1" not in args.pg and "localhost" not in args.pg:
        parser.error("this benchmark only runs against 127.0.0.1")
    mixed = 10.0 if args.quick else args.seconds
    side = 5.0 if args.quick else min(20.0, args.seconds)
    workers = args.workers or min(2 * (os.cpu_count() or 1) + 1, 9)
    name = f"bench_load_{os.getpid()}"
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    # A copy of the rules: an edit to rules/ during the run would make every worker reload them
    # (over a second of CPU each), which is not the steady state being measured.
    shutil.copytree(REPO / "rules", work / "rules")
    env = {**os.environ, "TRACKER_DATABASE_URL": f"{args.pg}/{name}",
           "TRACKER_INSTANCE_PATH": str(work),
           "TRACKER_RULES_DIR": str(work / "rules"), "BENCH_CEILING_DATABASE_URL": f"{args.pg}/{name}"}
    servers: list[Server] = []
    load_before = os.getloadavg()
    with admin(args.pg) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        print(f"database {name}; loading the demo prison ...", flush=True)
        tracker_cli(env, "demo", "--no-serve")
        tokens = {
            "supporter_tokens": [(tracker_cli(env, "users", "token", u).strip().splitlines()[-1], w)
                                 for u, w in SUPPORTERS],
            "staff_tokens": [tracker_cli(env, "users", "token", u).strip().splitlines()[-1]
                             for u in STAFF],
        }
        with psycopg.connect(f"{args.pg}/{name}", autocommit=True) as conn:
            conn.execute("CREATE TABLE bench_ceiling (id bigserial PRIMARY KEY, body text, "
                         "created_at timestamptz NOT NULL)")
        print(f"{args.clients} clients in {args.client_procs} processes; gunicorn {workers} "
              f"workers per app; phases: ceiling {side:.0f}s, mix {mixed:.0f}s, submit {side:.0f}s",
              flush=True)
        results: dict[str, tuple[dict[str, Tally], float, CpuUse]] = {}
        # The mix (the benchmark) runs before submissions alone: each submission adds an
        # open item, and the queue's counts cover every open item, so running it after a minute
        # of submissions alone would read a queue some 10,000 items longer than a prison's.
        for phase, app_spec, seconds in (("ceiling", "bench.ceiling_app:app", side),
                                         ("mix", "wsgi:app", mixed), ("submit", "wsgi:app", side)):
            server = Server(app_spec, free_port(), workers, env, work / f"{phase}.log")
            servers.append(server)
            server.wait_ready(workers)
            before = open_items(args.pg, name)
            results[phase] = run_phase(phase, server.port, seconds, args.clients,
                                       args.client_procs, tokens, server.proc.pid, name)
            server.stop()
            if phase != "ceiling":
                print(f"{phase}: open items in the queue {before:,} at start, "
                      f"{open_items(args.pg, name):,} at end", flush=True)
    finally:
        for server in servers:
            server.stop()
        with admin(args.pg) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    status = report(results, load_before, os.getloadavg())
    if status:
        print(f"server logs kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return status


def open_items(pg: str, name: str) -> int:
    """Open concerns in the benchmark's database (what the queue's counts range over)."""
    with psycopg.connect(f"{pg}/{name}", autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM concern WHERE status IN "
                           "('new', 'acknowledged', 'in_progress', 'deferred')").fetchone()
    return int(row[0]) if row else 0


def report(results: dict[str, tuple[dict[str, Tally], float, CpuUse]],
           load_before: tuple[float, float, float], load_after: tuple[float, float, float]) -> int:
    """Print the figures and the verdicts; 1 when any request failed."""
    cpus = os.cpu_count() or 1
    print(f"\nload average (1/5/15 min) at start: {' '.join(f'{v:.2f}' for v in load_before)}, "
          f"at end: {' '.join(f'{v:.2f}' for v in load_after)} on {cpus} CPUs "
          "(other work on the machine skews every figure)")
    print(f"{'phase':<8} {'type':<7} {'requests':>8} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'errors':>6}")
    for phase, (tallies, seconds, _) in results.items():
        print("\n".join(report_rows(phase, tallies, seconds)))
    print(f"\nCPU seconds in the measured window ({cpus} CPUs; ms per request in brackets):")
    print(f"{'phase':<8} {'window':>7} {'gunicorn':>16} {'postgres':>16} {'clients':>16} "
          f"{'machine busy':>13} {'of capacity':>11}")
    for phase, (tallies, _, use) in results.items():
        done = sum(len(t.latencies) + t.errors for t in tallies.values()) or 1

        def cell(cpu: float, n: int = done) -> str:
            return f"{cpu:6.1f} ({1000 * cpu / n:5.2f})"

        print(f"{phase:<8} {use.seconds:6.1f}s {cell(use.server):>16} {cell(use.database):>16} "
              f"{cell(use.clients):>16} {use.machine:12.1f}s "
              f"{use.machine / (cpus * use.seconds) if use.seconds else 0:10.0%}")
    for phase, (_, _, use) in results.items():
        # Keep-alive connections stay with the worker that accepted them: an uneven spread
        # leaves some workers idle while others queue requests behind their threads.
        print(f"{phase:<8} CPU share of each gunicorn process: "
              + " ".join(f"{v / use.server:.0%}" if use.server else "-" for v in use.per_worker))
    print("(clients' CPU is taken from the same cores: it is part of every phase's cost; "
          "'machine busy' includes other people's work)")
    ceiling = rps(results["ceiling"][0], "insert", results["ceiling"][1])
    submit_only = rps(results["submit"][0], "submit", results["submit"][1])
    mix_submit = rps(results["mix"][0], "submit", results["mix"][1])
    mix_queue = rps(results["mix"][0], "queue", results["mix"][1])
    mix_p99 = {k: percentile(sorted(t.latencies), 99) for k, t in results["mix"][0].items()}
    worst = max(mix_p99.values(), default=float("nan"))
    errors = sum(t.errors for tallies, _, _ in results.values() for t in tallies.values())
    ratio = submit_only / ceiling if ceiling else 0.0
    print()
    print(f"ceiling (one-row insert):            {ceiling:8.1f} req/s")
    print(f"submissions alone:                   {submit_only:8.1f} req/s = {ratio:.0%} of the "
          f"ceiling (target >= 30%: {'met' if ratio >= 0.30 else 'NOT met'})")
    print(f"submissions within the 1:4 mix:      {mix_submit:8.1f} req/s = "
          f"{mix_submit / ceiling if ceiling else 0:.0%} of the ceiling "
          f"(+ {mix_queue:.1f} queue reads/s)")
    print(f"p99 in the mix:                      {worst:8.1f} ms worst type ("
          + ", ".join(f"{k} {v:.1f} ms" for k, v in sorted(mix_p99.items()))
          + f"; target < 250 ms: {'met' if worst < 250 else 'NOT met'})")
    print(f"errors, all phases:                  {errors:8d} (target 0: "
          f"{'met' if errors == 0 else 'NOT met'})")
    return 1 if errors else 0

if __name__ == "__main__":
    sys.exit(main())
