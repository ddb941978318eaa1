"""Importing supporters from a CSV file: every row checked, and all written or none."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Scheme, User, Wing
from tracker.services.passwords import hash_secret
from tracker.services.people_admin import Actor, generate_secret, record, snapshot

COLUMNS = ("username", "name", "wing", "schemes")
USERNAME = re.compile(r"^[A-Za-z0-9._-]{2,60}$")
MAX_ROWS = 2000


@dataclass(frozen=True)
class Rejected:
    """One row that cannot be imported, and every reason why."""

    line: int
    username: str
    reasons: tuple[str, ...]


@dataclass
class ImportReport:
    """The outcome: either every row added (with its one-time PIN) or nothing and the reasons."""

    rows: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # about the file as a whole
    added: list[tuple[str, str]] = field(default_factory=list)  # (username, one-time PIN)

    @property
    def ok(self) -> bool:
        """True only when the whole file was imported."""
        return not self.rejected and not self.problems and bool(self.added)


@dataclass(frozen=True)
class _Row:
    line: int
    username: str
    name: str
    wing: Wing
    schemes: list[Scheme]


def _read(content: str, report: ImportReport) -> list[tuple[int, dict[str, str | None], int]]:
    reader = csv.reader(io.StringIO(content.lstrip("\ufeff")))
    try:
        lines = [(reader.line_num, cells) for cells in reader]
    except csv.Error as exc:
        report.problems.append(f"The file is not valid CSV: {exc}.")
        return []
    lines = [(n, cells) for n, cells in lines if any(c.strip() for c in cells)]
    if not lines:
        report.problems.append("The file is empty.")
        return []
    header = [c.strip().lower() for c in lines[0][1]]
    if tuple(header) != COLUMNS:
        report.problems.append(f"The first line must be the column names {','.join(COLUMNS)} "
                               f"(found {','.join(header) or 'nothing'}).")
        return []
    if len(lines) - 1 > MAX_ROWS:
        report.problems.append(f"At most {MAX_ROWS} rows at a time (found {len(lines) - 1}).")
        return []
    rows = []
    for number, cells in lines[1:]:
        values: dict[str, str | None] = {k: (cells[i].strip() if i < len(cells) else None)
                                         for i, k in enumerate(COLUMNS)}
        rows.append((number, values, len(cells)))
    if not rows:
        report.problems.append("The file has column names but no rows.")
    return rows


def _check(est_id: int, number: int, values: dict[str, str | None], width: int,
           seen: dict[str, int], wings: dict[str, Wing], schemes: dict[str, Scheme],
           taken: set[str]) -> tuple[_Row | None, Rejected | None]:
    username, reasons = values["username"] or "", []
    if width != len(COLUMNS):
        reasons.append(f"Malformed row: {width} columns instead of {len(COLUMNS)}.")
    if not USERNAME.match(username):
        reasons.append("User name: use 2 to 60 letters, numbers, dots, dashes or underscores.")
    elif username.lower() in seen:
        reasons.append(f"User name {username!r} is already on line {seen[username.lower()]}.")
    elif username.lower() in taken:
        reasons.append(f"User name {username!r} is taken.")
    seen.setdefault(username.lower(), number)
    name = values["name"] or ""
    if not name or len(name) > 120:
        reasons.append("Name: give a name of 1 to 120 characters.")
    wing = wings.get((values["wing"] or "").upper())
    if wing is None:
        reasons.append(f"Unknown wing {values['wing'] or '(blank)'!r}.")
    elif wing.retired:
        reasons.append(f"Wing {wing.code} is retired.")
    keys = [k.strip() for k in (values["schemes"] or "").split(";") if k.strip()]
    unknown = [k for k in keys if k not in schemes]
    if not keys:
        reasons.append("Schemes: name at least one, separated by semicolons.")
    elif unknown:
        reasons.append(f"Unknown scheme {', '.join(unknown)}.")
    if reasons or wing is None:
        return None, Rejected(number, username, tuple(reasons))
    return _Row(number, username, name, wing, [schemes[k] for k in dict.fromkeys(keys)]), None


def import_supporters(actor: Actor, est_id: int, content: str, now: datetime,
                      cheap_hash: bool = False) -> ImportReport:
    """Check every row; when all are good add them in one transaction, else add nothing."""
    report = ImportReport()
    rows = _read(content, report)
    report.rows = len(rows)
    wings = {w.code.upper(): w for w in db.session.scalars(
        select(Wing).where(Wing.establishment_id == est_id))}
    schemes = {s.key: s for s in db.session.scalars(
        select(Scheme).where(Scheme.establishment_id == est_id))}
    wanted = [(v["username"] or "").lower() for _, v, _ in rows]
    taken = set(db.session.scalars(select(func.lower(User.username)).where(
        func.lower(User.username).in_(wanted)))) if wanted else set()
    seen: dict[str, int] = {}
    good: list[_Row] = []
    for number, values, width in rows:
        row, rejected = _check(est_id, number, values, width, seen, wings, schemes, taken)
        if rejected is not None:
            report.rejected.append(rejected)
        elif row is not None:
            good.append(row)
    if report.problems or report.rejected:
        db.session.rollback()
        return report
    _write(actor, est_id, good, now, cheap_hash, report)
    return report


def _write(actor: Actor, est_id: int, good: list[_Row], now: datetime, cheap_hash: bool,
           report: ImportReport) -> None:
    for row in good:
        pin = generate_secret("supporter")
        user = User(establishment_id=est_id, username=row.username, display_name=row.name,
                    role="supporter", wing=row.wing, schemes=row.schemes,
                    secret_hash=hash_secret(pin, cheap_hash), created_at=now,
                    must_change_secret=True)
        db.session.add(user)
        record(actor, "user_add", now, est_id, target=row.username, before=None,
               after=snapshot(user), via="csv_import", line=row.line)
        report.added.append((row.username, pin))
    record(actor, "users_import", now, est_id, rows=len(good),
           usernames=[u for u, _ in report.added])
    db.session.commit()
