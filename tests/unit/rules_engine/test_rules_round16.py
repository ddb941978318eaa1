"""Round 16 (session 7): what blind27 and blind28 showed the rules misreading, measured once each.

blind27/28 were measured once, on the shipped model of 96c70b9 (tests/data/README.md), and only
then read: the immediate false alarms and the one miss were sorted into kinds, and each kind was
mended as a general wording, never a copy of a line. Every sentence here was written fresh for
these tests. Like rounds 2-15 they go into tests/data/unit_sentences.jsonl and train the net.

The kinds:
- hearing a dead child or parent "calling her to come and be with her" is a risk to life (the miss);
- marks on his neck are a ligature sign (`neck_marks`), unless the concern says someone grabbed,
  held or strangled him: then it is an assault, and by staff a staff complaint that is urgent
  (`staff_used_force`);
- a parent "in intensive care" and being told he'll never see his children again are bad news
  from outside; old self-harm scars are history; going again for parole in two years is not
  trying again to die; "batteries" are not a beating.
"""

from __future__ import annotations

import pytest

# Each must be immediate.
RISK = [
    "since her son died she says she can hear him calling her to come and be with him",
    "he's got red marks round his neck and won't say where they came from",
    "bruising on her neck this morning and a torn sheet under the bed",
]

# Each must not be immediate.
TRAPS = [
    "an officer had her by the throat in the office and now there are marks on her neck",
    "three staff held him face down in the seg, he has bruises on his neck",
    "his dad's been put in intensive care after a stroke, he wants a call",
    "his ex has told him he'll never see the kids again, he wants legal advice",
    "wants cream for his old self harm scars from years ago",
    "knocked back at parole, he'll go again in a year and wants help with his sentence plan",
    # found on retraining: refusing food and fluids taught the net "refusing", and the shared
    # 70's lad too scared of two others to leave his cell read as a risk to his life
    "he won't leave his pad because the lads on the 3s are waiting to do him over",
    "refusing to come out for exercise since the lads on the landing said they'd jump him",
]


@pytest.mark.parametrize("text", RISK)
def test_round16_risk_to_life_is_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", TRAPS)
def test_round16_traps_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", [
    "the PEI grabbed him round the neck in the gym and he's got finger marks",
    "an officer slapped her across the face at the hatch this morning",
])
def test_round16_force_by_staff_is_an_urgent_staff_complaint(decide, text: str) -> None:
    decision = decide(text)
    assert "staff_complaint" in decision.categories and decision.urgency == "urgent", decision.rules
    assert "bullying" not in decision.categories, decision.rules


def test_round16_batteries_are_not_an_assault(decide) -> None:
    decision = decide("his hearing aid needs new batteries and the officer says to wait")
    assert "assaulted" not in decision.rules and "staff_used_force" not in decision.rules, decision.rules
