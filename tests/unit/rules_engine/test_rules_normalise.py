"""Kiosk text normalisation: case, punctuation, text-speak, misspellings, staff abbreviations."""

from __future__ import annotations

import pytest

from tracker.rules_engine.normalise import basic_form, normalise


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("He's BEING bullied!!", "hes being bullied ."),
        ("self-harm", "self harm"),
        ("he’s ok", "hes ok"),
        ("p*ki", "p*ki"),
        ("the SO on C wing", "the supervising officer on c wing"),
        ("HE IS SO UPSET", "he is so upset"),
        ("first, second", "first , second"),
    ],
)
def test_basic_form(typed: str, canonical: str) -> None:
    assert basic_form(typed) == canonical


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("hes bein bullyed", "hes being bullied"),
        ("u r gonna get it", "you are going to get it"),
        ("threatnd 4 his canteen", "threatened for his canteen"),
        ("feeling suicidle", "feeling suicidal"),
        ("on the landin", "on the landing"),
        ("sucidal", "suicidal"),
        ("he is homeless", "he is homeless"),
        ("kms tonite", "kill myself tonight"),
    ],
)
def test_spelling_and_text_speak(ruleset, typed: str, canonical: str) -> None:
    assert normalise(typed, ruleset.corrector).text == canonical


def test_typed_words_are_kept_for_evidence(ruleset) -> None:
    norm = normalise("he says hes gonna top himself", ruleset.corrector)
    start = norm.text.index("going")
    assert norm.typed_words(start, len(norm.text)) == "gonna top himself"


def test_empty_text(ruleset) -> None:
    assert normalise("  ", ruleset.corrector).text == ""
