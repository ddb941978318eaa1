"""Round 13 (session 7): what blind21 and blind22 showed the rules misreading, measured once each.

blind21/22 were measured once, on 7123fdb (tests/data/README.md), and only then read: the
immediate false alarms and the one miss were sorted into kinds, and each kind was mended as a
general wording, never a copy of a line. Every sentence here was written fresh for these tests.
Like rounds 2-12 they go into tests/data/unit_sentences.jsonl and so also train the safety net.

The kinds:
- no food and no fluids for days is a risk to life (the miss), and so is not expecting to live
  to his release (a line of the training sets the net alone had caught, lost on retraining);
- a supporter's note that he "isn't talking about" harming himself is a denial;
- a risk said later in the sentence to be over ("doing well", "off his ACCT") is history, like
  one that stopped long ago (round 12);
- an accident opening a tin, "somewhere to hang me washing" in a regional voice, someone else's
  overdose outside, "it's hitting me hard" (grief, not an assault), an item "classed as a
  weapon" by property staff, and a head split open by someone else, are not risks to his life.
"""

from __future__ import annotations

import pytest

# Each must be immediate.
RISK = [
    "he's not eaten or drunk anything since friday and just lies on his bed",
    "she has had nothing to eat or drink since the weekend and says there's no point",
    "refusing food and fluids for three days now, says leave him be",
    "not talking about hurting anyone else but he's been cutting himself again tonight",
    "was doing well off his ACCT but he's got a ligature in his pad again today",
]

# Each must not be immediate.
TRAPS = [
    "isn't talking about killing himself, he's just fed up with the noise on the landing",
    "took an overdose in the summer but he's doing really well now and wants to go back to work",
    "sliced my thumb opening a tin of beans, healthcare put a plaster on it",
    "no hooks to hang me towel on in the pad, can we get one",
    "her brother had an overdose outside and she wants to ring her mum",
    "first birthday without my dad and its hitting me hard, can someone come for a chat",
    "his prayer beads were classed as a weapon at reception and he wants them back",
    "lad next door had his head split open by a pool cue on association, he's back from hospital",
]


@pytest.mark.parametrize("text", RISK)
def test_round13_risk_to_life_is_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", TRAPS)
def test_round13_traps_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)


def test_round13_being_denied_food_by_staff_is_not_a_refusal(decide) -> None:
    """Left with no food or drink is staff conduct, not him refusing food and fluids."""
    decision = decide("he was left in the holding cell at reception for five hours with no food or drink")
    assert "self_harm" not in decision.rules, decision.rules


@pytest.mark.parametrize("text", [
    "she says she can't see herself making it to the end of her sentence",
    "he told his cellie he won't make it to his release, not the way he feels",
])
def test_round13_not_expecting_to_live_to_release_is_immediate(decide, text: str) -> None:
    """Found in cross-validation: the net alone had caught it, and lost it on retraining."""
    decision = decide(text)
    assert decision.urgency == "immediate" and "finality_said" in decision.rules, decision.rules
