"""Staff and supporters together in a real browser: the safety path, confidentiality, delays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
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
    assert rows.first.locator("td").first.inner_text().strip() == reference
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


def test_officer_defers_with_a_reason_and_after_a_sweep_the_supporter_reads_it(
        server: Served, prison: Prison, new_page: NewPage) -> None:
    kiosk = new_page()
    reference = raise_in_browser(kiosk, server, COMPLAINT.replace("The officer on the 2s", "A lad on the 2s"))
    kiosk.get_by_role("button", name="Finish").last.click()

    office = new_page()
    staff_sign_in(office, server.url, "lead.insiders")
    assert reference in office.locator("table.queue").inner_text()
    until = (server.clock() + timedelta(days=2)).date().isoformat()
    deferred = office.request.post(
        f"{server.url}/api/v1/concerns/{reference}/actions", headers=bearer(server, "lead.insiders"),
        data={"action": "defer", "reason_code": "awaiting_investigation", "reason": DEFER_REASON,
              "until": until})
    assert deferred.status == 200, deferred.text()

    server.clock.advance(days=6)  # the expected date has passed and nobody has acted since
    with server.context():
        escalate_due(server.clock())

    sign_in_at_kiosk(kiosk, server.url)
    kiosk.get_by_role("link", name="My notices").click()
    notices = kiosk.locator("ul.notices").inner_text()
    assert f"Your concern {reference} is delayed. Staff are waiting for an investigation" in notices
    assert DEFER_REASON in notices
    check_page(kiosk, "staff-09-kiosk-notices")
    kiosk.get_by_role("button", name="Finish").first.click()

    kiosk.goto(f"{server.url}/kiosk/")
    kiosk.get_by_role("button", name="Polski").click()
    kiosk.get_by_label("Twoja nazwa użytkownika").fill("sup.a")
    kiosk.get_by_label("Twój PIN").fill(PIN)
    kiosk.get_by_role("button", name="Zaloguj się", exact=True).click()
    kiosk.get_by_role("link", name="Moje powiadomienia").click()
    polish = kiosk.locator("ul.notices").inner_text()
    assert f"Twoje zgłoszenie {reference} jest opóźnione." in polish and DEFER_REASON in polish
    check_page(kiosk, "staff-10-kiosk-notices-pl")


@pytest.mark.skip(reason="needs issue 5 feature: bulk actions on the staff queue "
                         "(no bulk acknowledge route on main yet)")
def test_officer_bulk_acknowledges_items_from_the_queue() -> None:
    """TODO(issue 5): select several rows in /staff/queue, acknowledge them at once, and see each
    row's status change and each supporter's item read 'Staff have seen it'."""
