"""Round 4 concept rules: a risk-to-life safety net built from pairs of word families (medicine x
hoarding, body part x wound, ligature point x tying or testing, finality x a time soon, voices x
blood, weapon x target...), and broader category families (residents mistreating him, distress in
everyday words, staff neglect). Each concept has sentences in several wordings, and traps that
must stay quiet.

Every sentence here was written fresh for these tests (not taken from any labelled set).
"""

from __future__ import annotations

import pytest

# concept rule id -> sentences it must catch (each one must be immediate and fire that rule)
RISK_CONCEPTS: dict[str, list[str]] = {
    "meds_hoarded": [
        "my pad mate has been keeping back his sleepers every night, he has about twenty in a sock",
        "he's been cheeking his pregabalin at the hatch for a fortnight now",
        "saw him tuck his mirtazapine under his tongue and spit it into a tissue to keep",
        "he's got a weeks worth of his night meds hidden in his radio",
        "hes been savin his sleepin tablets for weeks la",
        "found a bag of his pills taped under the table in his pad",
        "gonnae down all his tablets the night he says",
        "he is keep the tablet every day not swallow, now have many",
        "hes stopped his meds but keeps them all in a box under his bed",
    ],
    "meds_method_question": [
        "he keeps asking the lads what happens if you take 40 paracetamol",
        "he asked the nurse how many of his sleepers it would take to not wake up",
        "lad keeps asking what a lethal dose of his pregabalin is",
    ],
    "head_against_wall": [
        "he's putting his head through the wall, there's blood everywhere",
        "he keeps smacking his forehead against the door of his pad",
        "my cellie's been banging his skull off the wall since the phone call",
    ],
    "wounds_on_body": [
        "he's got fresh cuts up both his forearms, he keeps his sleeves down",
        "showed me his thighs, loads of scratches and they were bleeding",
        "been carving lines into his arm with a bit of plastic",
        "his wrist was bleeding through his jumper at dinner",
    ],
    "ligature_point": [
        "keeps checking if the light fitting would take his weight",
        "tied his shoelaces to the window bars and just sat looking at them",
        "he keeps tugging on the heating pipe, asking me if it's strong enough to hold a man",
        "he asked me what the strongest bit in the cell is to tie something to",
    ],
    "ligature_material_hidden": [
        "he's pulled the flex off his kettle and keeps it under his pillow",
        "found a dressing gown cord stashed behind his radiator",
        "he's been hiding his bootlaces in his mattress since his ACCT started",
        "hes got a bit of wire hid in his pad and keeps messin wiv it",
    ],
    "finality_said": [
        "he says there's nothing to live for now his nan's gone",
        "he says he won't be a burden to his family much longer",
        "says he's only holding on till the baby is born then he's done",
        "he keeps asking how much blood you can lose before you pass out",
        "he wants to do it right this time, said last time he didn't cut deep enough",
        "left a note on his table saying to whoever finds me",
        "he says he's worthless and wants to disappear for good",
        "he say he will make finish tonight, no more life for him",
        "he's written his will out on a bit of paper and gave it to his cellie",
        "he keeps on about how he'd do it if he did it",
    ],
    "finality_with_time": [
        "says he'll finish it tonight after bang up",
        "he says he'll end it the night, wants me to tell his ma he's sorry",
        "told me it's game over after the count, he's had his fill of this place",
    ],
    "gone_after_time": [
        "he won't be needing his radio after tonight he says",
        "keeps telling the lads he won't be a problem to them by the weekend",
        "said he won't be around after bang up so I can have his kettle",
        "he keeps saying he won't have to worry about any of it after tonight",
        "he says it'll all be over by the morning and he won't be a bother",
    ],
    "out_one_way_or_another": [
        "he says he's out of here soon, one way or the other, and he's doing life",
        "lifer on our spur keeps saying he'll be out of this place one way or another by christmas",
        "IPP lad says he'll leave this place whatever it takes, he's stopped eating",
    ],
    "command_hallucinations": [
        "the voices keep telling him he has to bleed for what he did",
        "he hears the devil saying he should hurt himself tonight",
        "he says god wants him to sacrifice himself",
    ],
    "swallowed_harmful": [
        "he swallowed two batteries and a bit of blade this morning",
        "he drank the bleach out of the cleaning cupboard",
        "he necked a bottle of floor cleaner in the shower block",
        "lad next door drank hand sanitiser on purpose after his visit got cancelled",
    ],
    "weapon_for_someone": [
        "the lad in 6 is getting it in the showers, they've got a blade ready",
        "his cellie has a bit of glass wrapped in tape and says he'll use it on the lad upstairs",
        "they've got a sharpened spoon and the new lad is getting it at meds",
    ],
    "weapon_made": [
        "they've melted a razor into a toothbrush for the new lad",
        "someone on the 2s has made a shank out of a bed spring",
        "lads are putting pool balls in a sock for the grass",
    ],
    "face_to_be_opened": [
        "his face is getting opened tomorrow at exercise",
        "they're saying the lad in 9 is getting his boat slashed after tea",
        "word is they'll stripe his face for grassing",
    ],
    "sent_to_hospital": [
        "they're going to put him in hospital after dinner",
        "he's gonna put the lad in 12 in hospital for the debt",
        "the olders say they'll send him out in a body bag if he doesn't pay",
        "they're saying they'll leave the lad on the 3s in intensive care",
    ],
    "attack_planned": [
        "they're going to boil the kettle for him at unlock",
        "the lad in 4 is getting kettled tomorrow morning",
        "they say they'll glass him in the servery",
        "gonna bottle him when he comes out for meds",
    ],
}

