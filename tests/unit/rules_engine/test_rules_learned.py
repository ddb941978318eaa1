"""The learned safety net: same numbers as scikit-learn, validated file, union only, explanations."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import shutil
from pathlib import Path

import pytest

from tracker.rules_engine import ConcernFacts, RuleFileError, classify, load_ruleset
from tracker.rules_engine.learned import LABELS, features, parse_learned
from tracker.rules_engine.normalise import normalise

REPO = Path(__file__).resolve().parents[3]
RULES_DIR = REPO / "rules"
DATA = REPO / "tests" / "data"
SMALL = [DATA / "concerns_team.jsonl", DATA / "concerns_final.jsonl"]


def _copy(tmp_path: Path, learned: str | None) -> Path:
    """A copy of the shipped rules with the given learned.json text (None: without one)."""
    target = tmp_path / "rules"
    target.mkdir()
    for name in ("lexicons.yaml", "classification.yaml", "routing.yaml"):
        shutil.copy(RULES_DIR / name, target / name)
    if learned is not None:
        (target / "learned.json").write_text(learned, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def shipped() -> dict:
    return json.loads((RULES_DIR / "learned.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rules_only(tmp_path_factory):
    return load_ruleset(_copy(tmp_path_factory.mktemp("only"), None))


# ---- the shipped model ------------------------------------------------------------------------

def test_shipped_model_loads_with_the_rules(ruleset, shipped) -> None:
    assert ruleset.learned is not None
    model = ruleset.learned.model
    assert model.labels == LABELS
    assert model.fingerprint == shipped["training_data"]["fingerprint"]
    assert shipped["trained"] and shipped["training_data"]["files"]
    assert all(0.5 <= t < 1 for t in model.thresholds)


def test_without_learned_json_the_rules_stand_alone(rules_only, ruleset) -> None:
    assert rules_only.learned is None
    # not part of the version: web publishing compiles the five rule files alone (see loader)
    assert rules_only.version == ruleset.version


# ---- loader validation --------------------------------------------------------------------------

@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["labels"]["bullying"].update(threshold=1.5), "threshold must be between 0 and 1"),
    (lambda d: d["labels"]["immediate"].update(intercept=float("nan")), "must be a finite number"),
    (lambda d: d.update(label_order=[*d["label_order"][:-1], "urgent"]), "unknown label 'urgent'"),
    (lambda d: d["features"].update({"tablets": [1.0, 2.0]}), "needs [idf, 5 weights]"),
    (lambda d: d["features"].update({"tablets": "x"}), "must be a finite number"),
    # a bad number inside a weights list names the feature (the list is checked in one pass first)
    (lambda d: d["features"].update({"tablets": [1.0, 0.1, "x", 0.1, 0.1, 0.1]}),
     "feature 'tablets' must be a finite number, got 'x'"),
    (lambda d: d["features"].update({"tablets": [1.0, 0.1, 0.1, True, 0.1, 0.1]}),
     "feature 'tablets' must be a finite number, got True"),
    (lambda d: d["features"].update({"tablets": [1.0, 0.1, 0.1, 0.1, float("inf"), 0.1]}),
     "feature 'tablets' must be a finite number, got inf"),
    (lambda d: d["features"].update({"tablets": [1.0, 0.1, 0.1, 0.1, 0.1, None]}),
     "feature 'tablets' must be a finite number, got None"),
    (lambda d: d["traps"].update(no_such_list=["immediate"]), "unknown lexicon 'no_such_list'"),
    (lambda d: d.update(format=99), "unknown format 99"),
    (lambda d: d.pop("training_data"), "training_data"),
])
def test_bad_model_file_is_refused_with_file_and_message(tmp_path, shipped, change, message) -> None:
    data = json.loads(json.dumps(shipped))
    change(data)
    folder = _copy(tmp_path, json.dumps(data, allow_nan=True))
    with pytest.raises(RuleFileError) as caught:
        load_ruleset(folder)
    assert caught.value.file == "learned.json"
    assert message in str(caught.value)


def test_large_finite_weights_whose_sum_overflows_are_accepted(tmp_path, shipped) -> None:
    data = json.loads(json.dumps(shipped))
    data["features"]["tablets"] = [1.0, 1e308, 1e308, 0.0, 0.0, 0.0]  # each finite, the sum is not
    model = load_ruleset(_copy(tmp_path, json.dumps(data))).learned.model
    assert model.weights["tablets"][:2] == (1e308, 1e308)


def test_the_bulk_check_and_the_one_by_one_check_read_a_file_alike(tmp_path, shipped) -> None:
    """The usual file is checked in bulk; anything unusual (an idf of 0, whole numbers) one by one."""
    from tracker.rules_engine.learned import _features_at_once, _features_one_by_one

    assert _features_at_once(shipped["features"], 5) == _features_one_by_one(shipped["features"], 5)
    data = json.loads(json.dumps(shipped))
    data["features"]["pruned word"] = 3.5  # every weight pruned: a bare idf, still read in bulk
    assert _features_at_once(data["features"], 5) == _features_one_by_one(data["features"], 5)
    assert list(_features_at_once(data["features"], 5)[0]) == list(data["features"])
    data["features"]["tablets"] = [2, 1, 0, 0, 0, -1]  # whole numbers are numbers too
    assert _features_at_once(data["features"], 5) is None
    model = load_ruleset(_copy(tmp_path, json.dumps(data))).learned.model
    assert model.idf["tablets"] == 2.0 and model.weights["tablets"] == (1.0, 0.0, 0.0, 0.0, -1.0)
    data["features"]["tablets"] = [0.0, 0.1, 0.1, 0.1, 0.1, 0.1]
    (tmp_path / "zero").mkdir()
    zero = _copy(tmp_path / "zero", json.dumps(data))
    with pytest.raises(RuleFileError, match="feature 'tablets': idf must be positive"):
        load_ruleset(zero)


_SCORES_SCRIPT = """
import json, sys
from tracker.rules_engine import load_ruleset
from tracker.rules_engine.learned import features
from tracker.rules_engine.normalise import normalise
rules = load_ruleset(sys.argv[1])
texts = [json.loads(line)["text"] for line in open(sys.argv[2], encoding="utf-8")]
print(json.dumps([rules.learned.model.scores(features(normalise(t, rules.corrector).words))
                  for t in texts]))
