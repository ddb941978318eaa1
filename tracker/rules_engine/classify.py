"""classify(): canonical text -> lexicon hits -> rules -> routing -> Decision, with no I/O."""

from __future__ import annotations

from tracker.rules_engine.decision import Decision, Evidence, Later
from tracker.rules_engine.explain import LEARNED_PREFIX, staff_explanation, supporter_explanation
from tracker.rules_engine.facts import URGENCIES, ConcernFacts, check_facts
from tracker.rules_engine.learned import IMMEDIATE, features, staff_description, supporter_reason
from tracker.rules_engine.lexicon import Hit
from tracker.rules_engine.model import Near, Rule, RuleSet
from tracker.rules_engine.negation import live_hits
from tracker.rules_engine.normalise import NormalisedText, normalise

_RANK = {u: i for i, u in enumerate(URGENCIES)}


Fired = tuple[Rule, list[Hit]]  # a rule that fired and the hits that made it fire (may repeat)


def _near(text: str, near: Near, active: dict[str, list[Hit]]) -> list[Hit] | None:
    """A pair of hits from the two lexicons close together in one sentence, if any."""
    seconds = active.get(near.second)
    if not seconds:
        return None
    for first in active.get(near.first, ()):
        for second in seconds:
            lo, hi = (first, second) if first.start <= second.start else (second, first)
            gap = hi.first - lo.last if hi.first >= 0 and lo.last >= 0 else text.count(
                " ", lo.end, hi.start)
            if gap <= near.within and (gap <= 0 or " . " not in text[lo.end:hi.start]):
                return [first, second]
    return None


def _lexicon_evidence(rule: Rule, active: dict[str, list[Hit]]) -> list[Hit] | None:
    """Hits satisfying any_of/all_of/none_of, or None when those conditions fail."""
    hits: list[Hit] = []
    if rule.any_of:
        for name in rule.any_of:
            found = active.get(name)
            if found:
                hits.extend(found)
        if not hits:
            return None
    for name in rule.all_of:
        found = active.get(name)
        if not found:
            return None
        hits.extend(found)
    if rule.none_of and not active.keys().isdisjoint(rule.none_of):
        return None
    return hits


def _evidence(rule: Rule, text: str, facts: ConcernFacts, active: dict[str, list[Hit]],
              categories: set[str]) -> list[Hit] | None:
    """The hits that make a rule fire, or None when any of its conditions fails."""
    if rule.unless_categories and not categories.isdisjoint(rule.unless_categories):
        return None
    if rule.if_categories and categories.isdisjoint(rule.if_categories):
        return None
    if rule.facts and any(facts.fact(name) != value for name, value in rule.facts):
        return None
    hits = _lexicon_evidence(rule, active)
    if hits is None:
        return None
    if rule.near is not None:
        pair = _near(text, rule.near, active)
        if pair is None:
            return None
        hits.extend(pair)
    if rule.not_near is not None and _near(text, rule.not_near, active) is not None:
        return None
    if rule.pattern is not None:
        for needed in rule.pattern_needs:  # e.g. no '*' in the text: no masked slur to find
            if needed not in text:
                return None
        found = rule.pattern.search(text)
        if found is None:
            return None
        hits.append(Hit(found.start(), found.end(), found.group(), frozenset()))
    return hits


def fire_rules(ruleset: RuleSet, facts: ConcernFacts, norm: NormalisedText) -> list[Fired]:
    """Every rule that fires, in file order (later rules may test earlier categories)."""
    return _fire(ruleset, facts, norm)[0]


def _fire(ruleset: RuleSet, facts: ConcernFacts, norm: NormalisedText
          ) -> tuple[list[Fired], list[Hit], dict[str, list[Hit]]]:
    """fire_rules(), plus every lexicon hit and the hits still live after negation."""
    text, words = norm.text, norm.words
    hits = ruleset.matcher.find(text, words)
    active = live_hits(text, words, hits, ruleset.negation_modes, ruleset.negation)
    categories: set[str] = set()
    fired: list[Fired] = []
    index = ruleset.rule_index
    by_bit = index.by_bit
    mask = index.mask(active)  # most rules need absent lexicons
    # gates ask the keys view: frozenset.issubset(dict) would copy the dict into a set each time
    names = active.keys()
    while mask:  # candidate rules, lowest bit (earliest in the file) first
        bit = mask & -mask
        mask ^= bit
        rule, only_any_of = by_bit[bit]
        if only_any_of is not None:  # the mask already proves one of them matched
            if len(only_any_of) == 1:
                found = active[only_any_of[0]]
            else:
                found = [h for name in only_any_of if name in active for h in active[name]]
        else:
            if rule.needs_any and names.isdisjoint(rule.needs_any):
                continue
            if rule.needs_all and not names >= rule.needs_all:
                continue
            evidence = _evidence(rule, text, facts, active, categories)
            if evidence is None:
                continue
            found = evidence
        fired.append((rule, found))
        categories.update(rule.categories)
    return fired, hits, active


