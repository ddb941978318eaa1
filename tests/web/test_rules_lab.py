"""The rules lab page: try a sentence, see why; a broken reload keeps the last good rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import REPO, FakeClock
from tests.factories import Prison, make_prison, staff_sign_in
from tracker.rules_runtime import RuleHolder


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        return make_prison(clock())


def test_lab_shows_decision_rules_and_words(client: FlaskClient, prison: Prison) -> None:
    staff_sign_in(client, "admin")
    r = client.post("/admin/rules/lab", data={"text": "they are taxing his canteen every week"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "bullying" in page and "Insiders" in page and "taxing" in page


def test_lab_is_closed_to_officers_and_supporters(client: FlaskClient, prison: Prison) -> None:
    staff_sign_in(client, "officer.a")
    assert client.get("/admin/rules/lab").status_code == 403


def test_admin_lands_on_a_page_they_may_use(client: FlaskClient, prison: Prison) -> None:
    r = client.post("/staff/signin", data={"username": "admin",
                                           "password": "a-long-staff-password"})
    assert r.headers["Location"] == "/admin/rules/lab"


def test_failed_reload_keeps_the_last_good_rules(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    holder = RuleHolder(rules)
    good = holder.current.version
    (rules / "classification.yaml").write_text("rules: [oops")
    assert holder.reload() is False
    assert holder.current.version == good and holder.last_error
    shutil.copy(REPO / "rules" / "classification.yaml", rules / "classification.yaml")
    assert holder.reload() is True and holder.last_error is None


def test_reload_button_reports_the_error_and_serves_on(client: FlaskClient, app: Flask,
                                                       prison: Prison, tmp_path: Path) -> None:
    holder: RuleHolder = app.extensions["tracker.rules"]
    original_dir, original = holder.rules_dir, holder.current
    broken = tmp_path / "rules"
    shutil.copytree(REPO / "rules", broken)
    (broken / "lexicons.yaml").write_text("lexicons: [")
    holder.rules_dir = broken
    try:
        staff_sign_in(client, "admin")
        page = client.post("/admin/rules/reload", follow_redirects=True).get_data(as_text=True)
        assert "last good rules" in page and holder.current is original
        r = client.post("/admin/rules/lab", data={"text": "they are taxing his canteen"})
        assert "bullying" in r.get_data(as_text=True)
    finally:
        holder.rules_dir = original_dir