"""


def test_scores_are_the_same_on_every_worker_whatever_its_hash_seed() -> None:
    """Each web worker has its own hash seed: a concern on a threshold must not flip between them."""
    import subprocess
    import sys

    def scores(seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        return subprocess.run([sys.executable, "-c", _SCORES_SCRIPT, str(RULES_DIR),  # noqa: S603
                               str(DATA / "concerns_team.jsonl")], env=env, check=True,
                              capture_output=True, text=True).stdout

    assert scores("1") == scores("2")


def test_model_file_that_is_not_json_names_the_line(tmp_path) -> None:
    with pytest.raises(RuleFileError) as caught:
        load_ruleset(_copy(tmp_path, '{"format": 1,\n oops}'))
    assert caught.value.file == "learned.json" and caught.value.line == 2


# ---- union only, vetoes -------------------------------------------------------------------------

def _all_rows() -> list[dict]:
    rows = []
    for path in sorted(DATA.glob("concerns_*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def test_the_model_only_adds(ruleset, rules_only) -> None:
    rank = {"routine": 0, "urgent": 1, "immediate": 2}
    added = 0
    for row in _all_rows():
        facts = ConcernFacts(text=row["text"], risk_now=bool(row.get("risk_now", False)),
                             about_staff=bool(row.get("about_staff", False)))
        before, after = classify(rules_only, facts), classify(ruleset, facts)
        assert set(before.categories) <= set(after.categories)
        assert rank[after.urgency] >= rank[before.urgency]
        assert after.rules[:len(before.rules)] == before.rules
        learned = [r for r in after.rules if r.startswith("learned:")]
        added += bool(learned)
        if "learned:immediate" in learned:
            assert after.urgency == "immediate" and before.urgency != "immediate"
            assert after.alert_safer_custody and after.tell_officer_now
    assert added > 0


def test_vetoes_negated_resolved_and_traps(ruleset) -> None:
    net = ruleset.learned
    for text, label in [
        ("he is not being bullied any more", "bullying"),
        ("Not a complaint about staff, the officers have been good, but he is worried sick",
         "staff_complaint"),
        ("he was topping up his phone credit and cut his hair", "immediate"),
    ]:
        norm = normalise(text, ruleset.corrector)
        from tracker.rules_engine.classify import _fire
        _, hits, active = _fire(ruleset, ConcernFacts(text=text), norm)
        assert label not in net.allowed([(lab, False) for lab in LABELS], hits, active), text


def _hits(ruleset, text):
    from tracker.rules_engine.classify import _fire
    _, hits, active = _fire(ruleset, ConcernFacts(text=text), normalise(text, ruleset.corrector))
    return hits, active


def test_a_sure_label_stands_against_vetoes_but_not_word_sense_traps(ruleset) -> None:
    net = ruleset.learned
    # negated risk word elsewhere in the sentence: vetoes the unsure model, not the sure one
    hits, active = _hits(ruleset,
                         "he is not suicidal he says, but he has given his telly and his photos away")
    assert "immediate" not in net.allowed([("immediate", False)], hits, active)
    assert net.allowed([("immediate", True)], hits, active) == ["immediate"]
    # a trap named in sure_vetoes stops even a sure model; the shipped model names none (a trap
    # phrase beside a real risk stopped it), so the trap sentences must score low instead
    hits, active = _hits(ruleset, "he was topping up his phone credit and cut his hair")
    assert net.allowed([("immediate", True)], hits, active) == ["immediate"]
    strict = dataclasses.replace(net, model=dataclasses.replace(net.model, sure_vetoes=("not_a_signal",)))
    assert strict.allowed([("immediate", True), ("emotional_distress", True)], hits, active) == []
    assert net.model.sure_vetoes == ()
    assert classify(ruleset, ConcernFacts(text="he was topping up his phone credit and cut his hair")
                    ).urgency != "immediate"


def test_staff_detail_says_when_the_model_was_sure(ruleset) -> None:
    from tracker.rules_engine.learned import staff_description

    model = ruleset.learned.model
    feats = features(normalise("he say he no want live anymore, he take all pill tonight",
                               ruleset.corrector).words)
    found = model.contribution(feats, "immediate")
    assert found.sure == model.sure[model.labels.index("immediate")] < 1.0
    assert found.probability >= found.sure
    said = staff_description(found)
    assert f"sure at {found.sure:.2f} or more, so the rules' vetoes do not stop it" in said
    unsure = dataclasses.replace(found, probability=found.threshold)
    assert "sure at" not in staff_description(unsure) and "threshold" in staff_description(unsure)


def test_sure_levels_are_read_and_checked(ruleset) -> None:
    text = (RULES_DIR / "learned.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    model = parse_learned(text, ruleset.lexicons)
    assert model.sure == tuple(doc["labels"][label].get("sure", 1.0) for label in model.labels)
    assert all(t <= s <= 1.0 for t, s in zip(model.thresholds, model.sure, strict=True))
    doc["labels"]["immediate"]["sure"] = doc["labels"]["immediate"]["threshold"] - 0.1
    with pytest.raises(RuleFileError, match="labels.immediate.sure must be between"):
        parse_learned(json.dumps(doc), ruleset.lexicons)
    doc["labels"]["immediate"]["sure"] = 1.0
    doc["sure_vetoes"] = ["no_such_trap"]
    with pytest.raises(RuleFileError, match="sure_vetoes"):
        parse_learned(json.dumps(doc), ruleset.lexicons)
    # a file from before `sure` existed: never sure, as the net was then
    for entry in doc["labels"].values():
        entry.pop("sure", None)
    doc.pop("sure_vetoes")
    old = parse_learned(json.dumps(doc), ruleset.lexicons)
    assert old.sure == (1.0,) * len(old.labels) and old.sure_vetoes == ()


def test_a_learned_addition_routes_and_alerts_like_a_rule(ruleset) -> None:
    # a stand-in model that always wants every label shows the plumbing, not the weights
    net = ruleset.learned
    eager = dataclasses.replace(net.model, intercepts=(20.0,) * 5)
    eager_set = dataclasses.replace(ruleset, learned=dataclasses.replace(net, model=eager))
    text = "lads keep calling him names on the landing and he keeps going on about his tablets"
    plain = classify(ruleset, ConcernFacts(text=text))
    decision = classify(eager_set, ConcernFacts(text=text))
    assert "learned:immediate" in decision.rules
    assert decision.urgency == "immediate" and decision.alert_safer_custody and decision.tell_officer_now
    assert decision.supporter_explanation.startswith("This could be a risk to life")
    assert "it reads like a risk to life" in decision.supporter_explanation
    staff = decision.staff_explanation
    assert "learned:immediate: Learned safety net" in staff and "threshold" in staff
    learned = [e for e in decision.evidence if e.rule == "learned:immediate"]
    assert learned and learned[0].words
    # routing is the routing table's, as for rule categories
    for category in decision.categories:
        assert category in plain.categories or f"learned:{category}" in decision.rules
    assert set(decision.as_dict()) == set(plain.as_dict())  # same contract


def test_traps_still_quiet_with_an_eager_model(ruleset) -> None:
    # A trap stops a model that passes its threshold but is not sure; a sure model is stopped only
    # by the traps named in sure_vetoes (none in the shipped file: it must score traps low).
    net = ruleset.learned
    texts = ("he was topping up his phone credit", "the barber cut his hair too short",
             "he is killing time till his visit")
    eager = dataclasses.replace(net.model, intercepts=(20.0,) * 5, sure=(1.0,) * 5)
    strict = dataclasses.replace(eager, sure=(0.7,) * 5, sure_vetoes=("not_a_signal",))
    for model in (eager, strict):
        eager_set = dataclasses.replace(ruleset, learned=dataclasses.replace(net, model=model))
        for text in texts:
            assert classify(eager_set, ConcernFacts(text=text)).urgency != "immediate", text
    for text in texts:  # the shipped model
        assert classify(ruleset, ConcernFacts(text=text)).urgency != "immediate", text


# ---- same numbers as scikit-learn, deterministic trainer --------------------------------------

def test_inference_equals_scikit_learn(tmp_path) -> None:
    pytest.importorskip("sklearn")
    from tracker.rules_engine import train

    settings = train.Settings(prune_below=0.0, decimals=None)
    ruleset = load_ruleset(RULES_DIR)
    files = sorted(DATA.glob("concerns_*.jsonl"))
    lines = train.prepare(ruleset, files, settings.flags, blind_era=False)
    vectorizer, models = train.fit(lines, settings)
    doc = train.model_document(vectorizer, models, dict.fromkeys(LABELS, (0.9, 1.0)), settings, files,
                               "2026-01-01", None)
    model = parse_learned(train.dumps(doc), ruleset.lexicons)
    expected = train.probabilities(vectorizer, models, lines)
    worst = 0.0
    for i, line in enumerate(lines):
        for label, p in zip(LABELS, model.probabilities(line.feats), strict=True):
            worst = max(worst, abs(p - expected[label][i]))
    assert worst < 1e-6
    # and the features come from the engine's own normaliser ("gonna" -> "going to")
    words = normalise("hes gonna do summat", ruleset.corrector).words
    assert "going" in " ".join(words) and features(words)


def test_trainer_is_deterministic(tmp_path) -> None:
    pytest.importorskip("sklearn")
    from tracker.rules_engine import train

    settings = train.Settings()
    thresholds = dict.fromkeys(LABELS, (0.85, 0.95))
    first, _ = train.train(SMALL, RULES_DIR, settings, "2026-01-01", thresholds)
    second, _ = train.train(SMALL, RULES_DIR, settings, "2026-01-01", thresholds)
    assert first == second
    doc = json.loads(first)
    assert list(doc)[:-1] == sorted(k for k in doc if k != "features")  # features last, sorted
    assert list(doc["features"]) == sorted(doc["features"])
    assert set(doc["training_data"]["files"]) == {p.name for p in SMALL}
    assert all(math.isfinite(v if isinstance(v, float) else v[0]) for v in doc["features"].values())


# ---- the unit-test sentences it also learns from ------------------------------------------------

def test_unit_sentences_file_is_current() -> None:
    from tracker.rules_engine import unit_sentences

    current = (DATA / "unit_sentences.jsonl").read_text(encoding="utf-8")
    assert current == unit_sentences.render(unit_sentences.extract()), (
        "tests/data/unit_sentences.jsonl is out of date: run python -m tracker.rules_engine.unit_sentences")


def test_unit_sentences_carry_only_explicit_labels() -> None:
    text = (DATA / "unit_sentences.jsonl").read_text(encoding="utf-8")
    rows = {row["text"]: row for row in map(json.loads, text.splitlines())}
    for row in rows.values():
        assert set(row["positive"]) | set(row["negative"]) <= set(LABELS)
        assert not set(row["positive"]) & set(row["negative"]), row
        assert row["positive"] or row["negative"]
        assert "categories" not in row and "urgency" not in row  # never read as a labelled set
    # a trap "not immediate" says nothing about the categories
    kettle = rows["he asked the lads to have a look at his kettle tomorrow"]
    assert kettle["negative"] == ["immediate"] and kettle["positive"] == []
    # "categories == ()" is negative for all four, and nothing about urgency
    assert set(rows["the lad next door keeps shouting through the door all night"]["negative"]) == (
        set(LABELS) - {"immediate"})
    # round 9 risk: immediate and distress, not bullying
    row = rows["he talks about setting fire to himself"]
    assert row["positive"] == ["emotional_distress", "immediate"] and row["negative"] == ["bullying"]
    # the routing table and "not (immediate and distress)" assert no single label: not used
    assert "he would like a chat about the weather" not in rows


def test_unit_and_neutral_sentences_train_every_fold_and_are_never_held_out() -> None:
    pytest.importorskip("sklearn")
    from tracker.rules_engine import train

    settings = train.Settings()
    ruleset = load_ruleset(RULES_DIR)
    lines = train.prepare(ruleset, SMALL, settings.flags, blind_era=False)
    units = train.prepare_extra(ruleset, DATA / "unit_sentences.jsonl", settings)
    assert units and all(u.known and u.weight == settings.unit_weight for u in units)
    # the neutral sentences: every label known (all negative), weighed like a unit sentence
    neutral = train.prepare_extra(ruleset, DATA / "neutral_sentences.jsonl", settings)
    assert neutral and all(n.known == frozenset(LABELS) and not n.truth for n in neutral)
    assert all(n.weight == settings.unit_weight for n in neutral)
    thresholds, report = train.cross_validate(lines + units + neutral, settings)
    assert set(report) == {p.name for p in SMALL} | {"all"}
    assert all(t >= settings.lowest(label) for label, (t, _) in thresholds.items())
    assert all(t <= sure <= 1.0 and sure in train.SURE_GRID for t, sure in thresholds.values())
    # no distress floor since the model learns from the neutral sentences; staff keeps its 0.65
    assert settings.lowest("emotional_distress") == 0.5 and settings.lowest("bullying") == 0.5
    assert settings.lowest("staff_complaint") == 0.65


def test_train_only_files_train_every_fold_and_are_never_held_out(tmp_path) -> None:
    """--train-only: a set whose mix of labels is not the product's is learned from, never scored."""
    pytest.importorskip("sklearn")
    from tracker.rules_engine import train

    settings = train.Settings()
    ruleset = load_ruleset(RULES_DIR)
    *held, extra = SMALL
    lines = train.prepare(ruleset, SMALL, settings.flags, blind_era=False,
                          train_only=frozenset({extra.name}))
    assert all(line.scored == (line.source != extra.name) for line in lines)
    _, report = train.cross_validate(lines, settings)
    assert set(report) == {p.name for p in held} | {"all"}  # never held out, never scored
    # ...but learned from: the fitted model knows more words than one trained without it
    fixed = dict.fromkeys(LABELS, (0.85, 0.95))
    text, _ = train.train(SMALL, RULES_DIR, settings, "2026-01-01", fixed, train_only=frozenset({extra.name}))
    alone, _ = train.train(held, RULES_DIR, settings, "2026-01-01", fixed)
    assert extra.name in json.loads(text)["training_data"]["files"]
    assert json.loads(text)["training_data"]["never_held_out"] == [extra.name]
    assert json.loads(alone)["training_data"]["never_held_out"] == []
    assert set(json.loads(text)["features"]) > set(json.loads(alone)["features"])
    # the command line refuses a --train-only name that is not among the training files
    with pytest.raises(SystemExit):
        train.main([*map(str, held), "--train-only", extra.name, "--out", str(tmp_path / "m.json")])
    assert not (tmp_path / "m.json").exists()


