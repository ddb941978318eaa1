"""Train the learned safety net and write rules/learned.json (needs scikit-learn: the dev/test extras).

    python -m tracker.rules_engine.train                      # every tests/data/concerns_*.jsonl
    python -m tracker.rules_engine.train --exclude concerns_blind9.jsonl   # keep a blind set blind
    python -m tracker.rules_engine.train FILE.jsonl ... --out rules/learned.json

How it works: each concern is normalised exactly as the rules see it, cut into words and pairs
of words, weighted by TF-IDF, and one logistic regression per label (the four categories and
`immediate`) learns a weight for each word. Thresholds are chosen by leave-one-set-out
cross-validation: each labelled file is held out in turn, the model is trained on the others and
scored on it together with the rules ("union": the model can only add). For each category the
threshold with the best F1 of the union wins; for `immediate` the threshold with the highest union
immediate recall among those keeping the union's immediate precision at or above 0.86 (the
product's bound is 0.85; ties: the better macro-F1, then the better immediate precision, then the
higher threshold), never below Settings.lowest(label). The rules'
unit-test sentences (tests/data/unit_sentences.jsonl, written by
`python -m tracker.rules_engine.unit_sentences`) are learned from in every fold, each only for the
labels its test asserts, and never held out or scored (--no-units leaves them out). So are the
invented neutral sentences (tests/data/neutral_sentences.jsonl: requests for a chat about the
weather, football, a course...; no category, routine), negative for every label, so that small
talk does not read as distress (--no-neutral leaves them out). A labelled file named with
--train-only is learned from in every fold too and never held out or scored (a training set whose
mix of labels is not the product's; learned.json lists them under training_data.never_held_out).
Same files + same settings + same date = the same bytes.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import hashlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tracker.rules_engine.classify import _fire
from tracker.rules_engine.errors import RulesError
from tracker.rules_engine.evaluate import read_jsonl, score
from tracker.rules_engine.facts import CATEGORIES, ConcernFacts
from tracker.rules_engine.learned import (
    FILE,
    FORMAT,
    IMMEDIATE,
    LABELS,
    LearnedModel,
    LearnedNet,
    features,
)
from tracker.rules_engine.loader import FILES, load_ruleset
from tracker.rules_engine.model import RuleSet
from tracker.rules_engine.normalise import normalise

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
UNITS = DATA / "unit_sentences.jsonl"  # written by python -m tracker.rules_engine.unit_sentences
#: invented small talk with no category (training only, never held out or scored)
NEUTRAL = DATA / "neutral_sentences.jsonl"
RULES = REPO / "rules"
#: A matched word-sense trap (see not_a_signal in lexicons.yaml) vetoes these learned labels.
TRAPS = {
    "not_a_signal": [IMMEDIATE, "emotional_distress"],  # "topping up his phone", "cut his hair"
    # "all sorted now", "not a complaint": a resolved statement, so no category is added
    "_resolved": list(CATEGORIES),
    # Two of the rules' lists of ordinary explanations that stop a risk-to-life rule (none_of):
    # release or a transfer, and an innocent cause. The rounds' narrower lists (r6_med_stop_innocent,
    # r6_masked_calm, r6_letter_ordinary, r8_brew, r8_box_stuff, r8_reunion_ordinary, r8_sober,
    # r9_cheat_leaving, r9_grave_trap) vetoed the model for the whole concern although each explains
    # one rule's words only ("I know what I'm doing tonight, don't bother coming round" was stopped
    # by r8_sober); without them pooled cross-validation over 16 sets found immediate recall 0.942 ->
    # 0.948 at precision 0.888 -> 0.886, and blind8's recall rose 0.931 -> 0.948. They still stop
    # their own rules.
    **{name: [IMMEDIATE] for name in ("leaving_prison", "innocent_cause")},
}
#: For `immediate`: the highest pooled CV recall whose precision stays at or above this (the
#: product's own bound is 0.85; 0.86 is a small margin). Was 0.90, taking the lowest such threshold.
IMMEDIATE_PRECISION = 0.86
#: The commit whose rules had not yet been tuned on each set: the rules as that set's writer met
#: them. Cross-validation scores the union with these, because today's rules were tuned on the
#: development sets and would make the model look useless there (they already get those lines
#: right). Each reproduces the figure recorded when the set was measured blind (rules/README.md).
BLIND_ERA = {
    "concerns_holdout.jsonl": "2db3834", "concerns_final.jsonl": "30ff1e6",
    "concerns_fresh.jsonl": "6568281", "concerns_blind2.jsonl": "1c46872",
    "concerns_blind3.jsonl": "c4ad6a1", "concerns_blind4.jsonl": "c4ad6a1",
    "concerns_blind5.jsonl": "1be57c6", "concerns_blind6.jsonl": "08d34e6",
    "concerns_blind7.jsonl": "e784e0d", "concerns_blind8.jsonl": "6213f0b",
    # session 5's rules rounds read the training sets (risk-to-life phrases): 4b8bd76 is before
    **{f"concerns_train{n}.jsonl": "4b8bd76" for n in range(1, 9)},
    # session 6's rules round 11 read blind17/18 after their one look: 995f473 is before it
    "concerns_blind17.jsonl": "995f473", "concerns_blind18.jsonl": "995f473",
    # session 7's rules round 12 read blind19/20 after their one look: a87dc50 is before it
    "concerns_blind19.jsonl": "a87dc50", "concerns_blind20.jsonl": "a87dc50",
    # session 7's rules round 13 read blind21/22 after their one look: 7123fdb is before it
    "concerns_blind21.jsonl": "7123fdb", "concerns_blind22.jsonl": "7123fdb",
    # ...and round 14 read blind23/24 after theirs: 76947b5 is before it
    "concerns_blind23.jsonl": "76947b5", "concerns_blind24.jsonl": "76947b5",
    # ...and round 15 read blind25/26 after theirs: 541594b is before it
    "concerns_blind25.jsonl": "541594b", "concerns_blind26.jsonl": "541594b",
    # ...and round 16 read blind27/28 after theirs: 96c70b9 is before it
    "concerns_blind27.jsonl": "96c70b9", "concerns_blind28.jsonl": "96c70b9",
    # ...and round 17 read blind29/30 after theirs: 2d2c7c7 is before it
    "concerns_blind29.jsonl": "2d2c7c7", "concerns_blind30.jsonl": "2d2c7c7",
    # ...and round 18 read blind31/32 after theirs: e83aa65 is before it
    "concerns_blind31.jsonl": "e83aa65", "concerns_blind32.jsonl": "e83aa65",
    # ...and round 19 read blind33/34 after theirs: 17e9547 is before it
    "concerns_blind33.jsonl": "17e9547", "concerns_blind34.jsonl": "17e9547",
    # ...and round 20 read blind35/36 after theirs: 7c2c521 is before it
    "concerns_blind35.jsonl": "7c2c521", "concerns_blind36.jsonl": "7c2c521",
}
#: Traps that stop a label even when the model is sure of it. None: a trap vetoes the whole
#: concern, so a real risk beside a trap phrase ("him ago hang up himself tonight", where "hang
#: up" is a trap; "cut himself shaving" on neat lines down his forearms) was stopped. In
#: cross-validation over 16 sets, letting a sure model pass the traps found 7 more risks to life
#: for 2 more false alarms ("die of boredom", "murder me at chess"); the trap sentences of the unit
#: tests train the model, and it scores them low. The file format keeps the list for a trap that
#: must stop even a sure model.
SURE_VETOES: tuple[str, ...] = ()
#: A stand-in model carrying only the traps, to work out the rules' vetoes while training.
_NO_MODEL = LearnedModel(labels=LABELS, idf={}, weights={}, intercepts=(0.0,) * 5,
                         thresholds=(0.5,) * 5, traps={k: tuple(v) for k, v in TRAPS.items()},
                         trained="", fingerprint="", uses_flags=False, sure_vetoes=SURE_VETOES)
GRID = [round(0.05 + 0.01 * i, 2) for i in range(91)]  # candidate thresholds 0.05 .. 0.95
#: candidate `sure` levels: 0.70 .. 0.95 in steps of 0.05, and 1.0 (never sure)
SURE_GRID = [*(round(0.70 + 0.05 * i, 2) for i in range(6)), 1.0]


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything that decides the model besides the data (written into the file)."""

    # Inverse regularisation. 16 since session 5 (was 4): with train5-11 (1,900 lines, many of
    # them risks to life after bad news) the model at C=4 read grief itself as a risk to life on two
    # development lines labelled urgent (f072, b100); at 16 it fits the labelled lines more closely
    # and does not, with pooled cross-validation unchanged (0.907 / 0.965 / 0.880 at 4, 0.909 /
    # 0.966 / 0.881 at 16: macro-F1 / immediate recall / precision).
    C: float = 16.0
    min_df: int = 2
    flags: bool = True  # the kiosk answers risk_now / about_staff as extra words
    prune_below: float = 0.02  # weights smaller than this (for every label) are dropped
    decimals: int | None = 6  # rounding in the file; None keeps full precision (tests)
    # No threshold below this. Trained on the labelled sets alone, the model was overconfident on
    # short everyday sentences unlike them ("he asked the lads to have a look at his kettle
    # tomorrow") and 0.85 was needed; it now also learns from the rules' unit-test sentences
    # (traps included), and cross-validation chooses freely above this floor (rules/README.md).
    min_threshold: float = 0.5
    # Weight of each unit-test sentence against a labelled concern's 1.0 in the regressions: at
    # 1.0 two trap sentences ("he keeps his letters in a plastic bag under his bed") still passed
    # the immediate threshold (then 0.57); at 3.0 none does (cross-validated figures the same within
    # 0.001), though that one scores 0.518, hence the immediate floor of 0.52 below.
    unit_weight: float = 3.0
    # (label, lowest threshold) where a unit test still raised a false alarm at the cross-validated
    # threshold. staff_complaint: the shared 70 "they won't let him use the weights" and holdout's
    # exact-set floor need 0.65. (emotional_distress had 0.88 for "he would like a chat about the
    # weather" until the model learned from the neutral sentences: small talk is not distress.)
    # immediate: cross-validation (recall first, precision >= 0.86) chooses 0.51, where the round 6
    # trap "he keeps his letters in a plastic bag under his bed" scores 0.518 and would be read as a
    # risk to life; 0.52 is the lowest grid step that keeps it (and every other test) quiet.
    # (Session 7 had a distress floor, up to 0.80, for round 3's "worried the halal meals wont
    # come again": the net read "worried" as distress ever more surely. Round 20's unit sentences,
    # worries about a faith provision, taught it otherwise; without the floor cross-validation
    # chooses 0.68 and pooled macro-F1 is 0.924 against 0.923.)
    floors: tuple[tuple[str, float], ...] = (("staff_complaint", 0.65), ("immediate", 0.52))
    # (label, lowest sure level): the score at which the model may add a label with no topic word
    # of the rules in the text. equality: with blind10-16 scored, cross-validation chose 0.70, and
    # the model alone then read "called names and pushed about" (shared 70, v002: no protected
    # characteristic named) as an equality matter at 0.81; an equality label wants one named.
    # staff_complaint: with blind17/18 scored too, cross-validation chose 0.70, and the model
    # then overrode the rules' veto on "Not a complaint about staff, the officers have been good,
    # but he's worried sick about his court case" (shared 70, v052); 0.90 was session 5's level.
    sure_floors: tuple[tuple[str, float], ...] = (("equality", 0.85), ("staff_complaint", 0.9))

    def lowest(self, label: str) -> float:
        """The lowest threshold allowed for a label."""
        return max([self.min_threshold, *(f for name, f in self.floors if name == label)])

    def lowest_sure(self, label: str) -> float:
        """The lowest sure level allowed for a label."""
        return max([0.0, *(f for name, f in self.sure_floors if name == label)])


