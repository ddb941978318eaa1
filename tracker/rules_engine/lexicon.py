"""Lexicons compiled once into a single prefix-tree regular expression over canonical text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: What a trailing ``*`` in an entry means: any word ending. A ``*`` inside a word is one hidden letter.
_WILD = "[a-z0-9]*"
_ONE = "[a-z*]"
_GROUP = re.compile(r"<([a-z_]+)>")
_END = ""  # trie key marking "an entry ends here"
_CACHE_LIMIT = 50_000
_INLINE_GROUP_LIMIT = 8
_LONGEST_ENTRY = 120  # characters of text a fallback walk looks at
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_ONE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz*")

Atom = tuple[str, str]  # (kind, value): ("L", char) literal, ("G", name) group, ("O", "") one, ("W", "") wild


@dataclass(frozen=True)
class Hit:
    """One span of canonical text that matched lexicon entries."""

    start: int
    end: int
    phrase: str
    lexicons: frozenset[str]


def entry_atoms(entry: str) -> list[Atom]:
    """Split a canonical entry into trie atoms: letters, <group> names, and * wildcards."""
    atoms: list[Atom] = []
    i = 0
    while i < len(entry):
        char = entry[i]
        group = _GROUP.match(entry, i) if char == "<" else None
        if group:
            atoms.append(("G", group.group(1)))
            i = group.end()
            continue
        if char == "*":
            at_word_end = i + 1 == len(entry) or entry[i + 1] == " "
            atoms.append(("W", "") if at_word_end else ("O", ""))
        else:
            atoms.append(("L", char))
        i += 1
    return atoms


def _atom_regex(atom: Atom, groups: Mapping[str, str]) -> str:
    """Regular expression text for one atom."""
    kind, value = atom
    if kind == "L":
        return re.escape(value)
    if kind == "G":
        return groups[value]
    return _ONE if kind == "O" else _WILD


def _atom_order(atom: Atom) -> tuple[int, str]:
    """Literals first, wildcards last: the regex then prefers the longest, most specific entry."""
    return ({"L": 0, "G": 1, "O": 2, "W": 3}[atom[0]], atom[1])


def _emit(node: dict, groups: Mapping[str, str]) -> str:
    """Turn a trie node into regex text; a node where an entry ends makes the rest optional."""
    children = sorted((key for key in node if key != _END), key=_atom_order)
    branches = [_atom_regex(key, groups) + _emit(node[key], groups) for key in children]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        return f"(?:{body})?"
    return body


def group_regexes(groups: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Each word group as a compact prefix-tree alternation (it is inlined wherever used)."""
    result: dict[str, str] = {}
    for name, words in groups.items():
        words = list(words)
        if len(words) > _INLINE_GROUP_LIMIT:
            # Big groups are inlined at every use; a generic "a few words" keeps the regex
            # small, and find() checks each candidate against the real entries.
            most = max(w.count(" ") for w in words)
            result[name] = "[a-z0-9*]+" + (f"(?: [a-z0-9*]+){{0,{most}}}" if most else "")
            continue
        trie: dict = {}
        for word in words:
            node = trie
            for char in word:
                node = node.setdefault(("L", char), {})
            node[_END] = True
        result[name] = "(?:" + _emit(trie, {}) + ")"
    return result


class Matcher:
    """Finds every lexicon phrase in canonical text with one regex search, longest entry winning."""

    def __init__(self, entries: Mapping[str, Iterable[str]], groups: Mapping[str, Iterable[str]]):
        self._group_words = {name: sorted(set(words)) for name, words in groups.items()}
        self._groups = group_regexes(self._group_words)
        self._cache: dict[str, frozenset[str]] = {}
        self._fallback: dict[str, tuple[str, frozenset[str]]] = {}
        self._trie: dict = {}
        for lexicon, words in entries.items():
            for entry in words:
                self._add(lexicon, entry)
        body = _emit(self._trie, self._groups) or "(?!)"
        # A lookahead finds the longest entry starting at EVERY word, so overlapping
        # phrases ("wants to kill" / "kill himself") are all seen.
        self.regex = re.compile(rf"(?<![a-z0-9*])(?=((?:{body}))(?![a-z0-9*]))")

    def _add(self, lexicon: str, entry: str) -> None:
        """Insert one entry into the trie; the node where it ends remembers its lexicon."""
        node = self._trie
        for atom in entry_atoms(entry):
            node = node.setdefault(atom, {})
        node.setdefault(_END, set()).add(lexicon)

    def _walk(self, node: dict, phrase: str, i: int, found: set[str],
              ends: dict[int, set[str]] | None = None) -> None:
        """Collect lexicons of entries matching the whole phrase (or, with ends, any prefix)."""
        if _END in node:
            if ends is not None:
                if i == len(phrase) or phrase[i] not in _ONE_CHARS | _WORD_CHARS:
                    ends.setdefault(i, set()).update(node[_END])
            elif i == len(phrase):
                found.update(node[_END])
        for atom, child in node.items():
            if atom == _END:
                continue
            kind, value = atom
            if kind == "L" or kind == "O":
                ok = i < len(phrase) and (phrase[i] == value if kind == "L" else phrase[i] in _ONE_CHARS)
                if ok:
                    self._walk(child, phrase, i + 1, found, ends)
            elif kind == "G":
                for word in self._group_words[value]:
                    if phrase.startswith(word, i):
                        self._walk(child, phrase, i + len(word), found, ends)
            else:
                j = i
                while True:
                    self._walk(child, phrase, j, found, ends)
                    if j < len(phrase) and phrase[j] in _WORD_CHARS:
                        j += 1
                    else:
                        break

    def lexicons_of(self, phrase: str) -> frozenset[str]:
        """Which lexicons a matched phrase belongs to (remembered: phrases repeat)."""
        found = self._cache.get(phrase)
        if found is None:
            names: set[str] = set()
            self._walk(self._trie, phrase, 0, names)
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            found = self._cache[phrase] = frozenset(names)
        return found

    def find(self, text: str) -> list[Hit]:
        """Every lexicon hit, left to right, minus hits lying wholly inside a longer one."""
        hits: list[Hit] = []
        reach = -1
        for m in self.regex.finditer(text):
            phrase, names = self._longest_real(text, m.start(), m.group(1))
            if not names:
                continue
            end = m.start() + len(phrase)
            if end <= reach:
                continue  # inside a longer phrase: "topping up" hides "top"
            reach = end
            hits.append(Hit(m.start(), end, phrase, names))
        return hits

    def _longest_real(self, text: str, start: int, candidate: str) -> tuple[str, frozenset[str]]:
        """The candidate if it is a real entry, else the longest real entry starting here."""
        names = self.lexicons_of(candidate)
        if names:
            return candidate, names
        window = text[start:start + _LONGEST_ENTRY]
        found = self._fallback.get(window)
        if found is None:
            if len(self._fallback) > _CACHE_LIMIT:
                self._fallback.clear()
            found = self._fallback[window] = self._walk_longest(window)
        return found

    def _walk_longest(self, window: str) -> tuple[str, frozenset[str]]:
        """Walk the trie over the text itself: the longest real entry starting here."""
        ends: dict[int, set[str]] = {}
        self._walk(self._trie, window, 0, set(), ends)
        if not ends:
            return "", frozenset()
        end = max(ends)
        return window[:end], frozenset(ends[end])
