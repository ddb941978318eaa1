"""Round 11 (session 6): what blind17 and blind18 showed the rules misreading, measured once each.

blind17/18 were measured once, on the model of this session (tests/data/README.md), and only then
read: the immediate false alarms and misses were sorted into kinds, and each kind was mended as a
general wording, never a copy of a line. Every sentence here was written fresh for these tests.
Like rounds 2-10 they go into tests/data/unit_sentences.jsonl and so also train the safety net.

The kinds:
- someone else's overdose or violent death, told as news, is bereavement, not his own risk;
- a threat to beat someone with no weapon and no time ("they'll do him in", "break his legs") is
  an urgent threat; with a day or time set it is a planned attack (immediate);
- shaving blades from the canteen, "nothing left to eat", "not even on an ACCT";
- a denial ("nothing like self-harm") and a resolved word after a release ("all good") that had
  cancelled the release;
- goodbyes to a Listener, and Scots spellings of head-banging, were missed.
"""

from __future__ import annotations

import pytest

# Each must be immediate.
RISK = [
    "they're going to do him in on friday when he goes to the gym",
    "word on the landing is they'll break his legs first thing tomorrow",
    "three of them said they'll do him in tonight after bang up",
    "said he'd batter him at unlock tomorrow and he's got a sock ready",
    "he went round the spur saying goodbye to his mates and gave his radio to his cellie",
    "she said goodbye to her Listener last night and said she won't need her again",
    "ma cellie's been heidbuttin the wall since tea time, there's blood everywhere",
    "his head split open from banging it off the door",
    "his brother died of an overdose last year and now he says he's going the same way tonight",
    "he's giving his stuff out and he's not getting out for years",
    "nothing like the last time, he's cutting himself again every night",
]

# Each must not be immediate.
TRAPS = [
    "his uncle died of an overdose on the out and he wants to go to the funeral",
    "found out his cousin was killed in a stabbing in Leeds, he's in bits",
    "his girlfriend overdosed outside and is in hospital, he wants a phone call",
    "the razor blades from the canteen are rubbish, can we get a different brand",
    "blunt razor blades keep cutting his chin when he shaves",
    "lads on the wing said they'll do him in if he grasses",
    "big lad said he'll break his legs if he sits in his chair again",
    "he's got nothing left to eat till canteen on friday",
    "night staff keep banging his flap and he's not even on an ACCT",
    "nothing like self harm, he just wants someone to talk to about his kids",
    "he's giving his trainers away because he's getting out on tuesday, all sorted",
]


@pytest.mark.parametrize("text", RISK)
def test_round11_risk_to_life_is_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", TRAPS)
def test_round11_traps_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", [
    "lads on the wing said they'll do him in if he grasses",
    "big lad said he'll break his legs if he sits in his chair again",
])
def test_round11_a_bare_threat_is_still_an_urgent_bullying_concern(decide, text: str) -> None:
    decision = decide(text)
    assert "bullying" in decision.categories and decision.urgency == "urgent", decision.rules
