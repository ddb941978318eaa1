"""The learned safety net: a small word-weight model read from rules/learned.json, run beside the rules.

What it does, in plain words: every word and pair of words in a concern has a weight per label
(bullying, emotional_distress, equality, staff_complaint and immediate), learned from the labelled
concerns in tests/data. The weights of the words present are added up; when the total passes the
label's threshold and the rules did not already give that label, the safety net adds it. It can
only add: it never removes a category or lowers urgency, and it cannot add a label the rules found
negated ("not bullied any more"), said to be over ("all sorted now") or a known word-sense trap
("topping up his phone").

The arithmetic is that of scikit-learn's TfidfVectorizer (sublinear tf, l2 norm, stored idf) and
LogisticRegression, in plain Python: no numpy at run time. The model is written by
`python -m tracker.rules_engine.train`.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import gt, itemgetter
from typing import Any

from tracker.rules_engine.errors import RuleFileError
from tracker.rules_engine.facts import CATEGORIES

FILE = "learned.json"
FORMAT = 1
IMMEDIATE = "immediate"
LABELS: tuple[str, ...] = (*CATEGORIES, IMMEDIATE)
#: Kiosk answers the model sees as extra "words" (they cannot be typed: words have no brackets).
FLAG_FEATURES = {"risk_now": "[risk_now]", "about_staff": "[about_staff]"}
_MARKS = (".", ",")
RESOLVED = "_resolved"  # the rules' "all sorted now" / "not a complaint" phrases (negation.resolved)
#: How the supporter's sentence names what a label reads like.
READS_LIKE = {
    "bullying": "bullying",
    "emotional_distress": "emotional distress",
    "equality": "an equality issue",
    "staff_complaint": "a complaint about staff",
    IMMEDIATE: "a risk to life",
}
_EVIDENCE_WORDS = 4  # top contributing words shown to supporters and staff
#: Words that carry no meaning alone. They are left out as single words, and a pair of two of
#: them is left out too ("says he", "going to"): otherwise the model learns the writers' habits
#: ("he says he's going to finish his appeal letter tonight" read as a risk to life).
#: Negations (no, not, never, wont, cant...) are kept: they matter.
STOP_WORDS = frozenset("""
a an the and or but so as if than then that this these those there here it its
he hes him his himself she shes her herself i im ive me my myself you youre your we our they
theyre them their is was be been being are were am has have had having do does did doing
to of in on at for with from by about into over up out off says said say saying told tells
asked asks like just got get gets getting going gone also really very which who what
""".split())
_SKIP = STOP_WORDS | set(_MARKS)


def features(words: list[str], risk_now: bool = False, about_staff: bool = False) -> list[str]:
    """Canonical words (not STOP_WORDS) and pairs of neighbouring words in one clause.

    "." and "," end a clause; a pair of two stop words is left out.
    """
    skip = _SKIP
    found = [w for w in words if w not in skip]
    found += [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)
              if not (a in skip and (b in skip or a in _MARKS)) and b not in _MARKS]
    if risk_now:
        found.append(FLAG_FEATURES["risk_now"])
    if about_staff:
        found.append(FLAG_FEATURES["about_staff"])
    return found


@dataclass(frozen=True)
class Contribution:
    """One label the model would give: its score, threshold and the words that pushed it up."""

    label: str
    probability: float
    threshold: float
    words: tuple[tuple[str, float], ...]  # (word or pair, weight x tf-idf), largest first
    sure: float = 1.0  # the label's sure level (1.0: never sure)


@dataclass(frozen=True)
class LearnedModel:
    """Stored idf, weights per label, intercepts and thresholds (validated by load_learned)."""

    labels: tuple[str, ...]  # order of the weights in `weights`
    idf: dict[str, float]  # every known feature: needed for the l2 norm
    weights: dict[str, tuple[float, ...]]  # features with any non-negligible weight
    intercepts: tuple[float, ...]
    thresholds: tuple[float, ...]
    traps: dict[str, tuple[str, ...]]  # lexicon -> labels the model may not add when it matched
    trained: str
    fingerprint: str
    uses_flags: bool
    # Per label, the score at which the model is sure enough to add the label past the rules'
    # vetoes and without a topic word (1.0: never). Cross-validation showed the rules' vetoes
    # (a negated word elsewhere in the sentence, an ordinary explanation, no listed word) stopping
    # concerns the model scored 0.9 and more, nearly all of them truly risks to life.
    sure: tuple[float, ...] = ()
    # Lexicons whose match stops even a sure label (word-sense traps: "topping up his phone").
    sure_vetoes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # compare scores as log-odds: no exp() on the hot path
        object.__setattr__(self, "_cutoffs", tuple(_logit(t) for t in self.thresholds))
        sure = self.sure or (1.0,) * len(self.labels)
        object.__setattr__(self, "sure", sure)
        object.__setattr__(self, "_sure_cutoffs", tuple(math.inf if t >= 1.0 else _logit(t) for t in sure))
        # one row per known feature: (idf squared, weight x idf per label), zeros for a feature
        # the model keeps only for the norm, so a concern costs one dict lookup per feature
        zeros = (0.0,) * len(self.labels)
        get = self.weights.get
        object.__setattr__(self, "_rows", {
            f: (v * v, *map(v.__mul__, get(f, zeros))) for f, v in self.idf.items()})

    def scores(self, feats: list[str]) -> list[float]:
        """Log-odds per label (the same numbers as LogisticRegression.decision_function).

        Each known feature has a row (idf squared, then its weights multiplied by its idf), so a
        word seen once adds its row as it is; the rows are summed column by column in C (zip, sum):
        the first column is the squared l2 norm, by which the others are scaled.
        """
        table: dict[str, tuple[float, ...]] = self._rows  # type: ignore[attr-defined]
        # one count in C; its keys come in text order, so the sums do not hang on the hash seed
        counts = Counter(feats)
        rows = list(filter(None, map(table.get, counts)))
        if len(counts) != len(feats):  # sublinear tf, 1 + log(count), for repeated words
            for f in compress(counts, map(gt, counts.values(), repeat(1))):  # repeated ones only
                row = table.get(f)
                if row is not None:
                    tf = 1.0 + math.log(counts[f])
                    rows.append(((tf * tf - 1.0) * row[0], *((tf - 1.0) * x for x in row[1:])))
        if not rows:
            return list(self.intercepts)
        norm2, *sums = map(sum, zip(*rows, strict=True))
        if not norm2:
            return list(self.intercepts)
        inv = 1.0 / math.sqrt(norm2)
        return [b + inv * total for b, total in zip(self.intercepts, sums, strict=True)]

    def probabilities(self, feats: list[str]) -> list[float]:
        """Probability per label (LogisticRegression.predict_proba's second column)."""
        return [_sigmoid(z) for z in self.scores(feats)]

    def over_threshold(self, feats: list[str]) -> list[tuple[str, bool]]:
        """Labels whose score passes the stored threshold, each with whether it is also sure."""
        z = self.scores(feats)
        cut, sure = self._cutoffs, self._sure_cutoffs  # type: ignore[attr-defined]
        return [(label, s >= u) for label, s, c, u in zip(self.labels, z, cut, sure, strict=True)
                if s >= c]

    def contribution(self, feats: list[str], label: str) -> Contribution:
        """Why the model gives a label: probability, threshold and the words weighing most for it."""
        i = self.labels.index(label)
        counts = Counter(feats)
        present = counts.keys() & self.idf.keys()
        values = {f: (1.0 + math.log(counts[f])) * self.idf[f] for f in present}
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        pushed = [(f, values[f] / norm * self.weights[f][i]) for f in present & self.weights.keys()]
        top = sorted((p for p in pushed if p[1] > 0), key=lambda p: (-p[1], p[0]))[:_EVIDENCE_WORDS]
        z = self.scores(feats)[i]
        return Contribution(label, _sigmoid(z), self.thresholds[i], tuple(top), self.sure[i])


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _fail(message: str) -> RuleFileError:
    return RuleFileError(FILE, message)


def _number(value: Any, where: str) -> float:
    """A finite number, or an error naming where it is."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(f"{where} must be a finite number, got {value!r}")
    return float(value)


def _parse_labels(raw: Any) -> tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...],
                                     tuple[float, ...]]:
    order = raw.get("label_order")
    if not isinstance(order, list) or not order or len(set(order)) != len(order):
        raise _fail("'label_order' must be a list of distinct labels")
    for label in order:
        if label not in LABELS:
            raise _fail(f"unknown label {label!r} in label_order (known: {', '.join(LABELS)})")
    labels = raw.get("labels")
    if not isinstance(labels, Mapping) or set(labels) != set(order):
        raise _fail("'labels' must have one entry for each label in label_order")
    intercepts, thresholds, sure = [], [], []
    for label in order:
        entry = labels[label]
        if not isinstance(entry, Mapping):
            raise _fail(f"labels.{label} must be a mapping with intercept and threshold")
        intercepts.append(_number(entry.get("intercept"), f"labels.{label}.intercept"))
        threshold = _number(entry.get("threshold"), f"labels.{label}.threshold")
        if not 0.0 < threshold < 1.0:
            raise _fail(f"labels.{label}.threshold must be between 0 and 1, got {threshold}")
        thresholds.append(threshold)
        sure_at = _number(entry.get("sure", 1.0), f"labels.{label}.sure")
        if not threshold <= sure_at <= 1.0:
            raise _fail(f"labels.{label}.sure must be between the threshold ({threshold}) and 1, "
                        f"got {sure_at}")
        sure.append(sure_at)
    return tuple(order), tuple(intercepts), tuple(thresholds), tuple(sure)


def _all_finite(values: list[Any]) -> bool:
    """Every value a finite number and none a bool, checked in C (the file holds ~70,000 numbers).

    False also for a sum that overflows; the caller then checks one by one, which says which
    number is wrong (or accepts them all).
    """
    if bool in map(type, values):
        return False
    try:
        return math.isfinite(sum(values))
    except TypeError:
        return False


def _parse_features(raw: Any, width: int) -> tuple[dict[str, float], dict[str, tuple[float, ...]]]:
    table = raw.get("features")
    if not isinstance(table, Mapping) or not table:
        raise _fail("'features' must be a mapping of word -> idf or [idf, weight per label]")
    return _features_at_once(table, width) or _features_one_by_one(table, width)


def _features_at_once(table: Mapping[str, Any], width: int
                      ) -> tuple[dict[str, float], dict[str, tuple[float, ...]]] | None:
    """The usual file (each feature [idf, weights...] or a bare idf, all valid) checked in bulk, in C.

    A bare idf is a feature whose weights were all pruned. None when anything is unusual: the
    one-by-one parse then says which feature is wrong.
    """
    kinds = set(map(type, table.values()))
    if kinds == {list}:
        rows, bare = table, {}
    elif kinds == {list, float}:
        rows = {k: v for k, v in table.items() if type(v) is list}
        bare = {k: v for k, v in table.items() if type(v) is float}
    else:
        return None
    values = list(rows.values())
    if {len(v) for v in values} != {width + 1}:
        return None
    numbers = [*chain.from_iterable(values), *bare.values()]
    if set(map(type, numbers)) != {float} or not _all_finite(numbers):  # floats: no converting
        return None
    names = list(table)
    if not all(isinstance(n, str) for n in names) or not all(map(str.strip, names)):
        return None
    idf = dict(zip(rows, map(itemgetter(0), values), strict=True))
    idf.update(bare)
    if min(idf.values()) <= 0:
        return None
    if bare:
        idf = {name: idf[name] for name in names}  # the file's order, as one by one
    weights = dict(zip(rows, map(tuple, map(itemgetter(slice(1, None)), values)), strict=True))
    return idf, weights


def _features_one_by_one(table: Mapping[str, Any], width: int
                         ) -> tuple[dict[str, float], dict[str, tuple[float, ...]]]:
    """Each feature checked in turn, so an error names it."""
    idf: dict[str, float] = {}
    weights: dict[str, tuple[float, ...]] = {}
    for feature, value in table.items():
        if not isinstance(feature, str) or not feature.strip():
            raise _fail(f"feature names must be words, got {feature!r}")
        if isinstance(value, list):
            if len(value) != width + 1:
                raise _fail(f"feature {feature!r} needs [idf, {width} weights], got {len(value)} numbers")
            if not _all_finite(value):
                for v in value:  # find the bad one and say which
                    _number(v, f"feature {feature!r}")
            numbers = tuple(map(float, value))
            idf[feature] = numbers[0]
            weights[feature] = numbers[1:]
        else:
            idf[feature] = _number(value, f"feature {feature!r}")
        if idf[feature] <= 0:
            raise _fail(f"feature {feature!r}: idf must be positive")
    return idf, weights


def _parse_traps(raw: Any, lexicons: Mapping[str, object]) -> dict[str, tuple[str, ...]]:
    traps = raw.get("traps", {})
    if not isinstance(traps, Mapping):
        raise _fail("'traps' must be a mapping of lexicon -> labels")
    for name, labels in traps.items():
        if name not in lexicons and name != RESOLVED:
            raise _fail(f"traps: unknown lexicon {name!r}")
        if not isinstance(labels, list) or any(label not in LABELS for label in labels):
            raise _fail(f"traps.{name} must be a list of labels ({', '.join(LABELS)})")
    return {str(k): tuple(v) for k, v in traps.items()}


def _parse_sure_vetoes(raw: Any, traps: Mapping[str, object]) -> tuple[str, ...]:
    names = raw.get("sure_vetoes", [])
    if not isinstance(names, list) or any(name not in traps for name in names):
        raise _fail("'sure_vetoes' must be a list of names from 'traps'")
    return tuple(str(name) for name in names)


def parse_learned(text: str, lexicons: Mapping[str, object]) -> LearnedModel:
    """Validate and compile learned.json; errors name the file and what is wrong."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuleFileError(FILE, f"not valid JSON: {exc.msg}", line=exc.lineno) from exc
    if not isinstance(raw, Mapping):
        raise _fail("expected a JSON object at the top level")
    if raw.get("format") != FORMAT:
        raise _fail(f"unknown format {raw.get('format')!r} (this tracker reads format {FORMAT})")
    labels, intercepts, thresholds, sure = _parse_labels(raw)
    idf, weights = _parse_features(raw, len(labels))
    data = raw.get("training_data")
    if not isinstance(data, Mapping) or not isinstance(data.get("fingerprint"), str):
        raise _fail("'training_data' must say which files trained the model (with a fingerprint)")
    traps = _parse_traps(raw, lexicons)
    return LearnedModel(
        labels=labels, idf=idf, weights=weights, intercepts=intercepts, thresholds=thresholds,
        traps=traps, trained=str(raw.get("trained", "")),
        fingerprint=data["fingerprint"], uses_flags=bool(raw.get("settings", {}).get("flags", False)),
        sure=sure, sure_vetoes=_parse_sure_vetoes(raw, traps),
    )


def supporter_reason(contribution: Contribution) -> str:
    """E.g. "it reads like a risk to life (words: 'not be here', 'tablets')"."""
    words = ", ".join(f"'{w}'" for w, _ in contribution.words)
    reads = f"it reads like {READS_LIKE[contribution.label]}"
    return f"{reads} (words: {words})" if words else reads


def staff_description(contribution: Contribution) -> str:
    """The model's score, threshold and weights, for the staff detail."""
    weights = ", ".join(f'"{w}" {v:+.2f}' for w, v in contribution.words) or "no single word stands out"
    sure = (f", sure at {contribution.sure:.2f} or more, so the rules' vetoes do not stop it"
            if contribution.probability >= contribution.sure else "")
    return (f"Learned safety net: reads like {READS_LIKE[contribution.label]} "
            f"(score {contribution.probability:.2f}, threshold {contribution.threshold:.2f}{sure}; "
            f"top words and weights: {weights})")


Blocker = tuple[frozenset[str], tuple[str, ...], tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class LearnedNet:
    """The model plus what the rules know that it must respect (built by the loader from the rules).

    The model may add a label only when (1) the rules saw at least one live word of that kind
    (a word of a list some rule for that label uses: the rules were on the topic but no rule was
    sure), and (2) the rules did not rule it out: no word of that kind negated or said to be over,
    no word-sense trap (`traps` in learned.json), and no rule for that label stopped by its own
    `none_of` list (its signal words matched, but so did an ordinary explanation).
    When the model is sure of a label (its score passes the label's `sure` level), (1) does not
    apply, and of (2) only the word-sense traps named in `sure_vetoes` stop it.
    """

    model: LearnedModel
    signals: dict[str, frozenset[str]]  # lexicon -> labels of rules naming it under any_of
    topics: dict[str, frozenset[str]]  # lexicon -> labels of rules naming it in any positive condition
    blockers: tuple[Blocker, ...]  # (labels, any_of, all_of, none_of) of rules with none_of

    @classmethod
    def build(cls, model: LearnedModel, rules: tuple[Any, ...]) -> LearnedNet:
        """Work out, from the rules, which lists speak for which labels."""
        signals: dict[str, set[str]] = {}
        topics: dict[str, set[str]] = {}
        blockers = []
        for rule in rules:
            labels = _labels_of_rule(rule)
            if not labels:
                continue
            for name in rule.any_of:
                signals.setdefault(name, set()).update(labels)
            positive = [*rule.any_of, *rule.all_of,
                        *((rule.near.first, rule.near.second) if rule.near else ())]
            for name in positive:
                topics.setdefault(name, set()).update(labels)
            if rule.none_of and (rule.any_of or rule.all_of):
                blockers.append((frozenset(labels), rule.any_of, rule.all_of, rule.none_of))
        return cls(model, {k: frozenset(v) for k, v in signals.items()},
                   {k: frozenset(v) for k, v in topics.items()}, tuple(blockers))

    def allowed(self, wanted: list[tuple[str, bool]], hits: list[Any],
                active: Mapping[str, list[Any]]) -> list[str]:
        """The wanted labels (label, sure) the rules neither veto nor leave without a word of that kind.

        A sure label needs no word of that kind, and only a word-sense trap named in the model's
        `sure_vetoes` stops it.
        """
        on_topic = self.on_topic(active)
        vetoed = self.vetoed(hits, active)
        kept = [label for label, _ in wanted if label in on_topic and label not in vetoed]
        if len(kept) == len(wanted) or not any(sure for _, sure in wanted):
            return kept
        trapped = self.trapped(hits)
        return [label for label, sure in wanted
                if label in kept or (sure and label not in trapped)]

    def on_topic(self, active: Mapping[str, list[Any]]) -> set[str]:
        """Labels some live word speaks for (a word of a list a rule for that label uses)."""
        found: set[str] = set()
        topics = self.topics
        for name in active:
            labels = topics.get(name)
            if labels:
                found.update(labels)
        return found

    def trapped(self, hits: list[Any]) -> set[str]:
        """Labels stopped by a matched word-sense trap that stops even a sure label."""
        labels: set[str] = set()
        traps = self.model.traps
        for name in self.model.sure_vetoes:
            for hit in hits:
                if name in hit.lexicons:
                    labels.update(traps[name])
                    break
        return labels

    def vetoed(self, hits: list[Any], active: Mapping[str, list[Any]]) -> set[str]:
        """Labels the rules veto: a signal word negated or resolved, a trap, a rule's none_of."""
        labels: set[str] = set()
        traps, signals = self.model.traps, self.signals
        for hit in hits:
            for name in hit.lexicons:
                if name in traps:
                    labels.update(traps[name])
                found = signals.get(name)
                if found and hit not in active.get(name, ()):
                    labels.update(found)
        for found, any_of, all_of, none_of in self.blockers:
            if found <= labels:
                continue
            if any_of and not any(n in active for n in any_of):
                continue
            if all_of and not all(n in active for n in all_of):
                continue
            if any(n in active for n in none_of):
                labels.update(found)
        return labels


def _labels_of_rule(rule: Any) -> set[str]:
    return set(rule.categories) | ({IMMEDIATE} if rule.urgency == IMMEDIATE else set())