def test_shipped_model_learned_from_the_unit_sentences(shipped) -> None:
    files = shipped["training_data"]["files"]
    assert "unit_sentences.jsonl" in files
    # the held-out sets (measured by the maintainer, summary figures only) never train it
    assert not {"concerns_blind37.jsonl", "concerns_blind38.jsonl"} & set(files)
    assert {"concerns_blind9.jsonl", "concerns_train1.jsonl"} <= set(files)
    # blind10-36 (each measured first; 17/18 read for rules round 11, 19/20 for round 12, 21/22
    # for 13, 23/24 for 14, 25/26 for 15, 27/28 for 16, 29/30 for 17, 31/32 for 18, 33/34 for
    # 19, 35/36 for 20) train it, and are scored held out in turn
    blind = {f"concerns_blind{n}.jsonl" for n in range(10, 37)}
    assert blind <= set(files) and blind <= set(shipped["cross_validation"])
    # the training sets written to a mix of labels not the product's: learned from, never held out
    train_only = {f"concerns_train{n}.jsonl" for n in range(5, 20)}
    assert set(shipped["training_data"]["never_held_out"]) == train_only <= set(files)
    assert not train_only & set(shipped["cross_validation"])


def test_sure_floor_keeps_the_model_from_adding_equality_with_no_characteristic_named(shipped) -> None:
    """Name-calling is bullying; equality needs who he is named, unless the model is very sure."""
    from tracker.rules_engine import train  # noqa: PLC0415 - the trainer's settings only

    assert train.Settings().lowest_sure("equality") == 0.85
    assert train.Settings().lowest_sure("bullying") == 0.0
    assert shipped["labels"]["equality"]["sure"] >= 0.85
    assert train.Settings().lowest_sure("staff_complaint") == 0.9
    assert shipped["labels"]["staff_complaint"]["sure"] >= 0.9
    assert shipped["settings"]["sure_floors"] == {"equality": 0.85, "staff_complaint": 0.9}


