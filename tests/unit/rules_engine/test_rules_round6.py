"""Round 6: a wider concept net for risk to life, tuned on blind3 (a development set since round 6).

Families: a sudden calm after a bad time, goodbye gestures, sealed letters, "won't be here for"
an event, ligatures being made, plastic bags, the landing edge, a dead relative calling him, voices
demanding harm, vital medicine stopped, wounds picked or things pushed in, tablets collected from
others, the seg or the night checks used to do it unseen, hot liquid kept back, weapons sharpened or
in a sock, things promised "soon", "something stupid tonight", a fire with himself inside, a plan
ready "if", a hidden blade dwelt on; and category families (masked slurs, mockery of who he is,
everyday mockery and threats). Dialects (Geordie, Glaswegian, Yorkshire, Welsh, Irish, Mancunian,
Brummie), text-speak and second-language English are mixed in. Traps must stay quiet.

Every sentence here was written fresh for these tests (not taken from any labelled set).
"""

from __future__ import annotations

import pytest

# rule id -> sentences it must catch (each one must be immediate)
RISK_FAMILIES: dict[str, list[str]] = {
    "sudden_calm": [
        "after weeks of crying in his pad hes suddenly calm and smiling, its not right",
        "wor kid's been proper low but the day he's weirdly calm, like a weight has lifted",
        "she says he's made his peace, he was in bits all month and now hes chirpy all of a sudden",
        "he is strangely happy today after long time very sad, i am worry",
    ],
    "debts_squared_calm": [
        "he's cleared all his debts and gave everything away, now he's relaxed and smiling",
        "squared up with everyone this week, settled all his debts and hes smiling",
        "he sorted all his debts out and seems happy, mun, after a month of not talking",
    ],
    "goodbye_gesture": [
        "he went round shaking hands with everyone on the spur after tea",
        "said to me its been good knowing you ar kid and went back in his pad",
        "he shook everyones hand at association and wouldnt say why",
        "tell my mammy i love her he says, and nothing else",
        "gud knowing u he text through the door, wtf",
    ],
    "letters_sealed": [
        "hes been writing letters all night and sealing them, wont say who for",
        "found envelopes sealed on his bed, one for each of his kids",
        "he wrote notes to his family and says not to be opened till after",
    ],
    "wont_be_here_for_event": [
        "he says he wont be here for christmas and hes got four years left",
        "keeps saying he no be here fur his wean's birthday, he's no getting moved",
        "reckons he won't see his birthday, he's serving a long one",
        "he not be here for Eid he say, he is not transfer",
    ],
    "ligature_being_made": [
        "found him ripping his towel into strips under the blanket",
        "he's got his laces knotted together on the bunk frame",
        "keeps plaiting bits of his sheet, says its a hobby but it isnt",
        "asked if a bed sheet would hold his weight",
    ],
    "plastic_bag_kept": [
        "he's got a plastic bag under his pillow and keeps staring at it",
        "sits staring at a carrier bag for hours, wont let anyone bin it",
        "tried to put a placcy bag over his head last night",
        "keeps a bin bag stashed under his mattress and stares at it",
    ],
    "landing_edge": [
        "he said hes going to take a header off the fours",
        "caught him climbing over the railings on the threes",
        "keeps on about a swan dive off the top landing",
        "sat on the railing with his legs over the edge",
    ],
    "landing_edge_staring": [
        "hes been stood at the edge of the landing staring down for ages",
        "he stands by the railings staring down at the netting on the 4s, not saying owt",
        "every night after tea he's at the railings gazing down at the fives",
    ],
    "dead_relative_calling": [
        "he hears his nan who died calling him to join her",
        "says his brother that passed keeps telling him to come and be with him",
        "his mammy, God rest her, is after calling him to the other side he says, she died at Easter",
    ],
    "voices_command_harm": [
        "the voices tell him to burn himself with his lighter",
        "he reckons the telly is saying he has to throw himself off the landing",
        "the man on the telly keeps telling him to cut",
        "voices say he must to hurt himself tonight",
    ],
    "vital_meds_stopped": [
        "he's stopped taking his insulin and won't say why",
        "binning his clozapine every morning, been a week",
        "refuses his lithium at the hatch now, says whats the point",
        "he divvent take his insulin no more, on purpose like",
    ],
    "vital_meds_stopped_kind": [
        "he's stopped taking his heart tablets, says let it happen",
        "refusing his epilepsy tablets for days now",
        "he flushed his blood pressure pills down the toilet",
    ],
    "wounds_interfered": [
        "he keeps picking at his stitches till they bleed",
        "been biting into his arm at night, theres teeth marks",
        "he went at his own skin with a tin lid, the cellie says",
        "keeps ripping open his wounds every time they heal over",
    ],
    "object_pushed_in": [
        "he's been pushing pencil lead into his arm",
        "stuck a pin under his skin and wont let healthcare see",
        "found him jabbing staples into his leg",
    ],
    "painkillers_collected": [
        "he's buying co-codamol off the lads on the 2s",
        "been collecting paracetamol from everyone on the spur",
        "asking for sleepers off anyone who'll give him them",
        "he gets tramadol aff the boys every night",
    ],
    "seg_to_do_it": [
        "he wants to get sent down the block so nobody can stop him",
        "says he'll kick off to get put in seg, where no one's watching, to do it properly",
        "wants to go to the seg so theres no cellie to stop him",
    ],
    "night_checks_probed": [
        "he keeps asking how often the night staff check on him",
        "asked me what time the obs are and how long between the checks",
        "wanted to know the gaps between checks on nights",
    ],
    "hot_liquid_kept": [
        "they've kept back chip fat from the kitchen for him",
        "the new lad's getting hot watered at free flow",
        "theres a kettle of boiling with sugar in it kept ready in 14",
    ],
    "weapon_sharpened": [
        "somebody's sharpening a bit of bed frame on the floor of his pad",
        "lad on the ones been filing down a tin lid",
        "hes grinding a toothbrush into a point",
    ],
    "sock_weapon": [
        "he's got a padlock in his sock ready for dinner",
        "theres a sock full of batteries under the bunk in 3-12",
        "lads putting pool balls in a pillowcase",
    ],
    "things_promised_soon": [
        "keeps telling his cellie you can have my telly soon",
        "he said you'll get my trainers when I'm gone, laughing",
        "says to me itll all be yours soon enough",
    ],
    "something_stupid_soon": [
        "he says he's going to do something stupid tonight",
        "reckons he'll do summat daft after bang up",
        "gonna do sumthin stupid the night he says",
    ],
    "fire_with_himself_in": [
        "he wants to set his pad going with himself in it",
        "keeps talking about lighting his mattress with himself still inside",
        "got a lighter and says he'll burn the place and himself with it",
    ],
    "plan_ready_if": [
        "if his appeal fails he says he knows exactly what hell do",
        "says it's all ready if the missus leaves him",
        "when they knock him back hes got it all planned, he said",
    ],
    "blade_dwelt_on": [
        "he keeps a razor blade in his bible, nobody knows, thinks about it every night",
        "has a bit of glass hidden, keeps looking at it",
        "got a blade stashed for himself, he told me",
    ],
}

