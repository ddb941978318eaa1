"""Round 20 (session 7): what blind35 and blind36 showed the rules misreading, measured once each.

blind35/36 were measured once, on the shipped model of 7c2c521 (tests/data/README.md), and only
then read: the two missed risks to life and the immediate false alarms were sorted into kinds,
and each kind was mended as a general wording, never a copy of a line. Every sentence here was
written fresh for these tests. Like rounds 2-19 they go into tests/data/unit_sentences.jsonl.

The kinds:
- burning the back of his hand is self-harm, and "he'll get shanked" on a set day is a planned
  attack with a weapon (the two misses);
- "has been doing well" and "in the past" after a past risk end it (the "been" no longer keeps
  it live);
- "when I go enhanced" is a regime level; comments about old self-harm scars; giving his books
  to the library; "nothing left to give him" to a creditor; a threat note "pushed under" the door.
"""

from __future__ import annotations

import pytest

# Each must be immediate.
RISK = [
    "she's been burning the back of her hand on the kettle on purpose",
    "word is he's getting shanked in the gym on saturday",
    "they said he'll be chived at the servery tomorrow",
]

# Each must not be immediate.
TRAPS = [
    "he self-harmed in the past but has been doing well for a year, he wants to join the gym",
    "what do i get on canteen when i go enhanced",
    "the lads keep staring at his self harm scars in the showers",
    "giving all his books to the education library now he's finished the course",
    "they want double off me and i've got nothing left to give them",
    "someone put a note pushed under the door of the lad in 12 saying he's next",
]


@pytest.mark.parametrize("text", RISK)
def test_round20_risk_to_life_is_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", TRAPS)
def test_round20_traps_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", [
    "he's worried his kosher meals won't be ready for Passover again",
    "she's worried the prayer room will be locked again on Friday",
    "worried the Ramadan meal times won't be sorted this year either",
])
def test_round20_a_worry_about_a_faith_provision_is_equality_not_distress(decide, text: str) -> None:
    """Found on retraining: the net read "worried" as distress ever more surely, and round 3's
    "worried the halal meals wont come again" passed the distress floor (0.80) and its sure level."""
    decision = decide(text)
    assert "equality" in decision.categories, decision.rules
    assert "emotional_distress" not in decision.categories and decision.urgency != "immediate", decision.rules
