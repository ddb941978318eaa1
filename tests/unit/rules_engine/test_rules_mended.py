"""False alarms of older rules, mended after the fact, each beside what the phrase is still for.

Not one of the round tables that train the learned safety net (unit_sentences.py reads rounds
2-10): these check the rules alone. Every sentence was written fresh for these tests.
"""

from __future__ import annotations

import pytest

# attack_planned read "open him up" as a threat; an operation is not one. Then false alarms on
# train12-15 (never trained on, so unseen by the model): denials written into a supporter's note
# ("no thoughts of suicide", now negation.denials), and word-sense traps for idioms ("the end of his rope", "die
# of embarrassment", "overdosing on telly", "the food in here will kill him"), and ordinary
# things with a blade or boiling water in them (a shaver, a flask, a story for a writing class).
NOT_IMMEDIATE = [
    "the nurse says they'll open him up for his hernia next month",
    "they're opening him up for his operation on tuesday",
    "he's at the end of his rope with the forms, can someone help him fill them in",
    "low after his visit, no thoughts of suicide, would like a chat with a listener",
    "he's not thinking of harming himself, he just wants a phone call to his mum",
    "said he could die of embarrassment after his trousers split in the gym",
    "the blade on his shaver has gone blunt, can stores swap it",
    "his boiling water flask lid has snapped, can he order a new one",
    "he's been overdosing on telly since he lost his job, wants to get on a course",
    "he wrote a story about a stabbing for the writing class and wants it read",
    "says the food in here will kill him, wants a salad option",
    # denials (negation.denials in lexicons.yaml) cover any signal right after them
    "no thoughts of ending his life, just low after the visit",
    "denies any thoughts of suicide, wants a chat about his appeal",
    "has no plans to kill himself he says, he wants a job in the gardens",
]
STILL_IMMEDIATE = [
    "they're going to open him up on the yard for grassing",
    "says they'll open him up for his debt at unlock",
    "no thoughts of suicide he says, but he's been saving his tablets in a sock",
    "he's at the end of his rope and tied a rope of sheets to the window",
    "says he'll throw boiling water on the lad in 14 at teatime",
    "he's been cutting himself with the blade from his shaver",
    "no thoughts of anything but ending it he says",  # the denial is not right before the signal
]


@pytest.mark.parametrize("text", NOT_IMMEDIATE)
def test_mended_false_alarms_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", STILL_IMMEDIATE)
def test_the_phrase_still_catches_what_it_was_for(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)
