"""`tracker schemes ...` and `tracker wings ...`: scheme posts and wings for scripted set-up."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from tracker.cli_admin import CLI, _est, establishment_option, reporting
from tracker.clock import format_local, utcnow


@click.group("schemes")
def schemes_group() -> None:
    """Schemes, their staff lead and deputy, and who held the posts when."""


@schemes_group.command("list")
@establishment_option
@with_appcontext
@reporting
def schemes_list(establishment: str | None) -> None:
    """Each scheme with its lead and deputy; empty posts are marked."""
    from tracker.services import schemes_admin

    for r in schemes_admin.scheme_rows(_est(establishment)):
        lead = r.lead.username if r.lead_active and r.lead else "NO ACTIVE LEAD"
        deputy = r.deputy.username if r.deputy_active and r.deputy else "NO ACTIVE DEPUTY"
        click.echo(f"{r.scheme.key}\tlead: {lead}\tdeputy: {deputy}")


@schemes_group.command("set-lead")
@click.argument("scheme")
@click.option("--lead", default=None, help="User name of the lead (omit or '' to leave empty).")
@click.option("--deputy", default=None, help="User name of the deputy.")
@establishment_option
@with_appcontext
@reporting
def schemes_set_lead(scheme: str, lead: str | None, deputy: str | None,
                     establishment: str | None) -> None:
    """Name a scheme's lead and deputy; open items' notices go to them from now on."""
    from tracker.services import schemes_admin

    row = schemes_admin.set_posts(CLI, _est(establishment), scheme, lead or None, deputy or None,
                                  utcnow())
    click.echo(f"{row.scheme.key}: lead {row.lead.username if row.lead else '-'}, "
               f"deputy {row.deputy.username if row.deputy else '-'}.")


@schemes_group.command("history")
@click.argument("scheme")
@establishment_option
@with_appcontext
@reporting
def schemes_history(scheme: str, establishment: str | None) -> None:
    """Who held the scheme's posts, newest first."""
    from tracker.services import schemes_admin

    rows = schemes_admin.history(_est(establishment), scheme)
    if not rows:
        click.echo(f"No one has held the posts of {scheme} yet.")
    for t in rows:
        until = format_local(t.ended_at) if t.ended_at else "in post"
        click.echo(f"{t.post}\t{t.username}\t{format_local(t.started_at)}\t{until}")


@click.group("wings")
def wings_group() -> None:
    """Wings: add, rename, retire; record lockdowns."""


@wings_group.command("list")
@establishment_option
@with_appcontext
@reporting
def wings_list(establishment: str | None) -> None:
    """Each wing with its state."""
    from tracker.services import wings_admin

    for r in wings_admin.wing_rows(_est(establishment)):
        state = "retired" if r.wing.retired else ("locked down" if r.lockdown else "in use")
        click.echo(f"{r.wing.code}\t{r.wing.name}\t{state}")


@wings_group.command("add")
@click.argument("code")
@click.option("--name", default=None)
@establishment_option
@with_appcontext
@reporting
def wings_add(code: str, name: str | None, establishment: str | None) -> None:
    """Add a wing."""
    from tracker.services import wings_admin

    wing = wings_admin.add_wing(CLI, _est(establishment), code, name, utcnow())
    click.echo(f"Added wing {wing.code} ({wing.name}).")


@wings_group.command("rename")
@click.argument("code")
@click.argument("name")
@establishment_option
@with_appcontext
@reporting
def wings_rename(code: str, name: str, establishment: str | None) -> None:
    """Rename a wing (its code stays)."""
    from tracker.services import wings_admin

    wing = wings_admin.rename_wing(CLI, _est(establishment), code, name, utcnow())
    click.echo(f"Wing {wing.code} is now {wing.name}.")


@wings_group.command("retire")
@click.argument("code")
@click.option("--undo", is_flag=True, help="Bring a retired wing back into use.")
@establishment_option
@with_appcontext
@reporting
def wings_retire(code: str, undo: bool, establishment: str | None) -> None:
    """Retire a wing: it keeps its history and is no longer offered at the kiosk."""
    from tracker.services import wings_admin

    wing = wings_admin.retire_wing(CLI, _est(establishment), code, utcnow(), not undo)
    click.echo(f"Wing {wing.code} {'retired' if wing.retired else 'in use again'}.")


@wings_group.group("lockdown")
def lockdown_group() -> None:
    """Record a wing lockdown (pauses the wing's clocks) or end it."""


@lockdown_group.command("start")
@click.argument("code")
@click.option("--reason", required=True, help="Why (shown to the supporters).")
@establishment_option
@with_appcontext
@reporting
def lockdown_start(code: str, reason: str, establishment: str | None) -> None:
    """Start a wing lockdown."""
    from tracker.services import wings_admin

    count = wings_admin.start_lockdown(CLI, _est(establishment), code, reason, utcnow())
    click.echo(f"Wing {code.upper()} locked down: {count} open items paused.")


@lockdown_group.command("end")
@click.argument("code")
@establishment_option
@with_appcontext
@reporting
def lockdown_end(code: str, establishment: str | None) -> None:
    """End a wing lockdown."""
    from tracker.services import wings_admin

    count = wings_admin.end_lockdown(CLI, _est(establishment), code, utcnow())
    click.echo(f"Wing {code.upper()} lockdown ended: {count} items' clocks run again.")


COMMANDS = (schemes_group, wings_group)
