"""Clock commands: one sweep, the scheduler process, the what-if replay, lockdowns, the outbox."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.clock import LONDON, utcnow
from tracker.services.errors import InvalidInput, ServiceError


def _moment(text: str | None) -> datetime:
    """ISO 8601; a time without offset is Europe/London; a bare date is its local midnight."""
    if not text:
        return utcnow()
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 date or time: {text!r}") from None
    return (value if value.tzinfo else value.replace(tzinfo=LONDON)).astimezone(UTC)


def _fail(exc: ServiceError) -> None:
    fields = exc.fields if isinstance(exc, InvalidInput) else {"error": [str(exc)]}
    for name, messages in fields.items():
        click.echo(f"error: {name}: {' '.join(messages)}", err=True)
    sys.exit(2)


@click.command("sweep")
@click.option("--now", "now_text", default=None, help="Sweep as of this ISO 8601 time.")
@with_appcontext
def sweep_command(now_text: str | None) -> None:
    """Escalate every open item due by now (or --now) and say what was done."""
    from tracker.services.escalation import escalate_due

    report = escalate_due(_moment(now_text))
    for line in report.lines:
        click.echo(line)
    click.echo(f"Sweep as of {report.now.isoformat()}: {report.escalated} escalated, "
               f"{report.skipped_levels} empty levels skipped, {report.rechecked} deadlines "
               f"re-checked, {report.lost_races} already taken, {report.notices} notices written.")


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the scheduler in this process (one leader; extra processes stand by)."""
    from tracker.scheduler import run_forever

    click.echo("Scheduler starting: sweep and outbox every minute, digest Mondays 07:00 "
               "Europe/London. Ctrl+C to stop.")
    run_forever(current_app._get_current_object())  # type: ignore[attr-defined]


@click.group("sla")
def sla_group() -> None:
    """Clock terms and escalation ladders."""


@sla_group.command("replay")
@click.option("--since", required=True, help="Replay concerns raised since this date.")
@click.option("--rules", "rules_dir", default=None, help="Rules folder to try (default: the app's).")
@click.option("--now", "now_text", default=None, help="Replay up to this time (default: now).")
@with_appcontext
def sla_replay(since: str, rules_dir: str | None, now_text: str | None) -> None:
    """Replay stored history under changed clock terms or ladders; report what would escalate."""
    from tracker.services.replay import replay_since

    folder = Path(rules_dir or current_app.config["RULES_DIR"])
    report = replay_since(_moment(since), folder, _moment(now_text))
    for line in report.lines:
        click.echo(line)
    click.echo(f"{report.examined} concerns replayed under {folder}: {report.would_escalate} "
               f"would have escalated ({report.did_escalate} did); {report.differ} differ.")


@click.group("lockdown")
def lockdown_group() -> None:
    """Wing lockdowns: every open item of the wing pauses until it ends."""


@lockdown_group.command("start")
@click.argument("wing")
@click.option("--reason", required=True, help="Why (shown to supporters).")
@click.option("--until", "until_text", default=None, help="Expected end (ISO 8601), if known.")
@click.option("--establishment", default=None, help="Name or code (default: the only one).")
@with_appcontext
def lockdown_start(wing: str, reason: str, until_text: str | None,
                   establishment: str | None) -> None:
    """Record a lockdown of WING (once) and pause its open items."""
    from tracker.services import clock_actions, setup

    try:
        est = setup.find_establishment(establishment)
        until = _moment(until_text) if until_text else None
        count = clock_actions.start_lockdown(None, est.id, wing, reason, utcnow(), until)
    except ServiceError as exc:
        _fail(exc)
        return
    click.echo(f"Wing {wing.upper()} locked down: {count} open items paused.")


@lockdown_group.command("end")
@click.argument("wing")
@click.option("--establishment", default=None, help="Name or code (default: the only one).")
@with_appcontext
def lockdown_end(wing: str, establishment: str | None) -> None:
    """End WING's lockdown; its items' clocks run again."""
    from tracker.services import clock_actions, setup

    try:
        est = setup.find_establishment(establishment)
        count = clock_actions.end_lockdown(None, est.id, wing, utcnow())
    except ServiceError as exc:
        _fail(exc)
        return
    click.echo(f"Wing {wing.upper()} lockdown ended: {count} open items running again.")


@click.command("outbox")
@click.option("--deliver", is_flag=True, help="Try to deliver what is due now.")
@with_appcontext
def outbox_command(deliver: bool) -> None:
    """Count notifications by state and list dead letters (for admins)."""
    from tracker.services import outbox

    if deliver:
        done = outbox.deliver_pending(utcnow())
        click.echo(f"Delivered: {done.sent} sent, {done.shown} to kiosk inboxes, "
                   f"{done.failed} failed (will retry), {done.dead} dead.")
    counts = outbox.counts()
    click.echo("Outbox: " + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("pending", "sent", "dead")))
    for row in outbox.dead_letters():
        click.echo(f"  dead #{row.id} {row.created_at:%Y-%m-%d %H:%M}Z {row.channel} {row.kind} "
                   f"to user {row.recipient_id} after {row.attempts} attempts: {row.last_error}")


COMMANDS = (sweep_command, scheduler_command, sla_group, lockdown_group, outbox_command)