@pytest.mark.parametrize(("text", "equality"), [
    ("lads keep calling him names and pushing him in the dinner queue", False),
    ("new lad on the spur gets called names every day and they knock his tray over", False),
    ("getting called names cos hes gay and pushed about at association", True),
])
def test_name_calling_is_equality_only_when_who_he_is_is_named(ruleset, text, equality) -> None:
    decision = classify(ruleset, ConcernFacts(text=text))
    assert "bullying" in decision.categories
    assert ("equality" in decision.categories) is equality, decision.rules


def test_choose_threshold_respects_the_sure_floor() -> None:
    pytest.importorskip("sklearn")
    from tracker.rules_engine import train

    # no topic word of the rules in any line: the model may add equality only when sure
    lines = [train.Line(source="s", feats=[], truth=frozenset({"equality"} if i < 5 else ()),
                        rules=frozenset(), vetoed=frozenset({"equality"})) for i in range(10)]
    probs = [0.72] * 5 + [0.1] * 5  # every true line scores 0.72, with no topic word
    free = train.choose_threshold(lines, probs, "equality")
    floored = train.choose_threshold(lines, probs, "equality", lowest_sure=0.85)
    assert free[1] <= 0.72  # without the floor the model is sure enough to add them
    assert floored[1] >= 0.85


