"""Thin views: the signed-in manager's digests (list, printable page, CSV) and the dashboard."""

from __future__ import annotations

from flask import abort, g, render_template, request
from markupsafe import Markup
from werkzeug.wrappers import Response

from tracker.clock import utcnow
from tracker.core.charts import bar_svg
from tracker.core.digest import scheme_label
from tracker.core.digest_render import digest_csv, show, versus
from tracker.models import Digest
from tracker.reports import bp
from tracker.services import dashboard as dashboard_service
from tracker.services import digest as digest_service
from tracker.services.digest_mail import csv_name


@bp.get("/digests")
def digests() -> str:
    """The weekly digests this member of staff received, newest first."""
    return render_template("reports/digests.html", rows=digest_service.digests_for(g.user))


def _mine(digest_id: int) -> Digest:
    row = digest_service.digest_for(g.user, digest_id)
    if row is None:
        abort(404)
    return row


@bp.get("/digests/<int:digest_id>")
def digest(digest_id: int) -> str:
    """One digest, laid out to print on A4."""
    row = _mine(digest_id)
    by_scheme = row.content["overdue"]["by_scheme"]
    chart = Markup(bar_svg([r["label"] for r in by_scheme], [r["now"] for r in by_scheme],  # noqa: S704
                           title="Overdue items per scheme this week", css="digest-chart"))
    return render_template("reports/digest.html", row=row, d=row.content, chart_svg=chart,
                           chart_src=None, versus=versus, show=show, scheme_label=scheme_label)


@bp.get("/digests/<int:digest_id>.csv")
def digest_csv_file(digest_id: int) -> Response:
    """The digest's CSV, as attached to the email."""
    row = _mine(digest_id)
    return Response(digest_csv(row.content), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{csv_name(row.content)}"'})


def _arg(name: str, allowed: list[str]) -> str | None:
    value = request.args.get(name, "").strip()
    return value if value in allowed else None


@bp.get("/dashboard")
def dashboard() -> str:
    """Twelve weeks of overdue items, clock shares and time to first action; wing and scheme filters."""
    choices = dashboard_service.choices(g.viewer)
    wing = _arg("wing", choices.wings)
    scheme = _arg("scheme", [k for k, _ in choices.schemes])
    board = dashboard_service.build(g.viewer, utcnow(), wing, scheme)
    labels = [w.ending.strftime("%d %b") for w in board.weeks]
    charts = {
        "overdue": [(k, Markup(bar_svg(labels, values, title=f"{scheme_label(k)}: overdue "  # noqa: S704
                                       "items at each week's end", css="overdue")))
                    for k, values in board.overdue_by_scheme.items()],
        "ack": Markup(bar_svg(labels, [_pct(v) for v in board.ack_share], unit="%", top=100,  # noqa: S704
                              title="Acknowledged within the clock (%)", css="share")),
        "resolve": Markup(bar_svg(labels, [_pct(v) for v in board.resolve_share], unit="%",  # noqa: S704
                                  top=100, title="Resolved within the clock (%)", css="share")),
        "first": Markup(bar_svg([b for b, _ in board.first_action],  # noqa: S704
                                [n for _, n in board.first_action],
                                title="Time to first action, last 12 weeks", css="first")),
    }
    return render_template("reports/dashboard.html", board=board, charts=charts, wing=wing,
                           scheme=scheme, choices=choices, scheme_label=scheme_label)


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100)
