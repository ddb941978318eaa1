"""Round 19 (session 7): what blind33 and blind34 showed the rules misreading, measured once each.

blind33/34 were measured once, on the shipped model of 17e9547 (tests/data/README.md), and only
then read: the missed risk to life and the immediate false alarms were sorted into kinds, and
each kind was mended as a general wording, never a copy of a line. Every sentence here was
written fresh for these tests. Like rounds 2-18 they go into tests/data/unit_sentences.jsonl.

The kinds:
- no fluids at all ("stopped taking any fluids") is a risk to life (the miss);
- a note that says "nothing about hurting himself" or that he is "not going to" hurt himself is a
  denial;
- "when I go past / to the toilet" is a trip, not "when I go"; washing over the landing rail is
  washing; someone else stabbed outside, or a stabbing he saw, is news, not a plan; fearing he'll
  never see his son again after a court order is family news.
"""

from __future__ import annotations

import pytest

# Each must be immediate.
RISK = [
    "she won't drink anything, not even water, since the funeral and says let her go",
    "not going to lie, he's been cutting himself every night this week",
    # found on retraining (a training-set line the net alone had caught): no rule named it
    "says on his next town visit he might just step in front of a train",
]

# Each must not be immediate.
TRAPS = [
    "low since his mum passed, crying at night, but says nothing about hurting himself",
    "he's angry about the knockback and says he's not going to hurt himself, he just wants to talk",
    "the lads laugh at me when i go past the pool table",
    "can she dry her towels over the landing rail on a sunday",
    "his cousin's been stabbed outside a pub and he can't get through to his aunt",
    "he's worried he'll never see his daughter again because her mum's moved to Spain",
]


@pytest.mark.parametrize("text", RISK)
def test_round19_risk_to_life_is_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", TRAPS)
def test_round19_traps_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", [
    "she's been short-tempered and snapping at her pad mate since the court letter",
    "he's been grumpy with his cellmate all week, he says it's his new meds",
])
def test_round19_his_own_temper_with_a_cellmate_is_not_bullying(decide, text: str) -> None:
    """Found on retraining: the net read round 2's "dead moody and snapping at his cellie" as bullying."""
    decision = decide(text)
    assert "bullying" not in decision.categories, decision.rules
