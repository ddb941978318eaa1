"""Round 3 families: risk to life from heights, repeats, anniversaries and finality; staff complaints
(retaliation, unfair punishments, opened mail, refusals, obs not done, confidentiality pressure);
coercion and gang pressure; distress from family news, sentences and sleeplessness; and their traps.

Every sentence here was written fresh for these tests (not taken from any labelled set).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tracker.rules_engine import RuleFileError, load_ruleset

RULES_DIR = Path(__file__).resolve().parents[3] / "rules"


def _with_lexicon(tmp_path: Path, extra: str) -> Path:
    """A copy of the shipped rules with one more lexicon at the end of lexicons.yaml."""
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    with (target / "lexicons.yaml").open("a", encoding="utf-8") as handle:
        handle.write(extra)
    return target


# ---------------- include: one lexicon sees another's entries ----------------

def test_include_adds_the_other_lexicons_entries(tmp_path: Path) -> None:
    extra = ("\n  made_up_words:\n    description: test\n    include: [debt]\n"
             "    words: [zzplonk]\n")
    ruleset = load_ruleset(_with_lexicon(tmp_path, extra))
    assert "made_up_words" in ruleset.matcher.lexicons_of("double bubble")
    assert "debt" in ruleset.matcher.lexicons_of("double bubble")
    assert ruleset.matcher.lexicons_of("zzplonk") == frozenset({"made_up_words"})


def test_include_of_an_unknown_lexicon_is_refused(tmp_path: Path) -> None:
    extra = "\n  made_up_words:\n    description: test\n    include: [debtz]\n    words: [zzplonk]\n"
    with pytest.raises(RuleFileError, match="include: unknown lexicon 'debtz'") as caught:
        load_ruleset(_with_lexicon(tmp_path, extra))
    assert caught.value.rule_id == "made_up_words"
    assert caught.value.file == "lexicons.yaml"


def test_include_must_be_a_list(tmp_path: Path) -> None:
    extra = "\n  made_up_words:\n    description: test\n    include: debt\n    words: [zzplonk]\n"
    with pytest.raises(RuleFileError, match="include must be a list"):
        load_ruleset(_with_lexicon(tmp_path, extra))


def test_bullying_done_by_staff_is_staff_conduct(decide) -> None:
    decision = decide("the officer wont let him use the phone on association")
    assert "staff_complaint" in decision.categories


# ---------------- risk to life: every one of these is immediate ----------------

@pytest.mark.parametrize(
    "text",
    [
        # jumping, heights, the rails and the netting
        "lad on the 4s is sat on the railing with his legs over, says hes going over",
        "he keeps talking about jumping off the landing onto the netting",
        "hes threatening to throw himself off the top landing",
        "he climbed over the rail on the 3s and the officers talked him down",
        "he says hell jump if they dont move him",
        "he said hes going to launch himself off the 4s tonight",
        "lad keeps staring over the landing saying how easy it would be to go over",
        "he asked me how high the 4s landing is",
        # did it before, will do it again; anniversaries
        "he burnt himself on the date his dad died last year and its coming up again monday",
        "its the anniversary of his mums death friday, he tried to hang himself on it two years ago",
        "he tried to top himself last christmas and says he'll try again this christmas",
        "he od'd last year and reckons he will do it again",
        "he did it last year when his nan died and said he would do it again if his appeal fails",
        # had enough, with a time limit; won't be here
        "says hes done, had enough, by friday it will be over",
        "hes had enough and says this is his last weekend",
        "he wont make it to his birthday he says",
        "he keeps saying he wont be around by sunday",
        # what happens to his things, goodbyes, giving things away
        "hes asking who gets his trainers if he dies in here",
        "he says he might as well leave here in a body bag",
        "hes told his pad mate he can have his telly after friday",
        "says after tonight he wont need his canteen anymore",
        "he said he deserves to die for what he did",
        # self-harm in other words
        "he keeps banging his head off the cell door",
        "hes got fresh cuts all down his arms",
        "he was hedbuttin the wall all night",
        "lads callin him names and he sed hes gonna cut up tonight",
    ],
)
def test_round3_risk_to_life_is_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate", (text, decision.rules)
    assert "emotional_distress" in decision.categories, (text, decision.rules)


@pytest.mark.parametrize(
    "text",
    [
        "he cut up cardboard for the art class",
        "hes well cut up since the news about his nan",
        "he got jumped on the 3s by two lads",
        "he sat on the 3s landing watching the pool",
        "he jumped off the top bunk and hurt his ankle",
        "going to jump on the phone after bang up",
        "hes going to jump on the list for the gym",
        "hanging his washing on the rail outside his pad",
        "he wont be here for his visit because he got moved wings",
        "he had enough of the noise, wants to move landing",
        "hes giving away his stuff because he gets out on friday",
        "he gave his old trainers to a lad on the landing cos they dont fit",
        "he used to self harm years ago but has been fine for ages",
        "he had an acct last year but its been closed and hes doing great",
        "his scars on his arms are old, from years ago",
        "he cut his hand on a tin in the kitchen",
        "he is killing time on the wing till his release",
        "he's dying to see his kids on the visit",
    ],
)
def test_round3_traps_are_not_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency != "immediate", (text, decision.rules)


@pytest.mark.parametrize(
    "text",
    [
        "he cut up cardboard for the art class",
        "he beat his pad mate at pool and won a mars bar",
        "he says the maths course is really taxing but hes enjoying it",
        "hes dead chuffed with his new job",
        "his telly is dead, can he get a new one",
        "he's not being bullied anymore, the lads have left him alone",
        "the officer was really good with him, sorted his canteen",
        "he refuses to see healthcare about his knee",
        "he wont tell staff whats going on",
        "he had his adjudication today and it went fine",
        "the lad next door keeps shouting through the door all night",
    ],
)
def test_round3_traps_carry_no_category(decide, text: str) -> None:
    decision = decide(text)
    assert decision.categories == (), (text, decision.rules)


# ---------------- staff complaints ----------------

@pytest.mark.parametrize(
    "text",
    [
        # retaliation for complaining
        "the SO told him if he puts another complaint in he will get him shipped out",
        "officer said hed lose his job in the kitchen if he didnt withdraw his comp",
        "the gov said if he goes to the imb hell regret it",
        "the officer ripped up his complaint form in front of him",
        # unfair punishments
        "got nicked for a phone found in the pad but it was his cellmates, nobody let him explain",
        "the adjudication was done without him there, he got 21 days loss of gym",
        "he was nicked for fighting but the other lad started it, the adjudicator wouldnt hear his side",
        "staff keep putting him down as refused for the gym when he wasnt even asked",
        # mail
        "his solicitors letters keep getting opened before he gets them",
        "his rule 39 mail was opened in front of him on the landing",
        "his legal letters are coming already opened",
        # healthcare and night staff
        "the nurse laughed at him and told him to stop being dramatic",
        "the nurse gave him someone elses tablets",
        "healthcare wont give him his inhaler and keep fobbing him off",
        "night staff dont even look in on the lad on constant obs, they just tick the sheet",
        # things only staff do, attitude, confidentiality
        "he wasnt unlocked for his legal visit and no one said why",
        "his property from reception still hasnt turned up after a month",
        "the screw is a right nasty piece of work, slams the flap in his face every morning",
        "officer keeps asking the listener what the lad in 12 told him",
        "the officer wont let him use the phone on association",
    ],
)
def test_round3_staff_complaints(decide, text: str) -> None:
    decision = decide(text)
    assert "staff_complaint" in decision.categories, (text, decision.rules)


def test_staff_dismissing_reported_threats_is_bullying_and_staff(decide) -> None:
    decision = decide("lads keep threatening him in the showers and staff say theres no cells")
    assert {"bullying", "staff_complaint"} <= set(decision.categories)


# ---------------- coercion, gangs and other bullying by residents ----------------

@pytest.mark.parametrize(
    "text",
    [
        "lads on the 2s told him he has to bring spice in on his next visit or his mum gets hurt",
        "the olders want him to hold a phone in his pad or else",
        "they made his girlfriend bring stuff in on a visit",
        "he was forced to take spice so they could see what it did",
        "lads from his postcode say he has to sell spice for them on the wing or they will hurt him",
        "hes getting called an opp by the lads from south and they said hes getting done",
        "they know where his nan lives and said they will pay her a visit",
        "gettin a kicking aff the boys every night, hes feart",
        "his cellie keeps touching him up at night and he is scared to say",
        "the youngers keep robbing his canteen and say hes next if he grasses",
    ],
)
def test_round3_coercion_and_threats_are_urgent_bullying(decide, text: str) -> None:
    decision = decide(text)
    assert "bullying" in decision.categories, (text, decision.rules)
    assert decision.urgency in ("urgent", "immediate"), (text, decision.rules)


@pytest.mark.parametrize(
    "text",
    [
        "someone has told the wing what hes in for, now nobody will speak to him",
        "they make him try the spice first to see if its strong",
    ],
)
def test_round3_other_bullying(decide, text: str) -> None:
    assert "bullying" in decide(text).categories


def test_swastika_is_bullying_and_equality(decide) -> None:
    assert {"bullying", "equality"} <= set(decide("they put a swastika on the jewish lads door").categories)


# ---------------- equality ----------------

@pytest.mark.parametrize(
    "text",
    [
        "him and his boyfriend got refused a double cell but straight couples get them",
        "older lads always get the wing jobs, young lads never get a look in",
        "he uses a hearing loop but there isnt one in the classroom",
    ],
)
def test_round3_equality(decide, text: str) -> None:
    assert "equality" in decide(text).categories


@pytest.mark.parametrize(
    "text",
    [
        "he is diabetic and hes been put on the top bunk, he had a hypo last night",
        "hes in a wheelchair and keeps falling trying to get on the toilet",
    ],
)
def test_disability_with_a_safety_risk_is_urgent_equality(decide, text: str) -> None:
    decision = decide(text)
    assert "equality" in decision.categories and decision.urgency == "urgent", decision.rules


def test_worry_about_a_faith_need_is_not_distress(decide) -> None:
    decision = decide("eid is next week and hes worried the halal meals wont come again")
    assert decision.categories == ("equality",), decision.rules


def test_chapel_as_a_place_is_not_an_equality_need(decide) -> None:
    assert "equality" not in decide("can he get the times for chapel on sunday").categories


# ---------------- emotional distress ----------------

@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("wants to be left alone, his head is too loud at night and he cant switch it off", "routine"),
        ("he aint slept in days, just lies there awake", "routine"),
        ("hes barely eaten since his girlfriend left him", None),
        ("his mum is in intensive care and he cant get hold of anyone", "urgent"),
        ("the social are taking his daughter into care next week and he is in bits", "urgent"),
        ("his little brother got stabbed on road last night, hes pacing his cell", "urgent"),
        ("his dad got rushed into hospital and he cant get any news", "urgent"),
        ("recalled again on his ipp, says he cant do it all again", "urgent"),
        ("got knocked back by parole for the third time, says hell never get out", "urgent"),
        ("just got sentenced to 12 years, first time inside, he is crying all the time", "urgent"),
        ("he's been told hes IPP and will be in for years over his tariff, he's in a state", "urgent"),
    ],
)
def test_round3_distress(decide, text: str, urgency: str | None) -> None:
    decision = decide(text)
    assert decision.categories == ("emotional_distress",), (text, decision.rules)
    if urgency is not None:
        assert decision.urgency == urgency, (text, decision.rules)


def test_stabbing_of_family_outside_is_news_not_a_planned_attack(decide) -> None:
    decision = decide("his cousin got stabbed outside last night and he is in bits")
    assert decision.urgency == "urgent" and "bullying" not in decision.categories, decision.rules


def test_not_eating_because_of_bullying_is_distress_too(decide) -> None:
    decision = decide("the lads keep mocking his stutter and now hes stopped eating")
    assert {"bullying", "emotional_distress", "equality"} <= set(decision.categories)