RISK_CASES = [(rule, text) for rule, texts in RISK_CONCEPTS.items() for text in texts]


@pytest.mark.parametrize(("rule", "text"), RISK_CASES)
def test_risk_concepts_are_immediate(decide, rule: str, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)


@pytest.mark.parametrize("rule", list(RISK_CONCEPTS))
def test_each_concept_rule_fires_on_three_of_its_sentences(decide, rule: str) -> None:
    # Some sentences are also caught by older rules whose longer phrases hide the concept's
    # words; the concept rule itself must still catch at least three wordings on its own.
    fired = [text for text in RISK_CONCEPTS[rule] if rule in decide(text).rules]
    assert len(fired) >= 3, (rule, fired)


@pytest.mark.parametrize(
    "text",
    [
        # medicine without hoarding
        "he wants his meds changed to liquid because he can't swallow tablets",
        "the nurse says his methadone dose is going down to twenty next week",
        "he's missing his night meds because the hatch shuts early",
        "he wants to know when his pain meds review is",
        # cuts with an innocent cause, old scars
        "he cut his hand on a tin of tuna in the kitchen",
        "he got a haircut and the barber nicked his neck a bit",
        "he cut his legs playing football on the astro",
        "can he get a blood test for his diabetes",
        "he cut his lip in the boxing",
        # fittings with nothing tied to them
        "the window bars are rusty and the vent is blocked, it's freezing",
        "the vent in his cell is broken and the pipe is leaking",
        # finishing things, leaving prison, either way
        "he wants to finish his maths course before he moves",
        "he says he's going to finish his appeal letter tonight",
        "he'll be out of here on tag next month either way",
        "he gave all his stuff out to the lads because he's released on friday",
        "he gave out the leaflets on the landing for the equality meeting",
        # the telly, water, razors and sugar in ordinary use
        "the telly keeps telling him the football scores wrong lol",
        "he drinks loads of water and wants a bigger flask",
        "they ran out of sugar at tea and there's no razors on the canteen sheet",
        "he needs a new razor for court tomorrow",
        "the lads dared him to drink a bottle of shower gel for a vape",
        # word-sense traps from the domain brief
        "he's dying for a brew and killing time till the gym",
        "he's topping up his phone credit for his mum's birthday",
        "he hung his towel on the pipe to dry",
        "he hurt his arm lifting weights in the gym",
        "he wants to know if he can buy a kettle on canteen",
        "he asked how many paracetamol he can have a day for his back",
        "they put the kettle on for him when he came back from court, nice of them",
        "he wants to disappear to the library more often, can he get a job there",
        "he wrote a letter to his mum for her birthday",
        # medicine routines, innocent cuts and marks, voices that are just the radio
        "he collects his meds at 8 and wants it changed to 7",
        "he wants his methadone reduced, he's doing well and building up to coming off it",
        "his arm was bleeding after he fell down the stairs on the 2s",
        "he has a cut on his leg from work that's not healing, wants healthcare",
        "he has lines on his arms from old tattoos he wants removed",
        "the voices on the radio were talking about the blood donation drive",
        "he says he won't need his canteen after tonight because he's moving to D cat tomorrow",
        "the lads say the new lad is getting his hair cut at exercise",
        "he's got a razor for shaving but it's blunt, can he get a new one",
        "he slipped in the shower and hit his head on the floor",
        "he asked how many tablets he's allowed in possession",
    ],
)
def test_round4_traps_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)


