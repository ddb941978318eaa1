"""Scheme posts, wings (add, rename, retire, lockdown) and establishments."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, session, url_for
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from tracker.admin import bp
from tracker.admin.scope import SCOPE_KEY, actor, done, errors_of, scope_id
from tracker.clock import utcnow
from tracker.extensions import db
from tracker.models import Establishment, User
from tracker.schemas.admin import (
    EstablishmentAddSchema,
    LockdownSchema,
    RenameSchema,
    SchemePostsSchema,
    WingAddSchema,
    load_form,
)
from tracker.services import schemes_admin, wings_admin
from tracker.services.errors import InvalidInput, NotFound, ServiceError

Page = str | tuple[str, int] | Response


def _staff_options() -> list[tuple[str, str]]:
    rows = db.session.scalars(db.select(User).where(
        User.establishment_id == scope_id(), User.role != "supporter", User.active.is_(True),
        User.status == "active").order_by(User.display_name))
    return [(u.username, f"{u.display_name} ({u.username}, {u.role.replace('_', ' ')})")
            for u in rows]


@bp.get("/schemes")
def schemes_page() -> str:
    """Every scheme with its lead and deputy; empty posts stand out."""
    return render_template("admin/schemes.html", rows=schemes_admin.scheme_rows(scope_id()))


@bp.route("/schemes/<key>", methods=["GET", "POST"])
def scheme_page(key: str) -> Page:
    """Name a scheme's lead and deputy; who held the posts when."""
    try:
        scheme = schemes_admin.scheme(scope_id(), key)
    except NotFound:
        abort(404)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            data = load_form(SchemePostsSchema(), request.form)
            schemes_admin.set_posts(actor(), scope_id(), key, data["lead"], data["deputy"],
                                    utcnow())
            done(f"Saved the posts of {scheme.name}. Open items go to the new holders from now.")
            return redirect(url_for("admin.scheme_page", key=key), code=303)
        except (ValidationError, InvalidInput) as exc:
            errors = errors_of(exc)
    row = next(r for r in schemes_admin.scheme_rows(scope_id()) if r.scheme.key == key)
    return render_template("admin/scheme.html", row=row, staff=_staff_options(), errors=errors,
                           form=request.form if errors else None,
                           history=schemes_admin.history(scope_id(), key)), 422 if errors else 200


def _wings_page(errors: dict[str, list[str]] | None = None, status: int = 200) -> tuple[str, int]:
    return render_template("admin/wings.html", rows=wings_admin.wing_rows(scope_id()),
                           errors=errors or {}, form=request.form if errors else {}), status


@bp.get("/wings")
def wings_page() -> tuple[str, int]:
    """Wings in use and retired, lockdowns running."""
    return _wings_page()


@bp.post("/wings")
def wing_add() -> Page:
    """Add a wing."""
    try:
        data = load_form(WingAddSchema(), request.form)
        wing = wings_admin.add_wing(actor(), scope_id(), data["code"], data["name"], utcnow())
    except (ValidationError, InvalidInput) as exc:
        return _wings_page(errors_of(exc), 422)
    done(f"Added wing {wing.code}.")
    return redirect(url_for("admin.wings_page"), code=303)


