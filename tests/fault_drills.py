"""Fault drills shared by the tests and bench/: real `tracker` child processes, killed for real.

Children are started with the tracker's own environment variables (TRACKER_DATABASE_URL, ...),
their output goes to files so a failure can show it, and every child still alive is killed when
the `Children` block ends, whatever happened inside it. Waiting is done by polling the database
(`poll`), never by sleeping a fixed time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, func, select, text, update

from tests.clock_helpers import raise_item, staff_leads
from tests.factories import Prison, make_prison
from tracker.extensions import db
from tracker.models import Concern, ConcernEvent, Notification

REPO = Path(__file__).resolve().parent.parent
T = TypeVar("T")
ESCALATION_NOTICES = ("escalated", "staff_escalated", "staff_reminder")  # what a sweep writes


def tracker_argv(*args: str) -> list[str]:
    """The `tracker` command of this virtualenv (or the same entry point through -c)."""
    script = Path(sys.executable).parent / "tracker"
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "from tracker.cli import main; main()", *args]


def tracker_env(url: str, instance: Path, **config: object) -> dict[str, str]:
    """The environment a deployed process gets: database, instance folder, TRACKER_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update({"TRACKER_DATABASE_URL": url, "TRACKER_INSTANCE_PATH": str(instance),
                "TRACKER_SECRET_KEY": "fault-drill-only", "PYTHONPATH": str(REPO)})
    env.update({f"TRACKER_{k}": str(v) for k, v in config.items()})
    return env


class Children:
    """Child processes that cannot outlive the block that started them."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        """Start one child; its stdout and stderr go to <logs>/<name>.log."""
        self.logs.mkdir(parents=True, exist_ok=True)
        with open(self.logs / f"{name}.log", "wb") as out:
            proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env,  # noqa: S603
                                    cwd=REPO, start_new_session=True)
        self.procs[name] = proc
        return proc

    def output(self, name: str) -> str:
        """What the child printed so far."""
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def outputs(self) -> str:
        """Every child's output, for an assertion message."""
        return "\n".join(f"--- {name} (exit {p.poll()}) ---\n{self.output(name)[-4000:]}"
                         for name, p in self.procs.items())

    def kill(self, name: str) -> None:
        """SIGKILL: no clean-up handler, no rollback, no lease release. Waits until it is gone."""
        proc = self.procs[name]
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def close(self) -> None:
        """Kill whatever is still running."""
        for name, proc in self.procs.items():
            if proc.poll() is None:
                self.kill(name)


@contextmanager
def children(logs: Path) -> Iterator[Children]:
    """`with children(tmp_path) as kids:` ... every child is dead afterwards."""
    kids = Children(logs)
    try:
        yield kids
    finally:
        kids.close()


