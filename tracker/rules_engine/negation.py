"""Decide which lexicon hits still count after negation ("no threats") and resolution ("sorted now")."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from itertools import compress, count

from tracker.rules_engine.lexicon import Hit
from tracker.rules_engine.model import LONG_AGO, RESOLVED, NegationConfig, NegationModes, Split

_RESOLVED_SENTENCE_START = 5  # "That's all sorted now." must open its sentence to reach back

def negated_before(words: list[str], hit: Hit, window: int, config: NegationConfig) -> bool:
    """A negation word within `window` words before the hit, in the same clause."""
    first = hit.first
    following = words[first]
    for k in range(first - 1, first - 1 - window if first > window else -1, -1):
        word = words[k]
        if word in config.boundaries:
            return False
        if word in config.words and following not in config.ignore_before:
            return True
        following = word
    return False


def denied_before(words: list[str], hit: Hit, config: NegationConfig) -> bool:
    """A denial phrase ending right before the hit ("no thoughts of" harming himself)."""
    first = hit.first
    return any(len(d) <= first and tuple(words[first - len(d):first]) == d for d in config.denials)


def resolved_after(text: str, hit: Hit, resolved_starts: list[int]) -> bool:
    """A resolved statement later in the same sentence, or opening the next one."""
    for start in resolved_starts:
        if start < hit.end:
            continue
        between = text[hit.end:start]
        stops = between.count(" . ")
        if stops == 0:
            return True
        if stops == 1:
            opening = between[between.rfind(" . ") + 3:].split()
            return len(opening) < _RESOLVED_SENTENCE_START
        return False
    return False


def long_ago_after(text: str, hit: Hit, long_ago: list[tuple[int, int]], config: NegationConfig) -> bool:
    """Said later in the same sentence to have stopped long ago, with nothing saying it is back.

    "He used to cut himself but hasn't for five years" is history, not a risk now; "...but he
    started again last night" is a risk (a `still_now` word anywhere in the sentence, outside
    the long-ago phrases themselves: "since" counts, "clean since" does not).
    """
    end = text.find(" . ", hit.end)
    end = len(text) if end < 0 else end
    if not any(hit.end <= start < end for start, _ in long_ago):
        return False
    begin = text.rfind(" . ", 0, hit.start) + 1
    pieces, at = [], begin
    for start, stop in long_ago:  # the sentence without its long-ago phrases
        if begin <= start < end:
            pieces.append(text[at:start])
            at = stop
    pieces.append(text[at:end])
    words = " | ".join(pieces).split()
    size = len(words)
    for phrase in config.still_now:
        n = len(phrase)
        if any(tuple(words[i:i + n]) == phrase for i in range(size - n + 1)):
            return False
    return True


def live_hits(text: str, words: list[str], hits: list[Hit], modes: NegationModes,
              config: NegationConfig) -> dict[str, list[Hit]]:
    """Lexicon name -> hits that still count; risk-to-life lexicons are hard to cancel on purpose."""
    resolved_starts = [h.start for h in hits if RESOLVED in h.lexicons]
    long_ago = [(h.start, h.end) for h in hits if LONG_AGO in h.lexicons]
    # where the negation words are (most texts have none or one: then nearly every check is skipped)
    negations = list(compress(count(), map(config.words.__contains__, words)))
    active: dict[str, list[Hit]] = {}
    every = modes.every
    if not negations and not resolved_starts and not long_ago:  # nothing can cancel a hit
        for hit in hits:
            for name in every.get(hit.lexicons) or modes.every_of(hit.lexicons):
                found = active.get(name)
                if found is None:
                    active[name] = [hit]
                else:
                    found.append(hit)
        return active
    splits = modes.splits
    widest = config.widest
    for hit in hits:
        first = hit.first
        # a negation word somewhere in the widest window before the hit, else nothing to check
        before = bisect_left(negations, first)
        near_negation = before > 0 and negations[before - 1] >= first - widest
        if not near_negation and not resolved_starts and not long_ago:  # nothing can cancel it
            live: Iterable[str] = every.get(hit.lexicons) or modes.every_of(hit.lexicons)
        else:
            live = _live_names(text, words, hit, splits.get(hit.lexicons) or modes.split(hit.lexicons),
                               near_negation, resolved_starts, long_ago, config)
        for name in live:
            found = active.get(name)
            if found is None:
                active[name] = [hit]
            else:
                found.append(hit)
    return active


def _live_names(text: str, words: list[str], hit: Hit, split: Split, near_negation: bool,
                resolved_starts: list[int], long_ago: list[tuple[int, int]],
                config: NegationConfig) -> list[str]:
    """The hit's lexicons that survive a nearby negation word or a resolved statement."""
    strict, normal, free = split
    live = [*free]
    if strict and not (
        (near_negation and (negated_before(words, hit, config.strict_window, config)
                            or denied_before(words, hit, config)))
        or (long_ago and long_ago_after(text, hit, long_ago, config))
    ):
        live += strict
    if normal and not (
        (near_negation and (negated_before(words, hit, config.window, config)
                            or denied_before(words, hit, config)))
        or (resolved_starts and resolved_after(text, hit, resolved_starts))
    ):
        live += normal
    return live
