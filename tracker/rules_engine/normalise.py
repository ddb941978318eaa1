"""Kiosk text normalisation: one canonical form for text and lexicon entries, so both match alike."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import cast

#: Upper-case staff abbreviations that would be lost (or mean "so") once lower-cased.
_STAFF_ABBREVIATIONS = re.compile(r"\b(?:SO|CM|OSG|SOs|CMs)\b")
_ABBREVIATION_WORDS = {
    "SO": " supervising officer ", "SOs": " supervising officers ",
    "CM": " custodial manager ", "CMs": " custodial managers ", "OSG": " osg ",
}
_REPEATED_MARKS = re.compile(r"([.,])(?: [.,])+")  # "!!" or "?!" is one sentence end
_REPEATS = (". .", ". ,", ", .", ", ,")
_MIN_FUZZY_LENGTH = 6
_CACHE_LIMIT = 50_000


def _build_table() -> dict[int, str | None]:
    """Map every ASCII character to one character (kept, space, "." or ",") or to nothing.

    One character for one keeps str.translate on its fast path; "." and "," are spaced out after.
    """
    table: dict[int, str | None] = {}
    for code in range(128):
        char = chr(code)
        table[code] = char if (char.isalnum() or char == "*") else " "
    for char in ".!?\u2026":
        table[ord(char)] = "."
    for char in ",;:()\n\"":
        table[ord(char)] = ","
    for char in "'`\u2018\u2019\u02bc":
        table[ord(char)] = None
    return table


_TABLE = _build_table()
#: The same table for ASCII text as bytes.translate arguments (a C loop with no dict lookups).
_BYTES_TABLE = bytes(ord(_TABLE[c] or " ") for c in range(128)) + bytes(range(128, 256))
_BYTES_DELETE = bytes(c for c in range(128) if _TABLE[c] is None)


def basic_form(text: str) -> str:
    """Lower-case, drop apostrophes, turn punctuation into spaces or clause marks; no spelling fixes."""
    if ("SO" in text or "CM" in text or "OSG" in text) and not text.isupper():
        text = _STAFF_ABBREVIATIONS.sub(lambda m: _ABBREVIATION_WORDS[m.group()], text)
    lowered = text.lower()
    if lowered.isascii():
        lowered = lowered.encode("ascii").translate(_BYTES_TABLE, _BYTES_DELETE).decode("ascii")
    else:
        lowered = lowered.translate(_TABLE)
    marked = lowered.replace(".", " . ").replace(",", " , ")
    form = " ".join(marked.split())
    if ". ." in form or ", ," in form or ". ," in form or ", ." in form:  # _REPEATS
        form = _REPEATED_MARKS.sub(r"\1", form)
    return form


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
    known: dict[str, str] = field(default_factory=dict, init=False)  # answers given so far

    def __post_init__(self) -> None:
        for word in self.fuzzy_words:
            self._fuzzy_index.setdefault(word, word)
            for variant in _deletes(word):
                self._fuzzy_index.setdefault(variant, word)

    def fix(self, token: str) -> str:
        """Return the canonical spelling of one token (may be several words, e.g. gonna)."""
        found = self.known.get(token)
        if found is None:
            if len(self.known) > _CACHE_LIMIT:
                self.known.clear()
            found = self.known[token] = self._correct(token)
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
    fixed: tuple[str, ...] | None = None  # each typed word's canonical form, when some differ

    @cached_property
    def words(self) -> list[str]:
        """The canonical words ("." and "," are words too)."""
        return self.text.split(" ") if self.text else []

    @cached_property
    def owners(self) -> tuple[int, ...] | None:
        """Canonical word -> typed word, when one typed word became several ("gonna")."""
        if self.fixed is None or len(self.words) == len(self.typed):
            return None
        return tuple(i for i, f in enumerate(self.fixed) for _ in range(f.count(" ") + 1))

    def typed_words(self, start: int, end: int) -> str:
        """The words as typed that produced the canonical span text[start:end]."""
        first = self.text.count(" ", 0, start)
        last = self.text.count(" ", 0, max(start, end - 1))
        return self.typed_span(first, last)

    def typed_span(self, first: int, last: int) -> str:
        """The words as typed that produced canonical words first..last."""
        owners = self.owners
        if owners is None:  # one typed word per canonical word: the usual case
            return " ".join(self.typed[first:last + 1])
        picked = dict.fromkeys(owners[first:last + 1])
        return " ".join(self.typed[i] for i in picked)


def normalise(text: str, corrector: Corrector) -> NormalisedText:
    """Canonical form of kiosk text: basic form, then each word's spelling fixed."""
    form = basic_form(text)
    typed = form.split(" ") if form else []
    fixed = list(map(corrector.known.get, typed))  # words repeat: most are answered already
    if None in fixed:
        fix = corrector.fix
        fixed = [token if token is not None else fix(word)
                 for token, word in zip(fixed, typed, strict=True)]
    canonical = " ".join(cast(list[str], fixed))
    # Built without the frozen dataclass's setattr calls; words is filled in now (it is always read).
    norm = object.__new__(NormalisedText)
    norm.__dict__.update(text=canonical, typed=tuple(typed), fixed=tuple(fixed),
                         words=canonical.split(" ") if canonical else [])
    return norm
