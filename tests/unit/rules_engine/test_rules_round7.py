"""Round 7: wider concept families, tuned on blind5 (a development set since round 7).

Families: staff conduct in everyday words across every staff role (threats to lose his apps,
"rot on basic", unfair nickings without the footage, property held back or never signed in,
trays sent up short, rough handling, mocking, favouring others, being sent away); staff doing or
saying something about who he is; threats from residents with a time set; cutting something out of
his own body; getting hold of a razor, rope or tablets with a thin excuse; and wider lists for
finality (his own funeral, "out of everyone's hair", "not long now", wasting away, BYE on the wall,
wanting peace), overdose signs (slurring, grey, "took about 30", spitting tablets out at the hatch),
hot liquid kept for someone, the night checks, everyday bullying (tray knocked, roll-ups stubbed on
his things, water under the door, half his wage demanded), debts that grow, and low mood, grief,
anxiety, psychosis and withdrawal. Tenses, persons, dialect, text-speak and second-language
English are mixed in. Traps must stay quiet.

Every sentence here was written fresh for these tests (not taken from any labelled set).
"""

from __future__ import annotations

import pytest

# rule id -> sentences it must catch (each one must be immediate)
RISK_FAMILIES: dict[str, list[str]] = {
    "r7_threat_with_time": [
        "word on the spur is they'll batter him in the showers tomorrow morning",
        "lads said hes getting done in tonight at bang up, he knows it",
        "they are saying they will stab him after the count, he is very scared",
        "someones put a price on his head and theyre coming for him by the weekend",
    ],
    "r7_cut_out_of_body": [
        "he thinks there's a camera in his neck and he wants to dig it out of his neck",
        "says the government put a bug in him and he's gonna cut it out of his leg",
        "she was trying to scrape the tracker out from under her skin with a spoon",
    ],
    "r7_means_with_pretext": [
        "he keeps asking for a razor, says its for shaving but he hasnt shaved in months",
        "wants a length of cord, reckons its for his washing, but he's been dead low",
        "asked me for my tablets, claims its for his back but hes on an ACCT",
    ],
    "finality_loose": [
        "he keeps on about which songs he wants at his funeral",
        "says he'll be out of everyone's hair for good soon",
        "he just stares and says not long now, not long now",
        "he wants to waste away in his pad and just be gone",
        "she has wrote BYE on the wall above her bed",
        "he say he want to finally be at peace, he is tired",
    ],
    "overdose_risk": [
        "he was slurring his words and gone grey, I think he's taken loads",
        "my padmate took about 20 of them sleepers he got off the landing",
        "the nurse saw him spitting his meds out at the hatch again",
    ],
    "hot_liquid_kept": [
        "someones got a kettle going with sugar in it for the lad on the hotplate",
        "they've got a flask with his name on it for teatime",
        "heard them say they'll chuck a kettle over him at dinner time",
    ],
    "night_checks_probed": [
        "he's on hourly obs and told me he only needs ten minutes",
        "says he's got something put away for when the checks drop",
        "he reckons it only takes five minutes and nights never look in",
    ],
}

RISK_CASES = [(rule, text) for rule, texts in RISK_FAMILIES.items() for text in texts]


@pytest.mark.parametrize(("rule", "text"), RISK_CASES)
def test_round7_risk_families_are_immediate(decide, rule: str, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)


@pytest.mark.parametrize("rule", list(RISK_FAMILIES))
def test_each_round7_risk_rule_fires_on_three_of_its_sentences(decide, rule: str) -> None:
    fired = [text for text in RISK_FAMILIES[rule] if rule in decide(text).rules]
    assert len(fired) >= 3, (rule, fired)


@pytest.mark.parametrize(
    "text",
    [
        # haircuts, songs and "not wanting to end it"
        "he's been cutting the lads hair on the spur, can he do a barbering course",
        "his rap is called Hang Tough, can he do it at the family day",
        "not wanting to end it or anything, he just wants a chat about his missus",
        # funerals of others, leaving, debts due, pretexts about other people
        "his nan died and they won't let him go to the funeral, he's in bits",
        "he owes a lad two bags of coffee and has been told to pay by friday",
        "he owes canteen and they said he'll get it if he doesn't pay by the weekend",
        "he's asking for a new razor from the stores, his old one broke",
    ],
)
def test_round7_traps_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)


