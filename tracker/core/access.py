"""The one access policy: which role may use which route, and who may know of or read a concern.

Pure: it knows nothing of Flask or the database. Every view, API endpoint, export and
digest asks these functions; none decides on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STAFF_ROLES = frozenset(
    {"officer", "scheme_lead", "safer_custody", "equality_lead", "complaints", "governor", "admin"}
)
ALL_ROLES = STAFF_ROLES | {"supporter"}
PUBLIC = frozenset({"anonymous"})
PEOPLE_MANAGERS = frozenset({"admin", "governor"})
# Who reads digests and the dashboard.
MANAGER_ROLES = frozenset({"scheme_lead", "safer_custody", "equality_lead", "complaints", "governor"})

# Which staff team (as named in rules/routing.yaml) each role belongs to.
ROLE_TEAMS = {
    "safer_custody": frozenset({"safer_custody"}),
    "equality_lead": frozenset({"equality_lead"}),
    "complaints": frozenset({"complaints"}),
    "officer": frozenset({"wing_staff"}),
}

# endpoint -> roles that may call it. "anonymous" means no sign-in needed.
# A route missing from this table is refused (and fails the access-matrix test).
ROUTES: dict[str, frozenset[str]] = {
    "static": PUBLIC,
    "kiosk.signin": PUBLIC,
    "kiosk.signed_out": PUBLIC,
    "kiosk.set_language": PUBLIC,
    "kiosk.home": frozenset({"supporter"}),
    "kiosk.new_concern": frozenset({"supporter"}),
    "kiosk.check_concern": frozenset({"supporter"}),
    "kiosk.submit_concern": frozenset({"supporter"}),
    "kiosk.sent": frozenset({"supporter"}),
    "kiosk.referrals": frozenset({"supporter"}),
    "kiosk.still_here": frozenset({"supporter"}),
    "kiosk.finish": frozenset({"supporter"}),
    "staff.signin": PUBLIC,
    "staff.signout": STAFF_ROLES,
    "staff.queue": STAFF_ROLES - {"admin"},
    "staff.concern": STAFF_ROLES - {"admin"},
    "staff.break_glass": frozenset({"safer_custody"}),
    "api.create_concern": frozenset({"supporter"}),
    "api.get_concern": ALL_ROLES,
    "api.my_concerns": frozenset({"supporter"}),
    "api.classify": ALL_ROLES,
    "api.queue": STAFF_ROLES - {"admin"},
    "api.concern_action": STAFF_ROLES - {"admin"},
    "api.my_notifications": ALL_ROLES,
    "kiosk.inbox": frozenset({"supporter"}),
    "kiosk.mark_read": frozenset({"supporter"}),
    "api.openapi": PUBLIC,
    "root.index": PUBLIC,
    "health.healthz": PUBLIC,
    "health.readyz": PUBLIC,
    "admin.rules_lab_page": frozenset({"admin", "safer_custody"}),
    "admin.reload_rules": frozenset({"admin", "safer_custody"}),
    "admin.audit_log": frozenset({"admin"}),
    "admin.audit_csv": frozenset({"admin"}),
    # Administration (issue 9): admins, and the Governor for their own establishment (the
    # pages work on the caller's establishment; only admins may choose another one).
    **{f"admin.{name}": PEOPLE_MANAGERS for name in (
        "people_list", "person_add", "person_page", "person_deactivate", "person_reactivate",
        "person_reset_secret", "person_move", "people_import_page", "signin_locks_page",
        "signin_lock_clear", "schemes_page", "scheme_page", "wings_page", "wing_add",
        "wing_rename", "wing_retire", "wing_unretire", "wing_lockdown", "wing_lockdown_end",
        "establishments_page", "establishment_rename")},
    # Rule files are shared by every establishment, so publishing them is for admins only.
    **{f"admin.{name}": frozenset({"admin"}) for name in (
        "establishment_add", "establishment_manage", "rule_versions_page",
        "rules_candidate_start", "rules_candidate_upload", "rules_candidate_report",
        "rules_publish", "rule_version_page", "rule_version_rollback")},
    "kiosk.change_pin": frozenset({"supporter"}),
    "staff.change_password": STAFF_ROLES,
    "reports.digests": MANAGER_ROLES,
    "reports.digest": MANAGER_ROLES,
    "reports.digest_csv_file": MANAGER_ROLES,
    "reports.dashboard": MANAGER_ROLES,
    # Case handling (issue 5): acting on items, one or many; the supporter's answer.
    "api.queue_actions": STAFF_ROLES - {"admin"},
    "staff.concern_act": STAFF_ROLES - {"admin"},
    "staff.queue_bulk": STAFF_ROLES - {"admin"},
    "kiosk.confirm_sorted": frozenset({"supporter"}),
    "kiosk.not_sorted": frozenset({"supporter"}),
}


def route_allowed(endpoint: str | None, role: str | None) -> bool:
    """Deny by default: unknown endpoints and unlisted roles are refused."""
    if endpoint is None or endpoint not in ROUTES:
        return False
    allowed = ROUTES[endpoint]
    return "anonymous" in allowed or (role is not None and role in allowed)


def route_needs_sign_in(endpoint: str | None) -> bool:
    """Public routes are the sign-in pages, static files and the API description."""
    return endpoint not in ROUTES or "anonymous" not in ROUTES[endpoint]


@dataclass(frozen=True)
class Viewer:
    """Who is asking: enough to decide, nothing more."""

    user_id: int
    role: str
    establishment_id: int
    wing_id: int | None = None
    schemes: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ItemFacts:
    """What the policy needs to know about a concern."""

    establishment_id: int
    raised_by_id: int
    wing_id: int
    confidentiality: str
    scheme: str
    co_schemes: frozenset[str]
    owner_team: str
    extra_owners: frozenset[str]
    about_staff_id: int | None = None
    about_staff_wing_id: int | None = None
    assigned_to_id: int | None = None
    consent_to_share: bool = False
    content_unsealed_for: frozenset[int] = frozenset()  # break-glass grants
    # Roles staffing the escalation rungs the item has reached (from rules/escalation.yaml).
    ladder_roles: frozenset[str] = frozenset()


def _teams(viewer: Viewer) -> frozenset[str]:
    return ROLE_TEAMS.get(viewer.role, frozenset())


def _excluded_as_named_staff(viewer: Viewer, item: ItemFacts) -> bool:
    """A complaint never reaches the person it names, nor staff whose only tie is their wing."""
    if item.about_staff_id is None:
        return False
    if viewer.user_id == item.about_staff_id:
        return True
    return (
        viewer.role == "officer"
        and item.about_staff_wing_id is not None
        and viewer.wing_id == item.about_staff_wing_id
    )


def _in_audience(viewer: Viewer, item: ItemFacts) -> bool:
    """Owning teams, the rungs above them it has reached, the assigned officer, the scheme's lead."""
    if viewer.role == "governor":
        return True
    if viewer.user_id == item.assigned_to_id:
        return True
    if _teams(viewer) & ({item.owner_team} | item.extra_owners):
        if viewer.role != "officer":
            return True
        return item.wing_id == viewer.wing_id  # wing staff own only their wing's triage items
    if viewer.role in item.ladder_roles and (
            viewer.role != "officer"
            or (item.wing_id == viewer.wing_id and item.confidentiality != "staff_complaint")):
        # Escalated to a rung this role staffs: those above the owning team must see it to act.
        # Officers staff the custodial-manager rung for their own wing only.
        return True
    if viewer.role == "scheme_lead" and item.confidentiality != "staff_complaint":
        # A complaint about staff goes to a channel independent of the wing's staff, and a
        # scheme lead is usually a landing officer: they are not part of that channel.
        return bool(viewer.schemes & ({item.scheme} | item.co_schemes))
    return False


def may_know_exists(viewer: Viewer, item: ItemFacts) -> bool:
    """May this person see that the item exists (queue row, metadata)?"""
    if viewer.establishment_id != item.establishment_id:
        return False
    if viewer.role == "supporter":
        return viewer.user_id == item.raised_by_id
    if viewer.role == "admin" or _excluded_as_named_staff(viewer, item):
        return False
    return _in_audience(viewer, item)


def may_read_content(viewer: Viewer, item: ItemFacts) -> bool:
    """May this person read what was said? Sealed Listener items open only by consent or break-glass."""
    if not may_know_exists(viewer, item):
        return False
    if viewer.role == "supporter":
        return True
    if item.confidentiality == "sealed":
        opened = item.consent_to_share or viewer.user_id in item.content_unsealed_for
        return opened and viewer.role in {"safer_custody", "governor"} | (
            {"scheme_lead"} if item.consent_to_share else set()
        )
    return True


def may_act(viewer: Viewer, item: ItemFacts) -> bool:
    """Staff who may know of an item may act on it (acknowledge, defer, resolve)."""
    return viewer.role in STAFF_ROLES and may_know_exists(viewer, item)
