"""Demo data: one prison, its people and a few concerns, so the product can be tried at once."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import User
from tracker.rules_engine import RuleSet
from tracker.services import setup
from tracker.services.concerns import ConcernRequest, submit_concern

STAFF_PASSWORD = "demo-password"  # noqa: S105 (demo only, printed by `tracker demo`)
PEOPLE: tuple[tuple[str, str, str | None, list[str], str, str], ...] = (
    # username, role, wing, schemes, display name, secret
    ("listener.a", "supporter", "A", ["listeners"], "Dan (Listener, A wing)", "1111"),
    ("insider.b", "supporter", "B", ["insiders"], "Marek (Insider, B wing)", "2222"),
    ("equality.c", "supporter", "C", ["equality_reps"], "Tunde (Equality Rep, C wing)", "3333"),
    ("officer.a", "officer", "A", [], "Officer Jones (A wing)", STAFF_PASSWORD),
    ("officer.b", "officer", "B", [], "Officer Patel (B wing)", STAFF_PASSWORD),
    ("safer.custody", "safer_custody", None, [], "Sam Reid (Safer Custody)", STAFF_PASSWORD),
    ("equality.lead", "equality_lead", None, [], "Ayesha Khan (Equality lead)", STAFF_PASSWORD),
    ("complaints", "complaints", None, [], "Chris Lowe (Complaints)", STAFF_PASSWORD),
    ("insiders.lead", "scheme_lead", None, ["insiders"], "SO Morgan (Insiders lead)",
     STAFF_PASSWORD),
    ("governor", "governor", None, [], "The Governor", STAFF_PASSWORD),
    ("admin", "admin", None, [], "Administrator", STAFF_PASSWORD),
)
SAMPLES = (
    ("insider.b", "B", "Lad on the 2s keeps getting his canteen taxed, says he owes double "
     "bubble now and he is scared to come out of his pad.", None),
    ("listener.a", "A", "Feeling really low since his mum died, not sleeping, wants someone "
     "to talk to.", None),
    ("equality.c", "C", "He has asked for a halal meal three times and the servery keep "
     "giving him pork.", None),
    ("insider.b", "B", "Officer Patel keeps ignoring his cell bell at night and swore at him "
     "when he asked why.", "officer.b"),
)


def load_demo(rules: RuleSet, now: datetime, cheap_hash: bool = False) -> bool:
    """Create the demo prison once; False when it is there already."""
    if db.session.scalar(select(User.id).where(User.username == "listener.a")):
        return False
    est = setup.create_establishment("HMP Leeford", ["A", "B", "C", "D"], now, code="LEE")
    for username, role, wing, schemes, name, secret in PEOPLE:
        setup.add_user(username, role, secret, now, establishment=est.code, wing=wing,
                       schemes=schemes, display_name=name, cheap_hash=cheap_hash)
    users = {u.username: u for u in db.session.scalars(select(User))}
    setup.set_scheme_lead(est.id, "insiders", users["insiders.lead"], users["safer.custody"], now)
    setup.set_scheme_lead(est.id, "listeners", users["safer.custody"], None, now)
    setup.set_scheme_lead(est.id, "equality_reps", users["equality.lead"], None, now)
    # Buddies are left without a lead on purpose: the demo shows how that is flagged.
    for i, (raiser, wing, text, about) in enumerate(SAMPLES):
        req = ConcernRequest(text=text, wing=wing, idempotency_key=str(uuid.uuid4()),
                             about_staff=about, consent_to_share=True)
        submit_concern(users[raiser], req, rules, now - timedelta(days=len(SAMPLES) - i))
    return True


def sign_in_sheet() -> str:
    """The demo sign-ins, printed by `tracker demo`."""
    lines = ["Kiosk (supporters): /kiosk/   Staff: /staff/signin"]
    for username, role, _, _, name, secret in PEOPLE:
        kind = "PIN" if role == "supporter" else "password"
        lines.append(f"  {username:<16} {kind} {secret:<14} {role:<14} {name}")
    return "\n".join(lines)