def poll(probe: Callable[[], T | None], timeout: float, what: str,
         check: Callable[[], None] | None = None, interval: float = 0.01) -> T:
    """Ask `probe` until it returns something truthy; `check` may raise when waiting is futile."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if check is not None:
            check()
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)  # a short wait between polls of another process, not a synchronisation


def observer(url: str) -> Engine:
    """A plain engine for watching the database from outside the app (no session, no pool)."""
    from sqlalchemy.pool import NullPool

    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, poolclass=NullPool)


def scalar(engine: Engine, query: Any) -> Any:
    """One value, read in a short transaction of its own."""
    with engine.connect() as conn:
        return conn.execute(query).scalar()


def escalated_count(engine: Engine) -> int:
    """Committed escalation events: how far the sweeps have got."""
    return int(scalar(engine, select(func.count()).select_from(ConcernEvent)
                      .where(ConcernEvent.kind == "escalated")) or 0)


# --- seeding --------------------------------------------------------------------------------


def seed_prison(now: datetime) -> Prison:
    """The test prison with the Insiders lead in post (so level 1 has people to tell)."""
    prison = make_prison(now)
    staff_leads(prison)
    return prison


def seed_due(prison: Prison, now: datetime, count: int,
             due_at: datetime | None = None) -> list[int]:
    """`count` routine items raised at `now`: one through the service, the rest copied.

    `due_at` moves their stored deadline (default: the one the clock terms gave, a working day
    on). The copies (concern rows and their history) are made inside the database, so thousands
    take a fraction of a second and are exactly like the item raised at the kiosk.
    """
    first = raise_item(prison, now)
    first_id = first.id
    if due_at is not None:
        db.session.execute(update(Concern).where(Concern.id == first_id)
                           .values(next_deadline=due_at))
        db.session.commit()
    if count > 1:
        _copy(first_id, count - 1)
    return list(db.session.scalars(select(Concern.id).where(
        Concern.id >= first_id).order_by(Concern.id)))


def _copy(template_id: int, copies: int) -> None:
    table = Concern.__table__
    events = ConcernEvent.__table__
    pg = db.engine.dialect.name == "postgresql"
    keep = [c.name for c in table.columns if c.name not in ("id", "reference", "idempotency_key")]
    seq = ("" if pg else "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq "
           "WHERE n < :copies) ")
    source = "generate_series(1, :copies) AS seq(n)" if pg else "seq"
    cols = ", ".join(keep)
    sql = (f"{seq}INSERT INTO concern ({cols}, reference, idempotency_key) "  # noqa: S608
           f"SELECT {', '.join('c.' + k for k in keep)}, c.reference || '-' || seq.n, "
           f"c.idempotency_key || '-' || seq.n FROM concern c, {source} WHERE c.id = :template")
    db.session.execute(text(sql), {"copies": copies, "template": template_id})
    ev_keep = [c.name for c in events.columns if c.name not in ("id", "concern_id")]
    db.session.execute(text(
        f"INSERT INTO concern_event (concern_id, {', '.join(ev_keep)}) "  # noqa: S608
        f"SELECT c.id, {', '.join('e.' + k for k in ev_keep)} FROM concern c "
        "JOIN concern_event e ON e.concern_id = :template WHERE c.id > :template "
        "ORDER BY c.id, e.id"), {"template": template_id})
    db.session.commit()


# --- what an operator checks afterwards ------------------------------------------------------


@dataclass
class Ledger:
    """Per item: escalation events, level and deadline stored, escalation notices written."""

    escalations: dict[int, int] = field(default_factory=dict)
    levels: dict[int, int] = field(default_factory=dict)
    inconsistent: list[int] = field(default_factory=list)
    notices: dict[tuple[int, str, int | None, str], int] = field(default_factory=dict)

    def doubled_notices(self) -> list[tuple[int, str, int | None, str]]:
        """(item, channel, recipient, kind) written more than once."""
        return [k for k, n in self.notices.items() if n > 1]

    def notice_counts(self, item: int) -> list[tuple[str, int | None, str]]:
        """Which notices an item has, sorted (the same for every item escalated alike)."""
        return sorted((k[1], k[2], k[3]) for k in self.notices if k[0] == item)


def ledger(items: list[int]) -> Ledger:
    """Read every item's state and history: the checks an operator would run after a fault."""
    found = Ledger()
    rows = db.session.execute(select(Concern.id, Concern.escalation_level, Concern.next_deadline)
                              .where(Concern.id.in_(items)))
    stored = {i: (lvl, dl) for i, lvl, dl in rows}
    events: dict[int, list[tuple[int | None, Any]]] = {i: [] for i in items}
    for concern_id, level, data in db.session.execute(
            select(ConcernEvent.concern_id, ConcernEvent.level, ConcernEvent.data)
            .where(ConcernEvent.concern_id.in_(items), ConcernEvent.kind == "escalated")):
        events[concern_id].append((level, data))
    for item in items:
        level, deadline = stored[item]
        found.escalations[item] = len(events[item])
        found.levels[item] = level
        if events[item]:
            last_level, data = events[item][-1]
            written = datetime.fromisoformat(data["deadline"]) if data else None
            same = deadline is not None and written is not None and \
                _utc(deadline) == _utc(written)
            if last_level != level or not same:
                found.inconsistent.append(item)
        elif level != 0:
            found.inconsistent.append(item)
    for concern_id, channel, recipient, kind, n in db.session.execute(
            select(Notification.concern_id, Notification.channel, Notification.recipient_id,
                   Notification.kind, func.count())
            .where(Notification.concern_id.in_(items), Notification.kind.in_(ESCALATION_NOTICES))
            .group_by(Notification.concern_id, Notification.channel, Notification.recipient_id,
                      Notification.kind)):
        found.notices[(concern_id, channel, recipient, kind)] = int(n)
    return found


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def real_now() -> datetime:
    """The wall clock: child processes run on it, so their seeds must too."""
    return datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)


