"""Operations commands: `tracker serve` (gunicorn) and `tracker retention run`."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.clock import utcnow

REPO = Path(__file__).resolve().parent.parent


def gunicorn_argv(config: Path, extra: tuple[str, ...]) -> list[str]:
    """The gunicorn command line: our config file, the wsgi module beside it, any extra options."""
    return [sys.executable, "-m", "gunicorn", "--config", str(config), "--chdir",
            str(config.parent), *extra, "wsgi:app"]


@click.command("serve", context_settings={"ignore_unknown_options": True})
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              default=REPO / "gunicorn.conf.py", show_default=True, help="gunicorn config file.")
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
def serve_command(config_path: Path, gunicorn_args: tuple[str, ...]) -> None:
    """Serve the app with gunicorn (workers: TRACKER_WORKERS, bind: TRACKER_BIND)."""
    if not config_path.exists():
        raise click.ClickException(f"no gunicorn config at {config_path}")
    argv = gunicorn_argv(config_path, gunicorn_args)
    # Our own interpreter with a fixed module, no shell: nothing from outside is interpreted.
    os.execv(argv[0], argv)  # noqa: S606  # nosec B606


@click.group("retention")
def retention_group() -> None:
    """Data retention: remove what closed items said after TRACKER_RETENTION_DAYS."""


def _parse_now(value: str | None) -> datetime:
    if value is None:
        return utcnow()
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


@retention_group.command("run")
@click.option("--now", "now_text", default=None, help="ISO time to run as (default: now, UTC).")
@click.option("--days", type=int, default=None, help="Override TRACKER_RETENTION_DAYS.")
@click.option("--dry-run", is_flag=True, help="List what would be redacted; change nothing.")
@with_appcontext
def retention_run(now_text: str | None, days: int | None, dry_run: bool) -> None:
    """Replace the text of items closed longer ago than the retention period with a marker."""
    from tracker.services.retention import redact_closed

    try:
        now = _parse_now(now_text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--now") from exc
    period = days if days is not None else int(current_app.config["RETENTION_DAYS"])
    report = redact_closed(now, period, dry_run=dry_run)
    verb = "Would redact" if dry_run else "Redacted"
    click.echo(f"{verb} {len(report.references)} item(s) closed before "
               f"{report.cutoff:%Y-%m-%d %H:%M} UTC ({period} days).")
    for reference in report.references:
        click.echo(f"  {reference}")


COMMANDS = (serve_command, retention_group)