@dataclasses.dataclass
class Line:
    """One labelled concern as the trainer needs it."""

    source: str
    feats: list[str]
    truth: frozenset[str]  # its labels, immediate included
    rules: frozenset[str]  # what the rules alone give
    vetoed: frozenset[str]  # what the rules forbid the model to add (or leave without a topic word)
    trapped: frozenset[str] = frozenset()  # what they forbid even when the model is sure (traps)
    known: frozenset[str] | None = None  # labels the line says anything about (None: all of them)
    weight: float = 1.0
    scored: bool = True  # held out in turn and scored in cross-validation (False: always trained on)


def _labels_of(row: dict[str, Any]) -> frozenset[str]:
    found = set(row.get("categories") or ())
    if row.get("urgency") == IMMEDIATE:
        found.add(IMMEDIATE)
    return frozenset(found)


def era_rules(path: Path, ruleset: RuleSet, workdir: Path) -> RuleSet:
    """The rules as they stood when the set was still blind (from git), else today's rules."""
    commit = BLIND_ERA.get(path.name)
    if commit is None:
        return ruleset
    folder = workdir / commit
    try:
        if not folder.exists():
            folder.mkdir(parents=True)
            for name in FILES:
                text = subprocess.run(["git", "-C", str(REPO), "show", f"{commit}:rules/{name}"],  # noqa: S603,S607
                                      check=True, capture_output=True, text=True).stdout
                (folder / name).write_text(text, encoding="utf-8")
        return load_ruleset(folder)
    except (OSError, subprocess.CalledProcessError, RulesError) as exc:
        print(f"note: {path.name}: today's rules stand in for the blind-era ones ({exc})", file=sys.stderr)
        return ruleset


