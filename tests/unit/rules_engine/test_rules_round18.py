"""Round 18 (session 7): what blind31 and blind32 showed the rules misreading, measured once each.

blind31/32 were measured once, on the shipped model of e83aa65 (tests/data/README.md), and only
then read: the two missed risks to life and the immediate false alarms were sorted into kinds,
and each kind was mended as a general wording, never a copy of a line. Every sentence here was
written fresh for these tests. Like rounds 2-17 they go into tests/data/unit_sentences.jsonl.

The kinds:
- twisting threads or strips "into a cord" is making a ligature (a miss);
- "not ate or drank" in dialect is food and fluids refused, and "till I'm gone" is finality (a
  miss);
- an item taken "as a weapon risk" is property staff's word, not a weapon; "the end of his
  sentence" is a date, not the end.
"""

from __future__ import annotations

import pytest

# Each must be immediate.
RISK = [
    "she's been plaiting strips of her towel into a cord and keeps it under the mattress",
    "he aint ate or drank owt since sunday and says he's not stopping",
    "says she's not taking her meds till she's gone, she's had enough",
]

# Each must not be immediate.
TRAPS = [
    "his crutches were taken off him in reception as a weapon risk and he can't get to the shower",
    "he's worried about where he'll live at the end of his sentence, can someone from resettlement see him",
]


@pytest.mark.parametrize("text", RISK)
def test_round18_risk_to_life_is_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", TRAPS)
def test_round18_traps_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)
