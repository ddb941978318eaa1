"""Scheme posts from the admin pages and CLI: lead and deputy, their history, empty posts flagged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Scheme, SchemeLeadership, User
from tracker.services import leadership
from tracker.services.clock_state import is_active
from tracker.services.errors import InvalidInput, NotFound
from tracker.services.people_admin import Actor, record

STAFF_POSTS_EXCLUDED = ("supporter",)


@dataclass(frozen=True)
class SchemeRow:
    """A scheme with its posts as they stand: who holds them and whether they can act."""

    scheme: Scheme
    lead: User | None
    deputy: User | None

    @property
    def lead_active(self) -> bool:
        """A lead who can act (not deactivated, moved or released)."""
        return is_active(self.lead)

    @property
    def deputy_active(self) -> bool:
        """A deputy who can act."""
        return is_active(self.deputy)


@dataclass(frozen=True)
class SchemeGap:
    """A scheme with an empty post (no one named, or the person named cannot act)."""

    key: str
    name: str
    lead_missing: bool
    deputy_missing: bool

    @property
    def wording(self) -> str:
        """'no active lead', 'no active deputy' or 'no active lead or deputy'."""
        missing = [p for p, gone in (("lead", self.lead_missing), ("deputy", self.deputy_missing))
                   if gone]
        return "no active " + " or ".join(missing)


def scheme_rows(est_id: int) -> list[SchemeRow]:
    """Every scheme of the establishment with its lead and deputy."""
    rows = []
    for scheme in db.session.scalars(select(Scheme).where(Scheme.establishment_id == est_id)
                                     .order_by(Scheme.id)):
        lead = db.session.get(User, scheme.lead_id) if scheme.lead_id else None
        deputy = db.session.get(User, scheme.deputy_id) if scheme.deputy_id else None
        rows.append(SchemeRow(scheme, lead, deputy))
    return rows


def schemes_without_lead(establishment_id: int) -> list[SchemeGap]:
    """Schemes whose lead or deputy post has no active holder (for banners and the digest)."""
    return [SchemeGap(r.scheme.key, r.scheme.name, not r.lead_active, not r.deputy_active)
            for r in scheme_rows(establishment_id) if not (r.lead_active and r.deputy_active)]


def scheme(est_id: int, key: str) -> Scheme:
    """One scheme of this establishment by its key."""
    row = db.session.scalar(select(Scheme).where(Scheme.establishment_id == est_id,
                                                 Scheme.key == key.strip()))
    if row is None:
        keys = db.session.scalars(select(Scheme.key).where(Scheme.establishment_id == est_id)
                                  .order_by(Scheme.id))
        raise NotFound(f"Unknown scheme {key!r}. Schemes: {', '.join(keys)}.")
    return row


def _staff(est_id: int, username: str | None, field: str,
           errors: dict[str, list[str]]) -> User | None:
    if not username:
        return None
    user = db.session.scalar(select(User).where(
        User.establishment_id == est_id, func.lower(User.username) == username.strip().lower()))
    if user is None:
        errors[field] = [f"No one called {username!r} here."]
    elif user.is_supporter:
        errors[field] = [f"{user.username} is a supporter; a scheme's {field} is a member of staff."]
    elif not is_active(user):
        errors[field] = [f"{user.username} is not active."]
    return user


def set_posts(actor: Actor, est_id: int, key: str, lead: str | None, deputy: str | None,
              now: datetime) -> SchemeRow:
    """Name the lead and deputy (blank leaves a post empty); history and audit kept.

    Open items follow at once: the escalation sweep reads Scheme.lead_id/deputy_id when it
    runs, so notices from now on go to the new holders.
    """
    row = scheme(est_id, key)
    errors: dict[str, list[str]] = {}
    lead_user, deputy_user = _staff(est_id, lead, "lead", errors), _staff(est_id, deputy,
                                                                          "deputy", errors)
    if lead_user is not None and deputy_user is not None and lead_user.id == deputy_user.id:
        errors["deputy"] = ["The deputy must be someone other than the lead."]
    if errors:
        raise InvalidInput(errors)
    before = _posts(row)
    changed = [leadership.assign(row, "lead", lead_user, now, actor.user),
               leadership.assign(row, "deputy", deputy_user, now, actor.user)]
    if any(changed):
        record(actor, "scheme_posts", now, est_id, target=row.key, before=before,
               after=_posts(row))
    db.session.commit()
    return SchemeRow(row, lead_user, deputy_user)


def _posts(row: Scheme) -> dict[str, str | None]:
    def name(user_id: int | None) -> str | None:
        user = db.session.get(User, user_id) if user_id else None
        return user.username if user else None

    return {"lead": name(row.lead_id), "deputy": name(row.deputy_id)}


@dataclass(frozen=True)
class Tenure:
    """One holder of a post: who, from when, until when (None: still in post)."""

    post: str
    username: str
    display_name: str
    started_at: datetime
    ended_at: datetime | None
    set_by: str | None


def history(est_id: int, key: str) -> list[Tenure]:
    """Who held the scheme's posts when, newest first."""
    row = scheme(est_id, key)
    out = []
    for t in leadership.history(row):
        holder = db.session.get(User, t.user_id) if t.user_id else None
        setter = db.session.get(User, t.set_by_id) if t.set_by_id else None
        out.append(Tenure(t.post, holder.username if holder else "-",
                          holder.display_name if holder else "-", t.started_at, t.ended_at,
                          setter.username if setter else None))
    return out


def leadership_rows(est_id: int) -> int:
    """How many history rows the establishment has (for tests and the CLI)."""
    return db.session.scalar(select(func.count()).select_from(SchemeLeadership).where(
        SchemeLeadership.establishment_id == est_id)) or 0