def prepare(ruleset: RuleSet, files: Sequence[Path], flags: bool, blind_era: bool = True,
            train_only: frozenset[str] = frozenset()) -> list[Line]:
    """Normalise, featurise and rules-classify every labelled line of the files.

    Features always come from today's normaliser (what the running model will see); the rules'
    answers and vetoes come from the blind-era rules of each file when blind_era is set. Lines of
    the files named in train_only are learned from in every fold and never held out or scored.
    """
    lines = []
    with tempfile.TemporaryDirectory(prefix="learned-era-") as tmp:
        for path in files:
            era = era_rules(path, ruleset, Path(tmp)) if blind_era else ruleset
            found = _prepare_file(ruleset, dataclasses.replace(era, learned=None), path, flags)
            if path.name in train_only:
                found = [dataclasses.replace(line, scored=False) for line in found]
            lines += found
    return lines


def prepare_extra(ruleset: RuleSet, path: Path, settings: Settings) -> list[Line]:
    """Sentences learned from in every fold, never held out or scored, each weighing unit_weight.

    Two kinds of file. The rules' unit-test sentences (tests/data/unit_sentences.jsonl, see
    unit_sentences.py) carry `positive` and `negative`: each teaches only the labels its test makes
    explicit and is left out of the other labels' regressions. The invented small talk
    (tests/data/neutral_sentences.jsonl) is labelled like a concern (no category, routine) and is
    negative for every label.
    """
    lines = []
    for row in read_jsonl(path):
        if "positive" in row:
            truth = frozenset(row["positive"])
            known = truth | frozenset(row["negative"])
        else:
            truth, known = _labels_of(row), frozenset(LABELS)
        norm = normalise(row["text"], ruleset.corrector)
        lines.append(Line(path.name, features(norm.words), truth, frozenset(), frozenset(),
                          known=known, weight=settings.unit_weight))
    return lines


