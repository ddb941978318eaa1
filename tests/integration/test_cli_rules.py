"""`tracker classify`, `tracker rules check|evaluate|diff`: the contracts other tools call."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from tests.conftest import REPO, SHARED, FakeClock
from tests.factories import make_prison, raise_concern

RULES = REPO / "rules"
CONTRACT = {"id", "categories", "urgency", "scheme", "co_schemes", "owner", "confidentiality",
            "rules", "evidence"}


def test_classify_reads_json_lines_and_writes_one_decision_per_line(runner: FlaskCliRunner) -> None:
    lines = [
        {"id": "a", "text": "they keep taxing his canteen and threatening him"},
        {"id": 7, "text": "hes gonna top himself tonight he said", "risk_now": False},
        {"id": "c", "text": "the officer on nights swore at him", "about_staff": "officer.a"},
        {"id": "d", "text": "when is his release date"},
    ]
    result = runner.invoke(args=["classify"], input="\n".join(json.dumps(x) for x in lines))
    assert result.exit_code == 0, result.output
    out = [json.loads(x) for x in result.output.splitlines()]
    assert [o["id"] for o in out] == ["a", 7, "c", "d"]
    assert all(CONTRACT <= set(o) for o in out)
    assert out[0]["categories"] == ["bullying"] and out[0]["scheme"] == "insiders"
    assert out[1]["urgency"] == "immediate"
    assert "staff_complaint" in out[2]["categories"] and out[2]["owner"] == "complaints"
    assert out[3]["categories"] == [] and out[3]["scheme"] in {"pal", "triage"}
    assert all(o["categories"] == sorted(o["categories"]) for o in out)


def test_classify_reports_bad_lines_and_carries_on(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["classify"], input='{"id": 1}\nnot json\n{"id": 2, "text": "hello there"}\n')
    assert result.exit_code == 0
    decided = [json.loads(x) for x in result.stdout.splitlines()]
    assert [d["id"] for d in decided] == [2]
    assert '"line": 1' in result.stderr and '"line": 2' in result.stderr


def test_rules_check_accepts_the_shipped_rules(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["rules", "check"])
    assert result.exit_code == 0 and "Rules OK" in result.output


def test_rules_check_names_file_and_rule_of_a_broken_rule(runner: FlaskCliRunner,
                                                          tmp_path: Path) -> None:
    broken = tmp_path / "rules"
    shutil.copytree(RULES, broken)
    path = broken / "classification.yaml"
    path.write_text(path.read_text() + "\n  - id: broken_rule\n    description: x\n    reason: x\n"
                    "    when: {pattern: '(unclosed'}\n    then: {categories: [bullying]}\n")
    result = runner.invoke(args=["rules", "check", "--rules", str(broken)])
    assert result.exit_code == 1
    assert "classification.yaml" in result.output and "broken_rule" in result.output


@pytest.mark.skipif(not (SHARED / "corpus" / "concerns.jsonl").exists(),
                    reason="../shared/corpus/concerns.jsonl is not beside the repository")
def test_rules_evaluate_prints_the_figures(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["rules", "evaluate", str(SHARED / "corpus" / "concerns.jsonl")])
    assert result.exit_code == 0, result.output
    for label in ("bullying", "emotional_distress", "equality", "staff_complaint", "macro"):
        assert label in result.output.lower()
    assert "immediate" in result.output.lower()


def test_rules_diff_replays_stored_concerns(runner: FlaskCliRunner, app: Flask,
                                            clock: FakeClock, tmp_path: Path) -> None:
    with app.app_context():
        prison = make_prison(clock())
        raise_concern(prison["sup.a"], "they keep taxing his vapes on the landing", clock())
        raise_concern(prison["sup.a"], "when can he get on the gym list", clock())
    candidate = tmp_path / "candidate"
    shutil.copytree(RULES, candidate)
    same = runner.invoke(args=["rules", "diff", "--base", str(RULES), "--rules", str(candidate)])
    assert same.exit_code == 0, same.output
    assert "Replayed 2 stored concerns: 0 would change." in same.output
    # A careless edit: "gym" made a bullying word. The diff shows it before it is published.
    rules = candidate / "classification.yaml"
    rules.write_text(rules.read_text() + "\n  - id: gym_is_bullying\n    description: x\n"
                     "    reason: x\n    when: {pattern: '\\bgym\\b'}\n"
                     "    then: {categories: [bullying], urgency: urgent}\n")
    changed = runner.invoke(args=["rules", "diff", "--base", str(RULES), "--rules", str(candidate)])
    assert changed.exit_code == 0, changed.output
    assert "Replayed 2 stored concerns: 1 would change." in changed.output
    assert "routine -> urgent: 1" in changed.output
    assert "gym list" not in changed.output  # words only with --show-text
