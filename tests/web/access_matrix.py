"""The access-control matrix: a reviewed statement of who may use what, independent of the code.

ROUTE_MATRIX: every endpoint of the app -> (how to call it, the roles allowed). A route missing
here fails tests/web/test_access_matrix.py, so a new page cannot ship without a decision.

ITEM_MATRIX: for the pages that show one concern, what each person may see of each kind of
item: "read" (the words), "meta" (that it exists, never the words) or "none" (404, as if it
did not exist).
"""

from __future__ import annotations

from dataclasses import dataclass

SUPPORTER = frozenset({"supporter"})
MANAGERS = frozenset({"officer", "scheme_lead", "safer_custody", "equality_lead", "complaints",
                      "governor"})
STAFF = MANAGERS | {"admin"}
EVERYONE = STAFF | SUPPORTER
PUBLIC = frozenset({"anonymous"}) | EVERYONE
ADMIN = frozenset({"admin"})
RULE_EDITORS = frozenset({"admin", "safer_custody"})
PEOPLE_MANAGERS = frozenset({"admin", "governor"})  # a governor only in their own establishment
REPORT_READERS = MANAGERS - {"officer"}  # digests and the dashboard are for managers


@dataclass(frozen=True)
class Route:
    """How to call an endpoint in the matrix tests, and who may."""

    method: str
    path: str  # {ref} is replaced by a real concern reference
    allowed: frozenset[str]