def _wing_action(code: str, run: str) -> Page:
    now = utcnow()
    try:
        if run == "rename":
            name = load_form(RenameSchema(), request.form)["name"]
            wing = wings_admin.rename_wing(actor(), scope_id(), code, name, now)
            done(f"Wing {wing.code} is now called {wing.name}.")
        elif run in ("retire", "unretire"):
            wing = wings_admin.retire_wing(actor(), scope_id(), code, now, run == "retire")
            state = "retired: it is no longer offered" if wing.retired else "is in use again"
            done(f"Wing {wing.code} {state}.")
        elif run == "lockdown":
            reason = load_form(LockdownSchema(), request.form)["reason"]
            count = wings_admin.start_lockdown(actor(), scope_id(), code, reason, now)
            done(f"Wing {code.upper()} locked down: {count} open items paused.")
        else:
            count = wings_admin.end_lockdown(actor(), scope_id(), code, now)
            done(f"Wing {code.upper()} lockdown ended: {count} items' clocks run again.")
    except NotFound:
        abort(404)
    except (ValidationError, InvalidInput) as exc:
        return _wings_page({f"{k}-{code.upper()}" if k in ("name", "reason") else k: v
                            for k, v in errors_of(exc).items()}, 422)
    except ServiceError as exc:
        return _wings_page({"code": [str(exc)]}, 409)
    return redirect(url_for("admin.wings_page"), code=303)


@bp.post("/wings/<code>/rename")
def wing_rename(code: str) -> Page:
    """Rename a wing (its code stays)."""
    return _wing_action(code, "rename")


@bp.post("/wings/<code>/retire")
def wing_retire(code: str) -> Page:
    """Retire a wing: kept with its history, no longer offered."""
    return _wing_action(code, "retire")


@bp.post("/wings/<code>/unretire")
def wing_unretire(code: str) -> Page:
    """Bring a retired wing back into use."""
    return _wing_action(code, "unretire")


@bp.post("/wings/<code>/lockdown")
def wing_lockdown(code: str) -> Page:
    """Record a wing lockdown with its reason: the wing's clocks pause."""
    return _wing_action(code, "lockdown")


@bp.post("/wings/<code>/lockdown/end")
def wing_lockdown_end(code: str) -> Page:
    """End the wing's lockdown."""
    return _wing_action(code, "end")


def _establishments_page(errors: dict[str, list[str]] | None = None,
                         status: int = 200) -> tuple[str, int]:
    shown = (wings_admin.establishments() if g.user.role == "admin"
             else [db.session.get(Establishment, scope_id())])
    return render_template("admin/establishments.html", establishments=shown,
                           current=scope_id(), errors=errors or {},
                           form=request.form if errors else {}), status


@bp.get("/establishments")
def establishments_page() -> tuple[str, int]:
    """Establishments: admins see all and choose which to manage; a governor sees their own."""
    return _establishments_page()


@bp.post("/establishments")
def establishment_add() -> Page:
    """Add an establishment with its wings and the default schemes (admins only)."""
    try:
        data = load_form(EstablishmentAddSchema(), request.form)
        est = wings_admin.add_establishment(actor(), data["name"], data["code"],
                                            [w for w in data["wings"].split(",") if w.strip()],
                                            utcnow())
    except (ValidationError, InvalidInput) as exc:
        return _establishments_page(errors_of(exc), 422)
    done(f"Added {est.name} ({est.code}).")
    return redirect(url_for("admin.establishments_page"), code=303)


@bp.post("/establishments/<int:est_id>/rename")
def establishment_rename(est_id: int) -> Page:
    """Rename an establishment (a governor only their own)."""
    if g.user.role != "admin" and est_id != g.user.establishment_id:
        abort(404)
    try:
        name = load_form(RenameSchema(), request.form)["name"]
        est = wings_admin.rename_establishment(actor(), est_id, name, utcnow())
    except NotFound:
        abort(404)
    except (ValidationError, InvalidInput) as exc:
        return _establishments_page({f"name-{est_id}": errors_of(exc).get("name", ["Invalid."])},
                                    422)
    done(f"Renamed to {est.name}.")
    return redirect(url_for("admin.establishments_page"), code=303)


@bp.post("/establishments/<int:est_id>/manage")
def establishment_manage(est_id: int) -> Response:
    """An admin chooses which establishment the admin pages work on."""
    if db.session.get(Establishment, est_id) is None:
        abort(404)
    session[SCOPE_KEY] = est_id
    done("The admin pages now work on this establishment.")
    return redirect(url_for("admin.people_list"), code=303)
