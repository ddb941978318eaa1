"""Fault drill: the disk under the SQLite database fills up while supporters are submitting.

Two ways to fill it: a real 8 MB tmpfs filled to the last byte by another file (ENOSPC, as a
full disk gives; needs mount rights, skipped otherwise), and SQLite's own page limit (the same
SQLITE_FULL "database or disk is full", anywhere). Either way the supporter has been typing for a
minute before pressing Send. Then: the kiosk says plainly it was not saved and keeps the text,
an API caller gets a 503 JSON in plain words with Retry-After, the operator's log names the
cause, nothing half is stored; once space is freed the file passes `PRAGMA integrity_check`
and the same submission goes through, once.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select, text

from tests.conftest import FakeClock
from tests.factories import kiosk_sign_in, make_prison
from tracker import create_app
from tracker.extensions import db
from tracker.models import Concern, ConcernEvent, Notification, User
from tracker.services import schema
from tracker.services.auth import issue_token

TEXT = "Lad on the 2s keeps taking his canteen and says he owes double bubble, he is scared. "
LONG = TEXT + "He said it again at servery and on exercise. " * 80  # ~4 KB: needs new pages
FORM = {"text": LONG, "wing": "A", "risk_now": "no", "is_about_staff": "no",
        "consent_to_share": "yes", "idempotency_key": "k-disk-full-0001"}


class Disk:
    """Where the database lives, how to fill that place, and how to free it again."""

    def __init__(self, folder: Path, fill: Callable[[Flask], None],
                 free: Callable[[Flask], None]) -> None:
        self.folder, self.fill, self.free = folder, fill, free


def _mount_tmpfs(folder: Path) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)],  # noqa: S603,S607
                              capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _tmpfs(tmp_path: Path) -> Iterator[Disk]:
    folder = tmp_path / "disk"
    if not _mount_tmpfs(folder):
        pytest.skip("cannot mount a tmpfs here (needs root); the page-limit variant still runs")
    filler = folder / "filler"

    def fill(app: Flask) -> None:
        with app.app_context():  # an empty WAL: the next write must grow a file on the disk
            db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            db.session.commit()
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            size = 1 << 20
            while size:  # big writes, then ever smaller ones: not one byte left
                try:
                    os.write(fd, b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    size //= 2
        finally:
            os.close(fd)

    def free(_app: Flask) -> None:
        filler.unlink()

    try:
        yield Disk(folder, fill, free)
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=30,  # noqa: S603,S607
                       check=False)


def _page_limit(tmp_path: Path) -> Iterator[Disk]:
    folder = tmp_path / "disk"
    folder.mkdir()
    limited: list[Any] = []

    def fill(app: Flask) -> None:
        with sqlite3.connect(folder / "tracker.sqlite3") as probe:
            pages = int(probe.execute("PRAGMA page_count").fetchone()[0])

        def no_room(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        with app.app_context():
            db.engine.dispose()
            event.listen(db.engine, "connect", no_room)
            limited.append((db.engine, no_room))

    def free(app: Flask) -> None:
        engine, no_room = limited.pop()
        event.remove(engine, "connect", no_room)
        with app.app_context():
            db.engine.dispose()

    yield Disk(folder, fill, free)


@pytest.fixture(params=["tmpfs", "page_limit"])
def disk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Disk]:
    """A real full filesystem, or SQLite's page limit standing in for one."""
    yield from (_tmpfs if request.param == "tmpfs" else _page_limit)(tmp_path)


@pytest.fixture()
def disk_app(disk: Disk, clock: FakeClock) -> Iterator[Flask]:
    """An app whose SQLite file is on that disk."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test-only", "CLOCK": clock,
                      "CHEAP_HASHING": True, "WTF_CSRF_ENABLED": False,
                      "DATABASE_URL": f"sqlite:///{disk.folder / 'tracker.sqlite3'}"})
    with app.app_context():
        schema.upgrade()
        make_prison(clock())
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _counts(app: Flask) -> tuple[int, int, int]:
    with app.app_context():
        counts = tuple(int(db.session.scalar(select(func.count()).select_from(m)) or 0)
                       for m in (Concern, ConcernEvent, Notification))
        db.session.remove()
    return counts  # type: ignore[return-value]


def test_a_full_disk_says_not_saved_keeps_the_text_corrupts_nothing_and_recovers(
        disk: Disk, disk_app: Flask, clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    app = disk_app
    kiosk = app.test_client()
    kiosk_sign_in(kiosk, "sup.a")
    with app.app_context():
        token = issue_token(db.session.scalar(select(User).where(User.username == "sup.b")),  # type: ignore[arg-type]
                            clock())
        db.session.remove()
    before = _counts(app)
    disk.fill(app)
    clock.advance(seconds=60)  # the supporter typed for a minute: the session's last-seen is due

    with caplog.at_level(logging.INFO):
        page = kiosk.post("/kiosk/concerns/submit", data=FORM)
        api = app.test_client().post(
            "/api/v1/concerns", json={"text": LONG, "wing": "B"},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "api-disk-full-1"})

    body = page.get_data(as_text=True)
    assert page.status_code == 503, body[:2000]
    assert "Not saved — please try again." in body  # the kiosk's plain words
    assert "He said it again at servery" in body and 'value="k-disk-full-0001"' in body  # kept
    assert api.status_code == 503 and api.headers.get("Retry-After")
    message = api.get_json()["error"]["message"]
    assert "full" in message.lower() and "nothing was saved" in message.lower(), message
    logged = [r for r in caplog.records if "database or disk is full" in r.getMessage()]
    assert logged and all(r.levelno >= logging.ERROR for r in logged)  # the operator sees why
    assert _counts(app) == before  # no half-stored concern, history or notice

    disk.free(app)
    with app.app_context():
        db.engine.dispose()
    with sqlite3.connect(disk.folder / "tracker.sqlite3") as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again = kiosk.post("/kiosk/concerns/submit", data=FORM)
    assert again.status_code == 303, again.get_data(as_text=True)[:2000]
    twice = kiosk.post("/kiosk/concerns/submit", data=FORM)  # a double tap after the retry
    assert twice.status_code == 303 and twice.location == again.location
    assert _counts(app)[0] == before[0] + 1
    assert os.path.getsize(disk.folder / "tracker.sqlite3") > 0
