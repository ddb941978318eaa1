"""Browser fixtures: the app served by a real WSGI server on 127.0.0.1, driven by Debian's chromium.

Each server has its own instance folder, SQLite database and settable clock. Tests are skipped,
with the reason, where /usr/bin/chromium is missing (`.ci/run` installs it with apt-get).
Playwright's own browser download is never used.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import inspect, text
from sqlalchemy.orm import close_all_sessions
from werkzeug.serving import BaseWSGIServer, make_server

from tests.conftest import START, FakeClock
from tests.factories import Prison, make_prison
from tracker import create_app
from tracker.extensions import db
from tracker.models import Base
from tracker.services import schema

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
KIOSK_VIEWPORT = {"width": 1024, "height": 768}

try:
    from playwright import sync_api
except ImportError:  # pragma: no cover - the test extra installs it
    sync_api = None

if os.environ.get("TRACKER_SKIP_BROWSER_TESTS") == "1":
    SKIP_REASON: str | None = ("TRACKER_SKIP_BROWSER_TESTS=1 (the browser tests serve their own "
                               "SQLite database; .ci/run runs them in its SQLite pass)")
elif not os.path.exists(CHROMIUM):
    SKIP_REASON = (f"browser tests need Debian's chromium at {CHROMIUM} "
                   "(apt-get install -y chromium; .ci/run installs it)")
elif sync_api is None:
    SKIP_REASON = "browser tests need playwright (pip install -e '.[test]')"
else:
    SKIP_REASON = None


# werkzeug's development server (used only here; production runs gunicorn) leaves a static
# file open when the browser drops the connection mid-response, as it does on navigating away
# before a stylesheet has arrived. Python reports that from the server thread; it says nothing
# about the app, so it is not an error in these tests.
_DROPPED_STATIC = (
    r"ignore:unclosed file <_io.BufferedReader name='[^']*/tracker/static/:ResourceWarning",
    r"ignore:Exception ignored in. <_io.FileIO name='[^']*/tracker/static/"
    r":pytest.PytestUnraisableExceptionWarning",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test, skipped with a reason where chromium is missing."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            for rule in _DROPPED_STATIC:
                item.add_marker(pytest.mark.filterwarnings(rule))
            if SKIP_REASON:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


class Served:
    """A running app: its base URL, its app (for seeding) and its clock."""

    def __init__(self, app: Flask, server: BaseWSGIServer, clock: FakeClock) -> None:
        self.app, self.server, self.clock = app, server, clock
        self.url = f"http://127.0.0.1:{server.server_port}"

    def reset(self) -> Prison:
        """Empty every table, put the clock back to START and seed a fresh prison."""
        self.clock.set(START)
        with self.app.app_context():
            close_all_sessions()
            with db.engine.begin() as conn:
                present = set(inspect(conn).get_table_names())
                for table in reversed(Base.metadata.sorted_tables):
                    if table.name in present:  # a model still waiting for its migration
                        conn.execute(table.delete())
            return make_prison(self.clock())

    @contextmanager
    def context(self) -> Iterator[None]:
        """An app context to seed or inspect the database directly."""
        with self.app.app_context():
            yield
            db.session.remove()


def serve(tmp: Path, **config: Any) -> Served:
    """Build an app with its own instance folder and database, serve it in a thread."""
    clock = FakeClock(START)
    old = os.environ.get("TRACKER_INSTANCE_PATH")
    os.environ["TRACKER_INSTANCE_PATH"] = str(tmp)
    try:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp / 'browser.sqlite3'}",
                          "SECRET_KEY": "browser-tests-only", "CLOCK": clock,
                          "CHEAP_HASHING": True, **config})
    finally:
        if old is None:
            os.environ.pop("TRACKER_INSTANCE_PATH", None)
        else:
            os.environ["TRACKER_INSTANCE_PATH"] = old
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        schema.upgrade()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request in test output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, name="browser-wsgi", daemon=True).start()
    return Served(app, server, clock)


def _stop(served: Served) -> None:
    served.server.shutdown()
    served.server.server_close()
    with served.app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The app as deployed (CSRF on, 120 s kiosk idle time)."""
    served = serve(tmp_path_factory.mktemp("browser-instance"))
    yield served
    _stop(served)


@pytest.fixture(scope="session")
def idle_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The same app with a 3-second kiosk idle time, for the idle journey."""
    served = serve(tmp_path_factory.mktemp("browser-idle"), KIOSK_IDLE_SECONDS=3)
    yield served
    _stop(served)


@pytest.fixture()
def prison(server: Served) -> Prison:
    """A fresh prison in the served database for every test."""
    return server.reset()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian chromium (never a Playwright-downloaded browser)."""
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh browser context (a different person at a different screen)."""
    contexts: list[Any] = []

    def open_page(**options: Any) -> Any:
        # bypass_csp: the app's CSP would otherwise refuse the injected axe-core script.
        ctx = browser.new_context(viewport=KIOSK_VIEWPORT, bypass_csp=True, locale="en-GB",
                                  **options)
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        return ctx.new_page()

    yield open_page
    for ctx in contexts:
        ctx.close()


@pytest.fixture(scope="session", autouse=True)
def _list_checked_pages() -> Iterator[None]:
    """Write the list of pages the accessibility checks ran on, beside the screenshots."""
    yield
    from tests.browser.checks import write_checked_list

    write_checked_list()
