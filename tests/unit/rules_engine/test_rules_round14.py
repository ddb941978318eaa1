"""Round 14 (session 7): what blind23 and blind24 showed the rules misreading, measured once each.

blind23/24 were measured once, on the shipped model of 76947b5 (tests/data/README.md), and only
then read: the immediate false alarms and the two misses were sorted into kinds, and each kind was
mended as a general wording, never a copy of a line. Every sentence here was written fresh for
these tests. Like rounds 2-13 they go into tests/data/unit_sentences.jsonl and train the net.

The kinds:
- a letter left with someone "to send when you know" is a goodbye (a miss);
- painkillers asked for every day "to keep" is saving up tablets (a miss);
- someone else's arm round his neck or a grip on his throat (a restraint, an assault) is not a
  ligature; a threat note left on his bed ("he's next") is a threat, not a goodbye note;
- "can he have his meds at night" is a request, not giving his things away; ending it with a
  boyfriend is a break-up; "done with drugs for good" is recovery, not finality.
"""

from __future__ import annotations

import pytest

# Each must be immediate.
RISK = [
    "she gave her Listener an envelope for her kids and said you'll know when to send it",
    "he's been asking the nurse for co-codamol every day to keep, says he's got a plan",
    "gave me a letter for his brother, said post it when he's gone",
    "keeps getting paracetamol off healthcare for later, says he won't need anything after friday",
]

# Each must not be immediate.
TRAPS = [
    "two officers had him round the neck on the floor during the restraint, his throat's sore",
    "the lad in the next pad had me by the throat over a vape, I want moving",
    "someone left a note under his door saying he's next, he won't come out for dinner",
    "can she have her meds with her tea instead of at lunchtime, they make her sick",
    "she's ready to end it with her boyfriend and wants his visits stopped",
    "he's done with drugs for good and wants to go on the recovery wing",
]


@pytest.mark.parametrize("text", RISK)
def test_round14_risk_to_life_is_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", TRAPS)
def test_round14_traps_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)
