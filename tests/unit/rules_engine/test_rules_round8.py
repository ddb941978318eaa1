"""Round 8: concept families studied on the blind6 and blind4 misses (blind6 is a development set
since round 8).

Risk to life: leaving in a box or feet first, joining a dead relative soon, an aftermath others
must clean up, "would anyone even notice", refusing fluids for days, second-language finality
("soon is finish"), a pipe or vent that "would hold", wounds opened up or bitten, objects pushed up
the nose or into the ear, other residents passing him their tablets, sugar or oil in a kettle for
someone, a pad set on fire with him in it. Categories: residents excluding him or spoiling his things,
things "borrowed" or "lost" and never given back, chores, errands and dares, medication taken at the
hatch, veiled threats, residents calling him names or joining in even when staff started it, slurs
with any letters hidden, staff remarks about who he is, staff saying his pain is put on, property
that never came from his last jail, a nicking when he was somewhere else, visits turned away, wages
docked, deadnaming, falls and no ramp or lift. An incidental protected word in a risk-to-life concern
is not an equality concern by itself. Traps must stay quiet.

Every sentence here was written fresh for these tests (not taken from any labelled set).
"""

from __future__ import annotations

import pytest

# rule id -> sentences it must catch (each one must be immediate)
RISK_FAMILIES: dict[str, list[str]] = {
    "r8_leaving_in_a_box": [
        "he keeps joking the only way hes getting out of here is in a box",
        "reckons theyll be carrying him off the landing in a body bag before xmas",
        "says he'll go out of this place feet first, not on the gate",
        "told me hes leavin this jail in a coffin mate",
    ],
    "r8_reunion_with_the_dead": [
        "reckons he'll be seeing his dad soon, his dad has been dead ten years",
        "keeps saying he's off to see his mam, his mam died when he was on remand",
        "he wants to go the same way as his brother went, his brother hung himself in 2019",
    ],
    "r8_refusing_fluids": [
        "he hasnt drunk anything since friday and his lips are all cracked",
        "my padmate refusing water now as well as food, three days",
        "not had a drink for 2 days, he is dizzy and wont see the nurse",
        "he wont even drink water since the weekend, just lies there",
    ],
    "r8_sugar_in_the_kettle": [
        "they have got the kettle boiling with sugar in for the new lad at unlock",
        "lads filling a flask with baby oil for the grass tomorrow",
        "someone put golden syrup in the jug, they are waiting for him at association",
    ],
    "r8_tablets_passed_to_him": [
        "lads keep slipping him their paracetamol at meds time, he must have loads",
        "half the spur have been selling him their sleepers for burn",
        "people giving him their co-codamol and he doesnt even have pain",
    ],
    "finality_loose": [
        "he asked me would anyone even notice if he wasnt here anymore",
        "says hes just a burden on his family and asked what happens to your body when you die in jail",
        "he said he'll do something the screws will all have to clean up after",
        "says sorry to whoever finds him, thats all he keeps writing",
        "my friend he say to me soon is finish for him, he is very tired",
    ],
    "self_harm": [
        "he's opened his leg up with a bit of the window, there's blood everywhere",
        "she keeps biting chunks out of her forearm when the voices start",
        "he split his wrist open on the bed frame last night on purpose",
    ],
    "ligature_point": [
        "he was stood looking at the vent asking me if it would hold",
        "keeps on about the shower pipe and how it would hold him",
        "he tested the window bars to see if they could hold",
    ],
    "object_pushed_in": [
        "he pushed bits of a pen lid up his nose and won't let healthcare look",
        "he keeps sticking drawing pins in his ear",
        "she shoved a button up her nose and says she'll do more",
    ],
    "planned_violence": [
        "they're shouting that his pad is getting set on fire tonight while he's asleep",
        "someone said theyll put lighter fluid under his door and set him alight",
        "he's been told he'll be burnt alive in his peter if he grasses",
    ],
}

RISK_CASES = [(rule, text) for rule, texts in RISK_FAMILIES.items() for text in texts]


@pytest.mark.parametrize(("rule", "text"), RISK_CASES)
def test_round8_risk_families_are_immediate(decide, rule: str, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)