def _prepare_file(ruleset: RuleSet, rules_only: RuleSet, path: Path, flags: bool) -> list[Line]:
    """One file's lines: features from today's normaliser, answers and vetoes from rules_only."""
    net = LearnedNet.build(_NO_MODEL, rules_only.rules)
    lines = []
    for row in read_jsonl(path):
        facts = ConcernFacts(text=row["text"], risk_now=bool(row.get("risk_now", False)),
                             about_staff=bool(row.get("about_staff", False)))
        norm = normalise(facts.text, ruleset.corrector)
        fired, hits, active = _fire(rules_only, facts, normalise(facts.text, rules_only.corrector))
        given = {c for rule, _ in fired for c in rule.categories}
        if facts.risk_now or any(rule.urgency == IMMEDIATE for rule, _ in fired):
            given.add(IMMEDIATE)
        blocked = set(LABELS) - set(net.allowed([(label, False) for label in LABELS], hits, active))
        lines.append(Line(path.name, features(norm.words, flags and facts.risk_now,
                                              flags and facts.about_staff),
                          _labels_of(row), frozenset(given), frozenset(blocked),
                          trapped=frozenset(net.trapped(hits))))
    return lines


def fit(lines: Sequence[Line], settings: Settings) -> tuple[Any, dict[str, Any]]:
    """TF-IDF over the lines' features and one class-balanced logistic regression per label."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=_identity, min_df=settings.min_df, sublinear_tf=True,
                                 norm="l2", smooth_idf=True)
    matrix = vectorizer.fit_transform([line.feats for line in lines])
    models = {}
    for label in LABELS:
        rows = [i for i, line in enumerate(lines) if line.known is None or label in line.known]
        target = [label in lines[i].truth for i in rows]
        weights = [lines[i].weight for i in rows]
        models[label] = LogisticRegression(C=settings.C, class_weight="balanced", max_iter=5000,
                                           random_state=0).fit(matrix[rows], target,
                                                               sample_weight=weights)
    return vectorizer, models


def _identity(feats: list[str]) -> list[str]:
    return feats


def probabilities(vectorizer: Any, models: dict[str, Any], lines: Sequence[Line]) -> dict[str, list[float]]:
    """scikit-learn's probability per label for each line."""
    matrix = vectorizer.transform([line.feats for line in lines])
    return {label: [float(p) for p in models[label].predict_proba(matrix)[:, 1]] for label in LABELS}