def _learned_labels(ruleset: RuleSet, facts: ConcernFacts, norm: NormalisedText, given: set[str],
                    hits: list[Hit], active: dict[str, list[Hit]]) -> tuple[list[str], list[str]]:
    """Labels the learned safety net adds (only ones the rules did not give nor veto), and its input."""
    net = ruleset.learned
    if net is None:
        return [], []
    model = net.model
    feats = features(norm.words, facts.risk_now and model.uses_flags,
                     facts.about_staff and model.uses_flags)
    wanted = [(label, sure) for label, sure in model.over_threshold(feats) if label not in given]
    if not wanted:
        return [], feats
    return net.allowed(wanted, hits, active), feats


def _learned_rules(ruleset: RuleSet, feats: list[str], labels: list[str]) -> list[tuple[Rule, Evidence]]:
    """The safety net's additions as rules, with their words (built only when explanations are read)."""
    model = ruleset.learned.model  # type: ignore[union-attr]
    added = []
    for label in labels:
        found = model.contribution(feats, label)
        rule = Rule(id=f"{LEARNED_PREFIX}{label}", description=staff_description(found),
                    reason=supporter_reason(found),
                    categories=() if label == IMMEDIATE else (label,),
                    urgency=IMMEDIATE if label == IMMEDIATE else None)
        added.append((rule, Evidence(rule.id, tuple(w for w, _ in found.words))))
    return added


def _words(norm: NormalisedText, hits: list[Hit]) -> tuple[str, ...]:
    """The typed words behind each hit, in text order, without repeats."""
    ordered = sorted(hits, key=lambda h: h.start)
    return tuple(dict.fromkeys(
        norm.typed_span(h.first, h.last) if h.first >= 0 else norm.typed_words(h.start, h.end)
        for h in ordered))


def _evidence_of(fired: list[Fired], norm: NormalisedText) -> tuple[Evidence, ...]:
    """Each fired rule with the words, as typed, that made it fire."""
    return tuple(Evidence(rule.id, _words(norm, hits)) for rule, hits in fired)


def classify(ruleset: RuleSet, facts: ConcernFacts) -> Decision:
    """Classify and route one concern; risk to life always makes it immediate."""
    check_facts(facts)
    norm = normalise(facts.text, ruleset.corrector)
    fired, hits, active = _fire(ruleset, facts, norm)
    rules = [rule for rule, _ in fired]
    categories = frozenset([c for r in rules for c in r.categories])
    rank = max([_RANK[r.urgency] for r in rules if r.urgency], default=0)
    # The learned safety net may only add a category or make the concern immediate.
    labels, feats = _learned_labels(ruleset, facts, norm, {*categories, *(
        (IMMEDIATE,) if rank == _RANK[IMMEDIATE] or facts.risk_now else ())}, hits, active)
    ids = [r.id for r in rules]
    if labels:
        ids += [f"{LEARNED_PREFIX}{label}" for label in labels]
        categories = categories | {label for label in labels if label != IMMEDIATE}
        if IMMEDIATE in labels:
            rank = _RANK[IMMEDIATE]
        learned = Later(lambda: _learned_rules(ruleset, feats, labels))
        every = Later(lambda: [*rules, *(rule for rule, _ in learned())])
    else:
        learned = Later(list)
        every = Later(lambda: rules)
    # enforced in code as well as in the rule file: safety cannot be edited away
    urgency = IMMEDIATE if facts.risk_now else URGENCIES[rank]
    suggested = frozenset([s for r in rules for s in r.schemes])
    routing = ruleset.routing
    immediate = urgency == IMMEDIATE
    route, co_schemes, extra = routing.decide(categories, suggested, facts.establishment, immediate)
    # Evidence and explanations are worked out when first read: most callers never need them.
    evidence = Later(lambda: (*_evidence_of(fired, norm), *(e for _, e in learned())))
    return Decision.fast(
        categories=tuple(sorted(categories)), urgency=urgency, scheme=route.scheme,
        co_schemes=co_schemes, owner=route.owner, extra_owners=extra,
        confidentiality=route.confidentiality, rules=tuple(ids),
        evidence=evidence, alert_safer_custody=immediate, tell_officer_now=immediate,
        supporter_explanation=Later(lambda: supporter_explanation(
            route, co_schemes, immediate, every(), routing)),
        staff_explanation=Later(lambda: staff_explanation(
            route, urgency, every(), evidence(), facts)),
        ruleset_version=ruleset.version,
    )
