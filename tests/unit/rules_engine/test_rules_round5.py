"""Round 5: a wider, looser risk-to-life net. Single strong signals with broad variants (finality
in everyday words, method talk, wills, valued things given away, refusing food or medicine till
dead, swallowed objects, hot-liquid attacks, counted or saved tablets), and wider category
families (staff failings, things only staff do, distress in everyday words). Traps stay quiet.

Every sentence here was written fresh for these tests (not taken from any labelled set).
"""

from __future__ import annotations

import pytest

# rule id -> sentences it must catch (each one must be immediate)
RISK_FAMILIES: dict[str, list[str]] = {
    "finality_loose": [
        "he told me to look after his cat pictures for him when hes not around",
        "says this is his last week of this, he's sorted everything",
        "keeps going on about the long sleep and smiling",
        "says he hopes he doesnt wake up in the morning",
        "she said sorry for everything and hugged me for ages",
        "he scratched sorry on the wall by his bed",
        "wants to be with his mum who passed at christmas, keeps asking about heaven",
        "he keeps asking me what happens after you die",
        "asked the imam for a dua for after",
        "he just wants it to be over, he keeps saying that",
        "he said it felt like a goodbye when he shook my hand",
        "he aint going to be around much longer he reckons",
    ],
    "method_talk": [
        "he asked me what's the quickest way to die without it hurting",
        "lad wanted to know the easiest way to hang so nobody hears",
        "he keeps asking how long does it take to pass out",
        "asked the best way of doing it without the night staff seeing",
        "keeps asking how many of his pregabs would stop his heart",
    ],
    "will_written": [
        "he's been writing a will on the back of his canteen sheet",
        "asked me to witness his last will",
        "wants to know who gets his stuff, he's got nobody",
        "he drew up a will in his notebook and signed it",
    ],
    "valued_things_given_away": [
        "he's given his stereo and his fan away to the lad next door, he's got years left",
        "gave me his watch and his chain, said keep them",
        "he's been giving his games to everyone on the spur this week",
        "passed on his radio and his books to whoever wanted them",
    ],
    "valued_things_handed_out": [
        "handed his trainers out to the lads on the spur for nothing",
        "he's been handing out his dvds and his vapes all morning",
        "gave his clothes out on the landing, he's not moving anywhere",
    ],
    "refusing_till_dead": [
        "he says he won't drink anything till he's dead",
        "he's refusing food and says he'll keep going till he dies",
        "stopped taking his insulin and says he'll just let it happen",
    ],
    "swallowed_object": [
        "he swallowed a pen lid and some screws last night",
        "my cellie swallowed a coin and a bit of metal on purpose",
        "he's been inserting staples into his arm",
        "swallowd half a toothbrush, says he'll do it again",
    ],
    "hot_liquid_attack": [
        "they're planning to throw boiling sugar over him at unlock",
        "someone said they'll jug him on tuesday",
        "lads are going to chuck hot oil on the new lad tomorrow",
    ],
    "pills_counted": [
        "he lines up his sleepers on the shelf and counts them every night",
        "found him counting his pregabalin into little piles",
        "he keeps his tablets in a row on the table, laid out like a plan",
    ],
    "over_and_spent": [
        "he keeps saying its all over, he's empty",
        "its over, empty, nothing, he says",
        "said to me its all over, im done",
    ],
    "meds_stopped_to_save": [
        "he's not taking his night meds so he can save them",
        "refusing his sertraline at the hatch, keeps them under his bed",
        "stopped taking his tablets, lining them up instead",
    ],
}

RISK_CASES = [(rule, text) for rule, texts in RISK_FAMILIES.items() for text in texts]


@pytest.mark.parametrize(("rule", "text"), RISK_CASES)
def test_round5_risk_families_are_immediate(decide, rule: str, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)


@pytest.mark.parametrize("rule", list(RISK_FAMILIES))
def test_each_round5_rule_fires_on_three_of_its_sentences(decide, rule: str) -> None:
    # Older rules with longer phrases may also catch a sentence; the round 5 rule itself must
    # still catch at least three wordings on its own.
    fired = [text for text in RISK_FAMILIES[rule] if rule in decide(text).rules]
    assert len(fired) >= 3, (rule, fired)


