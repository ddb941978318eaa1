"""Publishing rule sets and clock settings: candidate → replay report viewed → publish; rollback.

Design (docs in rules/README.md): the live rules stay files in RULES_DIR, so
`tracker rules check`, `rules diff` and code review keep working on them. A candidate
is a folder of the same files (RULES_CANDIDATE_DIR, default instance/rules-candidate),
filled by copying the live files and uploading edited ones. Publishing
  1. refuses unless this user viewed the replay report of this exact candidate version
     (an audit row ``rules_report_viewed`` carries the version hash),
  2. validates every file (classification, routing, clocks, ladders),
  3. writes the files into RULES_DIR (each atomically) and reloads the rule holder,
  4. stores the files' content as a RuleSetVersion row with who, when, note and a diff.
Rollback publishes an earlier row's files again, as a new version. Every concern
records ``Concern.ruleset_version`` (the classifier's hash), which names its row here.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from tracker.core.clock_rules import load_clock_rules, load_ladders
from tracker.extensions import db
from tracker.models import AccessLog, RuleSetVersion
from tracker.rules_engine import RuleSet, load_ruleset
from tracker.rules_engine.learned import FILE as LEARNED
from tracker.rules_runtime import RuleHolder
from tracker.services import rules_lab
from tracker.services.errors import InvalidInput, NotFound, ServiceError
from tracker.services.people_admin import Actor, record

RULE_FILES = ("lexicons.yaml", "classification.yaml", "routing.yaml", "clocks.yaml",
              "escalation.yaml")
MAX_FILE = 1_000_000  # characters; lexicons.yaml is some 270,000


class NotReviewed(ServiceError):
    """Publishing was refused: the replay report of this candidate was not viewed first."""


@dataclass(frozen=True)
class Candidate:
    """The candidate files, their version hash and, when they load, the compiled rules."""

    files: dict[str, str]
    version: str
    rules: RuleSet | None
    error: str | None


def live_dir() -> Path:
    """Where the rules in force are read from."""
    return Path(current_app.config["RULES_DIR"])


def candidate_dir() -> Path:
    """Where a candidate is prepared."""
    configured = current_app.config.get("RULES_CANDIDATE_DIR")
    return Path(configured or Path(current_app.instance_path) / "rules-candidate")


def holder() -> RuleHolder:
    """The app's rule holder."""
    found: RuleHolder = current_app.extensions["tracker.rules"]
    return found


def read_files(folder: Path) -> dict[str, str]:
    """The rule files of a folder (missing ones as empty text, which fails validation)."""
    return {name: (folder / name).read_text(encoding="utf-8") if (folder / name).exists() else ""
            for name in RULE_FILES}


def version_of(files: dict[str, str]) -> str:
    """A hash over every file, clocks and ladders included."""
    digest = hashlib.sha256()
    for name in RULE_FILES:
        digest.update(name.encode() + b"\0" + files.get(name, "").encode("utf-8") + b"\0")
    return digest.hexdigest()[:16]


def compile_files(files: dict[str, str]) -> RuleSet:
    """Load every file as the app would; raises InvalidInput naming the file and the problem.

    The learned safety net in force (rules/learned.json) is loaded beside the candidate's
    files, as it will be once they are published: it names lexicons of theirs, and a report
    replayed without it would differ from the rules in force on items nobody changed.
    """
    with tempfile.TemporaryDirectory(prefix="rules-check-") as tmp:
        folder = Path(tmp)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        model = live_dir() / LEARNED
        if model.is_file():
            shutil.copyfile(model, folder / LEARNED)
        try:
            rules = load_ruleset(folder)
            load_clock_rules(folder / "clocks.yaml")
            load_ladders(folder / "escalation.yaml")
        except Exception as exc:  # noqa: BLE001  (any failure at all means "do not publish")
            raise InvalidInput({"rules": [str(exc).replace(str(folder) + os.sep, "")]}) from exc
    return rules


def load_candidate() -> Candidate:
    """The candidate as it stands on disk."""
    folder = candidate_dir()
    if not folder.is_dir():
        raise NotFound("There is no candidate yet: start one from the rules in force.")
    files = read_files(folder)
    try:
        return Candidate(files, version_of(files), compile_files(files), None)
    except InvalidInput as exc:
        return Candidate(files, version_of(files), None, " ".join(exc.fields["rules"]))


def start_candidate(actor: Actor, est_id: int, now: datetime) -> str:
    """Copy the rules in force into the candidate folder (replacing any earlier candidate)."""
    folder = candidate_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for name in RULE_FILES:
        shutil.copyfile(live_dir() / name, folder / name)
    version = version_of(read_files(folder))
    record(actor, "rules_candidate_start", now, est_id, version=version)
    db.session.commit()
    return version


def upload_candidate_file(actor: Actor, est_id: int, name: str, text: str, now: datetime) -> str:
    """Replace one file of the candidate with uploaded text; returns the new candidate version."""
    if name not in RULE_FILES:
        raise InvalidInput({"name": [f"Choose one of: {', '.join(RULE_FILES)}."]})
    if not text.strip() or len(text) > MAX_FILE:
        raise InvalidInput({"file": [f"Upload a non-empty file of at most {MAX_FILE:,} characters."]})
    folder = candidate_dir()
    if not folder.is_dir():
        raise NotFound("There is no candidate yet: start one from the rules in force.")
    before = version_of(read_files(folder))
    _write_atomic(folder / name, text)
    after = version_of(read_files(folder))
    record(actor, "rules_candidate_upload", now, est_id, file=name,
           before={"version": before}, after={"version": after})
    db.session.commit()
    return after