@pytest.mark.parametrize("rule", list(RISK_FAMILIES))
def test_each_round8_risk_rule_fires_on_three_of_its_sentences(decide, rule: str) -> None:
    fired = [text for text in RISK_FAMILIES[rule] if rule in decide(text).rules]
    assert len(fired) >= 3, (rule, fired)


@pytest.mark.parametrize(
    "text",
    [
        "his property went to the new jail in a box on the van, can he chase it",
        "he's off to see his brother on a family visit soon, his gran died years ago and he wants to talk about her",
        "he stopped drinking hooch and has been sober since september, proud of him",
        "he's not had a drink in three years, wants to do the AA course",
        "he likes two sugars in his tea, can the kettle on the landing be fixed",
        "joking his cellies cooking will be the death of him",
        "he wants to do the Samaritans training to be a Listener",
        "he's fasting, can his meals be kept for after sunset",
        "asking if protein shakes are back on the canteen sheet",
        "writing a will with legal services because his mum asked, hes in good spirits, out in the spring",
        "he's been punching the walls since the phone call with his ex",
        "she says the course is finish next week, can she get the certificate",
        "the lads were kicking off on the landing over the pool table again",
    ],
)
def test_round8_traps_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)


# rule id -> (category it gives, sentences it must catch)
CATEGORY_FAMILIES: dict[str, tuple[str, list[str]]] = {
    "mistreated_by_residents": ("bullying", [
        "the lads wont let him sit at their table on assoc, they pull the chair out from under him",
        "they took his seat at the phone and tipped his dinner on the floor",
        "lad keeps 'borrowing' his burn and he never gets it back",
        "the lifers make him clean their pads and fetch and carry for them all day",
        "the lad who does the wing laundry keeps losing his good trainers, funny that",
    ]),
    "resident_threat_everyday": ("bullying", [
        "they told him what will happen to him on the way to the gym",
        "he gt jumpd on the yard n thy sed nxt time itll be wrse",
        "lads keep saying he'll go home in pieces if he doesnt pay",
    ]),
    "r8_nickname_by_residents": ("bullying", [
        "a couple of lads call him Gollum every time he goes to the servery",
        "the lads keep calling him grandad and laughing",
        "two lads call him Shrek all day on the landing and the officer laughs too",
    ]),
    "r8_residents_join_in": ("bullying", [
        "the officer called him a terrorist and now the lads have started doing it too",
        "one lad started the noises and the other lads all joined in",
        "the gym instructor mocks his weight and now the lads are copying",
    ]),
    "r8_meds_taken_by_residents": ("bullying", [
        "two lads wait for him outside the hatch and take his methadone off him",
        "they are making him sell his pregabs to pay them",
        "his meds took off him every morning at meds by the lads on the 2s",
    ]),
    "r8_masked_slur_wide": ("equality", [
        "lads on the spur shout r****d at him cos of his stammer",
        "somebody wrote g**po on his door card",
        "they keep calling her a t***ny at the servery",
    ]),
    "r8_masked_slur_sex_offence": ("bullying", [
        "someone scratched n***e into his door last night",
        "lads shouting b**st at him through the window",
        "got n**ce written on his towel in the laundry",
    ]),
    "r8_masked_slur_by_staff": ("staff_complaint", [
        "the officer calls him 'p**i' when he unlocks him",
        "an osg keeps calling her t****y on the landing",
        "the kitchen manager called him a g***o in front of the lads",
    ]),
    "r8_staff_remark_protected": ("staff_complaint", [
        "the gov keeps saying 'you lot' to the muslim lads at friday prayers",
        "the CM told the black lad he's not the right sort for the gym orderly job",
        "two officers snigger at the gay lad whenever he collects his post",
    ]),
    "r8_staff_says_faking": ("staff_complaint", [
        "the nurse told him he's milking it with his bad back",
        "officer says hes faking it and wont take him to healthcare",
        "SO reckons he's swinging the lead about his arthritis",
    ]),
    "staff_only_acts": ("staff_complaint", [
        "his property hasnt come from his last jail, three months now",
        "property never come with him on the transfer van and nobody is chasing it",
        "his legal visit was cancelled again and nobody said why",
    ]),
    "unfair_sanction": ("staff_complaint", [
        "got a negative IEP for not being at work when he was actually at a legal call",
        "been on basic a fortnight for something he never done",
        "put on report for missing the gym but he was at healthcare and has the slip",
    ]),
    "r7_staff_conduct_wide": ("staff_complaint", [
        "the visits staff turned his mum away at the gate, she'd come from Wales",
        "the gaffer in the laundry docks his wages if he's two minutes late",
        "his OMU report never got done so his parole hearing is off",
    ]),
    "discrimination_named": ("equality", [
        "staff keep using her old name on the roll check",
        "she asked for her name to be changed on her card and it still shows her birth name",
        "education keep calling him by his dead name on the register",
    ]),
    "disability_safety_risk": ("equality", [
        "he's got a bad hip and is stuck on the top bunk, he fell out on Sunday",
        "older man on the 4s with copd, no lift, out of breath every time",
        "he's got a bottom bunk note but they've left him on the 3s and he's fallen on the stairs",
    ]),
    "r8_protected_need_unmet": ("equality", [
        "Kurdish lad said he'll kill himself, he has no English and nobody can talk to him",
        "autistic man keeps hitting his head since they changed his routine with no warning",
        "deaf man cut his arm last night, he's had no signer since he came in",
    ]),
}