RISK_CASES = [(rule, text) for rule, texts in RISK_FAMILIES.items() for text in texts]


@pytest.mark.parametrize(("rule", "text"), RISK_CASES)
def test_round6_risk_families_are_immediate(decide, rule: str, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)


@pytest.mark.parametrize("rule", list(RISK_FAMILIES))
def test_each_round6_rule_fires_on_three_of_its_sentences(decide, rule: str) -> None:
    fired = [text for text in RISK_FAMILIES[rule] if rule in decide(text).rules]
    assert len(fired) >= 3, (rule, fired)


def test_racist_threats_with_self_harm_talk_carry_three_categories(decide) -> None:
    decision = decide("lads keep calling him a p*ki and saying they'll do him, "
                      "now he says he'll cut himself tonight")
    assert set(decision.categories) >= {"bullying", "emotional_distress", "equality"}, decision.rules
    assert decision.urgency == "immediate"


@pytest.mark.parametrize(
    "text",
    [
        # jokes, legal letters and wills in good spirits
        "he says he'd rather die than eat the curry again, the lads were laughing",
        "he's writing a goodbye letter to his solicitor cos he's changing firms",
        "he's doing his will with legal services, in good spirits, due out in May",
        "he's not thinking about hurting himself, he just wants his canteen sorted",
        "his nickname on the wing is Shank, can his canteen sheet say his real name",
        # bad news and voices without risk words: urgent at most
        "he just heard his dad's been taken into hospital and he's gutted",
        "he's hearing voices again but no talk of harming himself, can mental health see him",
        # ordinary calm, letters, events, medicine, bags, landings
        "he's calm now the debt's paid and the lads leave him alone",
        "he got parole, he's suddenly happy and chirpy",
        "he wrote letters to his MP and his solicitor and sealed them for the post",
        "he won't be here for the quiz night, he's being transferred on Monday",
        "he tore his sheet on the bunk and needs a new one from the stores",
        "his laces keep coming undone, can he get new trainers",
        "he keeps his letters in a plastic bag under his bed",
        "the healthcare stopped his insulin by mistake and he's fuming",
        "he's coming off his olanzapine with the psychiatrist, he's doing well",
        "he was looking down from the landing to shout his mate for dinner",
        "he was stood at the edge of the landing waiting for the servery to open",
        "he's sharpening his pencils for the maths class",
        "he wants to know how often the library is open",
        "he bought noodles off the canteen for the lads",
        "the blade on his shaver is broken, can he get a new one",
        "he asked the lads to have a look at his kettle tomorrow",
    ],
)
def test_round6_traps_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)


