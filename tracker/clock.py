"""The one place the current time comes from, so tests can set it instead of sleeping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app

LONDON = ZoneInfo("Europe/London")


def system_now() -> datetime:
    """The real time, aware and in UTC."""
    return datetime.now(UTC)


def init_app(app: Flask, clock: Callable[[], datetime] | None) -> None:
    """Install the clock: the system's, or one a test passes in."""
    app.extensions["tracker.clock"] = clock or system_now


def utcnow() -> datetime:
    """Now, from the app's clock."""
    now: datetime = current_app.extensions["tracker.clock"]()
    return now


def local(dt: datetime | None) -> datetime | None:
    """A stored UTC time shown in Europe/London."""
    return dt.astimezone(LONDON) if dt is not None else None


def format_local(dt: datetime | None, fmt: str = "%a %-d %b %Y, %H:%M") -> str:
    """Human time in Europe/London, e.g. 'Tue 3 Mar 2026, 14:05'."""
    shown = local(dt)
    return shown.strftime(fmt) if shown is not None else ""
