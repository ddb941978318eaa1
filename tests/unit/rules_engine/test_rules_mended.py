"""False alarms of older rules, mended after the fact, each beside what the phrase is still for.

Not one of the round tables that train the learned safety net (unit_sentences.py reads rounds
2-10): these check the rules alone. Every sentence was written fresh for these tests.
"""

from __future__ import annotations

import pytest

# attack_planned reads "open him up" as a threat; an operation is not one (session 5).
NOT_IMMEDIATE = [
    "the nurse says they'll open him up for his hernia next month",
    "they're opening him up for his operation on tuesday",
]
STILL_IMMEDIATE = [
    "they're going to open him up on the yard for grassing",
    "says they'll open him up for his debt at unlock",
]


@pytest.mark.parametrize("text", NOT_IMMEDIATE)
def test_mended_false_alarms_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", STILL_IMMEDIATE)
def test_the_phrase_still_catches_what_it_was_for(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)
