"""Publishing rules from the web: report viewed first, versions kept with diffs, rollback."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import REPO, FakeClock
from tests.factories import Prison, make_prison, raise_concern, staff_sign_in
from tracker.extensions import db
from tracker.models import AccessLog, Concern, RuleSetVersion, User
from tracker.rules_runtime import RuleHolder
from tracker.services import rule_versions

EXTRA_RULE = """
  - id: test_publish_marker
    description: A rule added by the publishing test (zebracrossingword).
    reason: the publishing test says so
    when:
      facts: {about_staff: true}
    then:
      categories: [equality]
"""


@pytest.fixture()
def live(app: Flask, tmp_path: Path) -> Iterator[Path]:
    """The app reads its rules from a copy, so publishing never touches the repository."""
    folder = tmp_path / "rules"
    shutil.copytree(REPO / "rules", folder)
    holder: RuleHolder = app.extensions["tracker.rules"]
    saved = (holder.rules_dir, holder.current, app.config["RULES_DIR"],
             app.config.get("RULES_CANDIDATE_DIR"))
    holder.rules_dir = folder
    app.config["RULES_DIR"] = str(folder)
    app.config["RULES_CANDIDATE_DIR"] = str(tmp_path / "candidate")
    with app.app_context():
        rule_versions.refresh_runtime()
    yield folder
    holder.rules_dir, holder.current = saved[0], saved[1]
    app.config["RULES_DIR"], app.config["RULES_CANDIDATE_DIR"] = saved[2], saved[3]
    with app.app_context():
        rule_versions.refresh_runtime()


@pytest.fixture()
def prison(app: Flask, clock: FakeClock, live: Path) -> Prison:
    with app.app_context():
        return make_prison(clock())


def _edited_classification(live: Path) -> bytes:
    text = (live / "classification.yaml").read_text()
    assert "\nrules:\n" in text
    return text.replace("\nrules:\n", "\nrules:" + EXTRA_RULE, 1).encode()


def _candidate(client: FlaskClient, body: bytes, name: str = "classification.yaml") -> str:
    assert client.post("/admin/rules/candidate/start").status_code == 303
    r = client.post("/admin/rules/candidate/upload", data={
        "name": name, "file": (io.BytesIO(body), name)}, content_type="multipart/form-data")
    assert r.status_code == 303, r.get_data(as_text=True)
    page = client.get("/admin/rules/versions").get_data(as_text=True)
    found = re.search(r"Candidate version <code>([0-9a-f]{16})</code>", page)
    assert found, page
    return found.group(1)


def _actions(app: Flask, action: str) -> list[AccessLog]:
    with app.app_context():
        return list(db.session.scalars(select(AccessLog).where(AccessLog.action == action)))


def test_publish_is_refused_until_the_report_is_viewed(client: FlaskClient, app: Flask,
                                                       prison: Prison, live: Path) -> None:
    staff_sign_in(client, "admin")
    before = (live / "classification.yaml").read_text()
    version = _candidate(client, _edited_classification(live))
    r = client.post("/admin/rules/publish", data={"version": version, "note": "adds a marker"})
    assert r.status_code == 303
    assert "View the replay report" in client.get("/admin/rules/versions").get_data(as_text=True)
    assert (live / "classification.yaml").read_text() == before
    with app.app_context():
        assert db.session.scalar(select(RuleSetVersion.id)) is None


def test_report_then_publish_then_rollback(client: FlaskClient, app: Flask, prison: Prison,
                                           live: Path, clock: FakeClock) -> None:
    with app.app_context():
        raiser = db.session.scalar(select(User).where(User.username == "sup.a"))
        assert raiser is not None
        raise_concern(raiser, "they keep taxing his canteen on the landing", clock())
    holder: RuleHolder = app.extensions["tracker.rules"]
    old_version = holder.current.version
    staff_sign_in(client, "admin")
    version = _candidate(client, _edited_classification(live))
    report = client.get("/admin/rules/candidate/report").get_data(as_text=True)
    assert "would change" in report and "test_publish_marker" in report  # the file diff
    assert [a.detail["version"] for a in _actions(app, "rules_report_viewed")] == [version]
    r = client.post("/admin/rules/publish", data={"version": version, "note": "adds a marker"})
    assert r.status_code == 303
    assert "test_publish_marker" in (live / "classification.yaml").read_text()
    assert holder.current.version != old_version
    with app.app_context():
        rows = list(db.session.scalars(select(RuleSetVersion).order_by(RuleSetVersion.id)))
        assert [r.kind for r in rows] == ["baseline", "publish"]
        assert rows[1].version == version and rows[1].note == "adds a marker"
        assert "+  - id: test_publish_marker" in rows[1].diff
        assert rows[0].rules_version == old_version
        assert rows[1].rules_version == holder.current.version
        assert set(rows[1].files) == set(rule_versions.RULE_FILES)
        baseline_id = rows[0].id
        # a concern raised now records the published version
        raiser = db.session.scalar(select(User).where(User.username == "sup.a"))
        assert raiser is not None
        new = raise_concern(raiser, "they took his vapes again on the 2s", clock()).concern
        assert new.ruleset_version == rows[1].rules_version
        assert rule_versions.version_for_concern(new.ruleset_version).id == rows[1].id  # type: ignore[union-attr]
    (published,) = _actions(app, "rules_publish")
    assert published.detail["before"]["rules_version"] == old_version
    assert published.detail["after"]["version"] == version
    r = client.post(f"/admin/rules/versions/{baseline_id}/rollback", data={"note": "undo"})
    assert r.status_code == 303
    assert "test_publish_marker" not in (live / "classification.yaml").read_text()
    assert holder.current.version == old_version
    with app.app_context():
        kinds = list(db.session.scalars(select(RuleSetVersion.kind).order_by(RuleSetVersion.id)))
    assert kinds == ["baseline", "publish", "rollback"]
    assert len(_actions(app, "rules_rollback")) == 1
    with app.app_context():
        assert db.session.scalar(select(Concern.ruleset_version).order_by(Concern.id)) == old_version


def test_a_candidate_changed_after_its_report_must_be_viewed_again(client: FlaskClient,
                                                                   prison: Prison,
                                                                   live: Path) -> None:
    staff_sign_in(client, "admin")
    version = _candidate(client, _edited_classification(live))
    client.get("/admin/rules/candidate/report")
    body = _edited_classification(live).replace(b"zebracrossingword", b"otherword")
    client.post("/admin/rules/candidate/upload", data={
        "name": "classification.yaml", "file": (io.BytesIO(body), "c.yaml")},
        content_type="multipart/form-data")
    client.post("/admin/rules/publish", data={"version": version, "note": "stale"})
    assert "zebracrossingword" not in (live / "classification.yaml").read_text()


def test_a_report_viewed_by_someone_else_does_not_count(client: FlaskClient, app: Flask,
                                                        prison: Prison, live: Path,
                                                        clock: FakeClock) -> None:
    from tests.factories import PASSWORD
    from tracker.services import setup

    with app.app_context():
        setup.add_user("admin2", "admin", PASSWORD, clock(), establishment="TST", cheap_hash=True)
    staff_sign_in(client, "admin")
    version = _candidate(client, _edited_classification(live))
    client.get("/admin/rules/candidate/report")
    other = app.test_client()
    staff_sign_in(other, "admin2")
    other.post("/admin/rules/publish", data={"version": version, "note": "not mine"})
    assert "zebracrossingword" not in (live / "classification.yaml").read_text()


def test_a_broken_candidate_cannot_be_published(client: FlaskClient, app: Flask, prison: Prison,
                                                live: Path) -> None:
    staff_sign_in(client, "admin")
    version = _candidate(client, b"rules: [oops", "classification.yaml")
    page = client.get("/admin/rules/versions").get_data(as_text=True)
    assert "it does not load" in page
    report = client.get("/admin/rules/candidate/report").get_data(as_text=True)
    assert "cannot be replayed or published" in report
    r = client.post("/admin/rules/publish", data={"version": version, "note": "broken"})
    assert r.status_code in (303, 422)
    assert (live / "classification.yaml").read_text() == (REPO / "rules" /
                                                           "classification.yaml").read_text()


def test_broken_clock_settings_are_refused_too(client: FlaskClient, prison: Prison,
                                               live: Path) -> None:
    staff_sign_in(client, "admin")
    _candidate(client, b"version: 1\nterms: nonsense\n", "clocks.yaml")
    assert "it does not load" in client.get("/admin/rules/versions").get_data(as_text=True)


@pytest.mark.parametrize("form", [{"version": "", "note": "x"}, {"version": "0" * 16, "note": ""}])
def test_publish_form_errors(client: FlaskClient, prison: Prison, live: Path,
                             form: dict[str, str]) -> None:
    staff_sign_in(client, "admin")
    _candidate(client, _edited_classification(live))
    r = client.post("/admin/rules/publish", data=form)
    assert r.status_code == 422 and "error-summary" in r.get_data(as_text=True)


@pytest.mark.parametrize("username", ["governor", "sc", "officer.a"])
def test_rule_versions_are_for_admins_only(client: FlaskClient, prison: Prison,
                                           username: str) -> None:
    staff_sign_in(client, username)
    assert client.get("/admin/rules/versions").status_code == 403
    assert client.post("/admin/rules/publish", data={}).status_code == 403


def test_cli_rules_check_still_reads_the_live_files(runner: object, prison: Prison,
                                                    live: Path) -> None:
    from flask.testing import FlaskCliRunner

    assert isinstance(runner, FlaskCliRunner)
    result = runner.invoke(args=["rules", "check"])
    assert result.exit_code == 0 and str(live) in result.output


def test_another_worker_picks_up_a_publish(tmp_path: Path) -> None:
    """Each gunicorn worker has its own holder: it notices the files changed and reloads."""
    folder = tmp_path / "rules"
    shutil.copytree(REPO / "rules", folder)
    holder = RuleHolder(folder)
    before = holder.current.version
    assert holder.refresh_if_changed(every_seconds=0) is False
    text = (folder / "classification.yaml").read_text()
    (folder / "classification.yaml").write_text(text.replace("\nrules:\n", "\nrules:" + EXTRA_RULE, 1))
    assert holder.refresh_if_changed(every_seconds=0) is True
    assert holder.current.version != before


def test_a_retrained_safety_net_is_picked_up_like_a_rule_edit(tmp_path: Path) -> None:
    """Writing rules/learned.json (tracker.rules_engine.train) reloads every worker's rules."""
    folder = tmp_path / "rules"
    shutil.copytree(REPO / "rules", folder)
    holder = RuleHolder(folder)
    before = holder.current
    assert before.learned is not None and holder.refresh_if_changed(every_seconds=0) is False
    model = folder / "learned.json"
    model.write_text(model.read_text() + "\n")  # as a retrain writes it again
    assert holder.refresh_if_changed(every_seconds=0) is True
    assert holder.current is not before and holder.current.learned is not None


