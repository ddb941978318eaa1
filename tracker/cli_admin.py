"""Administration from the command line (scripted set-up): the same services as the admin pages.

`tracker users list|edit|deactivate|reactivate|reset-secret|move|import|unlock`,
`tracker schemes list|set-lead|history`, `tracker wings list|add|rename|retire|lockdown`.
Every change is audited like a change made on the web (actor: none, address: "cli").
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.clock import format_local, utcnow
from tracker.services.errors import InvalidInput, NotFound, ServiceError
from tracker.services.people_admin import Actor

CLI = Actor(None, "cli")
F = TypeVar("F", bound=Callable[..., Any])
establishment_option = click.option("--establishment", default=None,
                                    help="Name or code (default: the only one).")


def _est(name: str | None) -> int:
    from tracker.services.setup import find_establishment

    return find_establishment(name).id


def reporting(func: F) -> F:
    """Turn a service's refusal into `error: field: message` on stderr and exit status 2."""
    @wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InvalidInput as exc:
            for name, messages in exc.fields.items():
                click.echo(f"error: {name}: {' '.join(messages)}", err=True)
        except (NotFound, ServiceError) as exc:
            click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    return run  # type: ignore[return-value]


def _cheap() -> bool:
    return bool(current_app.config.get("CHEAP_HASHING"))


# --- users -------------------------------------------------------------------------------

@click.command("list")
@establishment_option
@click.option("--role", default=None)
@with_appcontext
@reporting
def users_list(establishment: str | None, role: str | None) -> None:
    """List people: user name, role, wing, schemes, state."""
    from tracker.services import people_admin

    for u in people_admin.people(_est(establishment), role=role):
        state = u.status if u.status != "active" else ("active" if u.active else "deactivated")
        click.echo("\t".join([u.username, u.role, u.wing.code if u.wing else "-",
                              ",".join(s.key for s in u.schemes) or "-", state,
                              u.display_name]))


@click.command("edit")
@click.argument("username")
@establishment_option
@click.option("--name", "display_name", default=None)
@click.option("--role", default=None)
@click.option("--wing", default=None, help="Wing code; 'none' removes the wing.")
@click.option("--scheme", "schemes", multiple=True, help="Schemes served (replaces the list).")
@click.option("--no-schemes", is_flag=True, help="Serve no scheme.")
@with_appcontext
@reporting
def users_edit(username: str, establishment: str | None, display_name: str | None,
               role: str | None, wing: str | None, schemes: tuple[str, ...],
               no_schemes: bool) -> None:
    """Change a person's name, role, wing or schemes."""
    from tracker.services import people_admin

    clear = wing is not None and wing.lower() == "none"
    user = people_admin.edit_person(
        CLI, _est(establishment), username, utcnow(), display_name=display_name, role=role,
        wing=None if clear else wing, clear_wing=clear,
        schemes=[] if no_schemes else (list(schemes) or None))
    click.echo(f"Saved {user.username}: {user.role}, wing {user.wing.code if user.wing else '-'}, "
               f"schemes {','.join(s.key for s in user.schemes) or '-'}.")


@click.command("deactivate")
@click.argument("username")
@establishment_option
@with_appcontext
@reporting
def users_deactivate(username: str, establishment: str | None) -> None:
    """Stop someone signing in (their sessions end now)."""
    from tracker.services import people_admin

    user = people_admin.deactivate(CLI, _est(establishment), username, utcnow())
    click.echo(f"Deactivated {user.username}.")


@click.command("reactivate")
@click.argument("username")
@establishment_option
@with_appcontext
@reporting
def users_reactivate(username: str, establishment: str | None) -> None:
    """Let someone sign in again."""
    from tracker.services import people_admin

    user = people_admin.reactivate(CLI, _est(establishment), username, utcnow())
    click.echo(f"Reactivated {user.username}.")


@click.command("reset-secret")
@click.argument("username")
@establishment_option
@with_appcontext
@reporting
def users_reset_secret(username: str, establishment: str | None) -> None:
    """Print a new generated password or PIN (shown once; must be changed at next sign-in)."""
    from tracker.services import people_admin

    user, secret = people_admin.reset_secret(CLI, _est(establishment), username, utcnow(),
                                             _cheap())
    click.echo(f"New {'PIN' if user.is_supporter else 'password'} for {user.username}: {secret}")


@click.command("move")
@click.argument("username")
@click.option("--status", type=click.Choice(["moved", "released"]), required=True)
@establishment_option
@with_appcontext
@reporting
def users_move(username: str, status: str, establishment: str | None) -> None:
    """Mark a supporter moved or released; their open items go to their coordinator."""
    from tracker.services import supporter_moves

    report = supporter_moves.move_supporter(CLI, _est(establishment), username, status, utcnow())
    click.echo(f"{report.user.username} marked {status}. Handed over: "
               f"{', '.join(report.handed_over) or 'nothing'}; notices passed on: "
               f"{report.relayed_notices}.")
    if report.nobody_for:
        click.echo(f"warning: no active coordinator for {', '.join(report.nobody_for)}", err=True)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@establishment_option
@with_appcontext
@reporting
def users_import(file: Path, establishment: str | None) -> None:
    """Import supporters (username,name,wing,schemes); all rows or none. Prints one-time PINs."""
    from tracker.services import people_import

    try:
        content = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput({"file": ["The file is not UTF-8 text."]}) from None
    report = people_import.import_supporters(CLI, _est(establishment), content, utcnow(),
                                             _cheap())
    if report.ok:
        for username, pin in report.added:
            click.echo(f"{username}\t{pin}")
        click.echo(f"Imported {len(report.added)} supporters (PINs shown once; they must "
                   "change them at first sign-in).")
        return
    for problem in report.problems:
        click.echo(f"error: {problem}", err=True)
    for row in report.rejected:
        click.echo(f"error: line {row.line} ({row.username or '-'}): {' '.join(row.reasons)}",
                   err=True)
    click.echo("Nothing was imported.", err=True)
    sys.exit(2)


@click.command("unlock")
@click.argument("username", required=False)
@click.option("--address", default=None, help="Clear a kiosk address instead of a user name.")
@click.option("--list", "show", is_flag=True, help="List failures and lock-outs.")
@establishment_option
@with_appcontext
@reporting
def users_unlock(username: str | None, address: str | None, show: bool,
                 establishment: str | None) -> None:
    """Clear a user name's (or address's) sign-in failures and lock-out; --list shows them."""
    from tracker.services import signin_locks

    est = _est(establishment)
    if show:
        for r in signin_locks.lock_rows(est, utcnow()):
            until = format_local(r.locked_until) if r.locked else "not locked"
            click.echo(f"{r.key}\t{r.failures} failures\t{until}")
        return
    if not username and not address:
        raise InvalidInput({"username": ["Give a user name, --address or --list."]})
    key = f"ip:{address}" if address else f"user:{(username or '').strip().lower()}"
    signin_locks.unlock(CLI, est, key, utcnow())
    click.echo(f"Cleared {key}.")


USER_COMMANDS = (users_list, users_edit, users_deactivate, users_reactivate, users_reset_secret,
                 users_move, users_import, users_unlock)