# ---- the invented neutral sentences: small talk is not distress ---------------------------------

def test_neutral_sentences_are_training_only_small_talk() -> None:
    rows = [json.loads(line) for line in (DATA / "neutral_sentences.jsonl").read_text(
        encoding="utf-8").splitlines()]
    assert 20 <= len(rows) <= 50
    assert len({row["text"] for row in rows}) == len(rows)
    assert all(row["categories"] == [] and row["urgency"] == "routine" for row in rows)
    # the concept, not the routing test's one sentence
    assert "he would like a chat about the weather" not in {row["text"] for row in rows}


def test_shipped_model_learned_from_the_neutral_sentences(shipped) -> None:
    assert "neutral_sentences.jsonl" in shipped["training_data"]["files"]
    assert "emotional_distress" not in shipped["settings"]["floors"]


@pytest.mark.parametrize("text", [
    "he would like a chat about the weather",  # the routing table's sentence (needed a 0.88 floor)
    "he'd like a chat about the rugby on saturday",
    "he would like a chat about the news",
    "would like a chat about the tennis",
    "he would like a chat about the pool table on the wing",
    "he'd like a chat about his art class",
])
def test_small_talk_is_not_distress(ruleset, text) -> None:
    # none of these is in the neutral sentences: the model has the concept, not the lines
    decision = classify(ruleset, ConcernFacts(text=text))
    assert "emotional_distress" not in decision.categories, decision.rules