CATEGORY_FAMILIES: dict[str, tuple[str, list[str]]] = {
    "r7_staff_conduct_wide": ("staff_complaint", [
        "the screw said his apps would go missing if he kept asking about his cat D",
        "CM told him he'd make sure he rots on basic for this",
        "found guilty at adjudication and the governor never even looked at the bodycam",
        "the mail room keeps holding back his daughter's cards, says they might be spiced",
        "reception reckon his telly was never signed in but it's on his property card",
        "kitchen staff keep sending his tray up short and say eat it or starve",
        "the education tutor keeps sending him back to the wing for no reason",
        "officers pinned him on the landing and were too rough with his bad shoulder",
        "the nurse speaks to him like a dog when he goes to the hatch",
        "the SO lets his favourites have showers first, other lads dont get a look in",
    ]),
    "r7_staff_said_protected": ("staff_complaint", [
        "the nurse told the trans woman she will always be a bloke to him",
        "an officer mocked his accent and told him to speak english",
        "the workshop instructor calls the Polish lads lazy all day",
    ]),
    "mistreated_by_residents": ("bullying", [
        "lads keep knocking his tray out of his hands at teatime",
        "his cellie stubs his rollies out on his bedding and laughs",
        "they were pouring water under his door all night",
        "his padmate is demanding half his wage every Friday",
        "someone keeps borrowing his vape and never pays back, now they want his trainers too",
    ]),
}

CATEGORY_CASES = [(rule, category, text) for rule, (category, texts) in CATEGORY_FAMILIES.items()
                  for text in texts]


@pytest.mark.parametrize(("rule", "category", "text"), CATEGORY_CASES)
def test_round7_category_families(decide, rule: str, category: str, text: str) -> None:
    decision = decide(text)
    assert category in decision.categories, (text, decision.rules)


@pytest.mark.parametrize("rule", list(CATEGORY_FAMILIES))
def test_each_round7_category_rule_fires_on_three(decide, rule: str) -> None:
    fired = [text for text in CATEGORY_FAMILIES[rule][1] if rule in decide(text).rules]
    assert len(fired) >= 3, (rule, fired)


@pytest.mark.parametrize(
    "text",
    [
        "sikh lad wants his kara back, it was taken off him in reception",
        "the chaplaincy told him there's no Pagan group here, can the equality rep ask",
        "lads at education take the mick out of his reading, he wants a Buddy",
        "he lost his kitchen job and feels useless now",
        "his ACCT obs were dropped to hourly, he's doing better now",
    ],
)
def test_round7_traps_are_not_staff_complaints(decide, text: str) -> None:
    decision = decide(text)
    assert "staff_complaint" not in decision.categories, (text, decision.rules)


@pytest.mark.parametrize(
    "text",
    [
        "his property went missing when he got shipped here from Leeds and nobody knows where it is",
        "property never arrived after his transfer, six bags of it",
        "his property still hasnt come from his last jail, two months now",
    ],
)
def test_round7_property_lost_in_transfer_is_a_staff_complaint(decide, text: str) -> None:
    decision = decide(text)
    assert "staff_complaint" in decision.categories, (text, decision.rules)


@pytest.mark.parametrize(
    "text",
    [
        "the lads wind up the new lad until he kicks off, every single night",
        "they keep winding up the lad with a stammer on the servery",
        "lads on the threes are always winding up the old boy next door",
    ],
)
def test_round7_winding_him_up_is_bullying(decide, text: str) -> None:
    decision = decide(text)
    assert "bullying" in decision.categories, (text, decision.rules)


def test_debt_that_grows_is_urgent_bullying(decide) -> None:
    decision = decide("he lent off a lad on the twos and now it's double, they said what "
                      "happens if he's short")
    assert "bullying" in decision.categories, decision.rules
    assert decision.urgency in {"urgent", "immediate"}


def test_debt_paid_off_by_family_is_resolved(decide) -> None:
    decision = decide("his debt got paid off by his mum so nobody is after him now")
    assert "bullying" not in decision.categories, decision.rules