# ---------------- category families ----------------

CATEGORY_CONCEPTS: dict[str, tuple[str, list[str]]] = {
    "mistreated_by_residents": ("bullying", [
        "the young lads on his spur keep nicking his milk off the servery tray",
        "his cellie's mates keep using his stuff and messing his bed up when he's at work",
        "they keep taking the mick out of his glasses and hiding his books",
        "lads on the yard flick his ears and make fun of him every day",
        "two lads keep cornering him in the shower and taking his shower gel",
        "some lad keeps demanding his canteen every friday, says he'll get hurt if he doesn't hand it over",
        "his cellie makes him sleep on the floor and keeps the bunk",
        "lads on the servery give him tiny portions and laugh about it",
    ]),
    "distress_other_words": ("emotional_distress", [
        "he's been a bit flat since his brother stopped writing",
        "he feels like he's letting his kids down by being in here",
        "he's gone really quiet and keeps to himself since his court date",
        "he's a worrier, keeps overthinking whether his girlfriend still wants him",
        "he's not right since his son stopped answering his letters",
        "he's lost all motivation, doesn't go to work or the gym anymore",
    ]),
    "staff_neglect": ("staff_complaint", [
        "his keyworker hasn't done his sentence plan and nobody answers his apps",
        "the gym officer banned him from the gym and won't give him a reason",
        "the nurse at the hatch keeps him waiting till last on purpose every morning",
        "an officer packed his cell when he moved and half his letters have gone missing",
        "the officer on nights never checks his obs and just laughs",
        "the PE instructor barred him from the sports hall and won't say why",
        "the nurse rolled her eyes and said he's just after drugs",
    ]),
}

CATEGORY_CASES = [(rule, category, text) for rule, (category, texts) in CATEGORY_CONCEPTS.items()
                  for text in texts]


@pytest.mark.parametrize(("rule", "category", "text"), CATEGORY_CASES)
def test_category_concepts(decide, rule: str, category: str, text: str) -> None:
    decision = decide(text)
    assert category in decision.categories, (text, decision.rules)


@pytest.mark.parametrize("rule", list(CATEGORY_CONCEPTS))
def test_each_category_rule_fires_on_three_of_its_sentences(decide, rule: str) -> None:
    fired = [text for text in CATEGORY_CONCEPTS[rule][1] if rule in decide(text).rules]
    assert len(fired) >= 3, (rule, fired)


@pytest.mark.parametrize(
    "text",
    [
        "his baby was stillborn on friday and he hasn't spoken since",
        "he's beside himself since the letter about his kids came",
        "he's smashing his cell up since the phone call from home",
    ],
)
def test_acute_distress_is_urgent(decide, text: str) -> None:
    decision = decide(text)
    assert "emotional_distress" in decision.categories, (text, decision.rules)
    assert decision.urgency in {"urgent", "immediate"}, (text, decision.rules)


@pytest.mark.parametrize(
    "text",
    [
        "gutted he missed the darts final, can the wing get the sports channel",
        "the lads were laughing at the film on association, can we have another",
        "he asked the officer to call him for work early",
        "the lad who took his vapes gave them back and said sorry, it's sorted now",
    ],
)
def test_category_traps_stay_quiet(decide, text: str) -> None:
    decision = decide(text)
    assert "bullying" not in decision.categories, (text, decision.rules)
    assert decision.urgency != "immediate", (text, decision.rules)
