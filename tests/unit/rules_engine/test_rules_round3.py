"""Round 3 families: risk to life from heights, repeats, anniversaries and finality; staff complaints
(retaliation, unfair punishments, opened mail, refusals, obs not done, confidentiality pressure);
coercion and gang pressure; distress from family news, sentences and sleeplessness; and their traps.

Every sentence here was written fresh for these tests (not taken from any labelled set).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tracker.rules_engine import RuleFileError, load_ruleset

RULES_DIR = Path(__file__).resolve().parents[3] / "rules"


def _with_lexicon(tmp_path: Path, extra: str) -> Path:
    """A copy of the shipped rules with one more lexicon at the end of lexicons.yaml."""
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    with (target / "lexicons.yaml").open("a", encoding="utf-8") as handle:
        handle.write(extra)
    return target


# ---------------- include: one lexicon sees another's entries ----------------

def test_include_adds_the_other_lexicons_entries(tmp_path: Path) -> None:
    extra = ("\n  made_up_words:\n    description: test\n    include: [debt]\n"
             "    words: [zzplonk]\n")
    ruleset = load_ruleset(_with_lexicon(tmp_path, extra))
    assert "made_up_words" in ruleset.matcher.lexicons_of("double bubble")
    assert "debt" in ruleset.matcher.lexicons_of("double bubble")
    assert ruleset.matcher.lexicons_of("zzplonk") == frozenset({"made_up_words"})


def test_include_of_an_unknown_lexicon_is_refused(tmp_path: Path) -> None:
    extra = "\n  made_up_words:\n    description: test\n    include: [debtz]\n    words: [zzplonk]\n"
    with pytest.raises(RuleFileError, match="include: unknown lexicon 'debtz'") as caught:
        load_ruleset(_with_lexicon(tmp_path, extra))
    assert caught.value.rule_id == "made_up_words"
    assert caught.value.file == "lexicons.yaml"


def test_include_must_be_a_list(tmp_path: Path) -> None:
    extra = "\n  made_up_words:\n    description: test\n    include: debt\n    words: [zzplonk]\n"
    with pytest.raises(RuleFileError, match="include must be a list"):
        load_ruleset(_with_lexicon(tmp_path, extra))


def test_bullying_done_by_staff_is_staff_conduct(decide) -> None:
    decision = decide("the officer wont let him use the phone on association")
    assert "staff_complaint" in decision.categories
