"""Round 9: concept families from a sweep of the sources (domain.md, the Perrin study) and of how
distressed people write, rather than from one labelled set's sentences (blind7 is a development set
since round 9 and was used only as a hint to families).

Every sentence here was written fresh for these tests (not taken from any labelled set).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.rules_engine.classify import classify
from tracker.rules_engine.facts import ConcernFacts
from tracker.rules_engine.loader import load_ruleset

RULES = Path(__file__).resolve().parents[3] / "rules"


@pytest.fixture(scope="module")
def rs():
    return load_ruleset(RULES)


# rule id -> sentences it must catch; each must be immediate and emotional distress, not bullying
RISK: dict[str, list[str]] = {
    "r9_death_euphemism": [
        "he said tonight he's checking out for good",
        "says he's ready to call time on it all",
        "he said he'd be better off six foot under",
        "says hes taking the easy way out",
        "am no wantin tae be here nae mair",
        "says he doesnt want to exist anymore",
        "lol if they refuse me again im swinging",
        "he told his mum this would be her last visit",
        "you'll all be rid of me soon he says",
        "he said you won't have to put up with me after the weekend, he's on remand",
        "he's gannin yem the quick way he says, and he's got years left",
    ],
    "r9_sentence_cheated": [
        "he said they won't get the satisfaction of him doing the rest of his sentence",
        "says he wont do the rest of his bird, they can all forget it",
    ],
    "r9_found_after_attempt": [
        "found tied up this morning, alive thank god",
        "officer had to cut him down last night",
        "he had a sheet round his throat and laces round his neck when i looked in",
    ],
    "r9_body_question": [
        "he asked how long a person lasts without water and he's stopped drinking",
        "keeps asking what would be a fatal dose of his sertraline",
    ],
    "r9_plan_with_time": [
        "he says when the door shuts tonight thats it",
        "says its all planned for after bang up, he means it this time",
    ],
    "r9_self_fire": [
        "he talks about setting fire to himself",
        "says he'll set himself alight in the shower block",
    ],
    "meds_hoarded": ["he has his pills put by, a good few weeks of them"],
    "refusing_till_dead": ["6 days off his food now, says he'll keep going till he dies"],
    "r8_refusing_fluids": ["he hasnt eaten or drunk anything since monday"],
}

# planned serious violence by others: bullying, immediate
VIOLENCE = [
    "spice debt, they said tonight after tea he gets opened up with a razor unless he pays",
    "he's getting cut up tomorrow, the lads on the 3s said so",
    "lads are planning to boil the kettle and throw it on him tomorrow",
]

# text -> a category it must carry
CATEGORY = [
    ("cellie makes him do all the cleaning and hogs the telly", "bullying"),
    ("someone keeps drawing stuff on his door", "bullying"),
    ("the lads in the workshop mess with his tools so he gets in trouble", "bullying"),
    ("lads from the 2s at his door again on canteen day, took the lot and say it doubles next week", "bullying"),
    ("lads laugh at his stammer and copy him in education", "bullying"),
    ("lads laugh at his stammer and copy him in education", "equality"),
    ("they keep calling the jewish lad Shylock", "equality"),
    ("they put on an accent and say go back to Poland to him", "bullying"),
    ("lads call the old fella grandad and coffin dodger", "equality"),
    ("new mum isnt getting help to express milk for her baby", "equality"),
    ("pregnant woman on the wing isnt getting extra food", "equality"),
    ("the PE officer keeps kicking him off the gym list without saying why", "staff_complaint"),
    ("officer keeps saying he'll make his parole report a stinker unless he grasses", "staff_complaint"),
    ("spin of his pad left it wrecked, his kids photos torn, no apology", "staff_complaint"),
    ("lost property when he got moved from Durham, two bags gone", "staff_complaint"),
    ("staff make life hard for him since he wouldnt tell them what his caller said", "staff_complaint"),
    ("an officer mocked his accent in front of the queue", "staff_complaint"),
]

# word-sense traps: never immediate
TRAPS = [
    "he is on sleeping tablets prescribed by the doctor and sleeping better now",
    "he's dying to see his kids at the visit on saturday",
    "just killing time till his release, asking about courses",
    "can he check out the library on saturdays",
    "he's done his bird and is going home on friday",
    "going home next week, giving his telly to his cellie as he wont need it outside",
    "he's calling it a day on the kitchen job, wants a transfer to gardens",
    "he is swinging for the lad who nicked his vapes, they had a scrap",
    "he feels like the walls close in and cant breathe when the door shuts",
    "he wont do the rest of his sentence here, he is moving to cat d next month",
    "his back is killing him and he wants to see the nurse",
    "he's cut up about the football result, only a game",
    "going home to his mum when he's released next month, his dad passed last year",
    "he wants to know how long it takes for a parole answer",
]

# not bullying
QUIET_BULLYING = [
    "the lads were laughing at the film on association, can we have another",
    "she's trans and her old name still shows on the canteen sheet",
    "he said he'll neck himself",
]


@pytest.mark.parametrize("rule,text", [(r, t) for r, ts in RISK.items() for t in ts])
def test_risk_family_is_immediate(rs, rule: str, text: str) -> None:
    d = classify(rs, ConcernFacts(text=text))
    assert d.urgency == "immediate", (text, d.categories, [e.rule for e in d.evidence])
    assert "emotional_distress" in d.categories and "bullying" not in d.categories, (text, d.categories)
    assert rule in [e.rule for e in d.evidence], (text, [e.rule for e in d.evidence])


@pytest.mark.parametrize("text", VIOLENCE)
def test_planned_violence_is_immediate_bullying(rs, text: str) -> None:
    d = classify(rs, ConcernFacts(text=text))
    assert d.urgency == "immediate" and "bullying" in d.categories, (text, d.categories, d.urgency)


@pytest.mark.parametrize("text,category", CATEGORY)
def test_category_family(rs, text: str, category: str) -> None:
    d = classify(rs, ConcernFacts(text=text))
    assert category in d.categories, (text, d.categories, [e.rule for e in d.evidence])


@pytest.mark.parametrize("text", TRAPS)
def test_traps_are_not_immediate(rs, text: str) -> None:
    d = classify(rs, ConcernFacts(text=text))
    assert d.urgency != "immediate", (text, [e.rule for e in d.evidence])


@pytest.mark.parametrize("text", QUIET_BULLYING)
def test_not_bullying(rs, text: str) -> None:
    d = classify(rs, ConcernFacts(text=text))
    assert "bullying" not in d.categories, (text, [e.rule for e in d.evidence])
