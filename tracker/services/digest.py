"""Weekly digests: build one per recipient and scope, archive it once, send it through the outbox.

Each digest is built through its recipient's own ``Viewer`` (so the SQL access policy
decides what it may count), stored as a ``Digest`` row whose unique key (establishment,
scope, recipient, week) makes a second run or a retry skip it (insert-or-skip), and, when
sending, announced by one ``Notification`` (channel email, kind digest) whose dedupe key is
the digest's id: the outbox delivers it with its HTML, chart and CSV (see ``digest_mail``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from tracker import signals
from tracker.core.access import Viewer
from tracker.core.digest import Week, WeekFigures, assemble, last_full_week, week_ending_on
from tracker.core.digest_render import digest_text
from tracker.extensions import db
from tracker.models import Digest, Establishment, Notification, User
from tracker.services import digest_queries as q
from tracker.services.scheduler_state import scheduler_health
from tracker.services.viewers import viewer_for

# The schemes each team answers for (domain.md: who regulates which scheme); None = all.
TEAM_SCHEMES: dict[str, list[str] | None] = {
    "safer_custody": ["listeners", "insiders", "buddies"],
    "equality_lead": ["equality_reps"],
    "complaints": [],
}
TEAM_ROLES = ("safer_custody", "equality_lead", "complaints")


@dataclass(frozen=True)
class Recipient:
    """Who gets a digest, and for which scope."""

    user: User
    scope: str


def recipients(establishment_id: int) -> list[Recipient]:
    """Active managers: the Governor (whole prison), team managers, and scheme leads per scheme."""
    people = db.session.scalars(select(User).where(
        User.establishment_id == establishment_id, User.active.is_(True), User.status == "active",
        User.role.in_(("governor", "scheme_lead", *TEAM_ROLES))).order_by(User.id))
    found: list[Recipient] = []
    for user in people:
        if user.role == "governor":
            found.append(Recipient(user, "governor"))
        elif user.role == "scheme_lead":
            found += [Recipient(user, f"scheme:{s.key}") for s in user.schemes]
        else:
            found.append(Recipient(user, f"team:{user.role}"))
    return found


def scope_schemes(scope: str) -> list[str] | None:
    """The schemes whose lead and deputy posts a scope's digest reports on (None: all)."""
    kind, _, key = scope.partition(":")
    if kind == "scheme":
        return [key]
    if kind == "team":
        return TEAM_SCHEMES.get(key, [])
    return None


def figures(viewer: Viewer, scope: str, week: Week, with_level: bool = True) -> WeekFigures:
    """One week's counts for one viewer and scope, as of the week's end."""
    return WeekFigures(q.late_cube(viewer, scope, week.end, with_level),
                       q.clock_figures(viewer, scope, week))


def build_content(user: User, scope: str, week: Week, now: datetime | None = None) -> dict[str, Any]:
    """The digest for this person and scope: this week against last, through their access.

    Given ``now``, a scheduler that has been missing runs is reported in the digest's notes
    (escalations were not happening, so the figures understate what is late).
    """
    viewer = viewer_for(user)
    q.tune_for_reports()
    health = scheduler_health(now) if now is not None else None
    notes = [health.message] if health is not None and health.message else []
    return assemble(
        establishment=user.establishment.name, scope=scope, recipient=user.display_name,
        week=week, this=figures(viewer, scope, week),
        last=figures(viewer, scope, week.previous(), with_level=False),
        oldest=q.oldest_open(viewer, scope, week.end),
        posts=q.scheme_posts(user.establishment_id, scope_schemes(scope)), notes=notes)


@dataclass
class DigestRun:
    """What one run did, for the CLI and the scheduler's heartbeat."""

    week: Week
    built: int = 0
    skipped: int = 0
    queued: int = 0
    lines: list[str] = field(default_factory=list)


def _insert_or_skip(values: dict[str, Any], unique: list[str], model: Any) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(insert(model.__table__).values(**values)
                       .on_conflict_do_nothing(index_elements=unique))


def _existing(est_id: int, r: Recipient, week: Week) -> Digest | None:
    return db.session.scalar(select(Digest).where(
        Digest.establishment_id == est_id, Digest.scope == r.scope,
        Digest.recipient_id == r.user.id, Digest.week_ending == week.ending))


def _archive(est_id: int, r: Recipient, week: Week, now: datetime, run: DigestRun) -> Digest:
    existing = _existing(est_id, r, week)
    if existing is None:
        content = build_content(r.user, r.scope, week, now)
        _insert_or_skip({"establishment_id": est_id, "scope": r.scope, "recipient_id": r.user.id,
                         "week_ending": week.ending, "content": content, "created_at": now},
                        ["establishment_id", "scope", "recipient_id", "week_ending"], Digest)
        existing = _existing(est_id, r, week)
        run.built += 1
    else:
        run.skipped += 1
    assert existing is not None
    return existing


def _queue(digest: Digest, now: datetime) -> None:
    content = digest.content
    _insert_or_skip({
        "establishment_id": digest.establishment_id, "concern_id": None,
        "recipient_id": digest.recipient_id, "channel": "email", "kind": "digest",
        "message_id": "digest.weekly", "params": {"digest_id": digest.id},
        "message": digest_text(content), "dedupe_key": f"digest:{digest.id}",
        "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now},
        ["dedupe_key"], Notification)


def run_week(week_ending: date | None, now: datetime, send: bool) -> DigestRun:
    """Build (and with ``send`` queue for email) every digest of the week; safe to run twice."""
    week = week_ending_on(week_ending) if week_ending else last_full_week(now)
    run = DigestRun(week)
    for est_id in db.session.scalars(select(Establishment.id).order_by(Establishment.id)):
        for r in recipients(est_id):
            digest = _archive(est_id, r, week, now, run)
            if send:
                _queue(digest, now)
                run.queued += 1
            total = digest.content["overdue"]["total"]["now"]
            run.lines.append(f"{r.user.username} [{r.scope}]: {total} overdue, "
                             f"{digest.content['no_reason']['now']} without a reason")
    db.session.commit()
    if send and run.queued:
        signals.notifications_written.send(None, count=run.queued)
    return run


def run_weekly(now: datetime) -> int:
    """The scheduler's Monday 07:00 job: last week's digests, built and sent; returns how many."""
    run = run_week(None, now, send=True)
    return run.built + run.skipped


def digests_for(user: User, limit: int = 200) -> list[Digest]:
    """Digests this member of staff received, newest first.

    Only their own: each digest was counted through its recipient's access, so another
    reader's copy may hold an item this person must not know of.
    """
    return list(db.session.scalars(select(Digest).where(Digest.recipient_id == user.id)
                                   .order_by(Digest.week_ending.desc(), Digest.id.desc())
                                   .limit(limit)))


def digest_for(user: User, digest_id: int) -> Digest | None:
    """One of this person's digests, or None (shown as 404)."""
    row = db.session.get(Digest, digest_id)
    return row if row is not None and row.recipient_id == user.id else None
