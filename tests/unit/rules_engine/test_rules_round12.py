"""Round 12 (session 7): what blind19 and blind20 showed the rules misreading, measured once each.

blind19/20 were measured once, on session 6's shipped model (tests/data/README.md), and only then
read: the immediate false alarms were sorted into kinds, and each kind was mended as a general
wording, never a copy of a line. Every sentence here was written fresh for these tests. Like
rounds 2-11 they go into tests/data/unit_sentences.jsonl and so also train the safety net.

The kinds:
- self-harm, an overdose or suicidal talk said in the same sentence to have stopped long ago
  ("hasn't for years", "clean since") is history, not a risk now (`negation.long_ago`), unless
  the sentence also says it is back or recent (`negation.still_now`: "again", "since", "last
  night", an anniversary);
- someone else's hands round his throat, or pushing his head into a wall, is an assault by them,
  not self-harm;
- staff giving him his meds or his dinner is not him giving his things away;
- being told she won't see her children again is bad news from outside, not talk of ending it.
"""

from __future__ import annotations

import pytest

# Each must be immediate: the risk is said to be back, recent or ongoing.
RISK = [
    "he used to cut his arms years ago and hasn't for ages, but he started again last night",
    "she tried to hang herself a long time ago and says she feels like doing it again",
    "he's been burning himself with a lighter since his dad died three years ago",
    "took an overdose two years ago to the day and he's been saving his tablets",
    "hasn't self harmed for years but he's cutting again this week",
    "his cellie had him by the throat last week and now he's tied a sheet round his own neck",
]

# Each must not be immediate.
TRAPS = [
    "she used to cut herself when she was a teenager but hasn't done it for over ten years",
    "he overdosed on heroin years ago, been clean since, and wants to run the NA group",
    "talked about suicide once on remand a long time ago, not done anything like that since",
    "the nurse keeps giving him his meds an hour late so he misses association",
    "servery lads keep giving me my dinner cold",
    "her social worker told her she won't see her kids again until the court hearing, she's in bits",
]


@pytest.mark.parametrize("text", RISK)
def test_round12_risk_to_life_is_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", TRAPS)
def test_round12_traps_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", [
    "his cellmate put his hands round his throat over a burn debt",
    "two lads on the landing pushed his head into the wall for his canteen",
    "big lad grabbed me by the throat in the queue for meds and took my vape",
])
def test_round12_an_attack_by_someone_else_is_bullying_not_self_harm(decide, text: str) -> None:
    decision = decide(text)
    assert "bullying" in decision.categories, decision.rules
    assert "self_harm" not in decision.rules, decision.rules


def test_round12_a_long_ago_word_before_the_risk_does_not_cancel_it(decide) -> None:
    """Only a 'stopped long ago' said after the risk word counts: here it is about the death."""
    decision = decide("his mum died years ago and he's cutting himself")
    assert decision.urgency == "immediate" and "self_harm" in decision.rules, decision.rules


def test_round12_a_long_ago_in_another_sentence_does_not_cancel_it(decide) -> None:
    decision = decide("He's cutting himself. His last ACCT was closed a long time ago.")
    assert decision.urgency == "immediate" and "self_harm" in decision.rules, decision.rules
