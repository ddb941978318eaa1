"""The gunicorn config: settings from the environment, no query strings in the access log."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

from tracker.cli_ops import gunicorn_argv

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_workers_bind_and_timeouts_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_WORKERS", "3")
    monkeypatch.setenv("TRACKER_BIND", "127.0.0.1:9000")
    monkeypatch.setenv("TRACKER_GRACEFUL_TIMEOUT", "12")
    conf = runpy.run_path(str(CONF))
    assert conf["workers"] == 3 and conf["bind"] == ["127.0.0.1:9000"]
    assert conf["graceful_timeout"] == 12 and conf["preload_app"] is False


def test_access_log_has_the_path_but_never_the_query_string() -> None:
    fmt = runpy.run_path(str(CONF))["access_log_format"]
    assert "%(U)s" in fmt
    assert not any(code in fmt for code in ("%(r)s", "%(q)s", "%({cookie}i)s", "%({authorization}i)s"))


def test_access_log_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_ACCESS_LOG", "off")
    assert runpy.run_path(str(CONF))["accesslog"] is None


def test_serve_runs_gunicorn_on_the_wsgi_module_beside_the_config() -> None:
    argv = gunicorn_argv(CONF, ("--workers", "2"))
    assert argv[:3] == [sys.executable, "-m", "gunicorn"]
    assert argv[-1] == "wsgi:app" and "--workers" in argv and str(CONF.parent) in argv


def test_workers_are_sync_unless_threads_are_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_THREADS", raising=False)
    conf = runpy.run_path(str(CONF))
    assert conf["worker_class"] == "sync" and conf["threads"] == 1
    monkeypatch.setenv("TRACKER_THREADS", "4")
    conf = runpy.run_path(str(CONF))
    assert conf["worker_class"] == "gthread" and conf["threads"] == 4
