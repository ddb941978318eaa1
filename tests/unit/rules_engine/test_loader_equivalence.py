"""The faster rule-set loader compiles exactly what the straightforward one did.

The reference functions below are the loader's, matcher's and YAML loader's code as it was before
the load-speed work (entry-by-entry insertion, a regex check and re-join per entry, a list of every
phrase for the vocabulary, every YAML node through construct_object); the shipped rules compiled
both ways must give the same YAML data and lines, the same tree, the same vocabulary and the same
decision for every labelled line.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from tracker.rules_engine import ConcernFacts, RuleFileError, RuleSet, classify, load_ruleset, loader
from tracker.rules_engine.lexicon import _GROUP, Matcher, _Node, _word_keys
from tracker.rules_engine.model import LONG_AGO, RESOLVED
from tracker.rules_engine.normalise import basic_form
from tracker.rules_engine.yaml_marks import MarkedDict, MarkedList, load_marked

REPO = Path(__file__).resolve().parents[3]
RULES_DIR = REPO / "rules"
_CLEAN = re.compile(r"(?:[a-z0-9*]+|<[a-z_]+>)(?: (?:[a-z0-9*]+|<[a-z_]+>))*")
_TOKEN = re.compile(r"(<[A-Za-z_]+>)")
LABELLED = sorted((REPO / "tests" / "data").glob("*.jsonl")) + [
    p for p in [REPO.parent / "shared" / "corpus" / "concerns.jsonl"] if p.exists()]


def _old_canonical(entry: str, spellings: Mapping[str, str]) -> str:
    if _CLEAN.fullmatch(entry):
        return " ".join(w if w[0] == "<" else spellings.get(w, w) for w in entry.split(" "))
    words: list[str] = []
    for part in _TOKEN.split(entry.strip()):
        if _TOKEN.fullmatch(part):
            words.append(part.lower())
            continue
        cleaned = basic_form(part).replace(".", " ").replace(",", " ").split()
        words.extend(spellings.get(w, w) for w in cleaned)
    return " ".join(" ".join(words).split())


def _old_vocabulary(entries: dict[str, list[str]], groups: dict[str, list[str]]) -> frozenset[str]:
    words: set[str] = set()
    for phrase in [e for es in entries.values() for e in es] + [g for gs in groups.values() for g in gs]:
        words.update(w for w in phrase.split() if "*" not in w and "<" not in w)
    return frozenset(words)


def _old_group_child(matcher: Matcher, node: _Node, name: str) -> _Node:
    target, new = node.group_child(name)
    if new:
        for member in matcher._group_words[name]:
            words = member.split(" ")
            if len(words) == 1:
                continue
            here = node
            for word in words[:-1]:
                here = here.exact_child(word)
            here.chain_to(words[-1], target)
    return target


def _old_add(matcher: Matcher, lexicon: str, entry: str) -> None:
    nodes = [matcher._root]
    for word in entry.split():
        group = _GROUP.fullmatch(word) if word[0] == "<" else None
        if group:
            nodes = [_old_group_child(matcher, node, group.group(1)) for node in nodes]
            continue
        is_prefix, keys = _word_keys(word)
        if is_prefix:
            nodes = [node.prefix_child(key) for node in nodes for key in keys]
        else:
            nodes = [node.exact_child(key) for node in nodes for key in keys]
    for node in nodes:
        node.ends = node.ends | {lexicon}


def _reference_matcher(entries: Mapping[str, list[str]], groups: Mapping[str, list[str]]) -> Matcher:
    matcher = Matcher({}, groups)
    for lexicon, words in entries.items():
        for entry in words:
            _old_add(matcher, lexicon, entry)
    return matcher


def _shape(matcher: Matcher) -> list[Any]:
    """The whole word tree as plain data, nodes numbered in a fixed walk order."""
    ids: dict[int, int] = {}
    order: list[_Node] = []
    stack = [matcher._root]
    while stack:
        node = stack.pop()
        if id(node) in ids:
            continue
        ids[id(node)] = len(order)
        order.append(node)
        for table in (node.groups, node.prefix, node.exact):
            stack.extend(table[k] for k in sorted(table, reverse=True))
    return [(sorted((k, ids[id(v)]) for k, v in n.exact.items()),
             sorted((k, ids[id(v)]) for k, v in n.prefix.items()), n.prefix_lengths,
             sorted((k, ids[id(v)]) for k, v in n.groups.items()),
             sorted((k, sorted(ids[id(t)] for t in v)) for k, v in n.extra.items()),
             sorted(n.ends)) for n in order]


@pytest.fixture(scope="module")
def compiled() -> dict[str, Any]:
    data = load_marked((RULES_DIR / loader.LEXICONS).read_text(encoding="utf-8"), loader.LEXICONS)
    spellings = loader._spellings(data)
    groups = loader._groups(data, spellings)
    entries, _ = loader._lexicon_entries(data, spellings, groups)
    _, resolved, long_ago = loader._negation(data, spellings)
    entries[RESOLVED] = resolved
    entries[LONG_AGO] = long_ago
    return {"data": data, "spellings": spellings, "groups": groups, "entries": entries}


@pytest.fixture(scope="module")
def reference(ruleset: RuleSet, compiled: dict[str, Any]) -> RuleSet:
    """The shipped rules with the matcher built the old way."""
    return dataclasses.replace(ruleset, matcher=_reference_matcher(compiled["entries"], compiled["groups"]))


def test_canonical_entries_and_word_lists_unchanged(compiled: dict[str, Any]) -> None:
    data, spellings = compiled["data"], compiled["spellings"]
    raw_words = [w for lex in data["lexicons"].values() for w in lex["words"]]
    raw_words += [w for ws in data["groups"].values() for w in ws] + list(data["negation"]["resolved"])
    assert len(raw_words) > 5000
    for word in raw_words:
        assert loader._canonical_entry(str(word), spellings) == _old_canonical(str(word), spellings)
    for name, lex in data["lexicons"].items():
        assert loader._words(lex["words"], name) == [str(w) for w in lex["words"]]


def test_vocabulary_unchanged(compiled: dict[str, Any]) -> None:
    assert loader._vocabulary(compiled["entries"], compiled["groups"]) == _old_vocabulary(
        compiled["entries"], compiled["groups"])


def test_word_tree_identical(ruleset: RuleSet, reference: RuleSet) -> None:
    fresh = load_ruleset(RULES_DIR)  # not the session one: its lookups may have grown states
    assert _shape(fresh.matcher) == _shape(reference.matcher)
    assert fresh.corrector.vocabulary == ruleset.corrector.vocabulary


@pytest.mark.parametrize("path", LABELLED, ids=lambda p: p.name)
def test_same_decision_for_every_labelled_line(path: Path, ruleset: RuleSet, reference: RuleSet) -> None:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines
    for line in lines:
        for answers in ({}, {"about_staff": True}, {"risk_now": True}):
            facts = ConcernFacts(text=line["text"], **answers)  # type: ignore[arg-type]
            assert classify(ruleset, facts).as_dict() == classify(reference, facts).as_dict(), line


def test_loading_leaves_the_garbage_collector_as_it_was(tmp_path: Path) -> None:
    assert gc.isenabled()
    load_ruleset(RULES_DIR)
    assert gc.isenabled()
    shutil.copytree(RULES_DIR, tmp_path / "rules")
    (tmp_path / "rules" / loader.LEXICONS).write_text("lexicons: [", encoding="utf-8")
    with pytest.raises(RuleFileError):
        load_ruleset(tmp_path / "rules")
    assert gc.isenabled()
    gc.disable()
    try:
        load_ruleset(RULES_DIR)
        assert not gc.isenabled()
    finally:
        gc.enable()


class _OldMarkedLoader(yaml.CSafeLoader):  # type: ignore[misc,name-defined]
    """The marked YAML loader as it was: every node through construct_object, no resolve cache."""


def _old_mapping(loader: Any, node: yaml.MappingNode) -> MarkedDict:
    result = MarkedDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _old_sequence(loader: Any, node: yaml.SequenceNode) -> MarkedList:
    result = MarkedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_OldMarkedLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}
_OldMarkedLoader.add_implicit_resolver("tag:yaml.org,2002:bool",
                                       re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_OldMarkedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _old_mapping)
_OldMarkedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _old_sequence)


def _marks(value: Any) -> Any:
    """Values, their types and every recorded line, as plain data."""
    if isinstance(value, MarkedDict):
        return ("map", value.line, value.key_lines, {k: _marks(v) for k, v in value.items()})
    if isinstance(value, MarkedList):
        return ("seq", value.line, value.item_lines, [_marks(v) for v in value])
    return (type(value).__name__, value)


@pytest.mark.parametrize("text", [
    *(p.read_text(encoding="utf-8") for p in sorted(RULES_DIR.glob("*.yaml"))),
    "a: [no, yes, on, off, true, 1, 1.5, ~, null, x, 'y', !!str 5, '007', .5, -3]\n"
    "b: &x {c: [1, two]}\nd: *x\n5: five\n",
], ids=lambda t: t.split("\n")[0][:30])
def test_marked_yaml_unchanged(text: str) -> None:
    expected = yaml.load(text, Loader=_OldMarkedLoader)  # noqa: S506 - a SafeLoader subclass
    assert _marks(load_marked(text, "x.yaml")) == _marks(expected)
    assert _marks(load_marked(text, "x.yaml")) == _marks(expected)  # again, from the remembered tags
