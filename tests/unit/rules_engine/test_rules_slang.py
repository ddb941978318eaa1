"""Broader vocabulary: regional slang, phonetic spellings, distress phrasing, staff words, traps.

Every sentence here was written fresh for these tests (not taken from any labelled set).
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "he swallowed a couple of batteries after his visit went wrong",
        "caught him eating bits of razor blade in the shower block",
        "hes been hiding his night meds in his pillow case for days",
        "he necked a load of his cellmates tablets",
        "there was a noose tied to the window bars when they opened up",
        "tied his shoelace round his neck during bang up",
        "keeps saying he is going to end it all this weekend",
        "says everyone would be better off without him",
        "told his sister on the phone he wont see christmas",
        "rang his mum just to say goodbye to her, he never rings",
        "gave his playstation and all his games away and hes got years left",
        "he says he is done with everything and wants to go to sleep forever",
        "hes gonna string himself up, he told the lad next door",
        "he has been slicing his arms with a bit of tin lid",
        "headbutting the wall until his forehead bled",
        "he wishes he was never born",
        "the lads are going to wet him up on exercise",
        "they've put sugar in the kettle, they are going to do him at unlock",
    ],
)
def test_risk_to_life_in_other_words_is_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", decision.rules
    assert decision.alert_safer_custody


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("his head's gone since the judge knocked back his appeal", "emotional_distress"),
        ("hes in a dark place and not coping with the bang up", "emotional_distress"),
        ("says he keeps getting flashbacks and his head is fried", "emotional_distress"),
        ("he sed he is proper stresd and skared all the time", "emotional_distress"),
        ("hes cracking up in there, crying his eyes out every night", "emotional_distress"),
        ("hes been mugged off in front of the whole servery again", "bullying"),
        ("he got bashed on the stairs by some lads from the 2s", "bullying"),
        ("there is beef between him and a lad on the spur, it will go off", "bullying"),
        ("his opps from road are on the same landing now", "bullying"),
        ("lads keep slagging him off and giving him grief evry day", "bullying"),
        ("the youngers are shaking him down for his burn", "bullying"),
        ("he is skared to go to the servery becos of the lads on the 3s", "bullying"),
        ("the OSG laughed at him and said sort it yourself", "staff_complaint"),
        ("the night san officer never came when he pressed his bell", "staff_complaint"),
        ("he pressed his cell bell for ages and nobody came", "staff_complaint"),
        ("the CM left him behind the door all weekend with no shower", "staff_complaint"),
        ("two officers held him down and bent his wrists up in the seg", "staff_complaint"),
        ("the guards took his photos in the search and never gave them back", "staff_complaint"),
        ("gov put him on basic for nothing, he got nicked for a mobile that wasnt his",
         "staff_complaint"),
        ("he cant get his kara back from reception", "equality"),
        ("no halal meat for three days now", "equality"),
        ("he is a rastafarian and wants ital food", "equality"),
        ("pagan lad wants to mark the solstice and the chaplaincy said no", "equality"),
        ("hes in a wheel chair and the lift is broken again", "equality"),
        ("they stopped his adhd meds when he transferred", "equality"),
        ("old fella with dementia keeps getting lost on the way back from meds", "equality"),
        ("she is trans and keeps being put with male staff for searches", "equality"),
        ("hes going through the menopause and gets no support", "equality"),
        ("he cant read english and there is no interpreter for his adjudication", "equality"),
    ],
)
def test_slang_and_phrasing_families_give_the_category(decide, text: str, category: str) -> None:
    assert category in decide(text).categories, decide(text).rules


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("he gets no threats now, everyone leaves him alone", "bullying"),
        ("hes not being bullied any more since the move", "bullying"),
        ("the lads and him shook hands, its all sorted now", "bullying"),
        ("the beef with the lad on the 2s is squashed now, all good", "bullying"),
    ],
)
def test_negated_or_resolved_slang_does_not_count(decide, text: str, absent: str) -> None:
    assert absent not in decide(text).categories


@pytest.mark.parametrize(
    "text",
    [
        "he wants to know how to top up his phone credit before his visit",
        "hes cutting hair in the barbers on a wednesday now",
        "just killing time in the library till his course starts",
        "hes dying for a brew, the flask is broken",
        "he is getting out on friday and giving his stuff away to the lads",
        "his hearing aid batteries are dead",
        "he hung his washing on the bars and got told off",
        "he used to self harm years ago but wants to be a listener now",
    ],
)
def test_traps_are_not_immediate(decide, text: str) -> None:
    assert decide(text).urgency != "immediate", decide(text).rules


def test_release_date_question_is_no_category(decide) -> None:
    decision = decide("how does he check his release date and his tag")
    assert decision.categories == ()
    assert decision.scheme == "pal"


def test_longest_entry_wins_and_keeps_its_own_lexicons(ruleset) -> None:
    hits = ruleset.matcher.find("he was topping up his phone , not topping himself")
    phrases = [h.phrase for h in hits]
    assert "topping up" in phrases
    assert "topping himself" in phrases


def test_hidden_letter_in_a_masked_slur_matches(ruleset) -> None:
    assert "slur" in ruleset.matcher.lexicons_of("p*ki")
    assert "slur" in ruleset.matcher.lexicons_of("paki")
