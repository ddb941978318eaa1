"""Classification and routing: slang, word-sense traps, negation, routing, safety override."""

from __future__ import annotations

import pytest

from tracker.rules_engine import BadFactsError, ConcernFacts, classify


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("lads are taxing him every canteen day", "bullying"),
        ("getting rinsed for his vapes", "bullying"),
        ("he owes double bubble now", "bullying"),
        ("they are making him plugging for them", "bullying"),
        ("cellmate is making him hold a phone for them", "bullying"),
        ("lads keep shouting nonce at his door", "bullying"),
        ("hes bein bullyed on the landin", "bullying"),
        ("getting threatnd by his pad mate", "bullying"),
        ("the screw on nights never answers his bell", "staff_complaint"),
        ("the gov keeps refusing his apps for no reason", "staff_complaint"),
        ("miss on the landing was rude to him and binned his letter", "staff_complaint"),
        ("feeling proper low, cant stop crying", "emotional_distress"),
        ("Muslim lad keeps getting served pork", "equality"),
        ("called a p*ki on the servery", "equality"),
    ],
)
def test_slang_and_spelling_give_the_category(decide, text: str, category: str) -> None:
    assert category in decide(text).categories


@pytest.mark.parametrize(
    "text",
    [
        "he says hes gonna top himself",
        "topping himself is all he talks about",
        "hes been cutting up again",
        "he has a ligature in his pad",
        "made a tie-up out of his sheet",
        "hes stockpiling his meds",
        "he took an OD last night",
        "feeling suicidle on an open acct",
        "tonights the night he said",
        "hes been giving all his stuff away",
        "wrote goodbye letters to his kids",
        "they are going to jug him at dinner",
        "lad has a shank and says hes going to use it",
        "someone has a blade for him",
        "they'll cut him up on the yard",
        "he doesn't want to live anymore",
        "he says there's no point living",
        "u r gonna kms",
        "hes not suicidal he says but he has been self harming",
    ],
)
def test_risk_to_life_is_immediate(decide, text: str) -> None:
    decision = decide(text)
    assert decision.urgency == "immediate"
    assert decision.alert_safer_custody and decision.tell_officer_now


@pytest.mark.parametrize(
    "text",
    [
        "wants help topping up his phone credit",
        "he wants to know how to top up his pin",
        "needs someone cutting his hair before his visit",
        "just killing time till his release date",
        "his back is killing him",
        "asking for a jug of water in his cell",
        "he is not suicidal",
    ],
)
def test_word_sense_traps_are_not_immediate(decide, text: str) -> None:
    assert decide(text).urgency != "immediate"


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("no threats or anything, he is just homesick", "bullying"),
        ("hes not being bullied any more", "bullying"),
        ("he was threatened over a debt but that's all sorted now", "bullying"),
        ("Not a complaint about staff, he is worried about court", "staff_complaint"),
        ("he has never been bullied, he wants a reading mentor", "bullying"),
    ],
)
def test_negated_or_resolved_signals_do_not_count(decide, text: str, absent: str) -> None:
    assert absent not in decide(text).categories


def test_wont_stop_is_not_a_negation(decide) -> None:
    assert "bullying" in decide("they wont stop bullying him").categories


@pytest.mark.parametrize(
    ("text", "scheme", "owner", "confidentiality", "co_schemes"),
    [
        ("he is feeling really low and lonely", "listeners", "safer_custody", "sealed", ()),
        ("lads keep taking his canteen", "insiders", "safer_custody", "need_to_know",
         ("buddies",)),
        ("being bullied and now he is crying every night", "insiders", "safer_custody",
         "need_to_know", ("listeners",)),
        ("Muslim lad refused halal meals", "equality_reps", "equality_lead", "need_to_know", ()),
        ("lads calling him racist names", "equality_reps", "equality_lead", "need_to_know",
         ("buddies", "insiders")),
        ("an officer swore at him and threw his post", "insiders", "complaints",
         "staff_complaint", ()),
        ("needs help reading his letters", "shannon_trust", "education", "ordinary", ()),
        ("asking when his release date is", "pal", "wing_staff", "ordinary", ()),
        ("he would like a chat about the weather", "triage", "wing_staff", "ordinary", ()),
    ],
)
def test_routing(decide, text, scheme, owner, confidentiality, co_schemes) -> None:
    decision = decide(text)
    assert (decision.scheme, decision.owner, decision.confidentiality) == (
        scheme, owner, confidentiality)
    assert decision.co_schemes == co_schemes


def test_staff_complaint_with_equality_goes_to_equality_lead_too(decide) -> None:
    decision = decide("An officer called him a racist name in front of everyone")
    assert decision.categories == ("equality", "staff_complaint")
    assert decision.scheme == "equality_reps"
    assert decision.owner == "complaints"
    assert decision.confidentiality == "staff_complaint"
    assert "equality_lead" in decision.extra_owners


def test_about_staff_answer_makes_a_staff_complaint(decide) -> None:
    decision = decide("he is unhappy about how he was spoken to", about_staff=True)
    assert "staff_complaint" in decision.categories
    assert decision.owner == "complaints"


def test_risk_now_answer_overrides_everything(decide) -> None:
    decision = decide("asking about his canteen order", risk_now=True)
    assert decision.urgency == "immediate"
    assert decision.alert_safer_custody and decision.tell_officer_now
    assert "safer_custody" in decision.extra_owners or decision.owner == "safer_custody"
    assert "tell an officer" in decision.supporter_explanation


def test_immediate_staff_complaint_adds_safer_custody(decide) -> None:
    decision = decide("the officers treat him so badly hes started self harming")
    assert decision.owner == "complaints"
    assert "safer_custody" in decision.extra_owners


def test_explanations_and_evidence(decide) -> None:
    decision = decide("He's being threatnd over a debt on the landin")
    assert decision.supporter_explanation.startswith("Sent to the Insiders because it mentions")
    assert "threatened" in decision.supporter_explanation
    words = {w for e in decision.evidence for w in e.words}
    assert "threatnd" in words
    assert "threatened" in decision.staff_explanation or "threatnd" in decision.staff_explanation


def test_as_dict_is_the_json_contract(decide, ruleset) -> None:
    data = decide("lads keep taking his canteen").as_dict()
    assert set(data) == {
        "categories", "urgency", "scheme", "co_schemes", "owner", "extra_owners",
        "confidentiality", "rules", "evidence", "alert_safer_custody", "tell_officer_now",
        "explanation", "staff_explanation", "ruleset_version",
    }
    assert data["ruleset_version"] == ruleset.version
    assert all(set(e) == {"rule", "words"} for e in data["evidence"])


def test_establishment_override(decide) -> None:
    default = decide("lads keep taking his canteen")
    local = decide("lads keep taking his canteen", establishment="example_establishment")
    assert default.co_schemes == ("buddies",) and local.co_schemes == ()


def test_unknown_establishment_uses_default(decide) -> None:
    assert decide("lads keep taking his canteen", establishment="HMP Nowhere").scheme == "insiders"


@pytest.mark.parametrize(
    "facts",
    [
        "just a string",
        ConcernFacts(text=None),  # type: ignore[arg-type]
        ConcernFacts(text="x", risk_now="yes"),  # type: ignore[arg-type]
        ConcernFacts(text="x", establishment=3),  # type: ignore[arg-type]
    ],
)
def test_bad_facts_are_refused(ruleset, facts) -> None:
    with pytest.raises(BadFactsError):
        classify(ruleset, facts)
