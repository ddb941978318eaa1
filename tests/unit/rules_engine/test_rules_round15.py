"""Round 15 (session 7): what blind25 and blind26 showed the rules misreading, measured once each.

blind25/26 were measured once, on the shipped model of 541594b (tests/data/README.md), and only
then read: the immediate false alarms were sorted into kinds (both sets caught every risk to
life), and each kind was mended as a general wording, never a copy of a line. Every sentence here
was written fresh for these tests. Like rounds 2-14 they go into tests/data/unit_sentences.jsonl.

The kinds:
- "when I go down for meds" is a trip to the hatch, not "when I go" (gone for good);
- a past risk with "nothing since" after it is history, like "hasn't for years";
- someone lost to an overdose is grief, not his own overdose;
- a goodbye letter or card to a mate who has left is not a farewell;
- a Listener's callers talking about ending it are his callers' risk, not his.
"""

from __future__ import annotations

import pytest

# Each must be immediate.
RISK = [
    "when i go my mum can have my telly, i wont need it",
    "tried to hang himself in march and nothing's changed since, he says he'll do it properly next time",
    "lost his nan to cancer and now he's saving his tablets up in a sock",
]

# Each must not be immediate.
TRAPS = [
    "lads on the landing laugh at me when i go to the servery",
    "burnt herself with a lighter three years back, nothing since, wants to train as a Buddy",
    "lost her cousin to an overdose last month and wants a bereavement chat with the chaplain",
    "wrote a goodbye card to his old pad mate who got moved to open conditions",
    "callers talking about suicide all week on the Listener phone, he needs a debrief himself",
]


@pytest.mark.parametrize("text", RISK)
def test_round15_risk_to_life_is_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", TRAPS)
def test_round15_traps_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)


def test_round15_a_loss_to_an_overdose_is_still_grief(decide) -> None:
    decision = decide("lost his brother to an overdose on saturday and he's in bits")
    assert "emotional_distress" in decision.categories, decision.rules
    assert "overdose_risk" not in decision.rules, decision.rules
