"""Delivering the outbox: emails through SMTP (or the log in the demo), kiosk notices to the inbox.

Each pending row is first *claimed* (attempts + 1 and a lease on
``next_attempt_at``, by a conditional UPDATE, committed) and only then sent,
so two dispatchers never send the same row. A failed send is retried with
exponential back-off; after ``OUTBOX_MAX_ATTEMPTS`` failures it is
dead-lettered (status ``dead``) and listed for admins.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, Protocol

from flask import Flask, current_app
from sqlalchemy import func, select, update

from tracker import signals
from tracker.extensions import db
from tracker.models import Concern, Notification, User

log = logging.getLogger(__name__)
CLAIM_LEASE = timedelta(minutes=5)  # a dispatcher that died mid-send frees its rows after this
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=1)


class Sender(Protocol):
    """Something that delivers one email or raises."""

    def send(self, to: str, subject: str, body: str) -> None: ...


@dataclass(frozen=True)
class Attachment:
    """A file sent with an email; ``cid`` set means an image shown inside the HTML part."""

    filename: str
    mimetype: str
    data: bytes
    cid: str | None = None


@dataclass(frozen=True)
class RichParts:
    """What an email carries beyond its plain text: an HTML part and attachments."""

    html: str
    attachments: tuple[Attachment, ...] = ()
    subject: str | None = None


def build_message(mail_from: str, to: str, subject: str, body: str,
                  rich: RichParts | None = None) -> EmailMessage:
    """Plain text, plus (when given) an HTML alternative with its inline images and attachments."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = mail_from, to, subject
    msg.set_content(body)
    if rich is None:
        return msg
    msg.add_alternative(rich.html, subtype="html")
    html_part = msg.get_payload()[-1]  # type: ignore[index]
    assert isinstance(html_part, EmailMessage)
    for item in rich.attachments:
        maintype, _, subtype = item.mimetype.partition("/")
        if item.cid:
            html_part.add_related(item.data, maintype, subtype, cid=f"<{item.cid}>",
                                  filename=item.filename)
        else:
            msg.add_attachment(item.data, maintype=maintype, subtype=subtype,
                               filename=item.filename)
    return msg


@dataclass
class LogSender:
    """The demo's sink: emails are written to the log (and kept, for tests)."""

    sent: list[tuple[str, str, str]] = field(default_factory=list)
    messages: list[EmailMessage] = field(default_factory=list)

    def send(self, to: str, subject: str, body: str) -> None:
        """Log instead of sending."""
        self.sent.append((to, subject, body))
        log.info("email to %s: %s | %s", to, subject, body)

    def send_rich(self, to: str, subject: str, body: str, rich: RichParts) -> None:
        """Keep the whole message (HTML and attachments) as well as its text."""
        self.messages.append(build_message("tracker@localhost", to, subject, body, rich))
        self.send(to, subject, body)


@dataclass
class SmtpSender:
    """Email through an SMTP server as configured (SMTP_HOST, SMTP_PORT, SMTP_USE_TLS, ...)."""

    host: str
    port: int = 25
    use_tls: bool = False
    username: str | None = None
    password: str | None = None
    mail_from: str = "tracker@localhost"
    smtp_class: Callable[..., Any] = smtplib.SMTP
    timeout: float = 20.0

    def send(self, to: str, subject: str, body: str) -> None:
        """One connection per message: simple, and nothing half-sent survives a failure."""
        self._deliver(build_message(self.mail_from, to, subject, body))

    def send_rich(self, to: str, subject: str, body: str, rich: RichParts) -> None:
        """The same, with an HTML part, inline images and attachments."""
        self._deliver(build_message(self.mail_from, to, subject, body, rich))

    def _deliver(self, msg: EmailMessage) -> None:
        with self.smtp_class(self.host, self.port, timeout=self.timeout) as smtp:
            if self.use_tls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(msg)


def configured_sender() -> Sender:
    """SMTP when SMTP_HOST is set, otherwise the log sink; tests may put one in OUTBOX_SENDER."""
    cfg = current_app.config
    if cfg.get("OUTBOX_SENDER") is not None:
        sender: Sender = cfg["OUTBOX_SENDER"]
        return sender
    if not cfg.get("SMTP_HOST"):
        return LogSender()
    return SmtpSender(cfg["SMTP_HOST"], int(cfg.get("SMTP_PORT") or 25),
                      bool(cfg.get("SMTP_USE_TLS")), cfg.get("SMTP_USERNAME"),
                      cfg.get("SMTP_PASSWORD"), cfg.get("MAIL_FROM") or "tracker@localhost")


def address_of(user: User) -> str:
    """A member of staff's address, from MAIL_ADDRESS_TEMPLATE (users carry no address yet)."""
    template = current_app.config.get("MAIL_ADDRESS_TEMPLATE") or "{username}@localhost"
    return str(template).format(username=user.username)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failure, at most an hour."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


@dataclass
class DeliveryReport:
    """What one dispatch pass did."""

    sent: int = 0
    shown: int = 0
    failed: int = 0
    dead: int = 0

    def as_dict(self) -> dict[str, int]:
        """Figures for the heartbeat row."""
        return {"sent": self.sent, "shown": self.shown, "failed": self.failed, "dead": self.dead}