def union_counts(lines: Sequence[Line], probs: Sequence[float], label: str,
                 threshold: float | None, sure: float = 1.0) -> tuple[int, int, int]:
    """(tp, fp, fn) of rules OR model (threshold None: rules only) for one label.

    Past `sure` the model's label stands against every veto but a trap, and needs no word of that
    kind (as LearnedNet.allowed).
    """
    tp = fp = fn = 0
    for line, p in zip(lines, probs, strict=True):
        got = label in line.rules or (threshold is not None and p >= threshold and (
            label not in line.vetoed or (p >= sure and label not in line.trapped)))
        want = label in line.truth
        tp += got and want
        fp += got and not want
        fn += want and not got
    return tp, fp, fn


def choose_threshold(lines: Sequence[Line], probs: Sequence[float], label: str,
                     lowest: float = 0.0, lowest_sure: float = 0.0) -> tuple[float, float]:
    """(threshold, sure): best union F1 for a category; for immediate, the best recall at precision >= 0.86.

    Both are chosen together, `sure` from SURE_GRID (1.0: never) and never below the threshold.
    For immediate, among the pairs whose union precision is at least IMMEDIATE_PRECISION the one
    with the highest union recall wins; ties go to the better immediate precision (the four
    categories' F1 do not depend on the immediate levels), then the higher `sure`, then the higher
    threshold. If none reaches the precision, the highest threshold allowed and never sure. For a
    category, ties go to the higher `sure`, then the higher threshold.
    """
    grid = [t for t in GRID if t >= lowest] or GRID[-1:]
    best: tuple[tuple[float, ...], float, float] | None = None
    for t in grid:
        for sure in (u for u in SURE_GRID if u >= t and u >= lowest_sure):
            found = score(*union_counts(lines, probs, label, t, sure))
            if label == IMMEDIATE:
                if found.precision < IMMEDIATE_PRECISION:
                    continue
                key: tuple[float, ...] = (found.recall, found.precision, sure, t)
            else:
                key = (found.f1, sure, t)
            if best is None or key > best[0]:
                best = (key, t, sure)
    return (grid[-1], 1.0) if best is None else (best[1], best[2])


def cross_validate(lines: Sequence[Line], settings: Settings
                   ) -> tuple[dict[str, tuple[float, float]], dict[str, Any]]:
    """Hold out each labelled file in turn; thresholds from the pooled held-out predictions.

    Unit-test sentences (lines with `known` set) and train-only files (`scored` False) are always
    in the training folds, never held out.
    """
    sources = sorted({line.source for line in lines if line.known is None and line.scored})
    held: list[Line] = []
    pooled: dict[str, list[float]] = {label: [] for label in LABELS}
    for source in sources:
        train = [line for line in lines if line.source != source]
        test = [line for line in lines if line.source == source]
        vectorizer, models = fit(train, settings)
        fold = probabilities(vectorizer, models, test)
        held += test
        for label in LABELS:
            pooled[label] += fold[label]
    thresholds = {label: choose_threshold(held, pooled[label], label, settings.lowest(label),
                                          settings.lowest_sure(label))
                  for label in LABELS}
    report = {}
    for source in sources + ["all"]:
        idx = [i for i, line in enumerate(held) if source in ("all", line.source)]
        subset = [held[i] for i in idx]
        figures: dict[str, Any] = {}
        for kind in ("rules", "union"):
            f1s = []
            for label in LABELS:
                probs = [pooled[label][i] for i in idx]
                t, sure = thresholds[label] if kind == "union" else (None, 1.0)
                found = score(*union_counts(subset, probs, label, t, sure))
                p, r, f = found.precision, found.recall, found.f1
                if label == IMMEDIATE:
                    figures[kind + "_immediate"] = [round(r, 3), round(p, 3)]
                else:
                    f1s.append(f)
            figures[kind + "_macro_f1"] = round(sum(f1s) / len(f1s), 3)
        report[source] = figures
    return thresholds, report


