"""Turning rows into the access policy's Viewer and ItemFacts."""

from __future__ import annotations

from tracker.core.access import ItemFacts, Viewer
from tracker.models import Concern, User


def viewer_for(user: User) -> Viewer:
    """The policy's view of a user."""
    return Viewer(user.id, user.role, user.establishment_id, user.wing_id,
                  frozenset(s.key for s in user.schemes))


def item_facts(concern: Concern) -> ItemFacts:
    """The policy's view of a concern."""
    named = concern.about_staff
    return ItemFacts(
        establishment_id=concern.establishment_id, raised_by_id=concern.raised_by_id,
        wing_id=concern.wing_id, confidentiality=concern.confidentiality, scheme=concern.scheme,
        co_schemes=frozenset(concern.co_schemes), owner_team=concern.owner_team,
        extra_owners=frozenset(concern.extra_owners), about_staff_id=concern.about_staff_id,
        about_staff_wing_id=named.wing_id if named else None,
        assigned_to_id=concern.assigned_to_id,
        consent_to_share=bool(concern.answers.get("consent_to_share")))
