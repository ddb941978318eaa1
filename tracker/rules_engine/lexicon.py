"""Lexicons compiled once into a word-level prefix tree, walked over the canonical text's words.

Canonical text is words separated by single spaces (punctuation is its own word, "." or ","),
so matching works on words, not characters: no large regular expression to build or compile.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import accumulate, compress, product, repeat
from operator import is_not
from typing import NamedTuple, cast

_GROUP = re.compile(r"<([a-z_]+)>")
_HIDDEN = "abcdefghijklmnopqrstuvwxyz*"  # what a * inside a word may stand for
_MAX_HIDDEN = 3  # hidden letters per word; each one multiplies the variants by 27
_CACHE_LIMIT = 20_000



class Hit(NamedTuple):
    """One span of canonical text that matched lexicon entries (first/last: word indexes)."""

    start: int
    end: int
    phrase: str
    lexicons: frozenset[str]
    first: int = -1
    last: int = -1


def _word_keys(word: str) -> tuple[bool, list[str]]:
    """(is a prefix, keys) for one entry word: 'threat*' is the prefix 'threat'; 'p*ki' is 27 words."""
    is_prefix = word.endswith("*")
    stem = word[:-1] if is_prefix else word
    hidden = stem.count("*")
    if hidden == 0:
        return is_prefix, [stem]
    if hidden > _MAX_HIDDEN:
        raise ValueError(f"{word!r} hides more than {_MAX_HIDDEN} letters")
    parts = stem.split("*")
    keys = []
    for letters in product(_HIDDEN, repeat=hidden):
        keys.append(parts[0] + "".join(a + b for a, b in zip(letters, parts[1:], strict=True)))
    return is_prefix, keys


class _Node:
    """One point of the word tree: ways on by exact word, word prefix or word group."""

    __slots__ = ("ends", "exact", "extra", "groups", "prefix", "prefix_lengths")

    def __init__(self) -> None:
        # Most nodes are leaves: they share empty tables until a child is added (faster load).
        self.exact: dict[str, _Node] = _NO_CHILDREN
        self.prefix: dict[str, _Node] = _NO_CHILDREN
        self.prefix_lengths: tuple[int, ...] = ()
        self.extra: dict[str, list[_Node]] = _NO_CHAINS  # last words of multi-word group members
        self.groups: dict[str, _Node] = _NO_CHILDREN
        self.ends: frozenset[str] = _NO_ENDS

    def exact_child(self, key: str) -> _Node:
        """The child for exactly this word, created when new."""
        if self.exact is _NO_CHILDREN:
            self.exact = {}
        return _child(self.exact, key)

    def prefix_child(self, key: str) -> _Node:
        """The child for words starting with key, created when new."""
        if self.prefix is _NO_CHILDREN:
            self.prefix = {}
        if len(key) not in self.prefix_lengths:
            self.prefix_lengths = tuple(sorted((*self.prefix_lengths, len(key))))
        return _child(self.prefix, key)

    def group_child(self, name: str) -> tuple[_Node, bool]:
        """The child after a word group, and whether it is new."""
        if self.groups is _NO_CHILDREN:
            self.groups = {}
        found = self.groups.get(name)
        if found is not None:
            return found, False
        node = self.groups[name] = _Node()
        return node, True

    def chain_to(self, word: str, target: _Node) -> None:
        """A last word of a multi-word group member leads on to target."""
        if self.extra is _NO_CHAINS:
            self.extra = {}
        self.extra.setdefault(word, []).append(target)


_NO_CHILDREN: dict[str, _Node] = {}  # shared; only ever read (see _Node)
_NO_ENDS: frozenset[str] = frozenset()  # one shared empty set (fewer objects for the collector)
_NO_CHAINS: dict[str, list[_Node]] = {}


def _child(table: dict[str, _Node], key: str) -> _Node:
    """The child under key, created when new."""
    node = table.get(key)
    if node is None:
        node = table[key] = _Node()
    return node


class _State:
    """A set of tree nodes reached together by the same words (built lazily, then remembered)."""

    __slots__ = ("ends", "leaf", "next", "nodes")

    def __init__(self, nodes: tuple[_Node, ...]) -> None:
        self.nodes = nodes
        ends: frozenset[str] = frozenset()
        for node in nodes:
            ends = ends | node.ends
        self.ends = ends
        self.leaf = not any(n.exact or n.prefix or n.groups or n.extra for n in nodes)
        self.next: dict[str, _State] = {}


class Matcher:
    """Finds every lexicon phrase in canonical text, longest entry winning at each word."""

    def __init__(self, entries: Mapping[str, Iterable[str]], groups: Mapping[str, Iterable[str]]):
        self._group_words = {name: sorted(set(words)) for name, words in groups.items()}
        self._singles = {name: frozenset(w for w in words if " " not in w)
                         for name, words in self._group_words.items()}
        # Multi-word group members as (leading words, last word), split once for every use.
        self._chains = {name: [(parts[:-1], parts[-1]) for parts in map(str.split, words, repeat(" "))
                               if len(parts) > 1]
                        for name, words in self._group_words.items()}
        self._root = _Node()
        ends_of: dict[str, list[_Node]] = {}  # entry -> nodes where it ends (lists share entries)
        for lexicon, words in entries.items():
            label = frozenset((lexicon,))
            for entry in words:
                ends = ends_of.get(entry)
                if ends is None:
                    ends = ends_of[entry] = self._insert(entry)
                for node in ends:  # most nodes end one lexicon: they share its one-name set
                    if not node.ends:
                        node.ends = label
                    elif lexicon not in node.ends:
                        node.ends = node.ends | label
        self._states: dict[frozenset[int], _State] = {}
        self._dead = _State(())
        self._start = _State((self._root,))
        self._transitions = 0

    def _add(self, lexicon: str, entry: str) -> None:
        """Insert one entry; every node where it ends remembers its lexicon."""
        for node in self._insert(entry):
            node.ends = node.ends | {lexicon}

    def _insert(self, entry: str) -> list[_Node]:
        """Make the path for one entry and return the nodes where it ends."""
        if "*" not in entry and "<" not in entry:  # the usual case: plain words in a row
            node = self._root
            for word in entry.split():
                table = node.exact
                if table is _NO_CHILDREN:
                    table = node.exact = {}
                nxt = table.get(word)
                if nxt is None:
                    nxt = table[word] = _Node()
                node = nxt
            return [node]
        nodes = [self._root]
        for word in entry.split():
            group = _GROUP.fullmatch(word) if word[0] == "<" else None
            if group:
                nodes = [self._group_child(node, group.group(1)) for node in nodes]
                continue
            is_prefix, keys = _word_keys(word)
            if is_prefix:
                nodes = [node.prefix_child(key) for node in nodes for key in keys]
            else:
                nodes = [node.exact_child(key) for node in nodes for key in keys]
        return nodes

    def _group_child(self, node: _Node, name: str) -> _Node:
        """The node after <name>; multi-word members reach it through a chain of extra steps."""
        target, new = node.group_child(name)
        if new:
            for leading, last in self._chains[name]:
                here = node
                for word in leading:
                    here = here.exact_child(word)
                here.chain_to(last, target)
        return target

    def _step(self, state: _State, word: str) -> _State:
        """The state after one more word (worked out once per state and word, then remembered)."""
        found: dict[int, _Node] = {}
        for node in state.nodes:
            nxt = node.exact.get(word)
            if nxt is not None:
                found[id(nxt)] = nxt
            for nxt in node.extra.get(word, ()):
                found[id(nxt)] = nxt
            for length in node.prefix_lengths:
                if length > len(word):
                    break
                nxt = node.prefix.get(word[:length])
                if nxt is not None:
                    found[id(nxt)] = nxt
            for name, nxt in node.groups.items():
                if word in self._singles[name]:
                    found[id(nxt)] = nxt
        if not found:
            result = self._dead
        else:
            key = frozenset(found)
            result = self._states.get(key) or self._states.setdefault(
                key, _State(tuple(found.values())))
        self._transitions += 1
        if self._transitions > _CACHE_LIMIT:  # unbounded kiosk vocabulary: start afresh
            self._forget()
        state.next[word] = result
        return result

    def _forget(self) -> None:
        """Drop every remembered step (they are rebuilt on demand)."""
        for state in self._states.values():
            state.next.clear()
        self._start.next.clear()
        self._states.clear()
        self._transitions = 0

    def lexicons_of(self, phrase: str) -> frozenset[str]:
        """Which lexicons have an entry matching the whole phrase."""
        state = self._start
        for word in phrase.split():
            state = state.next.get(word) or self._step(state, word)
        return state.ends

    def find(self, text: str, words: list[str] | None = None) -> list[Hit]:
        """Every lexicon hit, left to right, minus hits lying wholly inside a longer one.

        words, when given, must be text.split(" ") (the caller often has it already).
        """
        if not text:
            return []
        if words is None:
            words = text.split(" ")
        count = len(words)
        start, dead = self._start, self._dead
        stepped = list(map(start.next.get, words))
        if None in stepped:  # words not seen before at the start of a phrase
            stepped = [self._step(start, w) if s is None else s
                       for s, w in zip(stepped, words, strict=True)]
        firsts = cast(list[_State], stepped)
        spans: list[tuple[int, int, frozenset[str]]] = []
        reach = 0
        for i, state in compress(enumerate(firsts), map(is_not, firsts, repeat(dead))):
            j = i + 1
            # Most phrases end after one word: settle those without entering the walk below.
            if state.leaf or j == count:
                if state.ends and j > reach:
                    reach = j
                    spans.append((i, j, state.ends))
                continue
            word = words[j]
            nxt = state.next.get(word) or self._step(state, word)
            if nxt is dead:
                if state.ends and j > reach:
                    reach = j
                    spans.append((i, j, state.ends))
                continue
            best, names = (j, state.ends) if state.ends else (-1, state.ends)
            state, j = nxt, j + 1
            while True:  # the longest entry starting at word i
                if state.ends:
                    best, names = j, state.ends
                if state.leaf or j == count:
                    break
                word = words[j]
                nxt = state.next.get(word) or self._step(state, word)
                if nxt is dead:
                    break
                state, j = nxt, j + 1
            if best > reach:  # not inside a longer phrase: "topping up" hides "top"
                reach = best
                spans.append((i, best, names))
        return self._hits(text, words, spans)

    @staticmethod
    def _hits(text: str, words: list[str], spans: list[tuple[int, int, frozenset[str]]]) -> list[Hit]:
        """Turn word spans into character spans of the text."""
        if not spans:
            return []
        lengths = list(accumulate(map(len, words), initial=0))  # letters before each word
        hits = []
        new = tuple.__new__  # Hit(...) without the named tuple's Python-level __new__
        for first, end, names in spans:
            start, stop = lengths[first] + first, lengths[end] + end - 1
            hits.append(new(Hit, (start, stop, text[start:stop], names, first, end - 1)))
        return hits
