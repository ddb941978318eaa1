"""Extract the rules' unit-test sentences as training examples for the learned safety net.

    python -m tracker.rules_engine.unit_sentences           # write tests/data/unit_sentences.jsonl
    python -m tracker.rules_engine.unit_sentences --check   # exit 1 if the file is out of date

The rules' unit tests (tests/unit/rules_engine/test_rules_round*.py, test_rules_classify.py,
test_rules_slang.py) hold invented sentences in parametrised tables, each with what the tests
expect: "must be immediate", "must carry bullying", "must not be immediate" (a word-sense trap),
"must carry no category". The test modules are imported and each table is read from its test
function's `parametrize` mark; `EXPECTATIONS` says, for every such test, which labels its
assertions make explicit. A label is used only where the assertion is explicit for it:

* "urgency == immediate" -> positive for immediate; "urgency != immediate" or "== urgent" ->
  negative for immediate;
* "category in categories" -> positive for that category; "not in" -> negative for it;
* "categories == ()" -> negative for all four; "categories == (x,)" -> x positive, others negative.

Anything else says nothing about a label ("urgency in (urgent, immediate)", "not (immediate and
distress)", routing tables): that label stays unknown for the sentence and the trainer leaves
the sentence out of that label's model. A sentence in several tables gets the union; a label
that one table makes positive and another negative is dropped as ambiguous (none today).

Each line of the file: {"text", "positive": [labels], "negative": [labels], "tests": [...]}.
It deliberately has no "categories" / "urgency" keys: it is not a labelled set and is never
scored, only learned from (and never held out in cross-validation).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tracker.rules_engine.facts import CATEGORIES
from tracker.rules_engine.learned import IMMEDIATE

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests" / "unit" / "rules_engine"
OUT = REPO / "tests" / "data" / "unit_sentences.jsonl"
MODULES = ("test_rules_classify.py", "test_rules_slang.py",
           *(f"test_rules_round{n}.py" for n in range(2, 21)))

Params = dict[str, Any]
#: (positive labels, negative labels) for one table row
Expect = tuple[set[str], set[str]]
_ED, _BU, _EQ, _ST = "emotional_distress", "bullying", "equality", "staff_complaint"


def _pos(*labels: str) -> Callable[[Params], Expect]:
    return lambda p: (set(labels), set())


def _neg(*labels: str) -> Callable[[Params], Expect]:
    return lambda p: (set(), set(labels))


def _category(p: Params) -> Expect:
    return {p["category"]}, set()


def _absent(p: Params) -> Expect:
    return set(), {p["absent"]}


def _not_category(p: Params) -> Expect:
    return set(), {p["category"]}


def _only_distress(p: Params) -> Expect:
    # categories == ("emotional_distress",); urgency given (or None: not asserted)
    pos, neg = {_ED}, set(CATEGORIES) - {_ED}
    if p["urgency"] == IMMEDIATE:
        pos.add(IMMEDIATE)
    elif p["urgency"] is not None:
        neg.add(IMMEDIATE)
    return pos, neg


def _round(n: int, **own: Callable[[Params], Expect]) -> dict[str, dict[str, Callable[[Params], Expect]]]:
    """A round from 10 on: its RISK and TRAPS tests (immediate / not), plus its own tests by name."""
    return {f"test_rules_round{n}.py": {
        f"test_round{n}_risk_to_life_is_immediate": _pos(IMMEDIATE),
        f"test_round{n}_traps_are_not_immediate": _neg(IMMEDIATE),
        **{f"test_round{n}_{name}": expect for name, expect in own.items()},
    }}


_ALL = tuple(CATEGORIES)
#: module -> test function -> what its assertions make explicit. A parametrised test of these
#: modules missing here is an error (so a new table is looked at, not silently skipped);
#: SKIP lists the ones that say nothing explicit about a label.
EXPECTATIONS: dict[str, dict[str, Callable[[Params], Expect]]] = {
    "test_rules_classify.py": {
        "test_slang_and_spelling_give_the_category": _category,
        "test_risk_to_life_is_immediate": _pos(IMMEDIATE),
        "test_word_sense_traps_are_not_immediate": _neg(IMMEDIATE),
        "test_negated_or_resolved_signals_do_not_count": _absent,
    },
    "test_rules_slang.py": {
        "test_risk_to_life_in_other_words_is_immediate": _pos(IMMEDIATE),
        "test_slang_and_phrasing_families_give_the_category": _category,
        "test_negated_or_resolved_slang_does_not_count": _absent,
        "test_traps_are_not_immediate": _neg(IMMEDIATE),
    },
    "test_rules_round2.py": {
        "test_round2_risk_to_life_is_immediate": _pos(IMMEDIATE),
        "test_round2_risk_to_life_is_distress": _pos(_ED),
        "test_round2_staff_conduct_is_staff_complaint": _pos(_ST),
        "test_round2_other_families": _category,
    },
    "test_rules_round3.py": {
        "test_round3_risk_to_life_is_immediate": _pos(IMMEDIATE, _ED),
        "test_round3_traps_are_not_immediate": _neg(IMMEDIATE),
        "test_round3_traps_carry_no_category": _neg(*_ALL),
        "test_round3_staff_complaints": _pos(_ST),
        "test_round3_coercion_and_threats_are_urgent_bullying": _pos(_BU),
        "test_round3_other_bullying": _pos(_BU),
        "test_round3_equality": _pos(_EQ),
        "test_disability_with_a_safety_risk_is_urgent_equality": lambda p: ({_EQ}, {IMMEDIATE}),
        "test_round3_distress": _only_distress,
    },
    "test_rules_round4.py": {
        "test_risk_concepts_are_immediate": _pos(IMMEDIATE),
        "test_round4_traps_are_not_immediate": _neg(IMMEDIATE),
        "test_category_concepts": _category,
        "test_acute_distress_is_urgent": _pos(_ED),
        "test_category_traps_stay_quiet": _neg(_BU, IMMEDIATE),
    },
    "test_rules_round5.py": {
        "test_round5_risk_families_are_immediate": _pos(IMMEDIATE),
        "test_round5_traps_are_not_immediate": _neg(IMMEDIATE),
        "test_round5_category_families": _category,
        "test_round5_category_traps_stay_quiet": _neg(_ST, IMMEDIATE),
    },
    "test_rules_round6.py": {
        "test_round6_risk_families_are_immediate": _pos(IMMEDIATE),
        "test_round6_traps_are_not_immediate": _neg(IMMEDIATE),
        "test_round6_category_families": _category,
        "test_round6_category_traps_are_not_equality": _neg(_EQ),
    },
    "test_rules_round7.py": {
        "test_round7_risk_families_are_immediate": _pos(IMMEDIATE),
        "test_round7_traps_are_not_immediate": _neg(IMMEDIATE),
        "test_round7_category_families": _category,
        "test_round7_traps_are_not_staff_complaints": _neg(_ST),
        "test_round7_property_lost_in_transfer_is_a_staff_complaint": _pos(_ST),
        "test_round7_winding_him_up_is_bullying": _pos(_BU),
    },
    "test_rules_round8.py": {
        "test_round8_risk_families_are_immediate": _pos(IMMEDIATE),
        "test_round8_traps_are_not_immediate": _neg(IMMEDIATE),
        "test_round8_category_families": _category,
        "test_round8_category_traps": _not_category,
    },
    "test_rules_round9.py": {
        "test_risk_family_is_immediate": lambda p: ({IMMEDIATE, _ED}, {_BU}),
        "test_planned_violence_is_immediate_bullying": _pos(IMMEDIATE, _BU),
        "test_category_family": _category,
        "test_traps_are_not_immediate": _neg(IMMEDIATE),
        "test_not_bullying": _neg(_BU),
    },
    # rounds 10 on share one shape: RISK must be immediate, TRAPS must not; then their own tests
    **_round(10),
    **_round(11, a_bare_threat_is_still_an_urgent_bullying_concern=lambda p: ({_BU}, {IMMEDIATE})),
    **_round(12, an_attack_by_someone_else_is_bullying_not_self_harm=_pos(_BU)),
    **_round(13, not_expecting_to_live_to_release_is_immediate=_pos(IMMEDIATE)),
    **_round(14),
    **_round(15),
    **_round(16, force_by_staff_is_an_urgent_staff_complaint=lambda p: ({_ST}, {_BU, IMMEDIATE})),
    **_round(17),
    **_round(18),
    **_round(19, his_own_temper_with_a_cellmate_is_not_bullying=_neg(_BU)),
    **_round(20, a_worry_about_a_faith_provision_is_equality_not_distress=(
        lambda p: ({_EQ}, {_ED, IMMEDIATE}))),
}
#: Parametrised tests that make no label explicit for their sentences.
SKIP = {
    # "not (immediate and emotional distress)": neither label alone is asserted
    "test_round2_traps_are_not_self_harm_or_suicide",
    "test_routing",  # scheme and owners, not labels
    "test_bad_facts_are_refused",  # invalid input
    # per rule, not per sentence ("fires on three of its sentences")
    "test_each_concept_rule_fires_on_three_of_its_sentences",
    "test_each_category_rule_fires_on_three_of_its_sentences",
    *(f"test_each_round{n}_rule_fires_on_three_of_its_sentences" for n in (5, 6)),
    *(f"test_each_round{n}_category_rule_fires_on_three" for n in (5, 6, 7, 8)),
    "test_each_round7_risk_rule_fires_on_three_of_its_sentences",
    "test_each_round8_risk_rule_fires_on_three_of_its_sentences",
}


def _import(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(f"_unit_sentences_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(function: Any) -> Iterator[Params]:
    """The parameter rows of a parametrised test function, as name -> value."""
    for mark in getattr(function, "pytestmark", ()):
        if mark.name != "parametrize":
            continue
        names, values = mark.args[0], mark.args[1]
        if isinstance(names, str):
            names = [n.strip() for n in names.split(",")]
        for value in values:
            value = getattr(value, "values", value)  # pytest.param(...)
            if len(names) == 1:
                value = (value,) if not isinstance(value, tuple) or len(value) != 1 else value
            yield dict(zip(names, value, strict=True))


def extract(tests: Path = TESTS) -> list[dict[str, Any]]:
    """Every sentence with its explicit positive and negative labels, in a stable order."""
    found: dict[str, dict[str, Any]] = {}
    for name in MODULES:
        module = _import(tests / name)
        table = EXPECTATIONS[name]
        for attr in sorted(vars(module)):
            function = getattr(module, attr)
            if not attr.startswith("test_") or not callable(function):
                continue
            rows = list(_rows(function))
            if not rows or attr in SKIP:
                continue
            if attr not in table:
                raise KeyError(f"{name}::{attr} is parametrised but not in EXPECTATIONS or SKIP")
            for params in rows:
                text = params.get("text")
                if not isinstance(text, str):
                    raise KeyError(f"{name}::{attr}: a row without a text ({params!r})")
                pos, neg = table[attr](params)
                entry = found.setdefault(text, {"text": text, "positive": set(), "negative": set(),
                                                "tests": set()})
                entry["positive"] |= pos
                entry["negative"] |= neg
                entry["tests"].add(f"{name}::{attr}")
    out = []
    for text in sorted(found):
        entry = found[text]
        clash = entry["positive"] & entry["negative"]  # ambiguous: say nothing about it
        out.append({"text": text,
                    "positive": sorted(entry["positive"] - clash),
                    "negative": sorted(entry["negative"] - clash),
                    "tests": sorted(entry["tests"])})
    return [row for row in out if row["positive"] or row["negative"]]


def render(rows: list[dict[str, Any]]) -> str:
    """The file text: one JSON object a line, keys in a fixed order."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m tracker.rules_engine.unit_sentences",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the file is current")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rows = extract()
    text = render(rows)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run python -m tracker.rules_engine.unit_sentences",
                  file=sys.stderr)
            return 1
        print(f"{args.out} is current ({len(rows)} sentences)")
        return 0
    args.out.write_text(text, encoding="utf-8")
    pos = sum(bool(r["positive"]) for r in rows)
    print(f"wrote {args.out}: {len(rows)} sentences ({pos} with a positive label, "
          f"{len(rows) - pos} negative only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