ROUTE_MATRIX: dict[str, list[Route]] = {
    "root.index": [Route("GET", "/", PUBLIC)],
    "static": [Route("GET", "/static/kiosk.css", PUBLIC)],
    "health.healthz": [Route("GET", "/healthz", PUBLIC)],
    "health.readyz": [Route("GET", "/readyz", PUBLIC)],
    "kiosk.signin": [Route("GET", "/kiosk/", PUBLIC)],
    "kiosk.signed_out": [Route("GET", "/kiosk/signed-out", PUBLIC)],
    "kiosk.set_language": [Route("POST", "/kiosk/language", PUBLIC)],
    "kiosk.home": [Route("GET", "/kiosk/home", SUPPORTER)],
    "kiosk.new_concern": [Route("GET", "/kiosk/concerns/new", SUPPORTER),
                          Route("POST", "/kiosk/concerns/new", SUPPORTER)],
    "kiosk.check_concern": [Route("POST", "/kiosk/concerns/check", SUPPORTER)],
    "kiosk.submit_concern": [Route("POST", "/kiosk/concerns/submit", SUPPORTER)],
    "kiosk.sent": [Route("GET", "/kiosk/concerns/{ref}/sent", SUPPORTER)],
    "kiosk.referrals": [Route("GET", "/kiosk/referrals", SUPPORTER)],
    "kiosk.inbox": [Route("GET", "/kiosk/notices", SUPPORTER)],
    "kiosk.mark_read": [Route("POST", "/kiosk/notices/read", SUPPORTER)],
    "kiosk.still_here": [Route("POST", "/kiosk/still-here", SUPPORTER)],
    "kiosk.finish": [Route("POST", "/kiosk/finish", SUPPORTER)],
    "staff.signin": [Route("GET", "/staff/signin", PUBLIC)],
    "staff.signout": [Route("POST", "/staff/signout", STAFF)],
    "staff.queue": [Route("GET", "/staff/queue", MANAGERS)],
    "staff.concern": [Route("GET", "/staff/concerns/{ref}", MANAGERS)],
    "staff.break_glass": [Route("POST", "/staff/concerns/{ref}/break-glass",
                                frozenset({"safer_custody"}))],
    "staff.concern_act": [Route("POST", "/staff/concerns/{ref}/actions/note", MANAGERS)],
    "staff.queue_bulk": [Route("POST", "/staff/queue/actions", MANAGERS)],
    "kiosk.confirm_sorted": [Route("POST", "/kiosk/referrals/{ref}/sorted", SUPPORTER)],
    "kiosk.not_sorted": [Route("POST", "/kiosk/referrals/{ref}/not-sorted", SUPPORTER)],
    "admin.rules_lab_page": [Route("GET", "/admin/rules/lab", RULE_EDITORS),
                             Route("POST", "/admin/rules/lab", RULE_EDITORS)],
    "admin.reload_rules": [Route("POST", "/admin/rules/reload", RULE_EDITORS)],
    "admin.audit_log": [Route("GET", "/admin/audit", ADMIN)],
    "admin.audit_csv": [Route("GET", "/admin/audit.csv", ADMIN)],
    # Administration (issue 9). Targets that do not exist, so allowed callers change nothing.
    "admin.people_list": [Route("GET", "/admin/people", PEOPLE_MANAGERS)],
    "admin.person_add": [Route("GET", "/admin/people/new", PEOPLE_MANAGERS),
                         Route("POST", "/admin/people/new", PEOPLE_MANAGERS)],
    "admin.person_page": [Route("GET", "/admin/people/sup.a", PEOPLE_MANAGERS),
                          Route("POST", "/admin/people/nobody", PEOPLE_MANAGERS)],
    "admin.person_deactivate": [Route("POST", "/admin/people/nobody/deactivate", PEOPLE_MANAGERS)],
    "admin.person_reactivate": [Route("POST", "/admin/people/nobody/reactivate", PEOPLE_MANAGERS)],
    "admin.person_reset_secret": [Route("POST", "/admin/people/nobody/reset-secret",
                                        PEOPLE_MANAGERS)],
    "admin.person_move": [Route("POST", "/admin/people/nobody/move", PEOPLE_MANAGERS)],
    "admin.people_import_page": [Route("GET", "/admin/people/import", PEOPLE_MANAGERS),
                                 Route("POST", "/admin/people/import", PEOPLE_MANAGERS)],
    "admin.signin_locks_page": [Route("GET", "/admin/sign-in-locks", PEOPLE_MANAGERS)],
    "admin.signin_lock_clear": [Route("POST", "/admin/sign-in-locks/clear", PEOPLE_MANAGERS)],
    "admin.schemes_page": [Route("GET", "/admin/schemes", PEOPLE_MANAGERS)],
    "admin.scheme_page": [Route("GET", "/admin/schemes/buddies", PEOPLE_MANAGERS),
                          Route("POST", "/admin/schemes/nosuch", PEOPLE_MANAGERS)],
    "admin.wings_page": [Route("GET", "/admin/wings", PEOPLE_MANAGERS)],
    "admin.wing_add": [Route("POST", "/admin/wings", PEOPLE_MANAGERS)],
    "admin.wing_rename": [Route("POST", "/admin/wings/ZZ/rename", PEOPLE_MANAGERS)],
    "admin.wing_retire": [Route("POST", "/admin/wings/ZZ/retire", PEOPLE_MANAGERS)],
    "admin.wing_unretire": [Route("POST", "/admin/wings/ZZ/unretire", PEOPLE_MANAGERS)],
    "admin.wing_lockdown": [Route("POST", "/admin/wings/ZZ/lockdown", PEOPLE_MANAGERS)],
    "admin.wing_lockdown_end": [Route("POST", "/admin/wings/ZZ/lockdown/end", PEOPLE_MANAGERS)],
    "admin.establishments_page": [Route("GET", "/admin/establishments", PEOPLE_MANAGERS)],
    "admin.establishment_rename": [Route("POST", "/admin/establishments/999/rename",
                                         PEOPLE_MANAGERS)],
    "admin.establishment_add": [Route("POST", "/admin/establishments", ADMIN)],
    "admin.establishment_manage": [Route("POST", "/admin/establishments/999/manage", ADMIN)],
    "admin.rule_versions_page": [Route("GET", "/admin/rules/versions", ADMIN)],
    "admin.rules_candidate_start": [Route("POST", "/admin/rules/candidate/start", ADMIN)],
    "admin.rules_candidate_upload": [Route("POST", "/admin/rules/candidate/upload", ADMIN)],
    "admin.rules_candidate_report": [Route("GET", "/admin/rules/candidate/report", ADMIN)],
    "admin.rules_publish": [Route("POST", "/admin/rules/publish", ADMIN)],
    "admin.rule_version_page": [Route("GET", "/admin/rules/versions/999", ADMIN)],
    "admin.rule_version_rollback": [Route("POST", "/admin/rules/versions/999/rollback", ADMIN)],
    "kiosk.change_pin": [Route("GET", "/kiosk/new-pin", SUPPORTER)],
    "staff.change_password": [Route("GET", "/staff/new-password", STAFF)],
    "reports.digests": [Route("GET", "/digests", REPORT_READERS)],
    "reports.digest": [Route("GET", "/digests/1", REPORT_READERS)],
    "reports.digest_csv_file": [Route("GET", "/digests/1.csv", REPORT_READERS)],
    "reports.dashboard": [Route("GET", "/dashboard", REPORT_READERS)],
    "api.openapi": [Route("GET", "/api/v1/openapi.json", PUBLIC)],
    "api.create_concern": [Route("POST", "/api/v1/concerns", SUPPORTER)],
    "api.get_concern": [Route("GET", "/api/v1/concerns/{ref}", EVERYONE)],
    "api.my_concerns": [Route("GET", "/api/v1/me/concerns", SUPPORTER)],
    "api.my_notifications": [Route("GET", "/api/v1/me/notifications", EVERYONE)],
    "api.classify": [Route("POST", "/api/v1/classify", EVERYONE)],
    "api.queue": [Route("GET", "/api/v1/queue", MANAGERS)],
    "api.concern_action": [Route("POST", "/api/v1/concerns/{ref}/actions", MANAGERS)],
    "api.queue_actions": [Route("POST", "/api/v1/queue/actions", MANAGERS)],
}

