"""Decide which lexicon hits still count after negation ("no threats") and resolution ("sorted now")."""

from __future__ import annotations

from tracker.rules_engine.lexicon import Hit
from tracker.rules_engine.model import RESOLVED, LexiconInfo, NegationConfig

_LOOKBACK_CHARS = 80
_RESOLVED_SENTENCE_START = 5  # "That's all sorted now." must open its sentence to reach back


def negated_before(text: str, hit: Hit, window: int, config: NegationConfig) -> bool:
    """A negation word within `window` words before the hit, in the same clause."""
    before = text[max(0, hit.start - _LOOKBACK_CHARS):hit.start].split()
    following = hit.phrase.split(" ", 1)[0]
    for word in reversed(before[-window:] if window else []):
        if word in config.boundaries:
            return False
        if word in config.words and following not in config.ignore_before:
            return True
        following = word
    return False


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


def live_hits(text: str, hits: list[Hit], lexicons: dict[str, LexiconInfo],
              config: NegationConfig) -> dict[str, list[Hit]]:
    """Lexicon name -> hits that still count; risk-to-life lexicons are hard to cancel on purpose."""
    resolved_starts = [h.start for h in hits if RESOLVED in h.lexicons]
    active: dict[str, list[Hit]] = {}
    for hit in hits:
        normal: bool | None = None
        strict: bool | None = None
        for name in hit.lexicons:
            info = lexicons.get(name)
            if info is None:
                continue
            if info.negation == "strict":
                if strict is None:
                    strict = negated_before(text, hit, config.strict_window, config)
                if strict:
                    continue
            elif info.negation == "normal":
                if normal is None:
                    normal = negated_before(text, hit, config.window, config) or resolved_after(
                        text, hit, resolved_starts)
                if normal:
                    continue
            active.setdefault(name, []).append(hit)
    return active
