"""People pages: list, add, edit, deactivate/reactivate, reset a secret, move, import, lock-outs."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from tracker.admin import bp
from tracker.admin.scope import actor, cheap_hash, done, errors_of, form_error, scope_id
from tracker.clock import utcnow
from tracker.models import ROLES
from tracker.schemas.admin import MoveSchema, PersonAddSchema, PersonEditSchema, load_form
from tracker.services import people_admin, people_import, signin_locks, supporter_moves
from tracker.services.errors import InvalidInput, NotFound
from tracker.services.people import wing_choices
from tracker.services.schemes_admin import scheme_rows

Page = str | tuple[str, int] | Response


def _choices() -> dict[str, object]:
    est = scope_id()
    return {"role_options": [(r, r.replace("_", " ")) for r in ROLES],
            "wings": [(code, f"{code}: {name}") for code, name in wing_choices(est)],
            "schemes": [(r.scheme.key, r.scheme.name) for r in scheme_rows(est)]}


def _person(username: str) -> people_admin.User:
    try:
        return people_admin.person(scope_id(), username)
    except NotFound:
        abort(404)


@bp.get("/people")
def people_list() -> str:
    """Everyone in the establishment, with a search box."""
    q = request.args.get("q", "").strip()[:60] or None
    role = request.args.get("role") if request.args.get("role") in ROLES else None
    return render_template("admin/people.html", people=people_admin.people(
        scope_id(), role=role, query=q), roles=ROLES, args=request.args)


@bp.route("/people/new", methods=["GET", "POST"])
def person_add() -> Page:
    """Add a supporter or member of staff; the generated secret is shown once."""
    if request.method == "GET":
        return render_template("admin/person_add.html", errors={}, form=MultiDict(),
                               **_choices())
    try:
        data = load_form(PersonAddSchema(), request.form)
        user, secret = people_admin.add_person(
            actor(), scope_id(), data["username"], data["role"], utcnow(),
            display_name=data["display_name"], wing=data["wing"], schemes=data["schemes"],
            cheap_hash=cheap_hash())
    except (ValidationError, InvalidInput) as exc:
        return form_error("admin/person_add.html", exc, **_choices())
    return render_template("admin/secret_shown.html", user=user, secret=secret, added=True)


@bp.route("/people/<username>", methods=["GET", "POST"])
def person_page(username: str) -> Page:
    """One person: change their name, role, wing and schemes; the actions they need."""
    user = _person(username)
    if request.method == "GET":
        return render_template("admin/person.html", user=user, errors={}, form=None,
                               **_choices())
    try:
        data = load_form(PersonEditSchema(), request.form)
        people_admin.edit_person(actor(), scope_id(), user.username, utcnow(),
                                 display_name=data["display_name"], role=data["role"],
                                 wing=data["wing"], clear_wing=data["wing"] is None,
                                 schemes=data["schemes"])
    except (ValidationError, InvalidInput) as exc:
        return form_error("admin/person.html", exc, user=user, **_choices())
    done(f"Saved {user.username}.")
    return redirect(url_for("admin.person_page", username=user.username), code=303)


def _act(username: str, action: str) -> Response:
    user = _person(username)
    now = utcnow()
    try:
        if action == "deactivate":
            people_admin.deactivate(actor(), scope_id(), user.username, now)
            done(f"{user.username} can no longer sign in.")
        else:
            people_admin.reactivate(actor(), scope_id(), user.username, now)
            done(f"{user.username} can sign in again.")
    except InvalidInput as exc:
        done(" ".join(m for ms in errors_of(exc).values() for m in ms))
    return redirect(url_for("admin.person_page", username=user.username), code=303)


@bp.post("/people/<username>/deactivate")
def person_deactivate(username: str) -> Response:
    """Stop someone signing in."""
    return _act(username, "deactivate")


@bp.post("/people/<username>/reactivate")
def person_reactivate(username: str) -> Response:
    """Let someone sign in again."""
    return _act(username, "reactivate")


@bp.post("/people/<username>/reset-secret")
def person_reset_secret(username: str) -> str:
    """A new generated password or PIN, shown once; it must be changed at the next sign-in."""
    user = _person(username)
    user, secret = people_admin.reset_secret(actor(), scope_id(), user.username, utcnow(),
                                             cheap_hash())
    return render_template("admin/secret_shown.html", user=user, secret=secret, added=False)


@bp.post("/people/<username>/move")
def person_move(username: str) -> Page:
    """Mark a supporter moved to another prison or released."""
    user = _person(username)
    try:
        data = load_form(MoveSchema(), request.form)
        report = supporter_moves.move_supporter(actor(), scope_id(), user.username,
                                                data["status"], utcnow())
    except (ValidationError, InvalidInput) as exc:
        return render_template("admin/person.html", user=user, errors=errors_of(exc), form=None,
                               **_choices()), 422
    message = (f"{user.username} marked {report.user.status}. Open items handed to the "
               f"coordinator: {', '.join(report.handed_over) or 'none'}; "
               f"unread notices passed on: {report.relayed_notices}.")
    if report.nobody_for:
        message += (f" No active coordinator for {', '.join(report.nobody_for)}: "
                    "name a lead for the scheme.")
    done(message)
    return redirect(url_for("admin.person_page", username=user.username), code=303)


@bp.route("/people/import", methods=["GET", "POST"])
def people_import_page() -> Page:
    """Import supporters from CSV: every row checked; all added or none."""
    if request.method == "GET":
        return render_template("admin/people_import.html", report=None, errors={})
    upload = request.files.get("file")
    content = request.form.get("content", "")
    if upload is not None and upload.filename:
        try:
            content = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            return render_template("admin/people_import.html", report=None, errors={
                "file": ["The file is not UTF-8 text. Save it as CSV UTF-8 and try again."]}), 422
    if not content.strip():
        return render_template("admin/people_import.html", report=None, errors={
            "file": ["Choose a CSV file or paste its lines."]}), 422
    report = people_import.import_supporters(actor(), scope_id(), content, utcnow(), cheap_hash())
    return render_template("admin/people_import.html", report=report,
                           errors={}), 200 if report.ok else 422


@bp.get("/sign-in-locks")
def signin_locks_page() -> str:
    """Sign-in failures and lock-outs (user names and kiosk addresses)."""
    return render_template("admin/signin_locks.html",
                           rows=signin_locks.lock_rows(scope_id(), utcnow()))


@bp.post("/sign-in-locks/clear")
def signin_lock_clear() -> Response:
    """Forget one key's failures, ending its lock-out now."""
    key = request.form.get("key", "")[:200]
    try:
        signin_locks.unlock(actor(), scope_id(), key, utcnow())
    except NotFound:
        abort(404)
    done(f"Cleared {key}.")
    return redirect(url_for("admin.signin_locks_page"), code=303)