def fingerprint(files: Sequence[Path]) -> tuple[str, dict[str, dict[str, Any]]]:
    """sha256 over the training files (name and bytes, in name order), and each file's own."""
    digest = hashlib.sha256()
    each = {}
    for path in sorted(files, key=lambda p: p.name):
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data + b"\0")
        each[path.name] = {"lines": sum(1 for line in data.splitlines() if line.strip()),
                           "sha256": hashlib.sha256(data).hexdigest()}
    return digest.hexdigest(), each


def _round(value: float, decimals: int | None) -> float:
    return float(value) if decimals is None else round(float(value), decimals)


def model_document(vectorizer: Any, models: dict[str, Any], thresholds: dict[str, tuple[float, float]],
                   settings: Settings, files: Sequence[Path], trained: str,
                   cv: dict[str, Any] | None, train_only: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The learned.json content (plain JSON types only)."""
    d = settings.decimals
    names = vectorizer.get_feature_names_out()
    idf = vectorizer.idf_
    coef = {label: models[label].coef_[0] for label in LABELS}
    table: dict[str, Any] = {}
    for j, name in enumerate(names):
        weights = [float(coef[label][j]) for label in LABELS]
        if max(abs(w) for w in weights) >= settings.prune_below:
            table[str(name)] = [_round(idf[j], d), *(_round(w, d) for w in weights)]
        else:
            table[str(name)] = _round(idf[j], d)
    print_, each = fingerprint(files)
    return {
        "about": ("The learned safety net (see rules/README.md, 'The learned safety net'). Written "
                  "by python -m tracker.rules_engine.train: do not edit by hand, retrain instead."),
        "format": FORMAT,
        "trained": trained,
        "training_data": {"fingerprint": print_, "files": each,
                          "never_held_out": sorted(train_only)},
        "settings": {"C": settings.C, "min_df": settings.min_df, "flags": settings.flags,
                     "prune_below": settings.prune_below, "decimals": d,
                     "min_threshold": settings.min_threshold, "unit_weight": settings.unit_weight,
                     "floors": dict(settings.floors), "sure_floors": dict(settings.sure_floors),
                     "features": "normalised words and neighbouring pairs; tf-idf (sublinear, l2)",
                     "classifier": "logistic regression per label, class_weight=balanced"},
        "label_order": list(LABELS),
        "labels": {label: {"intercept": _round(models[label].intercept_[0], d),
                           "threshold": thresholds[label][0], "sure": thresholds[label][1]}
                   for label in LABELS},
        "traps": {name: list(labels) for name, labels in TRAPS.items()},
        "sure_vetoes": list(SURE_VETOES),
        "cross_validation": cv or {},
        "features": table,
    }


def dumps(document: dict[str, Any]) -> str:
    """Deterministic JSON: sorted keys, one feature per line (readable diffs)."""
    head = {k: v for k, v in document.items() if k != "features"}
    text = json.dumps(head, sort_keys=True, indent=1, ensure_ascii=False)
    rows = [f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v)}"
            for k, v in sorted(document["features"].items())]
    return text[:-2] + ',\n "features": {\n' + ",\n".join(rows) + "\n }\n}\n"


def train(files: Sequence[Path], rules_dir: Path, settings: Settings, trained: str,
          thresholds: dict[str, tuple[float, float]] | None = None,
          units: Path | None = None, neutral: Path | None = None,
          train_only: frozenset[str] = frozenset()) -> tuple[str, dict[str, Any]]:
    """Cross-validate (unless thresholds are given), fit on every file and return the file text.

    thresholds: label -> (threshold, sure), as cross_validate chooses them.

    units: the unit-test sentences file, neutral: the invented small talk; both learned from in
    every fold and never held out. train_only: names of labelled files learned from in every fold
    and never held out (a set written for training whose mix of labels is not the product's: held
    out, it would pull the pooled thresholds towards its own mix).
    """
    ruleset = load_ruleset(rules_dir)
    lines = prepare(ruleset, files, settings.flags, train_only=train_only)
    for extra in (units, neutral):
        if extra is not None:
            lines += prepare_extra(ruleset, extra, settings)
    cv: dict[str, Any] = {}
    if thresholds is None:
        thresholds, cv = cross_validate(lines, settings)
    vectorizer, models = fit(lines, settings)
    used = [*files, *(extra for extra in (units, neutral) if extra is not None)]
    document = model_document(vectorizer, models, thresholds, settings, used, trained, cv, train_only)
    return dumps(document), cv


def _label_values(given: list[str]) -> tuple[tuple[str, float], ...]:
    """LABEL=VALUE options as (label, value) pairs."""
    return tuple((name, float(value)) for name, value in (g.split("=", 1) for g in given))


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m tracker.rules_engine.train",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path,
                        help="labelled JSON-lines files (default: every tests/data/concerns_*.jsonl)")
    parser.add_argument("--exclude", action="append", default=[],
                        help="file name to leave out (repeatable), e.g. a blind set")
    parser.add_argument("--train-only", action="append", default=[], metavar="NAME",
                        help="file name learned from in every fold, never held out or scored (repeatable)")
    parser.add_argument("--rules", type=Path, default=RULES, help="rules folder (default: rules/)")
    parser.add_argument("--out", type=Path, default=None, help=f"default: RULES/{FILE}")
    parser.add_argument("--date", default=None, help="training date to record (default: today)")
    parser.add_argument("--C", type=float, default=Settings.C)
    parser.add_argument("--no-flags", action="store_true", help="ignore the kiosk answers")
    parser.add_argument("--units", type=Path, default=UNITS,
                        help="unit-test sentences to learn from (default: tests/data/unit_sentences.jsonl)")
    parser.add_argument("--no-units", action="store_true", help="leave out the unit-test sentences")
    parser.add_argument("--neutral", type=Path, default=NEUTRAL,
                        help="invented no-category small talk (default: tests/data/neutral_sentences.jsonl)")
    parser.add_argument("--no-neutral", action="store_true", help="leave out the neutral sentences")
    parser.add_argument("--unit-weight", type=float, default=Settings.unit_weight)
    parser.add_argument("--min-threshold", type=float, default=Settings.min_threshold)
    parser.add_argument("--floor", action="append", default=None, metavar="LABEL=VALUE",
                        help="a label's lowest threshold (repeatable; default: Settings.floors)")
    parser.add_argument("--sure-floor", action="append", default=None, metavar="LABEL=VALUE",
                        help="a label's lowest sure level (repeatable; default: Settings.sure_floors)")
    args = parser.parse_args(argv)
    files = args.files or sorted(DATA.glob("concerns_*.jsonl"))
    files = [f for f in files if f.name not in set(args.exclude)]
    if len(files) < 2:
        parser.error("need at least two labelled files (one is held out at a time)")
    floors = Settings.floors if args.floor is None else _label_values(args.floor)
    sure_floors = Settings.sure_floors if args.sure_floor is None else _label_values(args.sure_floor)
    settings = Settings(C=args.C, flags=not args.no_flags, unit_weight=args.unit_weight,
                        min_threshold=args.min_threshold, floors=floors, sure_floors=sure_floors)
    trained = args.date or datetime.date.today().isoformat()
    units = None if args.no_units else args.units
    neutral = None if args.no_neutral else args.neutral
    unknown = set(args.train_only) - {f.name for f in files}
    if unknown:
        parser.error(f"--train-only names a file not trained on: {', '.join(sorted(unknown))}")
    text, cv = train(files, args.rules, settings, trained, units=units, neutral=neutral,
                     train_only=frozenset(args.train_only))
    out = args.out or args.rules / FILE
    out.write_text(text, encoding="utf-8")
    print(f"trained on {len(files)} files: "
          + ", ".join(f.name + (" (never held out)" if f.name in args.train_only else "") for f in files)
          + "".join(f" + {extra.name} (never held out)" for extra in (units, neutral) if extra))
    print("thresholds: " + json.dumps(json.loads(text)["labels"]))
    print(f"{'held out':<26} rules F1  imm R/P        union F1  imm R/P")
    for source, fig in cv.items():
        print(f"{source:<26} {fig['rules_macro_f1']:.3f}     {fig['rules_immediate'][0]:.3f}/"
              f"{fig['rules_immediate'][1]:.3f}    {fig['union_macro_f1']:.3f}     "
              f"{fig['union_immediate'][0]:.3f}/{fig['union_immediate'][1]:.3f}")
    print(f"wrote {out} ({len(text) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
