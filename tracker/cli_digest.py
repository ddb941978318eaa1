"""`tracker digest`: build (and send) the week's digests, the same service the scheduler runs."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from tracker.clock import utcnow


def _date(_ctx: click.Context, _param: click.Parameter, text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"not a date (YYYY-MM-DD): {text!r}") from None


@click.command("digest")
@click.option("--week-ending", "week_ending", callback=_date, default=None,
              help="The Sunday the week ends on (another day means its week); "
                   "default: the last full week.")
@click.option("--send", is_flag=True, help="Also send each digest by email through the outbox.")
@with_appcontext
def digest_command(week_ending: date | None, send: bool) -> None:
    """Build the week's digests (one per recipient and scope; a second run skips them)."""
    from tracker.services.digest import run_week

    run = run_week(week_ending, utcnow(), send)
    for line in run.lines:
        click.echo(line)
    click.echo(f"Week ending {run.week.ending.isoformat()}: {run.built} digests built, "
               f"{run.skipped} already there, {run.queued} queued for email.")


COMMANDS = [digest_command]