CATEGORY_FAMILIES: dict[str, tuple[str, list[str]]] = {
    "masked_slur": ("equality", [
        "two lads keep calling him a p*ki on the yard",
        "someone wrote w*g on his door card",
        "they shout n***** when he goes past the servery",
    ]),
    "protected_mockery": ("equality", [
        "the young lads call him grandad and nick his reading glasses",
        "they pull their eyes at the Vietnamese lad on the servery",
        "some lad knocked his turban off in the gym",
        "they hid his hearing aid for a laugh",
    ]),
    "resident_mockery": ("bullying", [
        "lads on the twos make pig noises at him every time he walks by",
        "one fella keeps pushing in front of him at the meds hatch with snide comments",
        "somebody spat in his food at the servery",
    ]),
    "resident_threat_everyday": ("bullying", [
        "he's been told if he leaves his pad they'll get him",
        "they pissed on his bed and said next time it's him",
        "he's got till Friday to pay or his cellie will be made to do him",
    ]),
}

CATEGORY_CASES = [(rule, category, text) for rule, (category, texts) in CATEGORY_FAMILIES.items()
                  for text in texts]


@pytest.mark.parametrize(("rule", "category", "text"), CATEGORY_CASES)
def test_round6_category_families(decide, rule: str, category: str, text: str) -> None:
    decision = decide(text)
    assert category in decision.categories, (text, decision.rules)


@pytest.mark.parametrize("rule", list(CATEGORY_FAMILIES))
def test_each_round6_category_rule_fires_on_three(decide, rule: str) -> None:
    fired = [text for text in CATEGORY_FAMILIES[rule][1] if rule in decide(text).rules]
    assert len(fired) >= 3, (rule, fired)


@pytest.mark.parametrize(
    "text",
    [
        "he says the lads are taking the p*** out of his haircut",
        "the officer said f*** off when he asked about his app",
        "he wants to know when the gym gets new weights",
    ],
)
def test_round6_category_traps_are_not_equality(decide, text: str) -> None:
    decision = decide(text)
    assert "equality" not in decision.categories, (text, decision.rules)
