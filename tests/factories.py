"""Small factories: an establishment with people, and concerns raised through the service."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from tracker.extensions import db
from tracker.models import Establishment, User
from tracker.rules_runtime import current_rules
from tracker.services import setup
from tracker.services.concerns import ConcernRequest, Submitted, submit_concern

PIN = "4321"
PASSWORD = "a-long-staff-password"  # noqa: S105


@dataclass
class Prison:
    """An establishment and the people a test needs, by username."""

    establishment: Establishment
    people: dict[str, User] = field(default_factory=dict)

    def __getitem__(self, username: str) -> User:
        return self.people[username]


def make_prison(now: datetime, name: str = "HMP Testford", code: str = "TST") -> Prison:
    """Wings A-D, default schemes, a supporter per scheme and staff in every role."""
    est = setup.create_establishment(name, ["A", "B", "C", "D"], now, code=code)
    prison = Prison(est)
    people = [
        ("sup.a", "supporter", "A", ["insiders"]), ("sup.b", "supporter", "B", ["listeners"]),
        ("officer.a", "officer", "A", []), ("officer.b", "officer", "B", []),
        ("officer.c", "officer", "C", []), ("sc", "safer_custody", None, []),
        ("eq", "equality_lead", None, []), ("complaints", "complaints", None, []),
        ("lead.insiders", "scheme_lead", None, ["insiders"]),
        ("lead.listeners", "scheme_lead", None, ["listeners"]),
        ("governor", "governor", None, []), ("admin", "admin", None, []),
    ]
    for username, role, wing, schemes in people:
        secret = PIN if role == "supporter" else PASSWORD
        prison.people[username] = setup.add_user(
            f"{code.lower()}.{username}" if code != "TST" else username, role, secret, now,
            establishment=code, wing=wing, schemes=schemes, cheap_hash=True)
    return prison


def raise_concern(raiser: User, text: str, now: datetime, **kw: object) -> Submitted:
    """Submit through the real service, as the kiosk does."""
    wing = kw.pop("wing", raiser.wing.code if raiser.wing else "A")
    req = ConcernRequest(text=text, wing=str(wing), idempotency_key=uuid.uuid4().hex, **kw)  # type: ignore[arg-type]
    return submit_concern(raiser, req, current_rules(), now)


def kiosk_sign_in(client: FlaskClient, username: str, pin: str = PIN) -> None:
    """Sign a supporter in at the kiosk."""
    r = client.post("/kiosk/", data={"username": username, "pin": pin})
    assert r.status_code == 302, r.get_data(as_text=True)


def staff_sign_in(client: FlaskClient, username: str, password: str = PASSWORD) -> None:
    """Sign a member of staff in."""
    r = client.post("/staff/signin", data={"username": username, "password": password})
    assert r.status_code == 302, r.get_data(as_text=True)


@contextmanager
def count_queries(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement the app sends inside the block (to pin round trips per request)."""
    statements: list[str] = []

    def record(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
