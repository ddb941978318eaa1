"""Staff and supporters together in a real browser: the safety path, confidentiality, delays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from tests.browser.checks import check_page
from tests.browser.conftest import Served
from tests.browser.kiosk_steps import (
    fill_concern,
    publish_for_docs,
    send,
    sign_in_at_kiosk,
    staff_sign_in,
)
from tests.factories import PIN, Prison, raise_concern
from tracker.extensions import db
from tracker.models import User
from tracker.services.auth import issue_token
from tracker.services.escalation import escalate_due

NewPage = Callable[..., Any]
AT_RISK = "He says tonight's the night and he has been saving up his meds. He gave his radio away."
COMPLAINT = "The officer on the 2s shouted at him, called him a nonce and threatened to nick him."
DEFER_REASON = "We are waiting for the CCTV from the servery before we can speak to him."


def user(name: str) -> User:
    found = db.session.scalar(select(User).where(User.username == name))
    assert found is not None
    return found


def bearer(server: Served, name: str) -> dict[str, str]:
    with server.context():
        return {"Authorization": f"Bearer {issue_token(user(name), server.clock())}"}


def raise_in_browser(page: Any, server: Served, text: str, **answers: Any) -> str:
    sign_in_at_kiosk(page, server.url)
    page.get_by_role("link", name="Raise a concern").click()
    fill_concern(page, text, **answers)
    return send(page)


def test_at_risk_now_says_tell_an_officer_and_tops_the_safer_custody_queue(
        server: Served, prison: Prison, new_page: NewPage) -> None:
    with server.context():  # older, calmer items already waiting
        for text in ("He is feeling low and lonely since his mum died last month.",
                     "He is anxious about his parole and cannot sleep at night."):
            raise_concern(user("sup.b"), text, server.clock() - timedelta(hours=3))
    kiosk = new_page()
    sign_in_at_kiosk(kiosk, server.url)
    kiosk.get_by_role("link", name="Raise a concern").click()
    fill_concern(kiosk, AT_RISK, risk_now=True)
    assert kiosk.get_by_role("alert").filter(has_text="Tell an officer now").count() == 1
    check_page(kiosk, "staff-01-kiosk-check-at-risk")
    reference = send(kiosk)
    assert "Tell an officer now" in kiosk.get_by_role("alert").inner_text()
    check_page(kiosk, "staff-02-kiosk-sent-at-risk")

    office = new_page()
    office.goto(f"{server.url}/staff/signin")
    check_page(office, "staff-03-signin", kiosk=False)
    staff_sign_in(office, server.url, "sc")
    rows = office.locator("table.queue tbody tr")
    assert rows.count() >= 3
    assert rows.first.get_by_role("link").first.inner_text().strip() == reference
    check_page(office, "staff-04-queue", kiosk=False)
    publish_for_docs("staff-04-queue", "queue.png")
    office.get_by_role("link", name=reference).click()
    office.wait_for_url(f"**/staff/concerns/{reference}")
    check_page(office, "staff-05-item", kiosk=False)


def test_complaint_about_an_officer_is_invisible_to_that_officer_everywhere(
        server: Served, prison: Prison, new_page: NewPage) -> None:
    kiosk = new_page()
    reference = raise_in_browser(kiosk, server, COMPLAINT, about="officer.a")
    check_page(kiosk, "staff-06-kiosk-sent-complaint")

    named = new_page()
    staff_sign_in(named, server.url, "officer.a")
    check_page(named, "staff-07-queue-named-officer", kiosk=False)
    assert reference not in named.content() and "nonce" not in named.content()
    item = named.goto(f"{server.url}/staff/concerns/{reference}")
    assert item.status == 404 and "nonce" not in named.content()
    check_page(named, "staff-08-item-404-named-officer", kiosk=False)
    headers = bearer(server, "officer.a")
    for path in (f"/api/v1/concerns/{reference}", f"/api/v1/queue?q={reference}"):
        answer = named.request.get(server.url + path, headers=headers)
        assert reference not in answer.text() and "nonce" not in answer.text(), path
    assert named.request.get(f"{server.url}/api/v1/concerns/{reference}",
                             headers=headers).status == 404

    complaints = new_page()  # the independent channel does see it
    staff_sign_in(complaints, server.url, "complaints")
    assert reference in complaints.locator("table.queue").inner_text()


def tick_and_apply(office: Any, references: list[str], action: str, **fields: str) -> None:
    """Tick rows in the queue, choose an action and its details, apply (the queue's bulk form)."""
    for reference in references:
        office.get_by_label(f"Select {reference}").check()
    office.get_by_label("Action", exact=True).select_option(action)
    for label, value in fields.items():
        field = office.get_by_label(label)
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    office.get_by_role("button", name="Apply to ticked items").click()
    office.wait_for_url("**/staff/queue")


def test_officer_defers_with_a_reason_and_after_a_sweep_the_supporter_reads_it(
        server: Served, prison: Prison, new_page: NewPage) -> None:
    kiosk = new_page()
    reference = raise_in_browser(kiosk, server, COMPLAINT.replace("The officer on the 2s", "A lad on the 2s"))
    kiosk.get_by_role("button", name="Finish").last.click()

    office = new_page()
    staff_sign_in(office, server.url, "lead.insiders")
    assert reference in office.locator("table.queue").inner_text()
    until = (server.clock() + timedelta(days=2)).date().isoformat()
    tick_and_apply(office, [reference], "defer", **{
        "Reason (for defer)": "awaiting_investigation",
        "In your words, for defer": DEFER_REASON, "Expected date (for defer)": until})
    assert "1 of 1 item done." in office.content()
    check_page(office, "staff-09-queue-after-defer", kiosk=False)

    server.clock.advance(days=6)  # the expected date has passed and nobody has acted since
    with server.context():
        escalate_due(server.clock())

    sign_in_at_kiosk(kiosk, server.url)
    kiosk.get_by_role("link", name="My notices").click()
    notices = kiosk.locator("ul.notices").inner_text()
    assert f"Your concern {reference} is delayed. Staff are waiting for an investigation" in notices
    assert DEFER_REASON in notices
    check_page(kiosk, "staff-10-kiosk-notices")
    kiosk.get_by_role("button", name="Finish").first.click()

    kiosk.goto(f"{server.url}/kiosk/")
    kiosk.get_by_role("button", name="Polski").click()
    kiosk.get_by_label("Twoja nazwa użytkownika").fill("sup.a")
    kiosk.get_by_label("Twój PIN").fill(PIN)
    kiosk.get_by_role("button", name="Zaloguj się", exact=True).click()
    kiosk.get_by_role("link", name="Moje powiadomienia").click()
    polish = kiosk.locator("ul.notices").inner_text()
    assert f"Twoje zgłoszenie {reference} jest opóźnione." in polish and DEFER_REASON in polish
    check_page(kiosk, "staff-11-kiosk-notices-pl")


def test_officer_bulk_acknowledges_items_from_the_queue(server: Served, prison: Prison,
                                                       new_page: NewPage) -> None:
    with server.context():
        raised = [raise_concern(user("sup.a"), text, server.clock()).concern.reference for text in (
            "Lad on the 2s keeps taking his canteen and says he owes double bubble.",
            "Someone on the 3s is being muscled for his vapes every canteen day.",
            "He is being called a grass on the landing and threatened at association.")]
    office = new_page()
    staff_sign_in(office, server.url, "lead.insiders")
    check_page(office, "staff-12-queue-before-bulk", kiosk=False)
    tick_and_apply(office, raised[:2], "acknowledge")
    assert "2 of 2 items done." in office.content()
    check_page(office, "staff-13-queue-after-bulk", kiosk=False)
    rows = {r.locator("td").nth(1).inner_text().strip(): r.locator("td").nth(6).inner_text().strip()
            for r in office.locator("table.queue tbody tr").all()}
    assert rows[raised[0]] == rows[raised[1]] == "acknowledged"
    assert rows[raised[2]] == "new"

    kiosk = new_page()
    sign_in_at_kiosk(kiosk, server.url)
    kiosk.goto(f"{server.url}/kiosk/referrals")
    table = kiosk.locator("table.referrals").inner_text()
    assert table.count("Staff have seen it") == 2 and "Sent, waiting for staff" in table
