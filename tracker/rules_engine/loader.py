"""Read and validate the three rule files; compile them into a RuleSet or refuse with file and line."""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

from tracker.rules_engine.errors import RuleFileError
from tracker.rules_engine.learned import FILE as LEARNED
from tracker.rules_engine.learned import LearnedNet, parse_learned
from tracker.rules_engine.lexicon import Matcher
from tracker.rules_engine.model import (
    LONG_AGO,
    NEGATION_MODES,
    RESOLVED,
    LexiconInfo,
    NegationConfig,
    RuleSet,
)
from tracker.rules_engine.normalise import Corrector, basic_form
from tracker.rules_engine.routing import parse_routing
from tracker.rules_engine.rules import parse_rules
from tracker.rules_engine.yaml_marks import MarkedDict, line_of, load_marked

_GROUP_TOKEN = re.compile(r"(<[A-Za-z_]+>)")
_GROUP_NAME = re.compile(r"<([a-z_]+)>")
_CLEAN_ENTRY = re.compile(r"(?:[a-z0-9*]+|<[a-z_]+>)(?: (?:[a-z0-9*]+|<[a-z_]+>))*")
LEXICONS, CLASSIFICATION, ROUTING = "lexicons.yaml", "classification.yaml", "routing.yaml"
FILES = (LEXICONS, CLASSIFICATION, ROUTING)


def _fail(message: str, node: object, name: str | None = None,
          key: str | None = None) -> NoReturn:
    """Raise a RuleFileError in lexicons.yaml at the node's line."""
    raise RuleFileError(LEXICONS, message, rule_id=name, line=line_of(node, key))


def _words(raw: Any, where: str) -> list[str]:
    """A list of strings, or a clear error."""
    if isinstance(raw, list) and set(map(type, raw)) == {str} and all(map(str.strip, raw)):
        return list(raw)  # the usual case (only strings, none blank), checked in C loops
    if not isinstance(raw, list) or not all(
        isinstance(w, str | int | float) and not isinstance(w, bool) and str(w).strip() for w in raw
    ):
        _fail(f"{where} must be a list of words or phrases", raw)
    return [str(w) for w in raw]


def _spellings(data: Mapping[str, Any]) -> dict[str, str]:
    """Invert 'correct: [typed variants]' into typed -> correct."""
    result: dict[str, str] = {}
    table = data.get("spellings") or MarkedDict()
    for correct, variants in table.items():
        for variant in _words(variants, f"spellings.{correct}"):
            result[basic_form(variant)] = basic_form(str(correct))
    return result


def _canonical_entry(entry: str, spellings: Mapping[str, str]) -> str:
    """Put an entry in the same canonical form the text will be in (keeping <group> names)."""
    if _CLEAN_ENTRY.fullmatch(entry):  # the usual case: only spellings can change it
        parts = entry.split(" ")
        if spellings.keys().isdisjoint(parts):  # and usually none of its words is a misspelling
            return entry
        return " ".join(w if w[0] == "<" else spellings.get(w, w) for w in parts)
    words: list[str] = []
    for part in _GROUP_TOKEN.split(entry.strip()):
        if _GROUP_TOKEN.fullmatch(part):
            words.append(part.lower())
            continue
        cleaned = basic_form(part).replace(".", " ").replace(",", " ").split()
        words.extend(spellings.get(w, w) for w in cleaned)
    return " ".join(" ".join(words).replace("> <", "> <").split())


def _check_groups(entry: str, groups: Mapping[str, list[str]], node: object, lexicon: str) -> None:
    """An entry may only use <group> names declared under 'groups'."""
    if "<" not in entry:
        return
    for value in _GROUP_NAME.findall(entry):
        if value not in groups:
            _fail(f"entry {entry!r} uses unknown group <{value}>", node, lexicon)


def _lexicon_entries(data: Mapping[str, Any], spellings: dict[str, str],
                     groups: dict[str, list[str]]) -> tuple[dict[str, list[str]], dict[str, LexiconInfo]]:
    """Every lexicon's canonical entries and metadata, validated."""
    raw_lexicons = data.get("lexicons")
    if not isinstance(raw_lexicons, Mapping) or not raw_lexicons:
        _fail("'lexicons' must be a mapping of name -> {description, words}", data, key="lexicons")
    entries: dict[str, list[str]] = {}
    infos: dict[str, LexiconInfo] = {}
    for name, raw in raw_lexicons.items():
        if not isinstance(raw, Mapping) or "words" not in raw:
            _fail("a lexicon needs 'words'", raw_lexicons, str(name), str(name))
        negation = raw.get("negation", "normal")
        if negation not in NEGATION_MODES:
            _fail(f"negation must be one of {NEGATION_MODES}", raw, str(name), "negation")
        canon = [_canonical_entry(w, spellings) for w in _words(raw["words"], f"{name}.words")]
        for entry in canon:
            if "<" in entry:
                _check_groups(entry, groups, raw, str(name))
        entries[str(name)] = canon
        infos[str(name)] = LexiconInfo(str(name), str(raw.get("description", "")), negation)
    _include(raw_lexicons, entries)
    return entries, infos


def _include(raw_lexicons: Mapping[str, Any], entries: dict[str, list[str]]) -> None:
    """'include: [other]' adds another lexicon's own entries to this one (one level, no chains).

    The longest entry wins at each word, so a phrase of one list hides shorter phrases of other
    lists there; including a list is how a lexicon keeps seeing it ("won't let him use" is
    bullying and, next to an officer, staff conduct too).
    """
    own = {name: list(words) for name, words in entries.items()}
    for name, raw in raw_lexicons.items():
        included = raw.get("include") or []
        if not isinstance(included, list):
            _fail("include must be a list of lexicon names", raw, str(name), "include")
        for other in included:
            if other not in own or other == name:
                _fail(f"include: unknown lexicon {other!r}", raw, str(name), "include")
            entries[str(name)] = entries[str(name)] + own[other]


