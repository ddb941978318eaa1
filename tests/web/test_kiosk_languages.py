"""The kiosk in English, Polish, Romanian and Albanian: switching, coverage, notices by message id."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_babel.speaklater import LazyString

from tests.conftest import FakeClock
from tests.factories import Prison, kiosk_sign_in, make_prison, staff_sign_in
from tracker import wording
from tracker.core.escalation import MESSAGES, delay_notice, render_notice
from tracker.i18n import LANG_COOKIE, LANGUAGES
from tracker.kiosk.messages import NOTICES, VALIDATION, notice_text, plain

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "tracker" / "templates"
TRANSLATIONS = REPO / "tracker" / "translations"
KIOSK_TEMPLATES = sorted([*TEMPLATES.glob("kiosk/*.html"), TEMPLATES / "base.html",
                          TEMPLATES / "error.html", TEMPLATES / "_errors.html"])
FOREIGN = [code for code in LANGUAGES if code != "en"]
VISIBLE_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "data-label", "data-stop-label"}
BULLYING = "Lad on the 2s keeps taking his canteen and says he owes double bubble, he is scared."


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        return make_prison(clock())


def choose(client: FlaskClient, lang: str) -> None:
    r = client.post("/kiosk/language", data={"lang": lang})
    assert r.status_code == 303 and r.headers["Location"] == "/kiosk/"


# --- switching -------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "sign_in"), [
    ("en", "Sign in"), ("pl", "Zaloguj się"), ("ro", "Intră în cont"), ("sq", "Hyr")])
def test_sign_in_page_switches_language_without_javascript(client: FlaskClient, lang: str,
                                                           sign_in: str) -> None:
    choose(client, lang)
    page = client.get("/kiosk/").get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert f"<h1>{sign_in}</h1>" in page
    assert f'value="{lang}" lang="{lang}" class="button current"' in page


def test_every_language_is_offered_in_its_own_name(client: FlaskClient) -> None:
    page = client.get("/kiosk/").get_data(as_text=True)
    for code, name in LANGUAGES.items():
        assert f'name="lang" value="{code}" lang="{code}"' in page and f">{name}</button>" in page


def test_unknown_language_is_ignored(client: FlaskClient) -> None:
    r = client.post("/kiosk/language", data={"lang": "xx"})
    assert r.status_code == 303 and LANG_COOKIE not in r.headers.get("Set-Cookie", "")
    assert '<html lang="en">' in client.get("/kiosk/").get_data(as_text=True)


def test_language_outlasts_sign_in_and_finish(client: FlaskClient, prison: Prison) -> None:
    choose(client, "pl")
    kiosk_sign_in(client, "sup.a")
    assert "Zgłoś problem" in client.get("/kiosk/home").get_data(as_text=True)
    client.post("/kiosk/finish")
    assert "Wylogowano cię" in client.get("/kiosk/signed-out").get_data(as_text=True)


def test_staff_pages_stay_in_english(client: FlaskClient, prison: Prison) -> None:
    choose(client, "pl")
    staff_sign_in(client, "sc")
    page = client.get("/staff/queue").get_data(as_text=True)
    assert '<html lang="en">' in page and "Skip to main content" in page


def test_check_page_in_polish_translates_names_and_who_sees_it(client: FlaskClient,
                                                                prison: Prison) -> None:
    choose(client, "pl")
    kiosk_sign_in(client, "sup.a")
    page = client.post("/kiosk/concerns/check", data={
        "text": BULLYING, "wing": "A", "risk_now": "no", "is_about_staff": "no",
        "consent_to_share": "yes", "idempotency_key": "k-0123456789"}).get_data(as_text=True)
    assert "Sprawdź, zanim wyślesz" in page
    assert "Inni pracownicy oddziału tego nie zobaczą." in page
    assert "Insiders (wsparcie nowych)" in page
    assert '<span lang="en">' in page  # the rules' own reason, marked as English


def test_validation_errors_are_in_the_chosen_language(client: FlaskClient, prison: Prison) -> None:
    choose(client, "ro")
    kiosk_sign_in(client, "sup.a")
    page = client.post("/kiosk/concerns/check", data={
        "text": "help", "wing": "A", "is_about_staff": "no", "consent_to_share": "yes",
        "idempotency_key": "k-0123456789"}).get_data(as_text=True)
    assert "Scrie puțin mai mult: cel puțin 10 litere." in page
    assert "Alege da sau nu." in page
    assert 'role="alert"' in page


def test_wrong_pin_message_is_translated(client: FlaskClient, prison: Prison) -> None:
    choose(client, "sq")
    page = client.post("/kiosk/", data={"username": "sup.a", "pin": "0000"}).get_data(as_text=True)
    assert "Hyrja dështoi. Kontrollo të dhënat dhe provo përsëri." in page


# --- every kiosk string is translatable, and translated --------------------------------

class _VisibleText(HTMLParser):
    """Collects text nodes and people-visible attribute values of a template without Jinja."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.found += [v for k, v in attrs if k in VISIBLE_ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.found.append(data)


