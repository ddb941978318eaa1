"""Characters a rule's regular expression cannot match without, so most texts skip the search.

Python's re scans every position of the text for a pattern that opens with a look-behind
("(?<=\\s)") or an alternation, which is most of a rule's cost when its lexicons cannot gate it
(a slur typed with asterisks: any word may hide one). A text lacking a character that every
match must contain cannot match, and checking that is one C-level `in` per character.
"""

from __future__ import annotations

import re
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}
_NONE: frozenset[str] = frozenset()


def required_characters(pattern: re.Pattern[str]) -> frozenset[str]:
    """Characters present in every text the pattern matches (empty when none can be proved)."""
    if pattern.flags & re.IGNORECASE:  # a literal may then match in either case
        return _NONE
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - a private parser may change: then simply do not filter
        return _NONE
    return _sequence(list(parsed))


def _sequence(items: list[tuple[Any, Any]]) -> frozenset[str]:
    """Every item of a sequence must match: their needs add up."""
    needs: frozenset[str] = _NONE
    for op, arg in items:
        needs = needs | _item(op, arg)
    return needs


def _item(op: Any, arg: Any) -> frozenset[str]:
    if op is _c.LITERAL:
        return frozenset((chr(arg),))
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = arg
        return _NONE if add_flags & re.IGNORECASE else _sequence(list(sub))
    if op is _c.BRANCH:  # only what every alternative needs
        branches = [_sequence(list(b)) for b in arg[1]]
        return frozenset.intersection(*branches) if branches else _NONE
    if op in _REPEATS:
        low, _high, sub = arg
        return _sequence(list(sub)) if low >= 1 else _NONE
    if op is _c.ASSERT:  # look-ahead or look-behind: it must be there to be seen
        _direction, sub = arg
        return _sequence(list(sub))
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _sequence(list(arg))
    return _NONE  # a class, any character, a negative look-around, a back-reference...
