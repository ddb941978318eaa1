"""gunicorn.conf.py says when each worker has loaded the app (bench/load.py waits for all)."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_each_worker_logs_ready_after_loading_the_app() -> None:
    lines: list[str] = []
    log = SimpleNamespace(info=lambda msg, *args: lines.append(msg % args))
    runpy.run_path(str(CONF))["post_worker_init"](SimpleNamespace(pid=4242, log=log))
    assert lines == ["Worker ready (pid: 4242)"]
