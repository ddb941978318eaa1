"""The rules lab: type a sentence and see the decision and why; reload the rule files safely."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.admin import bp
from tracker.clock import utcnow
from tracker.extensions import db
from tracker.rules_engine import Decision
from tracker.rules_runtime import RuleHolder, current_rules
from tracker.services import audit, case_actions, rules_lab


@bp.route("/rules/lab", methods=["GET", "POST"])
def rules_lab_page() -> tuple[str, int]:
    """Try a sentence against the rules in force."""
    holder: RuleHolder = current_app.extensions["tracker.rules"]
    text = request.form.get("text", "")[:4000]
    decision, error = None, None
    if request.method == "POST":
        if text.strip():
            decision = rules_lab.try_sentence(current_rules(), text, "risk_now" in request.form,
                                              "about_staff" in request.form)
        else:
            error = "Type a sentence to try."
    descriptions = rules_lab.describe_rules(current_rules())
    if decision is not None:  # the learned safety net's additions, with their weights
        descriptions.update(learned_descriptions(decision))
    return render_template("admin/rules_lab.html", text=text, decision=decision, error=error,
                           descriptions=descriptions,
                           holder=holder, form=request.form,
                           corrections=case_actions.corrections(g.user.establishment_id)
                           ), 422 if error else 200


def learned_descriptions(decision: Decision) -> dict[str, str]:
    """'learned:<label>' -> its line of the staff detail (score, threshold, words and weights)."""
    found = {}
    for line in decision.staff_explanation.splitlines():
        if line.startswith("- learned:"):
            rule, _, rest = line[2:].partition(": ")
            found[rule] = rest.rsplit(" [matched:", 1)[0]
    return found


@bp.post("/rules/reload")
def reload_rules() -> Response:
    """Load the rule files again; if they are broken, keep serving the last good set."""
    holder: RuleHolder = current_app.extensions["tracker.rules"]
    ok = holder.reload()
    audit.record(g.user, "rules_reload", utcnow(), remote_addr=request.remote_addr,
                 ok=ok, version=holder.current.version, error=holder.last_error)
    db.session.commit()
    if ok:
        flash(f"Rules reloaded: version {holder.current.version}.", "info")
    else:
        flash(f"The rule files have an error, so the last good rules (version "
              f"{holder.current.version}) are still in use: {holder.last_error}", "error")
    return redirect(url_for("admin.rules_lab_page"))
