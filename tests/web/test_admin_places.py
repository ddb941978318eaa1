"""Scheme posts, wings and establishments from the admin pages; CSV import; escalation follows leads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import FakeClock
from tests.factories import Prison, kiosk_sign_in, make_prison, raise_concern, staff_sign_in
from tracker.extensions import db
from tracker.models import AccessLog, Concern, Establishment, Notification, User, Wing
from tracker.services.escalation import escalate_due
from tracker.services.people import wing_choices
from tracker.services.schemes_admin import schemes_without_lead


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        return make_prison(clock())


def _audit(app: Flask, action: str) -> list[AccessLog]:
    with app.app_context():
        return list(db.session.scalars(select(AccessLog).where(AccessLog.action == action)))


def _est_id(app: Flask, code: str = "TST") -> int:
    with app.app_context():
        found = db.session.scalar(select(Establishment.id).where(Establishment.code == code))
        assert found is not None
        return found


def test_scheme_posts_with_history_and_gaps(client: FlaskClient, app: Flask, prison: Prison,
                                            clock: FakeClock) -> None:
    est = _est_id(app)
    with app.app_context():
        assert "buddies" in {g.key for g in schemes_without_lead(est)}
    staff_sign_in(client, "governor")
    assert "No active lead" in client.get("/admin/schemes").get_data(as_text=True)
    r = client.post("/admin/schemes/buddies", data={"lead": "officer.a", "deputy": "sc"})
    assert r.status_code == 303
    clock.advance(days=2)
    staff_sign_in(client, "governor")
    client.post("/admin/schemes/buddies", data={"lead": "officer.b", "deputy": "sc"})
    page = client.get("/admin/schemes/buddies").get_data(as_text=True)
    assert page.count("in post") == 2 and "officer.a" in page
    with app.app_context():
        assert "buddies" not in {g.key for g in schemes_without_lead(est)}
    rows = _audit(app, "scheme_posts")
    assert rows[-1].detail["before"] == {"lead": "officer.a", "deputy": "sc"}
    assert rows[-1].detail["after"] == {"lead": "officer.b", "deputy": "sc"}


def test_a_deactivated_lead_leaves_the_post_flagged(client: FlaskClient, app: Flask,
                                                    prison: Prison) -> None:
    staff_sign_in(client, "admin")
    client.post("/admin/schemes/buddies", data={"lead": "officer.a", "deputy": "sc"})
    client.post("/admin/people/officer.a/deactivate")
    with app.app_context():
        (gap,) = [g for g in schemes_without_lead(_est_id(app)) if g.key == "buddies"]
    assert gap.lead_missing and not gap.deputy_missing and gap.wording == "no active lead"


@pytest.mark.parametrize(("form", "field", "message"), [
    ({"lead": "sup.a"}, "lead", "is a supporter"),
    ({"lead": "nobody"}, "lead", "No one called"),
    ({"lead": "sc", "deputy": "sc"}, "deputy", "someone other than the lead"),
    ({"lead": "bad name!"}, "lead", "letters, numbers"),
])
def test_bad_posts_are_refused(client: FlaskClient, app: Flask, prison: Prison,
                               form: dict[str, str], field: str, message: str) -> None:
    staff_sign_in(client, "admin")
    r = client.post("/admin/schemes/buddies", data=form)
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and message in page and f'id="{field}-error"' in page
    assert _audit(app, "scheme_posts") == []


def test_changing_the_lead_retargets_open_items(app: Flask, client: FlaskClient, prison: Prison,
                                                clock: FakeClock) -> None:
    """The sweep reads Scheme.lead_id when it runs: the next escalation goes to the new lead."""
    staff_sign_in(client, "admin")
    client.post("/admin/people/lead.listeners", data={
        "display_name": "Lead", "role": "scheme_lead", "schemes": ["insiders", "listeners"]})
    client.post("/admin/schemes/insiders", data={"lead": "lead.insiders", "deputy": "governor"})
    with app.app_context():
        raiser = db.session.scalar(select(User).where(User.username == "sup.a"))
        assert raiser is not None
        concern = raise_concern(raiser, "they keep taxing his canteen and threatening him",
                                clock()).concern
        cid = concern.id
    client.post("/admin/schemes/insiders", data={"lead": "lead.insiders",
                                                  "deputy": "lead.listeners"})
    with app.app_context():
        due = db.session.get(Concern, cid)
        assert due is not None and due.next_deadline is not None
        escalate_due(due.next_deadline + timedelta(minutes=1))
        told = set(db.session.scalars(
            select(User.username).join(Notification, Notification.recipient_id == User.id)
            .where(Notification.concern_id == cid, Notification.kind == "staff_escalated")))
    assert "lead.listeners" in told and "governor" not in told


def test_wings_add_rename_retire_and_kiosk_choices(client: FlaskClient, app: Flask,
                                                   prison: Prison) -> None:
    staff_sign_in(client, "admin")
    assert client.post("/admin/wings", data={"code": "e", "name": "Echo"}).status_code == 303
    r = client.post("/admin/wings", data={"code": "E"})
    assert r.status_code == 422 and "already a wing E" in r.get_data(as_text=True)
    assert client.post("/admin/wings/E/rename", data={"name": "Healthcare"}).status_code == 303
    assert client.post("/admin/wings/D/retire").status_code == 303
    est = _est_id(app)
    with app.app_context():
        assert [c for c, _ in wing_choices(est)] == ["A", "B", "C", "E"]
        assert db.session.scalar(select(Wing.name).where(Wing.code == "E")) == "Healthcare"
    r = client.post("/admin/people/new", data={"username": "new.d", "role": "officer",
                                               "wing": "D"})
    assert r.status_code == 422 and "retired" in r.get_data(as_text=True)
    assert [a.detail["after"]["retired"] for a in _audit(app, "wing_retire")] == [True]
    assert _audit(app, "wing_rename")[0].detail["before"]["name"] == "Echo"


def test_retired_wing_is_not_offered_at_the_kiosk(client: FlaskClient, app: Flask,
                                                  prison: Prison) -> None:
    staff = app.test_client()
    staff_sign_in(staff, "admin")
    staff.post("/admin/wings/D/retire")
    kiosk_sign_in(client, "sup.a")
    page = client.get("/kiosk/concerns/new").get_data(as_text=True)
    assert 'value="C"' in page and 'value="D"' not in page


def test_lockdown_from_the_wings_page(client: FlaskClient, app: Flask, prison: Prison,
                                      clock: FakeClock) -> None:
    with app.app_context():
        raiser = db.session.scalar(select(User).where(User.username == "sup.a"))
        assert raiser is not None
        raise_concern(raiser, "they keep taxing his canteen on the landing", clock())
    staff_sign_in(client, "governor")
    r = client.post("/admin/wings/A/lockdown", data={"reason": ""})
    assert r.status_code == 422 and "Say why" in r.get_data(as_text=True)
    assert client.post("/admin/wings/A/lockdown", data={"reason": "cell search"}).status_code == 303
    assert "locked down" in client.get("/admin/wings").get_data(as_text=True)
    r = client.post("/admin/wings/A/lockdown", data={"reason": "again"})
    assert r.status_code == 409
    assert client.post("/admin/wings/A/lockdown/end").status_code == 303
    (start,) = _audit(app, "lockdown_start")
    assert start.detail["after"]["reason"] == "cell search"
    assert len(_audit(app, "lockdown_end")) == 1


def test_establishments_add_rename_and_manage(client: FlaskClient, app: Flask,
                                              prison: Prison) -> None:
    staff_sign_in(client, "admin")
    r = client.post("/admin/establishments", data={"name": "HMP Northmoor", "wings": "A,B"})
    assert r.status_code == 303
    r = client.post("/admin/establishments", data={"name": "HMP Northmoor", "wings": "A"})
    assert r.status_code == 422 and "already an establishment" in r.get_data(as_text=True)
    other = _est_id(app, "NOR")
    client.post(f"/admin/establishments/{other}/rename", data={"name": "HMP North Moor"})
    client.post(f"/admin/establishments/{other}/manage")
    assert "/admin/schemes/buddies" in client.get("/admin/wings").get_data(as_text=True)
    page = client.get("/admin/people").get_data(as_text=True)
    assert "/admin/people/sup.a" not in page  # now working on the new prison (nobody yet)
    with app.app_context():
        assert db.session.get(Establishment, other).name == "HMP North Moor"  # type: ignore[union-attr]


def test_governor_cannot_add_or_touch_another_establishment(client: FlaskClient, app: Flask,
                                                            prison: Prison) -> None:
    staff_sign_in(client, "governor")
    assert client.post("/admin/establishments", data={"name": "X", "wings": "A"}).status_code == 403
    assert client.post("/admin/establishments/999/rename", data={"name": "Y"}).status_code == 404


CSV_GOOD = "username,name,wing,schemes\nimp.one,Imp One,A,insiders\nimp.two,Imp Two,B,buddies;insiders\n"


def test_csv_import_adds_everyone_and_shows_pins_once(client: FlaskClient, app: Flask,
                                                      prison: Prison) -> None:
    staff_sign_in(client, "admin")
    r = client.post("/admin/people/import", data={"content": CSV_GOOD})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "Added 2 supporters" in page and "imp.two" in page
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "imp.two"))
        assert user is not None and user.must_change_secret
        assert sorted(s.key for s in user.schemes) == ["buddies", "insiders"]
    assert len(_audit(app, "user_add")) == 2 and len(_audit(app, "users_import")) == 1


def test_csv_import_file_upload(client: FlaskClient, app: Flask, prison: Prison) -> None:
    import io

    staff_sign_in(client, "admin")
    r = client.post("/admin/people/import", data={
        "file": (io.BytesIO(("\ufeff" + CSV_GOOD).encode()), "people.csv")},
        content_type="multipart/form-data")
    assert r.status_code == 200 and "Added 2 supporters" in r.get_data(as_text=True)


@pytest.mark.parametrize(("csv", "message"), [
    (CSV_GOOD + "imp.one,Again,C,insiders\n", "is already on line 2"),
    (CSV_GOOD + "sup.a,Taken,C,insiders\n", "is taken"),
    (CSV_GOOD + "imp.three,Three,Z,insiders\n", "Unknown wing"),
    (CSV_GOOD + "imp.three,Three,C,wizards\n", "Unknown scheme wizards"),
    (CSV_GOOD + "imp.three,Three\n", "Malformed row: 2 columns"),
    (CSV_GOOD + 'imp.three,"unclosed,C,insiders\n', "Malformed row"),
    (CSV_GOOD + "imp three,Three,C,insiders\n", "User name: use 2 to 60"),
    ("name,username\nx,y\n", "The first line must be the column names"),
    ("", "Choose a CSV file"),
])
def test_csv_import_rejects_and_writes_nothing(client: FlaskClient, app: Flask, prison: Prison,
                                               csv: str, message: str) -> None:
    staff_sign_in(client, "admin")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(User))
    r = client.post("/admin/people/import", data={"content": csv})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and message in page, page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == before
    assert _audit(app, "user_add") == []