def test_a_candidate_that_breaks_the_safety_net_cannot_be_published(
        client: FlaskClient, app: Flask, prison: Prison, live: Path) -> None:
    """learned.json names lexicons (its traps); renaming one in a candidate would leave the
    published rules unloadable, so the candidate is refused, as any broken one is."""
    renamed = {name: re.sub(r"\binnocent_cause\b", "innocent_reason", (live / name).read_text())
               for name in ("lexicons.yaml", "classification.yaml")}
    staff_sign_in(client, "admin")
    version = _candidate(client, renamed["lexicons.yaml"].encode(), "lexicons.yaml")
    r = client.post("/admin/rules/candidate/upload", data={
        "name": "classification.yaml",
        "file": (io.BytesIO(renamed["classification.yaml"].encode()), "classification.yaml")},
        content_type="multipart/form-data")
    assert r.status_code == 303
    page = client.get("/admin/rules/versions").get_data(as_text=True)
    assert "it does not load" in page and "innocent_cause" in page
    version = re.search(r"Candidate version <code>([0-9a-f]{16})</code>", page).group(1)  # type: ignore[union-attr]
    client.post("/admin/rules/publish", data={"version": version, "note": "renamed a list"})
    assert (live / "lexicons.yaml").read_text() == (REPO / "rules" / "lexicons.yaml").read_text()


def test_the_report_replays_the_candidate_with_the_safety_net_in_force(app: Flask,
                                                                      live: Path) -> None:
    """An unchanged candidate decides every concern exactly as the rules in force do."""
    with app.app_context():
        files = rule_versions.read_files(live)
        assert rule_versions.compile_files(files).learned is not None