CATEGORY_CASES = [(rule, category, text) for rule, (category, texts) in CATEGORY_FAMILIES.items()
                  for text in texts]


@pytest.mark.parametrize(("rule", "category", "text"), CATEGORY_CASES)
def test_round8_category_families(decide, rule: str, category: str, text: str) -> None:
    decision = decide(text)
    assert category in decision.categories, (text, decision.rules)


@pytest.mark.parametrize("rule", list(CATEGORY_FAMILIES))
def test_each_round8_category_rule_fires_on_three(decide, rule: str) -> None:
    fired = [text for text in CATEGORY_FAMILIES[rule][1] if rule in decide(text).rules]
    assert len(fired) >= 3, (rule, fired)


# text -> a category it must NOT carry
CATEGORY_TRAPS = [
    # an incidental protected word in a risk-to-life concern
    ("Polish lad told me he wants to die, he has a rope from the workshop", "equality"),
    ("old boy, 81, says he will stop his heart pills and let it happen", "equality"),
    ("autistic man keeps saying he'll hang himself tonight", "equality"),
    # weapons beside a risk to himself only
    ("he'd rather be dead than go to court and has a razor blade hid in his shoe", "bullying"),
    # punching walls, kicking off, resolved, settled debts
    ("he's punching the walls and crying since his nan died", "bullying"),
    ("was getting taxed on the 1s but its stopped since he moved and hes happy now", "bullying"),
    ("owed a lad two vapes but paid it back, theyre mates again", "bullying"),
    ("he's been dead calm, paid off everyone he owed and keeps thanking people", "bullying"),
    ("he got sent down the block for fighting and wants to know when he's back", "bullying"),
    # staff praised or cleared
    ("the officer did nothing wrong, he just wants to know why his cell moved", "staff_complaint"),
    ("nights were sound with him when his mum passed, he wants to put a compliment in", "staff_complaint"),
    ("lads call him Shank on the wing, he wants to join the gym list", "bullying"),
    ("he says the lads are taking the p*** out of his new trainers", "equality"),
    # reading help, Listener training
    ("could a mentor sit with him to go through his court papers, he reads slow", "emotional_distress"),
    ("wants to know when the next Samaritans training is", "emotional_distress"),
]


@pytest.mark.parametrize(("text", "category"), CATEGORY_TRAPS)
def test_round8_category_traps(decide, text: str, category: str) -> None:
    decision = decide(text)
    assert category not in decision.categories, (text, decision.rules)


def test_has_stopped_coming_out_is_not_a_resolved_problem(decide) -> None:
    decision = decide("one officer keeps calling her 't****y' and she has stopped coming out of her pad")
    assert {"equality", "staff_complaint"} <= set(decision.categories), decision.rules
