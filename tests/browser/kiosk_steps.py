"""Steps a person takes in the browser, shared by the journeys."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from tests.browser.checks import SCREENSHOTS
from tests.factories import PASSWORD, PIN

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def sign_in_at_kiosk(page: Any, base: str, username: str = "sup.a") -> None:
    """Sign in with user name and PIN, as at the wing kiosk."""
    page.goto(f"{base}/kiosk/")
    page.get_by_label("Your user name").fill(username)
    page.get_by_label("Your PIN").fill(PIN)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/kiosk/home")


def answer(page: Any, question: str, yes: bool) -> None:
    """Tap Yes or No under a question."""
    page.get_by_role("group", name=question).get_by_label("Yes" if yes else "No", exact=True).check()


def fill_concern(page: Any, text: str, *, risk_now: bool = False, about: str | None = None,
                 consent: bool = True) -> None:
    """Fill the concern form (already open) and go on to the check page."""
    page.get_by_label("What is happening?").fill(text)
    answer(page, "Is anyone at risk of harm right now?", risk_now)
    answer(page, "Is this about a member of staff?", about is not None)
    if about:
        page.get_by_label("If yes, who?").select_option(about)
    answer(page, "Does the resident agree to staff being told?", consent)
    page.get_by_role("button", name="Next: check where it goes").click()
    page.wait_for_url("**/kiosk/concerns/check")


def send(page: Any) -> str:
    """Send from the check page; return the reference shown to give the resident."""
    page.get_by_role("button", name="Send it").click()
    page.wait_for_url("**/sent")
    return str(page.locator("p.reference").inner_text()).strip()


def staff_sign_in(page: Any, base: str, username: str) -> None:
    """Staff sign in with user name and password."""
    page.goto(f"{base}/staff/signin")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/queue")


def publish_for_docs(name: str, target: str) -> None:
    """Copy a journey screenshot to docs/screenshots/ when asked (TRACKER_DOC_SCREENSHOTS=1)."""
    if os.environ.get("TRACKER_DOC_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SCREENSHOTS / f"{name}.png", DOCS / target)
