"""Round 17 (session 7): what blind29 and blind30 showed the rules misreading, measured once each.

blind29/30 were measured once, on the shipped model of 2d2c7c7 (tests/data/README.md), and only
then read: the immediate false alarms were sorted into kinds (both sets caught every risk to
life), and each kind was mended as a general wording, never a copy of a line. Every sentence here
was written fresh for these tests. Like rounds 2-16 they go into tests/data/unit_sentences.jsonl.

The kinds:
- "hasn't in over five years" after a past risk ends it, like "hasn't for years";
- a weapon "they found" last week, seeing someone else get stabbed, and a fire someone already
  set in his cell are news of something over, not a plan to seriously hurt someone.
"""

from __future__ import annotations

import pytest

# Each must be immediate: the same words with a plan or a risk now.
RISK = [
    "they've told him someone will set fire to his pad tonight while he's asleep",
    "he's got a shank hidden in his pad for the lad who owes him, says he'll use it at unlock",
    "she self-harmed last year, hasn't in months, but last night she cut her arms again",
]

# Each must not be immediate.
TRAPS = [
    "used to burn himself as a teenager but hasn't in over ten years, wants a job in the kitchen",
    "the blade they found in the showers was nothing to do with her but she's lost her job",
    "can't sleep since he saw a lad get stabbed on association, wants to talk to someone",
    "someone set fire to his door while he was on a visit, he wants moving off the landing",
]


@pytest.mark.parametrize("text", RISK)
def test_round17_risk_to_life_is_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", TRAPS)
def test_round17_traps_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)
