"""The item page's action forms and the queue's bulk form: no JavaScript, CSRF on every form.

Both go through the API's dispatch table (same schemas, same service calls), so a form and
an API call can never disagree about what an action needs.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from tracker.api.actions import ACTIONS
from tracker.clock import utcnow
from tracker.core.escalation import HANDOFF_PROCESSES
from tracker.core.pauses import REASON_CODES
from tracker.extensions import db
from tracker.schemas import plain_errors
from tracker.schemas.actions import MAX_BULK, SCHEMES
from tracker.services import item_view
from tracker.services.case_actions import assignable
from tracker.services.clock_state import Conflict
from tracker.services.errors import InvalidInput, NotFound
from tracker.staff import bp

FORM_FIELDS = ("reason_code", "reason", "until", "to_scheme", "assignee", "outcome",
               "external_ref")
BULK_ACTIONS = {"acknowledge": "acknowledge", "assign_me": "assign", "defer": "defer",
                "resolve": "resolve"}


def _form_data(name: str, prefix: str = "") -> dict[str, Any]:
    """The action's own fields from the form (blank ones left out, so 'required' says so)."""
    schema = ACTIONS[name][0]()
    data: dict[str, Any] = {"action": name}
    for field in FORM_FIELDS:
        value = request.form.get(f"{prefix}{field}", "")
        if field in schema.fields and value.strip():
            data[field] = value[:4000]
    return data


def _page_with_errors(reference: str, name: str, errors: dict[str, list[str]]) -> tuple[str, int]:
    view = item_view.item_page(g.user, g.viewer, reference, request.remote_addr, utcnow())
    shown = {f"{name}-{field}": msgs for field, msgs in errors.items()}
    return render_template("staff/concern.html", v=view, c=view.concern, now=utcnow(),
                           errors=shown, open_action=name), 422


@bp.post("/concerns/<reference>/actions/<name>")
def concern_act(reference: str, name: str) -> Response | tuple[str, int]:
    """One action from the item page; errors come back next to the fields and at the top."""
    if name not in ACTIONS:
        abort(404)
    schema, handler = ACTIONS[name]
    try:
        data = schema().load(_form_data(name))
        result = handler(reference, data)
    except ValidationError as exc:
        return _page_with_errors(reference, name, plain_errors(exc))
    except InvalidInput as exc:
        db.session.rollback()
        return _page_with_errors(reference, name, dict(exc.fields))
    except NotFound:
        db.session.rollback()
        abort(404)
    except Conflict as exc:
        db.session.rollback()
        return _page_with_errors(reference, name, {"action": [str(exc)]})
    flash(result.message, "ok")
    return redirect(url_for("staff.concern", reference=result.concern.reference), code=303)


@bp.post("/queue/actions")
def queue_bulk() -> Response | tuple[str, int]:
    """The queue's bulk form: each ticked item in its own transaction, a line per item."""
    choice = request.form.get("bulk_action", "")
    refs = list(dict.fromkeys(r.strip().upper() for r in request.form.getlist("references")
                              if r.strip()))
    problems: list[str] = []
    if choice not in BULK_ACTIONS:
        problems.append("Choose what to do with the ticked items.")
    if not refs:
        problems.append("Tick at least one item.")
    if len(refs) > MAX_BULK:
        problems.append(f"Tick at most {MAX_BULK} items.")
    name = BULK_ACTIONS.get(choice, "")
    data: dict[str, Any] = {}
    if not problems:
        try:
            data = ACTIONS[name][0]().load(_form_data(name, "bulk_"))
        except ValidationError as exc:
            problems += [f"{field.replace('_', ' ')}: {' '.join(msgs)}"
                         for field, msgs in plain_errors(exc).items()]
    if problems:
        for p in problems:
            flash(p, "error")
        return redirect(url_for("staff.queue"), code=303)
    handler = ACTIONS[name][1]
    done = 0
    for ref in refs:
        try:
            handler(ref, data)
            done += 1
        except NotFound:
            db.session.rollback()
            flash(f"{ref}: not found.", "error")
        except (Conflict, InvalidInput) as exc:
            db.session.rollback()
            flash(f"{ref}: {exc}", "error")
    flash(f"{done} of {len(refs)} item{'' if len(refs) == 1 else 's'} done.", "ok")
    return redirect(url_for("staff.queue"), code=303)


@bp.context_processor
def _action_choices() -> dict[str, Any]:
    """What the action forms offer: colleagues who may see the item, codes, schemes, processes."""
    return {"assignable_for": assignable, "reason_codes": REASON_CODES, "action_schemes": SCHEMES,
            "handoff_processes": HANDOFF_PROCESSES}