@dataclass(frozen=True)
class ReplayView:
    """What the publish page shows: the candidate, its replay report and its file diffs."""

    candidate: Candidate
    report: rules_lab.DiffReport | None
    diff: str


def view_report(actor: Actor, est_id: int, now: datetime, max_examples: int = 20) -> ReplayView:
    """Replay stored concerns through the rules in force and the candidate; recorded as viewed."""
    candidate = load_candidate()
    report = None
    if candidate.rules is not None:
        report = rules_lab.diff(holder().current, candidate.rules, rules_lab.stored_concerns(),
                                max_examples)
        record(actor, "rules_report_viewed", now, est_id, version=candidate.version,
               changed=report.changed, total=report.total)
        db.session.commit()
    return ReplayView(candidate, report, file_diff(read_files(live_dir()), candidate.files))


def _viewed(actor: Actor, version: str) -> bool:
    if actor.user is None:
        return False
    rows = db.session.scalars(select(AccessLog.detail).where(
        AccessLog.actor_id == actor.user.id, AccessLog.action == "rules_report_viewed")
        .order_by(AccessLog.id.desc()).limit(50))
    return any((detail or {}).get("version") == version for detail in rows)


def publish(actor: Actor, est_id: int, version: str, note: str, now: datetime) -> RuleSetVersion:
    """Put the candidate in force, if its report (this exact version) was viewed by this user."""
    candidate = load_candidate()
    if candidate.version != version:
        raise NotReviewed("The candidate changed after its report was shown. View the report "
                          "again before publishing.")
    if not _viewed(actor, version):
        raise NotReviewed("View the replay report of this candidate before publishing it.")
    if candidate.rules is None:
        raise InvalidInput({"rules": [candidate.error or "The candidate does not load."]})
    return _put_in_force(actor, est_id, candidate.files, "publish", note, now)


def rollback(actor: Actor, est_id: int, version_id: int, note: str,
             now: datetime) -> RuleSetVersion:
    """Publish an earlier version's files again (recorded as a new version)."""
    earlier = db.session.get(RuleSetVersion, version_id)
    if earlier is None:
        raise NotFound(f"No published version {version_id}.")
    compile_files(dict(earlier.files))
    return _put_in_force(actor, est_id, dict(earlier.files), "rollback",
                         note or f"Rolled back to version {earlier.id} ({earlier.version}).", now)


def _put_in_force(actor: Actor, est_id: int, files: dict[str, str], kind: str, note: str,
                  now: datetime) -> RuleSetVersion:
    previous = latest() or _baseline(now)
    rules = compile_files(files)
    row = RuleSetVersion(version=version_of(files), rules_version=rules.version, kind=kind,
                         files=files, diff=file_diff(dict(previous.files), files),
                         note=note.strip(), previous_id=previous.id, published_at=now,
                         published_by_id=actor.user.id if actor.user else None)
    db.session.add(row)
    db.session.flush()
    record(actor, f"rules_{kind}", now, est_id, target=row.version,
           before={"version": previous.version, "rules_version": previous.rules_version},
           after={"version": row.version, "rules_version": row.rules_version}, note=row.note,
           version_id=row.id)
    old = read_files(live_dir())
    try:
        for name, text in files.items():
            _write_atomic(live_dir() / name, text)
        db.session.commit()
    except Exception:
        db.session.rollback()
        for name, text in old.items():  # the files and the version table never disagree
            _write_atomic(live_dir() / name, text)
        raise
    finally:
        refresh_runtime()
    return row


def _baseline(now: datetime) -> RuleSetVersion:
    """The files in force before the first publish, kept so a rollback can return to them."""
    files = read_files(live_dir())
    row = RuleSetVersion(version=version_of(files), rules_version=holder().current.version,
                         kind="baseline", files=files, diff="", published_at=now,
                         note="The rule files in force before the first publish from the web.")
    db.session.add(row)
    db.session.flush()
    return row


def refresh_runtime() -> None:
    """Reload the classifier and forget cached clock terms and ladders."""
    from tracker.services import deadlines

    holder().reload()
    deadlines.forget_cached()


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def file_diff(old: dict[str, str], new: dict[str, str]) -> str:
    """A unified diff of every rule file."""
    out: list[str] = []
    for name in RULE_FILES:
        out += difflib.unified_diff(old.get(name, "").splitlines(keepends=True),
                                    new.get(name, "").splitlines(keepends=True),
                                    f"a/{name}", f"b/{name}")
    return "".join(out)


def latest() -> RuleSetVersion | None:
    """The version published last (the one in force, unless files were edited by hand)."""
    return db.session.scalar(select(RuleSetVersion).order_by(RuleSetVersion.id.desc()).limit(1))


def versions(limit: int = 100) -> list[RuleSetVersion]:
    """Published versions, newest first."""
    return list(db.session.scalars(select(RuleSetVersion).order_by(RuleSetVersion.id.desc())
                                   .limit(limit)))


def version_for_concern(ruleset_version: str) -> RuleSetVersion | None:
    """The published version whose classifier routed a concern (by Concern.ruleset_version)."""
    return db.session.scalar(select(RuleSetVersion).where(
        RuleSetVersion.rules_version == ruleset_version).order_by(RuleSetVersion.id).limit(1))