def untranslated(source: str) -> list[str]:
    """Text a person would see that is not inside {{ }} (where _() wraps it) nor a tag."""
    bare = re.sub(r"\{%\s*block body_class\s*%\}.*?\{%\s*endblock\s*%\}", " ", source)  # a class name
    bare = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", bare, flags=re.S)
    parser = _VisibleText()
    parser.feed(bare)
    return [t.strip() for t in parser.found if any(ch.isalpha() for ch in t)]


def test_the_scanner_finds_an_unwrapped_string() -> None:
    assert untranslated('<p>{{ _("Fine") }}</p><p title="Oops">Not wrapped</p>') == [
        "Oops", "Not wrapped"]
    assert untranslated("<p>{% if x %}{{ _('A') }}{% endif %} (🔊 {{ n }})</p>") == []


@pytest.mark.parametrize("template", KIOSK_TEMPLATES, ids=lambda p: p.name)
def test_kiosk_template_has_no_string_outside_gettext(template: Path) -> None:
    assert untranslated(template.read_text(encoding="utf-8")) == []


def _source_msgids() -> set[str]:
    mapping = [("tracker/wording.py", "python"), ("tracker/kiosk/**.py", "python"),
               ("tracker/templates/base.html", "jinja2"), ("tracker/templates/error.html", "jinja2"),
               ("tracker/templates/_errors.html", "jinja2"), ("tracker/templates/kiosk/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(REPO), method_map=mapping, keywords=keywords):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def _forms(string: object) -> list[str]:
    return list(string) if isinstance(string, list | tuple) else [str(string)]


@pytest.mark.parametrize("lang", FOREIGN)
def test_every_kiosk_string_is_translated_and_the_mo_is_up_to_date(lang: str) -> None:
    folder = TRANSLATIONS / lang / "LC_MESSAGES"
    with open(folder / "messages.po", "rb") as fh:
        po = read_po(fh)
    with open(folder / "messages.mo", "rb") as fh:
        mo = read_mo(fh)
    translated = {(m.id[0] if isinstance(m.id, tuple) else m.id): m.string for m in po if m.id}
    missing = sorted(i for i in _source_msgids() if not translated.get(i))
    assert missing == [], f"run pybabel extract/update and translate: {missing}"
    for message in po:
        if message.id:
            assert _forms(mo[message.id].string) == _forms(message.string), (
                "run: pybabel compile -d tracker/translations")


def test_names_in_wording_are_marked_for_translation() -> None:
    for table in (wording.SCHEME_NAMES, wording.TEAM_NAMES, wording.STATUS_NAMES,
                  wording.URGENCY_NAMES):
        assert all(isinstance(v, LazyString) for v in table.values())


# --- messages built elsewhere, shown in the supporter's language -----------------------

def test_every_core_message_id_has_a_kiosk_translation_entry_with_the_same_english() -> None:
    assert set(NOTICES) == set(MESSAGES)
    for key, english in MESSAGES.items():
        assert str(NOTICES[key]) == english  # no request: English


@pytest.mark.parametrize(("code", "reason", "role"), [
    ("awaiting_investigation", "Waiting for CCTV", None), (None, None, "custodial manager"),
    (None, None, None), ("other", None, None)])
def test_notice_in_english_matches_the_core(app: Flask, code: str | None, reason: str | None,
                                             role: str | None, clock: FakeClock) -> None:
    message_id, params = delay_notice("TST-2611-K7Q4M", code, reason, None, role,
                                      clock() if role else None)
    with app.test_request_context("/kiosk/referrals"):
        assert notice_text(message_id, params) == render_notice(message_id, params)


@pytest.mark.parametrize("lang", FOREIGN)
def test_notice_is_rendered_in_the_supporters_language(app: Flask, lang: str,
                                                       clock: FakeClock) -> None:
    message_id, params = delay_notice("TST-2611-K7Q4M", "needs_information", "Need his wing",
                                      clock(), "custodial manager", clock())
    english = render_notice(message_id, params)
    with app.test_request_context("/kiosk/referrals"), force_locale(lang):
        text = notice_text(message_id, params)
    assert text != english
    assert "TST-2611-K7Q4M" in text and "Need his wing" in text


@pytest.mark.parametrize("lang", FOREIGN)
def test_every_known_validation_message_is_translated(app: Flask, lang: str) -> None:
    with app.test_request_context("/kiosk/"), force_locale(lang):
        for english in VALIDATION:
            assert plain(english) != english
        assert "4001" in plain("This is too long (4001 characters). The most is 4,000.")
    assert plain("A sentence nobody listed.") == "A sentence nobody listed."
