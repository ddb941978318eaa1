"""Publishing rules from the web: candidate → replay report (viewed) → publish; versions, rollback."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from tracker.admin import bp
from tracker.admin.scope import actor, done, errors_of, scope_id
from tracker.clock import utcnow
from tracker.extensions import db
from tracker.models import RuleSetVersion
from tracker.schemas.admin import PublishSchema, RollbackSchema, UploadSchema, load_form
from tracker.services import rule_versions
from tracker.services.errors import InvalidInput, NotFound

Page = str | tuple[str, int] | Response


def _candidate() -> rule_versions.Candidate | None:
    try:
        return rule_versions.load_candidate()
    except NotFound:
        return None


def _versions_context() -> dict[str, object]:
    return {"versions": rule_versions.versions(), "candidate": _candidate(),
            "file_options": [(n, n) for n in rule_versions.RULE_FILES],
            "in_force": rule_versions.holder().current.version}


@bp.get("/rules/versions")
def rule_versions_page() -> str:
    """Published versions, the candidate being prepared, and what is in force."""
    return render_template("admin/rule_versions.html", errors={}, **_versions_context())


@bp.post("/rules/candidate/start")
def rules_candidate_start() -> Response:
    """Copy the rules in force into the candidate folder."""
    version = rule_versions.start_candidate(actor(), scope_id(), utcnow())
    done(f"Candidate {version} started from the rules in force. Upload the files you changed.")
    return redirect(url_for("admin.rule_versions_page"), code=303)


@bp.post("/rules/candidate/upload")
def rules_candidate_upload() -> Page:
    """Replace one file of the candidate."""
    upload = request.files.get("file")
    try:
        name = load_form(UploadSchema(), request.form)["name"]
        text = upload.read().decode("utf-8") if upload is not None and upload.filename else ""
        version = rule_versions.upload_candidate_file(actor(), scope_id(), name, text, utcnow())
    except UnicodeDecodeError:
        return _versions_error({"file": ["The file is not UTF-8 text."]})
    except (ValidationError, InvalidInput) as exc:
        return _versions_error(errors_of(exc))
    except NotFound as exc:
        return _versions_error({"file": [str(exc)]})
    done(f"{name} replaced: the candidate is now {version}. View its report before publishing.")
    return redirect(url_for("admin.rule_versions_page"), code=303)


def _versions_error(errors: dict[str, list[str]]) -> tuple[str, int]:
    return render_template("admin/rule_versions.html", errors=errors, **_versions_context()), 422


@bp.get("/rules/candidate/report")
def rules_candidate_report() -> Page:
    """Replay stored concerns through the candidate; viewing it is what allows publishing."""
    try:
        view = rule_versions.view_report(actor(), scope_id(), utcnow())
    except NotFound as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.rule_versions_page"), code=303)
    return render_template("admin/rules_report.html", view=view, errors={}, form={},
                           in_force=rule_versions.holder().current.version)


@bp.post("/rules/publish")
def rules_publish() -> Page:
    """Put the candidate in force (refused unless its report was viewed by you)."""
    try:
        data = load_form(PublishSchema(), request.form)
        row = rule_versions.publish(actor(), scope_id(), data["version"], data["note"], utcnow())
    except ValidationError as exc:
        try:
            view = rule_versions.view_report(actor(), scope_id(), utcnow())
        except NotFound:
            return _versions_error(errors_of(exc))
        return render_template("admin/rules_report.html", view=view, errors=errors_of(exc),
                               form=request.form,
                               in_force=rule_versions.holder().current.version), 422
    except rule_versions.NotReviewed as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.rule_versions_page"), code=303)
    except InvalidInput as exc:
        return _versions_error(errors_of(exc))
    done(f"Published version {row.id} ({row.version}); classifier version {row.rules_version} "
         "is in force.")
    return redirect(url_for("admin.rule_versions_page"), code=303)


@bp.get("/rules/versions/<int:version_id>")
def rule_version_page(version_id: int) -> str:
    """One published version: who, when, why, and its diff against the one before."""
    row = db.session.get(RuleSetVersion, version_id)
    if row is None:
        abort(404)
    return render_template("admin/rule_version.html", row=row, errors={})


@bp.post("/rules/versions/<int:version_id>/rollback")
def rule_version_rollback(version_id: int) -> Page:
    """Publish an earlier version again."""
    try:
        note = load_form(RollbackSchema(), request.form)["note"] or ""
        row = rule_versions.rollback(actor(), scope_id(), version_id, note, utcnow())
    except NotFound:
        abort(404)
    except (ValidationError, InvalidInput) as exc:
        return _versions_error(errors_of(exc))
    done(f"Rolled back: version {row.id} ({row.version}) is in force.")
    return redirect(url_for("admin.rule_versions_page"), code=303)
