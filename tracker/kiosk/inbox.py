"""The supporter's notices at the kiosk: a list, newest first, and "mark as read"."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from tracker.clock import utcnow
from tracker.kiosk import bp
from tracker.kiosk.messages import notice_text
from tracker.services import inbox as inbox_service


@bp.get("/notices")
def inbox() -> str:
    """Every notice to this supporter, in the page's language."""
    rows = inbox_service.items(g.user, kiosk_only=True)
    shown = [(n, notice_text(n.message_id, n.params) if n.message_id.startswith("delay.")
              else n.message) for n in rows]
    return render_template("kiosk/notices.html", notices=shown,
                           unread=sum(1 for n in rows if not n.read))


@bp.post("/notices/read")
def mark_read() -> Response:
    """Mark one notice (field ``id``) or all of them (``id=all``) as read."""
    raw = request.form.get("id", "")
    notification_id = None if raw == "all" else int(raw) if raw.isdigit() else -1
    inbox_service.mark_read(g.user, notification_id, utcnow())
    return redirect(url_for("kiosk.inbox"), code=303)
