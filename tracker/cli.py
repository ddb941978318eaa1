"""The `tracker` command (also `flask --app wsgi ...`): thin commands over the services."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from tracker.clock import utcnow
from tracker.services.errors import InvalidInput


def _fail(exc: InvalidInput) -> None:
    for field, messages in exc.fields.items():
        click.echo(f"error: {field}: {' '.join(messages)}", err=True)
    sys.exit(2)


@click.command("init")
@click.option("--establishment", default="HMP Leeford", show_default=True, help="Prison name.")
@click.option("--code", default=None, help="Short code used in references (default from name).")
@click.option("--wings", default="A,B,C,D", show_default=True, help="Comma-separated wing codes.")
@with_appcontext
def init_command(establishment: str, code: str | None, wings: str) -> None:
    """Upgrade the database to the latest schema; on a fresh one, create the prison."""
    from tracker.services import schema, setup

    schema.upgrade()
    if setup.only_establishment() is None and not schema.has_establishments():
        est = setup.create_establishment(establishment, [w for w in wings.split(",") if w.strip()],
                                         utcnow(), code=code)
        click.echo(f"Created {est.name} ({est.code}) with wings {wings} and the default schemes.")
    else:
        click.echo("Database is up to date.")


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Load the demo data and exit.")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Initialise, load demo people and concerns, print the sign-ins, and serve."""
    from tracker.rules_runtime import current_rules
    from tracker.services import demo, schema

    schema.upgrade()
    demo.load_demo(current_rules(), utcnow(), bool(current_app.config.get("CHEAP_HASHING")))
    click.echo(demo.sign_in_sheet())
    if no_serve:
        return
    from waitress import serve

    from tracker.scheduler import start_background

    start_background(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo("Scheduler running in this process: sweep and outbox every minute.")

    click.echo(f"Serving on http://{host}:{port}/  (Ctrl+C to stop)")
    serve(current_app._get_current_object(), host=host, port=port, threads=8)  # type: ignore[attr-defined]


@click.group("users")
def users_group() -> None:
    """Manage people."""


@users_group.command("add")
@click.argument("username")
@click.option("--role", required=True, help="supporter, officer, scheme_lead, safer_custody, "
              "equality_lead, complaints, governor or admin.")
@click.option("--scheme", "schemes", multiple=True, help="Scheme served (repeatable).")
@click.option("--wing", default=None)
@click.option("--establishment", default=None, help="Name or code (default: the only one).")
@click.option("--name", "display_name", default=None, help="Name shown on screens.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password (or a supporter's PIN) from standard input.")
@with_appcontext
def users_add(username: str, role: str, schemes: tuple[str, ...], wing: str | None,
              establishment: str | None, display_name: str | None, password_stdin: bool) -> None:
    """Add a supporter (kiosk PIN) or a member of staff (password)."""
    from tracker.services import setup

    if password_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
    else:
        label = "PIN" if role == "supporter" else "Password"
        secret = click.prompt(label, hide_input=True, confirmation_prompt=True)
    try:
        user = setup.add_user(username, role, secret, utcnow(), establishment=establishment,
                              wing=wing, schemes=list(schemes), display_name=display_name,
                              cheap_hash=bool(current_app.config.get("CHEAP_HASHING")))
    except InvalidInput as exc:
        _fail(exc)
        return
    click.echo(f"Added {user.username} ({user.role}).")


@users_group.command("token")
@click.argument("username")
@with_appcontext
def users_token(username: str) -> None:
    """Print a new API bearer token for USERNAME (shown once; store it safely)."""
    from sqlalchemy import func, select

    from tracker.extensions import db
    from tracker.models import User
    from tracker.services.auth import issue_token

    user = db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None or not user.active:
        click.echo(f"error: no active user {username!r}", err=True)
        sys.exit(2)
    click.echo(issue_token(user, utcnow()))


def init_app(app: Flask) -> None:
    """Attach the commands to the app, so `flask --app wsgi` has them too."""
    from tracker import cli_ops, cli_rules

    for command in (init_command, demo_command, users_group, *cli_rules.COMMANDS,
                    *cli_ops.COMMANDS):
        app.cli.add_command(command)
    from tracker import cli_clock

    for command in cli_clock.COMMANDS:
        app.cli.add_command(command)
    from tracker import cli_digest

    for command in cli_digest.COMMANDS:
        app.cli.add_command(command)
    from tracker import cli_admin, cli_places

    for command in cli_admin.USER_COMMANDS:
        users_group.add_command(command)
    for command in cli_places.COMMANDS:
        app.cli.add_command(command)


def _create_app() -> Flask:
    from tracker import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, help="Peer-support referral tracker.")