# The people of tests/factories.make_prison plus two set up by the matrix test:
# "officer.b2" (another officer on B wing, the named officer's wing) and "other.gov" (the
# Governor of another prison). Items:
#   need_to_know  bullying on A wing, raised by sup.a (Insiders, Safer Custody owns it)
#   assigned      the same kind of item, assigned to officer.c (C wing)
#   sealed        Listener item on B wing, raised by sup.b
#   complaint     about officer.b (B wing), raised by sup.a on A wing
#   triage        a practical question on A wing (wing staff own it), raised by sup.a
ITEM_MATRIX: dict[str, dict[str, str]] = {
    "need_to_know": {
        "sup.a": "read", "sup.b": "none", "officer.a": "none", "officer.b": "none",
        "officer.b2": "none", "officer.c": "none", "sc": "read", "eq": "none",
        "complaints": "none", "lead.insiders": "read", "lead.listeners": "none",
        "governor": "read", "admin": "none", "other.gov": "none",
    },
    "assigned": {
        "sup.a": "read", "sup.b": "none", "officer.a": "none", "officer.b": "none",
        "officer.b2": "none", "officer.c": "read", "sc": "read", "eq": "none",
        "complaints": "none", "lead.insiders": "read", "lead.listeners": "none",
        "governor": "read", "admin": "none", "other.gov": "none",
    },
    "sealed": {
        "sup.a": "none", "sup.b": "read", "officer.a": "none", "officer.b": "none",
        "officer.b2": "none", "officer.c": "none", "sc": "meta", "eq": "none",
        "complaints": "none", "lead.insiders": "none", "lead.listeners": "meta",
        "governor": "meta", "admin": "none", "other.gov": "none",
    },
    "complaint": {
        "sup.a": "read", "sup.b": "none", "officer.a": "none", "officer.b": "none",
        "officer.b2": "none", "officer.c": "none", "sc": "none", "eq": "none",
        "complaints": "read", "lead.insiders": "none", "lead.listeners": "none",
        "governor": "read", "admin": "none", "other.gov": "none",
    },
    # Escalated to the custodial-manager rung (level 2): the item's own wing's officers join.
    "escalated": {
        "sup.a": "read", "sup.b": "none", "officer.a": "read", "officer.b": "none",
        "officer.b2": "none", "officer.c": "none", "sc": "read", "eq": "none",
        "complaints": "none", "lead.insiders": "read", "lead.listeners": "none",
        "governor": "read", "admin": "none", "other.gov": "none",
    },
    "sealed_escalated": {  # a B-wing Listener item at level 2: B's officers know of it, no words
        "sup.a": "none", "sup.b": "read", "officer.a": "none", "officer.b": "meta",
        "officer.b2": "meta", "officer.c": "none", "sc": "meta", "eq": "none",
        "complaints": "none", "lead.insiders": "none", "lead.listeners": "meta",
        "governor": "meta", "admin": "none", "other.gov": "none",
    },
    "triage": {
        "sup.a": "read", "sup.b": "none", "officer.a": "read", "officer.b": "none",
        "officer.b2": "none", "officer.c": "none", "sc": "none", "eq": "none",
        "complaints": "none", "lead.insiders": "none", "lead.listeners": "none",
        "governor": "read", "admin": "none", "other.gov": "none",
    },
}