# --- scheduler takeover -----------------------------------------------------------------------


@dataclass
class Takeover:
    """What the drill measured: seconds from start to first leader, from the kill to takeover."""

    first_leader_s: float
    takeover_s: float
    leader: str
    standby: str
    items: list[int]
    before_kill: int
    after_kill: int


def _holder_pid(holder: str | None) -> int | None:
    parts = (holder or "").split(":")
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


def _beats(engine: Engine) -> dict[str, tuple[str, datetime]]:
    with engine.connect() as conn:
        return {job: (holder, at) for job, holder, at in conn.execute(text(
            "SELECT job_id, holder, last_run_at FROM scheduler_heartbeat"))}


def takeover_drill(url: str, work: Path, settings: dict[str, object], timeout: float,
                   per_set: int = 40) -> Takeover:
    """Two `tracker scheduler` processes; SIGKILL the leader; time the standby's first heartbeat.

    Items due before the start are escalated by the first leader; items that fall due while
    the leader is dead are left for the standby. Call inside an app context on `url`.
    """
    now = real_now()
    prison = seed_prison(now)
    week_ago = now - timedelta(days=7)  # their clock terms ran out days ago
    first = seed_due(prison, week_ago, per_set)
    env = tracker_env(url, work / "instance", **settings)
    watch = observer(url)
    try:
        with children(work / "logs") as kids:
            started = time.monotonic()
            procs = {kids.start(name, tracker_argv("scheduler"), env).pid: name
                     for name in ("scheduler-1", "scheduler-2")}

            def alive() -> None:
                dead = [n for n in procs.values() if kids.procs[n].poll() is not None]
                assert not dead, f"{dead} exited:\n{kids.outputs()}"

            def leading() -> tuple[str, str] | None:
                """(name, holder) of the process that led a sweep, once one has."""
                sweep = _beats(watch).get("sweep")
                pid = _holder_pid(sweep[0]) if sweep else None
                return (procs[pid], sweep[0]) if sweep and pid in procs else None

            leader, holder = poll(leading, timeout, "a leader's first sweep", alive, 0.05)
            first_leader_s = time.monotonic() - started
            poll(lambda: escalated_count(watch) >= per_set, timeout,
                 "the leader to escalate the items due at start", alive, 0.05)
            before_kill = escalated_count(watch)
            standby = next(n for n in procs.values() if n != leader)
            kids.kill(leader)
            killed = time.monotonic()
            second = seed_due(prison, week_ago, per_set)  # due while nobody leads
            db.session.remove()

            def standby_alive() -> None:
                assert kids.procs[standby].poll() is None, kids.outputs()

            def standby_beat() -> bool:
                return any(_holder_pid(h) == kids.procs[standby].pid
                           for h, _ in _beats(watch).values())

            poll(standby_beat, timeout, "the standby's first heartbeat", standby_alive, 0.05)
            takeover_s = time.monotonic() - killed
            poll(lambda: escalated_count(watch) >= 2 * per_set, timeout,
                 "the standby to escalate the items that fell due", standby_alive, 0.05)
            after_kill = escalated_count(watch) - before_kill
            standby_holder = next(h for h, _ in _beats(watch).values()
                                  if _holder_pid(h) == kids.procs[standby].pid)
    finally:
        watch.dispose()
    return Takeover(first_leader_s, takeover_s, holder, standby_holder, first + second,
                    before_kill, after_kill)
