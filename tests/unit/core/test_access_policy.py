"""The access policy on its own: who may know of an item, and who may read its words."""

from __future__ import annotations

import pytest

from tracker.core.access import ItemFacts, Viewer, may_know_exists, may_read_content, route_allowed

EST = 1
WING_A, WING_B = 10, 20


def viewer(role: str, uid: int = 100, wing: int | None = None, schemes: tuple[str, ...] = (),
           est: int = EST) -> Viewer:
    return Viewer(uid, role, est, wing, frozenset(schemes))


def item(conf: str = "need_to_know", **kw: object) -> ItemFacts:
    base: dict[str, object] = dict(
        establishment_id=EST, raised_by_id=1, wing_id=WING_A, confidentiality=conf,
        scheme="insiders", co_schemes=frozenset({"buddies"}), owner_team="safer_custody",
        extra_owners=frozenset())
    base.update(kw)
    return ItemFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(("who", "know", "read"), [
    (viewer("supporter", uid=1), True, True),
    (viewer("supporter", uid=2), False, False),
    (viewer("safer_custody"), True, True),
    (viewer("governor"), True, True),
    (viewer("scheme_lead", schemes=("insiders",)), True, True),
    (viewer("scheme_lead", schemes=("buddies",)), True, True),
    (viewer("scheme_lead", schemes=("pal",)), False, False),
    (viewer("officer", wing=WING_A), False, False),
    (viewer("equality_lead"), False, False),
    (viewer("complaints"), False, False),
    (viewer("admin"), False, False),
    (viewer("safer_custody", est=2), False, False),
])
def test_need_to_know_reaches_only_those_who_must_act(who: Viewer, know: bool, read: bool) -> None:
    facts = item()
    assert may_know_exists(who, facts) is know
    assert may_read_content(who, facts) is read


def test_assigned_officer_may_read_need_to_know() -> None:
    officer = viewer("officer", uid=7, wing=WING_B)
    assert may_read_content(officer, item(assigned_to_id=7))


@pytest.mark.parametrize("who", [viewer("safer_custody"), viewer("governor"),
                                 viewer("scheme_lead", schemes=("listeners",))])
def test_sealed_listener_item_shows_that_support_was_asked_never_the_words(who: Viewer) -> None:
    facts = item("sealed", scheme="listeners", co_schemes=frozenset())
    assert may_know_exists(who, facts)
    assert not may_read_content(who, facts)


def test_sealed_item_opens_to_safer_custody_by_break_glass_only_for_that_person() -> None:
    facts = item("sealed", scheme="listeners", content_unsealed_for=frozenset({100}))
    assert may_read_content(viewer("safer_custody", uid=100), facts)
    assert not may_read_content(viewer("safer_custody", uid=101), facts)


def test_sealed_item_opens_to_safer_custody_with_recorded_consent() -> None:
    facts = item("sealed", scheme="listeners", consent_to_share=True)
    assert may_read_content(viewer("safer_custody"), facts)
    assert not may_read_content(viewer("officer", wing=WING_A), facts)


def complaint(**kw: object) -> ItemFacts:
    return item("staff_complaint", owner_team="complaints", about_staff_id=55,
                about_staff_wing_id=WING_B, **kw)


@pytest.mark.parametrize(("who", "know"), [
    (viewer("officer", uid=55, wing=WING_B), False),        # the person it names
    (viewer("governor", uid=55), False),                   # even if they are the Governor
    (viewer("officer", uid=56, wing=WING_B), False),        # only tie: the named person's wing
    (viewer("complaints"), True),
    (viewer("governor"), True),
])
def test_staff_complaint_never_reaches_the_named_member_or_their_wing(who: Viewer,
                                                                      know: bool) -> None:
    assert may_know_exists(who, complaint()) is know


def test_scheme_leads_are_not_part_of_the_complaints_channel() -> None:
    assert not may_know_exists(viewer("scheme_lead", schemes=("insiders",)), complaint())


def test_named_member_cannot_see_complaint_even_when_assigned() -> None:
    assert not may_know_exists(viewer("officer", uid=55, wing=WING_B),
                               complaint(assigned_to_id=55))


def test_equality_lead_sees_complaint_that_carries_equality() -> None:
    assert may_read_content(viewer("equality_lead"), complaint(extra_owners=frozenset({"equality_lead"})))


def test_triage_items_reach_wing_staff_of_that_wing_only() -> None:
    facts = item("ordinary", scheme="triage", owner_team="wing_staff", co_schemes=frozenset())
    assert may_read_content(viewer("officer", wing=WING_A), facts)
    assert not may_know_exists(viewer("officer", wing=WING_B), facts)


@pytest.mark.parametrize(("endpoint", "role", "allowed"), [
    ("kiosk.new_concern", "supporter", True),
    ("kiosk.new_concern", "officer", False),
    ("staff.queue", "supporter", False),
    ("staff.queue", "admin", False),
    ("staff.queue", "officer", True),
    ("kiosk.signin", None, True),
    ("no.such.endpoint", "governor", False),
    (None, "governor", False),
])
def test_routes_are_denied_unless_listed(endpoint: str | None, role: str | None,
                                         allowed: bool) -> None:
    assert route_allowed(endpoint, role) is allowed
