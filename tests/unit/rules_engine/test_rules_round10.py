"""Round 10 (session 5): risk-to-life wordings the training sets showed the rules missing.

The phrases were found by reading the training sets train1-8 (never the held-out sets); each was
added as a general wording, not as a copy of one line, and wordings that also fit ordinary
sentences were left to the learned safety net (see TRAPS below). Every sentence here was written
fresh for these tests (not taken from any labelled set). Like rounds 2-9 they go into
tests/data/unit_sentences.jsonl and so also train the safety net: two traps here ("he's going home
on friday and gave his radio away...", "there's no point in me going to education...") were read
as risks to life by the net trained without them.
"""

from __future__ import annotations

import pytest

# Each must be immediate: said, hinted, seen, or a planned attack.
RISK = [
    # suicidal talk, plain or veiled
    "since his appeal went he says there's no reason to be alive",
    "told me he can't see a way out except dying",
    "keeps joking he hopes he wakes up dead one morning",
    "said he'll do something stupid to himself if they move him again",
    "laughed and said he'll be going home in a box",
    "asked who tells his mum if he dies in here",
    "he told me where to scatter his ashes and he's only 30",
    "he's been writing out his last wishes on a canteen sheet",
    "says hes tired of waking up every day",
    "asked how many pills till you dont wake up",
    "says he's finished with this life",
    "says nobody cares if he goes",
    "said he wont be here for xmas and his date is 2029",
    "keeps saying he wants to go to god soon",
    "says he just wants to fade away",
    "told me he knows how he will do it",
    "he said this time next week none of it will matter",
    "keeps asking what time nights do their checks",
    "asked how long it is between the night checks on his ACCT",
    "wanted to know if the pipe would take a mans weight",
    "took a big bag of spice and said he hopes he doesnt come round this time",
    # farewells with no release
    "left a letter with the chaplain for when the time comes",
    "says he's sorting his affairs and he's got five years left",
    "gave me his radio and said im not gonna need em",
    "he wrote his goodbyes on the back of the menu",
    "sorry to all of yous, tell my mam for me",
    "he's writing out his will on a bit of paper and he's 22",
    "he told his girlfriend not to book any more visits, he's got years to do",
    # self-harm seen
    "scratches his arm till it bleeds every night",
    "keeps picking at his wounds so they dont heal",
    "he's ripping his sheet into strips after bang up",
    "keeps twisting a sheet round his hands and staring at the window",
    "holds a lighter to his arm when he's wound up",
    "held his hand on the hot kettle till it blistered",
    # overdose and medication
    "his cellmate stopped breathing after a spice hit and nobody came",
    "he's pocketing his meds at the hatch instead of taking them",
    "says he'll swallow the lot tonight",
    "he's been putting his tablets by in a sock",
    # planned serious violence
    "they've told him he'll get slashed if he goes to the gym",
    "his pad mate has a razor hidden in his mouth for the lad on the 2s",
    "lads have got a padlock in a sock for him at association",
    "they said they'll burn him with the kettle if he doesnt pay",
]

# Ordinary sentences near those wordings: none may be immediate. The last block are wordings
# that were tried as rule phrases in session 5 and taken out again because they fit these too.
TRAPS = [
    "he's sorting his canteen out for the week",
    "he's going home on friday and gave his radio away, he's not going to need it",
    "the chaplain did a lovely service in here for his nan",
    "they put the kettle on for him when he came back from court",
    "the kettle element is broken, can he get a new kettle",
    "he cuts paper into strips for his art class",
    "asked the nurse which painkillers are the strongest for his back",
    "there's no point in me going to education if they won't let me do maths",
    "that lad won't bother anyone again, he's been shipped out",
    "officers carrying him off the landing after the fight, he was fine after",
    "he's scared he dies in his sleep because of his heart, wants to see the doctor",
    "he's already picked the night for the quiz",
    "he put his washing in bags with names on for the laundry",
    "drinking hooch wrecks your liver, he's off it now",
]


@pytest.mark.parametrize("text", RISK)
def test_round10_risk_to_life_is_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)


@pytest.mark.parametrize("text", TRAPS)
def test_round10_traps_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)