@pytest.mark.parametrize(
    "text",
    [
        # the brief's word-sense traps
        "he's topping up his phone credit before the weekend",
        "he cut his hair for the visit on saturday",
        "just killing time till the gym opens",
        "dying for a brew, the kettle's broken",
        "hanging washing on the landing rail again",
        "he's giving his stuff away before release next week",
        "he gave his radio away to his cellie because he's getting released on friday",
        "he was on an ACCT but he's doing well now, ACCT closed",
        # finality words in ordinary use
        "he's made his mind up to do his maths GCSE",
        "he wants to know what happens after his parole hearing",
        "he won't need them trainers now he's got new ones",
        "he said sorry for being late to work",
        "it's all over now, the lads said sorry, done and dusted",
        # method-like questions about everyday things
        "he wants to know the best way to get on the gym list",
        "he asked the best way to go about getting his cat c",
        # wills and gifts in ordinary use
        "he wants a will form for his solicitor about his house",
        "his mate gave him his kettle back",
        # food, cutlery, kettles and tablets in ordinary use
        "he ate his dinner with a plastic spoon",
        "he swallowed his pride and apologised",
        "he scalded his hand on the kettle making a brew",
        "the officer said the kettle point will be fixed on saturday",
        "he's boiling the kettle for his noodles tonight",
        "the nurse counted his tablets out at the hatch",
        "he's lining up for his meds every morning at 8",
        "he's fasting for ramadan and won't eat till sunset",
    ],
)
def test_round5_traps_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)


CATEGORY_FAMILIES: dict[str, tuple[str, list[str]]] = {
    "staff_failings": ("staff_complaint", [
        "the SO keeps fobbing him off about his phone numbers",
        "healthcare keep saying next week about his dentist, it's been two months",
        "an officer swore at him at servery for no reason",
        "OMU havent answered anything about his cat c review",
        "his trainers got took on the spin and never came back, the officer says tough",
    ]),
    "staff_only_acts": ("staff_complaint", [
        "they put him in wrist locks for asking about his shower",
        "he was restrained coming back from visits and his shoulder hurts",
        "his legal papers went missing when they moved him",
    ]),
    "resident_harm_wide": ("bullying", [
        "lads keep elbowing him in the dinner queue",
        "they're chucking stuff at him from the 2s every time he walks past",
        "he has to hand over his noodles to the lad next door every canteen day",
        "young ones keep skitting him about his glasses",
    ]),
    "resident_threat_wide": ("bullying", [
        "told he has to pay for the phone or else",
        "lad on his spur says they know where his mum lives",
        "someone left a note under his door, watch your back grass",
        "they said his family outside will get a visit if he doesn't bring it in",
    ]),
    "distress_wide": ("emotional_distress", [
        "he feels invisible, nobody writes or visits",
        "he's pure greetin every night since his da passed",
        "says he's ruined everything for his girlfriend and the baby",
        "cries himself to sleep most nights",
        "cant get him out of bed, he just lies there",
    ]),
}

CATEGORY_CASES = [(rule, category, text) for rule, (category, texts) in CATEGORY_FAMILIES.items()
                  for text in texts]


@pytest.mark.parametrize(("rule", "category", "text"), CATEGORY_CASES)
def test_round5_category_families(decide, rule: str, category: str, text: str) -> None:
    decision = decide(text)
    assert category in decision.categories, (text, decision.rules)


@pytest.mark.parametrize("rule", list(CATEGORY_FAMILIES))
def test_each_round5_category_rule_fires_on_three(decide, rule: str) -> None:
    fired = [text for text in CATEGORY_FAMILIES[rule][1] if rule in decide(text).rules]
    assert len(fired) >= 3, (rule, fired)


@pytest.mark.parametrize(
    "text",
    [
        "the new SO is great, sorted his visits in a day",
        "he wants to know when the post room opens for parcels",
        "he's happy, got a letter from his nan and a visit booked",
        "he paid the debt off and nobody's bothering him now",
        "asking whether his property follows him to the cat c",
    ],
)
def test_round5_category_traps_stay_quiet(decide, text: str) -> None:
    decision = decide(text)
    assert "staff_complaint" not in decision.categories, (text, decision.rules)
    assert decision.urgency != "immediate", (text, decision.rules)