def _negation(data: Mapping[str, Any], spellings: dict[str, str]
              ) -> tuple[NegationConfig, list[str], list[str]]:
    """The negation settings plus the resolved-statement and long-ago phrases."""
    raw = data.get("negation") or MarkedDict()
    words = frozenset(basic_form(w) for w in _words(raw.get("words", ["no", "not"]), "negation.words"))
    config = NegationConfig(
        words=words,
        ignore_before=frozenset(basic_form(w) for w in raw.get("ignore_before", [])),
        window=int(raw.get("window", 3)),
        strict_window=int(raw.get("strict_window", 1)),
        boundaries=frozenset(raw.get("boundaries", [".", ",", "but"])),
        denials=tuple(tuple(_canonical_entry(w, spellings).split())
                      for w in _words(raw.get("denials", []), "negation.denials")),
        still_now=tuple(tuple(_canonical_entry(w, spellings).split())
                        for w in _words(raw.get("still_now", []), "negation.still_now")),
    )
    for phrase in config.denials:  # negation.live_hits looks for one of these words first
        if words.isdisjoint(phrase):
            _fail(f"negation.denials: {' '.join(phrase)!r} has no negation word "
                  f"({', '.join(sorted(words))})", raw, None, "denials")
    resolved = [_canonical_entry(w, spellings) for w in raw.get("resolved", [])]
    long_ago = [_canonical_entry(w, spellings) for w in _words(raw.get("long_ago", []), "negation.long_ago")]
    return config, resolved, long_ago


def _groups(data: Mapping[str, Any], spellings: dict[str, str]) -> dict[str, list[str]]:
    """Named word groups usable as <name> inside entries."""
    raw = data.get("groups") or MarkedDict()
    return {str(k): [_canonical_entry(w, spellings) for w in _words(v, f"groups.{k}")]
            for k, v in raw.items()}


def _vocabulary(entries: dict[str, list[str]], groups: dict[str, list[str]]) -> frozenset[str]:
    """Every plain word the lexicons know, so known words are never 'corrected'."""
    every = {w for es in (*entries.values(), *groups.values()) for e in es for w in e.split()}
    return frozenset(w for w in every if "*" not in w and "<" not in w)


def _compile_lexicons(data: Any) -> tuple[Matcher, Corrector, NegationConfig, dict[str, LexiconInfo]]:
    """Compile lexicons.yaml: spellings, groups, negation and the single matcher regex."""
    if not isinstance(data, Mapping):
        raise RuleFileError(LEXICONS, "expected a mapping at the top level")
    spellings = _spellings(data)
    groups = _groups(data, spellings)
    entries, infos = _lexicon_entries(data, spellings, groups)
    negation, resolved, long_ago = _negation(data, spellings)
    entries[RESOLVED] = resolved
    entries[LONG_AGO] = long_ago
    vocabulary = _vocabulary(entries, groups)
    corrector = Corrector(
        spellings, vocabulary,
        fuzzy_words=[basic_form(w) for w in data.get("fuzzy_words", [])],
        not_typos=frozenset(basic_form(w) for w in data.get("not_typos", [])),
    )
    try:
        matcher = Matcher(entries, groups)
    except ValueError as exc:
        raise RuleFileError(LEXICONS, f"lexicons do not compile: {exc}") from exc
    return matcher, corrector, negation, infos


def _read(rules_dir: Path, name: str) -> str:
    """Read one rule file as text, or say which one is missing."""
    try:
        return (rules_dir / name).read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleFileError(name, f"cannot read: {exc.strerror or exc}") from exc


def load_ruleset(rules_dir: Path) -> RuleSet:
    """Load, validate and compile rules_dir/{lexicons,classification,routing}.yaml.

    Loading makes tens of thousands of small long-lived objects (YAML nodes, tree nodes), and the
    cyclic garbage collector's repeated passes over them were about a quarter of the load time, so
    it is paused meanwhile and switched back on afterwards (unless the caller had it off).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(Path(rules_dir))
    finally:
        if collecting:
            gc.enable()


def _load(rules_dir: Path) -> RuleSet:
    """load_ruleset() without the garbage-collector pause."""
    texts = {name: _read(rules_dir, name) for name in FILES}
    # the learned safety net is optional: a folder without learned.json has rules only
    learned_text = _read(rules_dir, LEARNED) if (rules_dir / LEARNED).exists() else None
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(name.encode() + b"\0" + texts[name].encode("utf-8") + b"\0")
    # learned.json is deliberately not part of the version: the web publishing flow compiles the
    # five rule files alone and must get the same version as the rules in force (the model's own
    # training fingerprint and date identify it: `tracker rules check` prints them)
    matcher, corrector, negation, infos = _compile_lexicons(load_marked(texts[LEXICONS], LEXICONS))
    rules = parse_rules(load_marked(texts[CLASSIFICATION], CLASSIFICATION), infos)
    routing = parse_routing(load_marked(texts[ROUTING], ROUTING))
    learned = None
    if learned_text is not None:
        learned = LearnedNet.build(parse_learned(learned_text, infos), rules)
    learned_version = (hashlib.sha256(learned_text.encode("utf-8")).hexdigest()[:12]
                       if learned_text is not None else None)
    return RuleSet(digest.hexdigest()[:12], rules_dir, infos, matcher, corrector, negation,
                   rules, routing, learned, learned_version)
