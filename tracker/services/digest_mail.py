"""A digest as an email: HTML with a chart image, the plain text, and the CSV attachment.

Built at send time from the archived content (so a retried send is the same email), by the
outbox for notifications of kind ``digest``.
"""

from __future__ import annotations

from typing import Any

from flask import render_template

from tracker.core.charts import paired_bars_png
from tracker.core.digest import scheme_label
from tracker.core.digest_render import digest_csv, show, versus
from tracker.extensions import db
from tracker.models import Digest, Notification
from tracker.services.outbox import Attachment, RichParts

CHART_CID = "digest-chart"


def chart_png(content: dict[str, Any]) -> bytes:
    """Overdue items per scheme, last week beside this week."""
    rows = content["overdue"]["by_scheme"]
    return paired_bars_png([int(r["now"] or 0) for r in rows],
                           [int(r["last_week"] or 0) for r in rows])


def csv_name(content: dict[str, Any]) -> str:
    """digest-2026-11-22-scheme-insiders.csv"""
    return f"digest-{content['week_ending']}-{content['scope'].replace(':', '-')}.csv"


def render_html(content: dict[str, Any], chart_src: str | None) -> str:
    """The digest's HTML body (email and page share the same partial)."""
    return render_template("reports/digest_email.html", d=content, chart_src=chart_src,
                           versus=versus, show=show, scheme_label=scheme_label)


def digest_parts(row: Notification) -> RichParts:
    """HTML, inline chart and CSV for the digest a notification announces."""
    digest = db.session.get(Digest, int(row.params["digest_id"]))
    if digest is None:
        raise LookupError(f"digest {row.params.get('digest_id')} not found")
    content = digest.content
    return RichParts(
        html=render_html(content, f"cid:{CHART_CID}"),
        attachments=(
            Attachment("overdue-by-scheme.png", "image/png", chart_png(content), cid=CHART_CID),
            Attachment(csv_name(content), "text/csv", digest_csv(content).encode("utf-8")),
        ),
        subject=f"[Peer support] Weekly digest, week ending {content['week_ending']}: "
                f"{content['scope_label']}")
