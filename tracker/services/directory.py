"""An establishment's wings, staff and scheme posts, kept in memory by each process.

A submission needs the wing it names, the staff to tell and whether the first rung of its
ladder is staffed. Reading those took three queries and over half of a submission's CPU, yet
they change a few times a day. Each process keeps one snapshot per establishment, labelled
with `establishment.directory_version`, which database triggers raise on every change to its
users, wings, schemes and scheme memberships (migration 7c1e9a3d5b20). Each use reads that
one number afresh (a primary-key lookup) and keeps the snapshot only while it still matches,
so a change committed anywhere (another process, the CLI, plain SQL) is seen by the next
request. The number is read from the database, never from an ORM object that may have been
loaded earlier in a long-lived session.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from tracker.core.access import Viewer
from tracker.extensions import db
from tracker.models import Establishment, Scheme, User, Wing
from tracker.models.user import user_scheme


@dataclass(frozen=True)
class WingEntry:
    """A wing still in use."""

    id: int
    code: str


@dataclass(frozen=True)
class Person:
    """What the directory keeps of an active member of staff (or a scheme post holder)."""

    id: int
    username: str
    role: str
    wing_id: int | None
    active: bool
    status: str
    viewer: Viewer

    @property
    def in_post(self) -> bool:
        """Not disabled, moved or released (as clock_state.is_active says of a User)."""
        return self.active and self.status == "active"


@dataclass(frozen=True)
class Directory:
    """One establishment at one directory version."""

    establishment_id: int
    version: int
    wings: dict[str, WingEntry]  # by upper-case code; retired wings are left out
    staff: tuple[Person, ...]  # active users other than supporters, by id
    posts: dict[str, tuple[Person | None, Person | None]]  # scheme -> lead, deputy (any state)
    roles: frozenset[str]  # roles held by someone in post
    officer_wings: frozenset[int]  # wings with an officer in post
    loaded_at: float = field(default_factory=time.monotonic)

    def wing(self, code: str) -> WingEntry | None:
        """A wing in use, by its code in any case."""
        return self.wings.get(code.strip().upper())

    def staff_member(self, username: str) -> Person | None:
        """An active member of staff by user name, in any case."""
        name = username.strip().lower()
        return next((p for p in self.staff if p.username == name), None)


# Belt and braces: a snapshot is reloaded after this long even if the version never moved
# (say, a database restored from a backup whose counter came back to the same number).
MAX_AGE_SECONDS = 300.0
_lock = threading.Lock()


def _cache() -> dict[int, Directory]:
    """This app's snapshots (one app per process in production; tests build several)."""
    return current_app.extensions.setdefault("tracker_directory", {})  # type: ignore[no-any-return]


def _fresh(found: Directory | None, version: int) -> bool:
    return (found is not None and found.version == version
            and time.monotonic() - found.loaded_at < MAX_AGE_SECONDS)


def directory(establishment_id: int, version: int | None = None) -> Directory:
    """The directory for this establishment, reloaded when its version has moved on.

    `version`, when given, must have been read from the database in this request (the API's
    token check reads it in the same statement); otherwise it is read now.
    """
    version = _version(establishment_id) if version is None else version
    cache = _cache()
    found = cache.get(establishment_id)
    if _fresh(found, version):
        assert found is not None
        return found
    with _lock:  # one reload per process when many requests see the new version at once
        found = cache.get(establishment_id)
        if not _fresh(found, version):
            found = _load(establishment_id)
            cache[establishment_id] = found
    assert found is not None
    return found


def _version(establishment_id: int) -> int:
    return db.session.scalar(select(Establishment.directory_version).where(
        Establishment.id == establishment_id)) or 0


def forget() -> None:
    """Drop every snapshot (tests that empty the database between tests)."""
    _cache().clear()


def _load(establishment_id: int) -> Directory:
    """Read with plain column selects: ORM objects could come from a session's identity map,
    as they were when first loaded, rather than as the database has them now."""
    # The version first: what is read after it is at least that new, so a snapshot never
    # claims a version newer than its contents.
    version = _version(establishment_id)
    wings = {code.upper(): WingEntry(wid, code) for wid, code in db.session.execute(
        select(Wing.id, Wing.code).where(Wing.establishment_id == establishment_id,
                                         Wing.retired.is_(False)))}
    schemes = db.session.execute(select(Scheme.key, Scheme.lead_id, Scheme.deputy_id).where(
        Scheme.establishment_id == establishment_id)).all()
    holders = {i for _, lead, deputy in schemes for i in (lead, deputy) if i is not None}
    users = db.session.execute(select(
        User.id, User.username, User.role, User.wing_id, User.active, User.status).where(
        User.establishment_id == establishment_id,
        ((User.role != "supporter") & User.active.is_(True)) | User.id.in_(holders))
        .order_by(User.id)).all()
    member_of: dict[int, set[str]] = {}
    for user_id, key in db.session.execute(
            select(user_scheme.c.user_id, Scheme.key)
            .join(Scheme, Scheme.id == user_scheme.c.scheme_id)
            .where(Scheme.establishment_id == establishment_id,
                   user_scheme.c.user_id.in_([u.id for u in users]))):
        member_of.setdefault(user_id, set()).add(key)
    people = {u.id: Person(u.id, u.username.lower(), u.role, u.wing_id, bool(u.active), u.status,
                           Viewer(u.id, u.role, establishment_id, u.wing_id,
                                  frozenset(member_of.get(u.id, ()))))
              for u in users}
    staff = tuple(p for p in people.values() if p.active and p.role != "supporter")
    in_post = [p for p in people.values() if p.in_post]
    return Directory(
        establishment_id=establishment_id, version=version, wings=wings, staff=staff,
        posts={key: (people.get(lead) if lead else None, people.get(deputy) if deputy else None)
               for key, lead, deputy in schemes},
        roles=frozenset(p.role for p in in_post),
        officer_wings=frozenset(p.wing_id for p in in_post
                                if p.role == "officer" and p.wing_id is not None))
