"""Turning rows into the access policy's Viewer and ItemFacts."""

from __future__ import annotations

from typing import Any, Protocol, cast

from sqlalchemy import select

from tracker.core.access import ItemFacts, Viewer
from tracker.extensions import db
from tracker.models import Concern, ContentGrant, User
from tracker.services.deadlines import ladders


def viewer_for(user: User) -> Viewer:
    """The policy's view of a user."""
    return Viewer(user.id, user.role, user.establishment_id, user.wing_id,
                  frozenset(s.key for s in user.schemes))


class ItemRow(Protocol):
    """What the policy reads of a concern: a Concern, or a Core row with the same names."""

    establishment_id: int
    raised_by_id: int
    wing_id: int
    confidentiality: str
    scheme: str
    co_schemes: list[str]
    owner_team: str
    extra_owners: list[str]
    about_staff_id: int | None
    assigned_to_id: int | None
    answers: dict[str, Any]
    escalation_level: int


_LOAD = object()  # about_staff_wing_id not given: load the named member of staff


def item_facts(concern: ItemRow, with_grants: bool = False, *,
               about_staff_wing_id: int | None | object = _LOAD) -> ItemFacts:
    """The policy's view of a concern; break-glass grants are looked up only when asked.

    A concern not yet stored (or read as a Core row) has no `about_staff` to load: its reader
    passes the named staff member's wing instead (None when nobody is named or has no wing).
    """
    if about_staff_wing_id is _LOAD:
        named = cast(Concern, concern).about_staff
        about_staff_wing_id = named.wing_id if named else None
    return ItemFacts(
        establishment_id=concern.establishment_id, raised_by_id=concern.raised_by_id,
        wing_id=concern.wing_id, confidentiality=concern.confidentiality, scheme=concern.scheme,
        co_schemes=frozenset(concern.co_schemes), owner_team=concern.owner_team,
        extra_owners=frozenset(concern.extra_owners), about_staff_id=concern.about_staff_id,
        about_staff_wing_id=cast("int | None", about_staff_wing_id),
        assigned_to_id=concern.assigned_to_id,
        consent_to_share=bool(concern.answers.get("consent_to_share")),
        content_unsealed_for=(_grants(cast(Concern, concern)) if with_grants
                              else frozenset()),
        ladder_roles=ladders().for_item(concern.scheme, concern.confidentiality)
        .roles_up_to(concern.escalation_level))


def _grants(concern: Concern) -> frozenset[int]:
    if concern.confidentiality != "sealed":
        return frozenset()
    return frozenset(db.session.scalars(select(ContentGrant.user_id).where(
        ContentGrant.concern_id == concern.id)))
