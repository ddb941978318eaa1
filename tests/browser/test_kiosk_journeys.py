"""The kiosk in a real browser, as a peer supporter uses it on the landing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.browser.checks import check_page, shot
from tests.browser.conftest import Served
from tests.browser.kiosk_steps import fill_concern, publish_for_docs, send, sign_in_at_kiosk
from tests.factories import PIN, Prison

BULLYING = "Lad on the 2s keeps taking his canteen and says he owes double bubble, he is scared."
NewPage = Callable[..., Any]


def test_supporter_raises_bullying_concern_and_next_person_sees_nothing(
        server: Served, prison: Prison, new_page: NewPage) -> None:
    page = new_page()
    first = page.goto(f"{server.url}/kiosk/")
    assert first.headers["cache-control"] == "no-store"
    check_page(page, "kiosk-01-signin")
    sign_in_at_kiosk(page, server.url)
    check_page(page, "kiosk-02-home")
    page.get_by_role("link", name="Raise a concern").click()
    check_page(page, "kiosk-03-form")
    fill_concern(page, BULLYING)
    check_page(page, "kiosk-04-check")
    publish_for_docs("kiosk-04-check", "kiosk-check.png")
    checked = page.locator("dl.summary").inner_text()
    assert "Insiders" in checked and "Other wing staff will not see it." in checked
    assert BULLYING in checked
    reference = send(page)
    check_page(page, "kiosk-05-sent")
    summary = page.locator("dl.summary").inner_text()
    assert reference.startswith("TST-") and "Insiders" in summary and "Staff must act by" in summary
    assert page.locator("dl.summary dd").nth(1).inner_text().strip()  # why it went there
    page.get_by_role("button", name="Finish").last.click()
    page.wait_for_url("**/kiosk/signed-out")
    check_page(page, "kiosk-06-signed-out")

    # The next person at the same screen presses Back: the old pages must not come back.
    for step in range(3):
        try:
            page.go_back(wait_until="load")
        except Exception:  # noqa: BLE001,S112 - a refused resubmission is fine: nothing is shown
            continue
        shown = page.content()
        assert reference not in shown and "double bubble" not in shown, f"back #{step + 1}: {page.url}"
    shot(page, "kiosk-07-after-back")
    for path in ("/kiosk/referrals", f"/kiosk/concerns/{reference}/sent", "/kiosk/home"):
        page.goto(server.url + path)
        assert "/kiosk/" in page.url and "Your PIN" in page.content(), path

    sign_in_at_kiosk(page, server.url, "sup.b")
    page.goto(f"{server.url}/kiosk/referrals")
    check_page(page, "kiosk-08-next-person-referrals")
    assert reference not in page.content()


def test_my_referrals_lists_what_i_raised(server: Served, prison: Prison, new_page: NewPage) -> None:
    page = new_page()
    sign_in_at_kiosk(page, server.url)
    page.get_by_role("link", name="Raise a concern").click()
    fill_concern(page, BULLYING)
    reference = send(page)
    page.get_by_role("link", name="Do something else").click()
    page.get_by_role("link", name="My referrals").click()
    check_page(page, "kiosk-09-referrals")
    assert reference in page.locator("table.referrals").inner_text()


def test_idle_kiosk_session_ends_by_itself(idle_server: Served, new_page: NewPage) -> None:
    idle_server.reset()
    page = new_page()
    sign_in_at_kiosk(page, idle_server.url)
    page.get_by_role("link", name="Raise a concern").click()
    page.get_by_label("What is happening?").fill("Someone keeps taking his vapes on the")
    # The page's own timer (3 s here) sends the screen to the signed-out page: a browser wait.
    page.wait_for_url("**/kiosk/signed-out?reason=idle", timeout=15_000)
    assert "The screen was left alone, so we signed you out." in page.content()
    check_page(page, "kiosk-10-idle-signed-out")
    page.go_back(wait_until="load")
    assert "taking his vapes" not in page.content() and "Your PIN" in page.content()
    page.goto(f"{idle_server.url}/kiosk/home")
    assert "Your PIN" in page.content()  # the server session ended too


def test_idle_kiosk_session_ends_without_javascript(idle_server: Served, new_page: NewPage) -> None:
    idle_server.reset()
    page = new_page(java_script_enabled=False)
    sign_in_at_kiosk(page, idle_server.url)
    page.wait_for_url("**/kiosk/signed-out?reason=idle", timeout=15_000)  # <noscript> refresh
    page.goto(f"{idle_server.url}/kiosk/home")
    assert "Your PIN" in page.content()


def test_core_flow_works_without_javascript(server: Served, prison: Prison, new_page: NewPage) -> None:
    page = new_page(java_script_enabled=False)
    sign_in_at_kiosk(page, server.url)
    assert page.locator("button.read-aloud").is_hidden()  # nothing to press without speech
    page.get_by_role("link", name="Raise a concern").click()
    fill_concern(page, BULLYING)
    reference = send(page)
    assert reference.startswith("TST-")
    page.get_by_role("button", name="Finish").last.click()
    page.wait_for_url("**/kiosk/signed-out")


def test_errors_are_summarised_at_the_top_and_shown_by_each_field(
        server: Served, prison: Prison, new_page: NewPage) -> None:
    page = new_page()
    sign_in_at_kiosk(page, server.url)
    page.get_by_role("link", name="Raise a concern").click()
    page.get_by_label("What is happening?").fill("help")
    page.get_by_role("button", name="Next: check where it goes").click()
    summary = page.get_by_role("alert")
    assert summary.count() == 1
    # Focus moves when the page's deferred script runs, which may be just after the click.
    page.wait_for_function("() => document.activeElement.classList.contains('error-summary')")
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    assert page.evaluate(
        "() => document.querySelector('.error-summary').compareDocumentPosition("
        "document.querySelector('form[novalidate]')) & Node.DOCUMENT_POSITION_FOLLOWING")
    links = summary.get_by_role("link")
    assert links.count() == 4  # text, and the three yes/no questions
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href").lstrip("#")
        error = page.locator(f"#{target}-error")
        assert error.is_visible(), target
        described = page.locator(f"#{target}").get_attribute("aria-describedby") or ""
        assert f"{target}-error" in described.split(), target
    assert page.get_by_label("What is happening?").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("What is happening?").input_value() == "help"
    check_page(page, "kiosk-11-form-errors")
    links.first.click()
    assert page.evaluate("() => document.activeElement.id") == "text"


def test_sign_in_page_switches_to_polish_and_the_journey_follows(
        server: Served, prison: Prison, new_page: NewPage) -> None:
    page = new_page()
    page.goto(f"{server.url}/kiosk/")
    page.get_by_role("button", name="Polski").click()
    page.wait_for_url("**/kiosk/")
    assert page.get_attribute("html", "lang") == "pl"
    check_page(page, "kiosk-12-signin-pl")
    page.get_by_label("Twoja nazwa użytkownika").fill("sup.a")
    page.get_by_label("Twój PIN").fill(PIN)
    page.get_by_role("button", name="Zaloguj się", exact=True).click()
    page.get_by_role("link", name="Zgłoś problem").click()
    page.get_by_label("Co się dzieje?").fill(BULLYING)
    for question in ("Czy ktoś jest teraz w niebezpieczeństwie?", "Czy chodzi o pracownika więzienia?"):
        page.get_by_role("group", name=question).get_by_label("Nie", exact=True).check()
    page.get_by_role("group", name="Czy osadzony zgadza się, żeby powiedzieć personelowi?").get_by_label(
        "Tak", exact=True).check()
    page.get_by_role("button", name="Dalej: sprawdź, dokąd trafi").click()
    assert "Inni pracownicy oddziału tego nie zobaczą." in page.content()
    check_page(page, "kiosk-13-check-pl")
    page.get_by_role("button", name="Wyślij").click()
    page.wait_for_url("**/sent")
    assert "Daj osadzonemu ten numer sprawy:" in page.content()
    check_page(page, "kiosk-14-sent-pl")


def test_read_aloud_speaks_the_page_in_its_language(server: Served, prison: Prison,
                                                    new_page: NewPage) -> None:
    page = new_page()
    page.add_init_script("""
        window.__spoken = [];
        if (window.speechSynthesis) {
          window.speechSynthesis.speak = (u) => window.__spoken.push({text: u.text, lang: u.lang});
        }
    """)
    page.goto(f"{server.url}/kiosk/")
    page.get_by_role("button", name="Română").click()
    page.wait_for_url("**/kiosk/")
    button = page.get_by_role("button", name="Citește-mi această pagină")
    assert button.is_visible()
    button.click()
    spoken = page.evaluate("() => window.__spoken")
    assert spoken and spoken[0]["lang"] == "ro" and "Intră în cont" in spoken[0]["text"]
    shot(page, "kiosk-15-read-aloud-ro")


def test_read_aloud_button_is_hidden_where_the_browser_cannot_speak(
        server: Served, new_page: NewPage) -> None:
    page = new_page()
    page.add_init_script("Object.defineProperty(window, 'speechSynthesis', "
                         "{get: () => undefined, configurable: true});")
    page.goto(f"{server.url}/kiosk/")
    assert page.locator("button.read-aloud").is_hidden()
