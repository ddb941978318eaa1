"""Loading the rule files: the shipped set loads fast; bad files are refused with file, rule and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tracker.rules_engine import RuleFileError, RulesError, load_ruleset

RULES_DIR = Path(__file__).resolve().parents[3] / "rules"

GOOD_RULE = """
  - id: extra_rule
    description: an extra rule for the test
    when:
      any_of: [self_harm]
    then:
      urgency: immediate
"""


def _rules_copy(tmp_path: Path, extra_rule: str = "", lexicon_extra: str = "") -> Path:
    """A copy of the shipped rules with one rule appended to classification.yaml."""
    target = tmp_path / "rules"
    target.mkdir()
    for name in ("lexicons.yaml", "classification.yaml", "routing.yaml"):
        shutil.copy(RULES_DIR / name, target / name)
    with (target / "classification.yaml").open("a", encoding="utf-8") as handle:
        handle.write(extra_rule)
    with (target / "lexicons.yaml").open("a", encoding="utf-8") as handle:
        handle.write(lexicon_extra)
    return target


def _line_of(path: Path, needle: str) -> int:
    """1-based line number of the last line containing needle."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return max(i for i, line in enumerate(lines, 1) if needle in line)


def test_shipped_rules_load_with_short_version(ruleset) -> None:
    assert len(ruleset.version) == 12
    int(ruleset.version, 16)
    assert ruleset.source_dir == RULES_DIR


def test_version_changes_when_a_file_changes(tmp_path: Path, ruleset) -> None:
    changed = load_ruleset(_rules_copy(tmp_path, GOOD_RULE))
    assert changed.version != ruleset.version


@pytest.mark.parametrize(
    ("rule", "needle", "message"),
    [
        ("      facts: {in_danger: true}\n", "in_danger", "unknown fact 'in_danger'"),
        ("      facts: {risk_now: 'yes'}\n", "risk_now: 'yes'", "takes bool"),
        ("      any_of: [no_such_lexicon]\n", "no_such_lexicon", "unknown lexicon 'no_such_lexicon'"),
        ("      all_of: [nope]\n", "nope", "unknown lexicon 'nope'"),
        ("      pattern: '(unclosed'\n", "(unclosed", "bad pattern"),
        ("      mystery: [self_harm]\n", "mystery", "unknown condition 'mystery'"),
        ("      unless_categories: [gossip]\n", "gossip", "unknown category 'gossip'"),
    ],
)
def test_bad_condition_is_refused_with_file_rule_and_line(
    tmp_path: Path, rule: str, needle: str, message: str
) -> None:
    text = f"""
  - id: broken_rule
    description: a broken rule
    when:
{rule}    then:
      urgency: urgent
"""
    rules_dir = _rules_copy(tmp_path, text)
    with pytest.raises(RuleFileError) as caught:
        load_ruleset(rules_dir)
    error = caught.value
    assert error.file == "classification.yaml"
    assert error.rule_id == "broken_rule"
    assert error.line == _line_of(rules_dir / "classification.yaml", needle)
    assert message in error.message
    assert str(error).startswith(f"classification.yaml:{error.line}: rule broken_rule: ")


def test_duplicate_rule_id_is_refused(tmp_path: Path) -> None:
    rules_dir = _rules_copy(tmp_path, GOOD_RULE + GOOD_RULE)
    with pytest.raises(RuleFileError) as caught:
        load_ruleset(rules_dir)
    assert caught.value.rule_id == "extra_rule"
    assert "duplicate rule id" in caught.value.message
    assert caught.value.line == _line_of(rules_dir / "classification.yaml", "id: extra_rule")


def test_unknown_outcome_category_is_refused(tmp_path: Path) -> None:
    rule = GOOD_RULE.replace("urgency: immediate", "categories: [gossip]")
    with pytest.raises(RuleFileError, match="unknown category 'gossip'"):
        load_ruleset(_rules_copy(tmp_path, rule))


def test_duplicate_lexicon_name_is_refused(tmp_path: Path) -> None:
    extra = "\n  self_harm:\n    description: again\n    words: [x]\n"
    rules_dir = _rules_copy(tmp_path, lexicon_extra=extra)
    with pytest.raises(RuleFileError) as caught:
        load_ruleset(rules_dir)
    assert caught.value.file == "lexicons.yaml"
    assert "duplicate key 'self_harm'" in caught.value.message
    assert caught.value.line == _line_of(rules_dir / "lexicons.yaml", "  self_harm:")


def test_unknown_word_group_is_refused(tmp_path: Path) -> None:
    extra = "\n  odd_words:\n    description: uses a missing group\n    words: [hit <nobody>]\n"
    with pytest.raises(RuleFileError, match="unknown group <nobody>") as caught:
        load_ruleset(_rules_copy(tmp_path, lexicon_extra=extra))
    assert caught.value.rule_id == "odd_words"


def test_broken_yaml_reports_line(tmp_path: Path) -> None:
    rules_dir = _rules_copy(tmp_path, "\n  - id: [unclosed\n")
    with pytest.raises(RuleFileError) as caught:
        load_ruleset(rules_dir)
    assert caught.value.file == "classification.yaml"
    assert caught.value.line is not None


def test_missing_file_is_a_rule_file_error(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="lexicons.yaml"):
        load_ruleset(tmp_path)


def test_routing_with_unknown_scheme_is_refused(tmp_path: Path) -> None:
    rules_dir = _rules_copy(tmp_path)
    routing = rules_dir / "routing.yaml"
    routing.write_text(routing.read_text().replace("scheme: pal", "scheme: pals"))
    with pytest.raises(RuleFileError) as caught:
        load_ruleset(rules_dir)
    assert caught.value.file == "routing.yaml"
    assert caught.value.rule_id == "practical_question"
    assert caught.value.line == _line_of(routing, "scheme: pals")


def test_a_denial_without_a_negation_word_is_refused(tmp_path) -> None:
    """negation.denials are found by first looking for a negation word, so each needs one."""
    folder = _rules_copy(tmp_path)
    lexicons = folder / "lexicons.yaml"
    text = lexicons.read_text(encoding="utf-8")
    assert "  denials: [no thoughts of," in text
    lexicons.write_text(text.replace("  denials: [no thoughts of,", "  denials: [thoughts of,"),
                        encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_ruleset(folder)
    assert caught.value.file == "lexicons.yaml"
    assert "negation.denials: 'thoughts of' has no negation word" in str(caught.value)