def deliver_pending(now: datetime, sender: Sender | None = None, limit: int = 200) -> DeliveryReport:
    """Send what is due; a failure is retried later, never lost and never sent twice."""
    sender = sender or configured_sender()
    report = DeliveryReport()
    report.shown = _mark_kiosk_delivered(now)
    ids = list(db.session.scalars(select(Notification.id).where(
        Notification.status == "pending", Notification.channel == "email",
        Notification.next_attempt_at <= now).order_by(Notification.id).limit(limit)))
    db.session.commit()
    for notification_id in ids:
        row = _claim(notification_id, now)
        if row is not None:
            _send_one(row, sender, now, report)
    return report


def _mark_kiosk_delivered(now: datetime) -> int:
    """Kiosk notices need no transport: they are in the supporter's inbox once written."""
    result = db.session.execute(
        update(Notification).where(Notification.status == "pending",
                                   Notification.channel == "kiosk")
        .values(status="sent", sent_at=now, attempts=Notification.attempts + 1)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _claim(notification_id: int, now: datetime) -> Notification | None:
    """Take the row for this dispatcher (conditional UPDATE, committed before sending)."""
    result = db.session.execute(
        update(Notification).where(Notification.id == notification_id,
                                   Notification.status == "pending",
                                   Notification.next_attempt_at <= now)
        .values(attempts=Notification.attempts + 1, next_attempt_at=now + CLAIM_LEASE)
        .execution_options(synchronize_session=False))
    db.session.commit()
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return db.session.get(Notification, notification_id, populate_existing=True)


def _send_one(row: Notification, sender: Sender, now: datetime, report: DeliveryReport) -> None:
    recipient = db.session.get(User, row.recipient_id) if row.recipient_id else None
    try:
        if recipient is None:
            raise LookupError("no recipient")
        rich = _rich_parts(row)
        send_rich = getattr(sender, "send_rich", None)
        if rich is not None and send_rich is not None:
            send_rich(address_of(recipient), rich.subject or _subject(row), row.message, rich)
        else:
            sender.send(address_of(recipient), _subject(row), row.message)
    except Exception as exc:  # noqa: BLE001  (any transport failure is retried, never fatal)
        _failed(row, now, exc, report)
        return
    row.status, row.sent_at, row.last_error = "sent", now, None
    db.session.commit()
    report.sent += 1


def _failed(row: Notification, now: datetime, exc: Exception, report: DeliveryReport) -> None:
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if row.attempts >= int(current_app.config.get("OUTBOX_MAX_ATTEMPTS") or 8):
        row.status = "dead"
        report.dead += 1
        log.error("notification %s dead-lettered after %s attempts: %s", row.id, row.attempts,
                  row.last_error)
    else:
        row.next_attempt_at = now + backoff(row.attempts)
        report.failed += 1
    db.session.commit()


def _rich_parts(row: Notification) -> RichParts | None:
    """Kinds that carry more than text build their parts at send time (digests: HTML, PNG, CSV)."""
    if row.kind == "digest":
        from tracker.services.digest_mail import digest_parts

        return digest_parts(row)
    return None


def _subject(row: Notification) -> str:
    reference = db.session.scalar(select(Concern.reference).where(
        Concern.id == row.concern_id)) if row.concern_id else None
    label = row.kind.replace("_", " ")
    return f"[Peer support] {label}{f' {reference}' if reference else ''}"


def dead_letters(limit: int = 100) -> list[Notification]:
    """Messages that could not be delivered, newest first, for admins."""
    return list(db.session.scalars(select(Notification).where(Notification.status == "dead")
                                   .order_by(Notification.id.desc()).limit(limit)))


def counts() -> dict[str, int]:
    """How many notifications are pending, sent and dead."""
    rows = db.session.execute(select(Notification.status, func.count())
                              .group_by(Notification.status))
    return {status: int(n) for status, n in rows}


@signals.notifications_written.connect
def _deliver_after_commit(_sender: object, **_kw: object) -> None:
    """Best effort: try to deliver at once; the scheduler retries whatever this misses.

    OUTBOX_DELIVER_ON_COMMIT: "thread" (default: the request does not wait for SMTP),
    "inline" (default under TESTING, deterministic) or "off".
    """
    try:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
    except RuntimeError:
        return
    mode = app.config.get("OUTBOX_DELIVER_ON_COMMIT") or ("inline" if app.testing else "thread")
    if mode == "off":
        return
    if mode == "inline":
        _attempt(app)
        return
    _kick(app)


_running = threading.Lock()  # one delivery thread per process at a time
_again = threading.Event()  # more was written while it ran: it goes round once more


def _kick(app: Flask) -> None:
    """Start a delivery thread, or ask the running one to go round again (under load many
    requests write notices at once: one thread drains them instead of one thread each)."""
    _again.set()
    if not _running.acquire(blocking=False):
        return

    def run() -> None:
        try:
            while _again.is_set():
                _again.clear()
                _attempt(app)
        finally:
            _running.release()
        if _again.is_set():  # set between the last check and the release
            _kick(app)

    threading.Thread(target=run, name="outbox-now", daemon=True).start()


def _attempt(app: Flask) -> None:
    from tracker.clock import utcnow

    with app.app_context():
        try:
            deliver_pending(utcnow())
        except Exception:  # noqa: BLE001  (best effort; the scheduler's retry is the guarantee)
            log.warning("immediate outbox delivery failed; the scheduler will retry",
                        exc_info=True)
            db.session.rollback()
        finally:
            db.session.remove()
