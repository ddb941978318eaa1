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
        group = _GROUP.match(entry, i)
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
    """Each word group as a regex alternation, longest alternative first."""
    return {
        name: "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))) + ")"
        for name, words in groups.items()
    }


class Matcher:
    """Finds every lexicon phrase in canonical text with one regex search, longest entry winning."""

    def __init__(self, entries: Mapping[str, Iterable[str]], groups: Mapping[str, Iterable[str]]):
        self._groups = group_regexes(groups)
        self._exact: dict[str, set[str]] = {}
        self._patterned: list[tuple[re.Pattern[str], str]] = []
        self._cache: dict[str, frozenset[str]] = {}
        trie: dict = {}
        for lexicon, words in entries.items():
            for entry in words:
                self._add(trie, lexicon, entry)
        body = _emit(trie, self._groups) or "(?!)"
        # A lookahead finds the longest entry starting at EVERY word, so overlapping
        # phrases ("wants to kill" / "kill himself") are all seen.
        self.regex = re.compile(rf"(?<![a-z0-9*])(?=((?:{body}))(?![a-z0-9*]))")

    def _add(self, trie: dict, lexicon: str, entry: str) -> None:
        """Insert one entry into the trie and into the table that says which lexicon it is."""
        atoms = entry_atoms(entry)
        node = trie
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[_END] = True
        if all(kind == "L" for kind, _ in atoms):
            self._exact.setdefault(entry, set()).add(lexicon)
        else:
            text = "".join(_atom_regex(atom, self._groups) for atom in atoms)
            self._patterned.append((re.compile(text), lexicon))

    def lexicons_of(self, phrase: str) -> frozenset[str]:
        """Which lexicons a matched phrase belongs to (remembered: phrases repeat)."""
        found = self._cache.get(phrase)
        if found is None:
            names = set(self._exact.get(phrase, ()))
            names.update(lex for rx, lex in self._patterned if lex not in names and rx.fullmatch(phrase))
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            found = self._cache[phrase] = frozenset(names)
        return found

    def find(self, text: str) -> list[Hit]:
        """Every lexicon hit, left to right, minus hits lying wholly inside a longer one."""
        hits: list[Hit] = []
        reach = -1
        for m in self.regex.finditer(text):
            phrase = m.group(1)
            end = m.start() + len(phrase)
            if end <= reach:
                continue  # inside a longer phrase: "topping up" hides "top"
            reach = end
            hits.append(Hit(m.start(), end, phrase, self.lexicons_of(phrase)))
        return hits
