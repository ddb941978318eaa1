"""Kiosk text normalisation: one canonical form for text and lexicon entries, so both match alike."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

#: Upper-case staff abbreviations that would be lost (or mean "so") once lower-cased.
_STAFF_ABBREVIATIONS = re.compile(r"\b(?:SO|CM|OSG|SOs|CMs)\b")
_ABBREVIATION_WORDS = {
    "SO": " supervising officer ", "SOs": " supervising officers ",
    "CM": " custodial manager ", "CMs": " custodial managers ", "OSG": " osg ",
}
_REPEATED_MARKS = re.compile(r"([.,])(?: [.,])+")  # "!!" or "?!" is one sentence end
_SENTENCE = " . "
_CLAUSE = " , "
_MIN_FUZZY_LENGTH = 6
_CACHE_LIMIT = 50_000


def _build_table() -> dict[int, str]:
    """Map every ASCII character to what it becomes: kept, a space, or a sentence/clause mark."""
    table: dict[int, str] = {}
    for code in range(128):
        char = chr(code)
        table[code] = char if (char.isalnum() or char == "*") else " "
    for char in ".!?":
        table[ord(char)] = _SENTENCE
    for char in ",;:()\n\"":
        table[ord(char)] = _CLAUSE
    for char in "'`\u2018\u2019\u02bc":
        table[ord(char)] = ""
    table[ord("\u2026")] = _SENTENCE
    return table


_TABLE = _build_table()


def basic_form(text: str) -> str:
    """Lower-case, drop apostrophes, turn punctuation into spaces or clause marks; no spelling fixes."""
    if not text.isupper():
        text = _STAFF_ABBREVIATIONS.sub(lambda m: _ABBREVIATION_WORDS[m.group()], text)
    return _REPEATED_MARKS.sub(r"\1", " ".join(text.lower().translate(_TABLE).split()))


def _deletes(word: str) -> set[str]:
    """All strings one deletion away: the symmetric-delete trick for edit-distance-1 lookups."""
    return {word[:i] + word[i + 1:] for i in range(len(word))}


@dataclass
class Corrector:
    """Fixes text-speak and misspellings token by token, remembering answers because words repeat."""

    spellings: Mapping[str, str]
    vocabulary: frozenset[str]
    fuzzy_words: Iterable[str] = ()
    not_typos: frozenset[str] = frozenset()
    _fuzzy_index: dict[str, str] = field(default_factory=dict, init=False)
    _cache: dict[str, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for word in self.fuzzy_words:
            self._fuzzy_index.setdefault(word, word)
            for variant in _deletes(word):
                self._fuzzy_index.setdefault(variant, word)

    def fix(self, token: str) -> str:
        """Return the canonical spelling of one token (may be several words, e.g. gonna)."""
        found = self._cache.get(token)
        if found is None:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            found = self._cache[token] = self._correct(token)
        return found

    def _correct(self, token: str) -> str:
        """Work out a token's canonical form: known spelling, dropped g, then a near miss."""
        if token in self.spellings:
            return self.spellings[token]
        if token in self.vocabulary or token in self.not_typos:
            return token
        if token.endswith("in") and token + "g" in self.vocabulary:
            return token + "g"
        if len(token) >= _MIN_FUZZY_LENGTH and token.isalpha():
            for variant in (token, *_deletes(token)):
                if variant in self._fuzzy_index:
                    return self._fuzzy_index[variant]
        return token


@dataclass(frozen=True)
class NormalisedText:
    """A concern's text in canonical form, keeping the typed words so evidence can quote them."""

    text: str
    typed: tuple[str, ...]
    owners: tuple[int, ...] | None = None  # canonical word -> typed word, when they differ

    def typed_words(self, start: int, end: int) -> str:
        """The words as typed that produced the canonical span text[start:end]."""
        first = self.text.count(" ", 0, start)
        last = self.text.count(" ", 0, max(start, end - 1))
        if self.owners is None:  # one typed word per canonical word: the usual case
            return " ".join(self.typed[first:last + 1])
        picked = dict.fromkeys(self.owners[first:last + 1])
        return " ".join(self.typed[i] for i in picked)


def normalise(text: str, corrector: Corrector) -> NormalisedText:
    """Canonical form of kiosk text: basic form, then each word's spelling fixed."""
    form = basic_form(text)
    typed = form.split(" ") if form else []
    fixed = [corrector.fix(token) for token in typed]
    text = " ".join(fixed)
    owners = None
    if text.count(" ") != len(typed) - 1:
        owners = tuple(i for i, f in enumerate(fixed) for _ in range(f.count(" ") + 1))
    return NormalisedText(text, tuple(typed), owners)
