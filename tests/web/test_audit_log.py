"""The audit log: admins search and export who read what; the export itself is recorded."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import FakeClock
from tests.factories import Prison, make_prison, raise_concern, staff_sign_in
from tracker.extensions import db


@pytest.fixture()
def reference(app: Flask, clock: FakeClock) -> str:
    with app.app_context():
        prison: Prison = make_prison(clock())
        return raise_concern(db.session.merge(prison["sup.a"]),
                             "=HYPERLINK(\"x\") they keep taxing his canteen", clock()).concern.reference


def test_admin_finds_reads_by_reference_and_person(client: FlaskClient, kiosk: FlaskClient,
                                                   reference: str) -> None:
    staff_sign_in(kiosk, "sc")
    kiosk.get(f"/staff/concerns/{reference}")
    staff_sign_in(client, "admin")
    page = client.get(f"/admin/audit?reference={reference}&actor=sc").get_data(as_text=True)
    assert "read content" in page and "sc" in page
    none = client.get(f"/admin/audit?reference={reference}&actor=governor").get_data(as_text=True)
    assert "Nothing matches." in none


def test_export_is_csv_without_formulas_and_is_itself_audited(client: FlaskClient,
                                                              kiosk: FlaskClient,
                                                              reference: str) -> None:
    staff_sign_in(kiosk, "sc")
    kiosk.get(f"/staff/concerns/{reference}")
    staff_sign_in(client, "admin")
    r = client.get("/admin/audit.csv?action=read_content")
    assert r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    assert rows[0][:5] == ["at_utc", "at_london", "actor", "role", "action"]
    assert [row[4] for row in rows[1:]] == ["read_content"]
    assert "taxing" not in r.get_data(as_text=True)  # the log never holds concern words
    later = client.get("/admin/audit?action=audit_export").get_data(as_text=True)
    assert "audit export" in later


def test_bad_dates_are_refused(client: FlaskClient, reference: str) -> None:
    staff_sign_in(client, "admin")
    assert client.get("/admin/audit?since=yesterday").status_code == 400


@pytest.mark.parametrize("who", ["sc", "governor", "officer.a"])
def test_only_admins_search_the_audit_log(client: FlaskClient, reference: str, who: str) -> None:
    staff_sign_in(client, who)
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit.csv").status_code == 403
