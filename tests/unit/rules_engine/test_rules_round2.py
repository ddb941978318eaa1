"""Round 2 families: second-language and text-speak suicide talk, indirect farewell signs,
euphemisms, bare self-harm verbs, jugging and weapons, staff conduct, and their traps.

Every sentence here was written fresh for these tests (not taken from any labelled set).
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        # wanting to die / not wanting to live, in any wording
        "my padmate say he want die, he dont eat nothing",
        "he wants die in here, he says it every night",
        "he tell me he wish to be dead",
        "she no want live anymore, she cry all day",
        "he say he not want to live no more",
        "that lad dont wanna live",
        "he says life finish for him now his wife left",
        "he says his life is finished and theres no point",
        # ending himself, in other words
        "hes gonna end himself after bang up",
        "he keeps saying he will finish himself off this week",
        "he said he might neck himself",
        # pills
        "he says he gonna take all pill tonight when the door shut",
        "he told me hes going to take all his tablets after the count",
        "been saying he will take all the painkillers at once",
        # not being here, being gone
        "he told his cellie he wont be here by the weekend",
        "he says after hes gone his boy can have his watch",
        "said when im gone tell my mum",
        "hes not going to be around much longer he reckons",
        # indirect signs
        "he bagged up all his stuff and left it on the bed, hes got 4 years left",
        "lad next door packed up all his things and keeps thanking everyone for being good to him",
        "wrote letters saying sorry to his kids and his mum",
        "asked me to tell his daughter i love her if anything happens",
        "he asked the lads what happens if you hang, twice now",
        "asking me how many pills it takes to not wake up",
        # euphemisms
        "he said hell be swinging before his birthday",
        "found a rope made from his sheets behind the toilet",
        "he had a bed sheet round his neck when the officer opened up",
        "there was a cord around his throat at roll check",
        # self-harm variants
        "get someone to his door quick, hes cutting",
        "hes been slashing again since the news",
        "he keeps headbanging the door till it bleeds",
        "he is burning himself with a lighter",
        "he was scratching himself raw with a bit of plastic",
        "he swallowed batteries from the remote",
        # planned serious violence
        "theyre boiling up sugar for the new lad on the 2s",
        "they are going to chuck hot water and sugar at him at dinner",
        "heard the lads say they will jug him at the servery",
        "somebody is getting jugged tomorrow morning",
        # more wordings of the same families
        "he say he kill self if they move him",
        "he reckons he will be dead by morning",
        "says there is no reason to carry on now",
        "he had a plastic bag over his head when i looked in",
        "he was sat on the netting for an hour",
        "he keeps saying this is his last night",
        "they said they are going to cut him at unlock",
    ],
)
def test_round2_risk_to_life_is_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)


@pytest.mark.parametrize(
    "text",
    [
        "my padmate say he want die, he dont eat nothing",
        "she no want live anymore, she cry all day",
        "hes gonna end himself after bang up",
        "he bagged up all his stuff and left it on the bed, hes got 4 years left",
        "get someone to his door quick, hes cutting",
        "he said hell be swinging before his birthday",
    ],
)
def test_round2_risk_to_life_is_distress(decide, text: str) -> None:
    assert "emotional_distress" in decide(text).categories


@pytest.mark.parametrize(
    "text",
    [
        "hes dying for a brew and a bit of burn",
        "just killing time till association",
        "they were killing themselves laughing at the film",
        "hes cutting his hair in the pad with clippers",
        "hes cutting onions on the servery",
        "topping up his phone credit",
        "he hung up the phone on his mum and now feels bad",
        "got battered at pool by the old boy again",
        "bagged up all his stuff cos he gets out on tuesday",
        "thanking everyone cos hes being released tomorrow",
        "he wants to live with his mum when he gets out",
        "he nearly died laughing at that film",
        "he uses a skipping rope in the gym every morning",
        "he is learning the ropes on the servery",
        "the kettle has no hot water in it",
        "he hung his washing out of the window",
        "he wants him dead, they have beef",
    ],
)
def test_round2_traps_are_not_self_harm_or_suicide(decide, text: str) -> None:
    decision = decide(text)
    assert not (decision.urgency == "immediate" and "emotional_distress" in decision.categories), (
        text, decision.rules)


@pytest.mark.parametrize(
    "text",
    [
        "the officer trashed his cell in the spin and ripped his kids pictures",
        "the screw on the hotplate gives him half portions every night",
        "an officer keeps calling him by his number instead of his name",
        "the nurse laughs at him and makes comments about his teeth",
        "staff on the landing knocked back his apps with no reason",
        "the SO ended his visit early for no reason",
        "he was held down by three staff and one knelt on his back",
        "his legal letters keep arriving already opened by the mail room staff",
        "the CM wont even speak to him since he complained",
        "the workshop instructor docked his pay for being five minutes late",
        "officer shout me and call me stupid because my english is bad",
        "gov told him hell make his life hell if he puts a comp in",
    ],
)
def test_round2_staff_conduct_is_staff_complaint(decide, text: str) -> None:
    assert "staff_complaint" in decide(text).categories, (text, decide(text).rules)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("officer said go back your country when he asked for a shower", "equality"),
        ("they spreading rumours that hes a nonce on the landing", "bullying"),
        ("some boys keep doing impressions of his lisp at work", "bullying"),
        ("lads keep hiding his stuff when hes at the gym", "bullying"),
        ("he has to pay protection every week or they said theyll stripe him", "bullying"),
        ("hes dead moody lately and snapping at everyone", "emotional_distress"),
        ("the lads are making his nan pay into an account every week", "bullying"),
        ("they phoned his girlfriend and said send money or he gets it", "bullying"),
    ],
)
def test_round2_other_families(decide, text: str, category: str) -> None:
    assert category in decide(text).categories, (text, decide(text).rules)


def test_moody_is_not_bullying(decide) -> None:
    assert "bullying" not in decide("hes been dead moody and snapping at his cellie").categories


def test_copied_schemes_sentence_starts_with_a_capital(decide) -> None:
    decision = decide("they keep taxing his canteen on the landing")
    assert decision.co_schemes == ("buddies",)
    assert "The Buddies will also be told." in decision.supporter_explanation
