"""The staff queue: what each person sees, in what order, with filters, counts and pages."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import FakeClock
from tests.factories import Prison, count_queries, make_prison, raise_concern, staff_sign_in
from tracker.extensions import db
from tracker.services.auth import issue_token
from tracker.services.queue import QueueFilters, queue_page
from tracker.services.viewers import viewer_for

BULLY = "they keep taxing his canteen on the landing and pushing him about"
DISTRESS = "he has been really low since his dad died, wants someone to talk to"
RISK = "he says he is going to hang himself tonight"


@pytest.fixture()
def prison(app: Flask, clock: FakeClock) -> Prison:
    with app.app_context():
        return make_prison(clock())


def _raise(app: Flask, prison: Prison, clock: FakeClock, text: str, n: int = 1,
           who: str = "sup.a", **kw: Any) -> list[str]:
    with app.app_context():
        raiser = db.session.merge(prison[who])
        return [raise_concern(raiser, text, clock(), **kw).concern.reference for _ in range(n)]


def _api(client: FlaskClient, app: Flask, prison: Prison, clock: FakeClock, who: str,
         query: str = "") -> Any:
    with app.app_context():
        token = issue_token(db.session.merge(prison[who]), clock())
    r = client.get(f"/api/v1/queue{query}", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


def test_immediate_items_come_first_and_words_never_appear(client: FlaskClient, app: Flask,
                                                           prison: Prison, clock: FakeClock) -> None:
    _raise(app, prison, clock, BULLY)
    clock.advance(minutes=1)
    (risk,) = _raise(app, prison, clock, RISK)
    body = _api(client, app, prison, clock, "sc")
    assert body["items"][0]["reference"] == risk
    assert body["items"][0]["urgency"] == "immediate"
    assert all("text" not in item for item in body["items"])
    assert "hang" not in str(body)


def test_officers_see_no_items_of_other_teams(client: FlaskClient, app: Flask,
                                              prison: Prison, clock: FakeClock) -> None:
    _raise(app, prison, clock, BULLY)
    assert _api(client, app, prison, clock, "officer.a")["items"] == []
    assert len(_api(client, app, prison, clock, "lead.insiders")["items"]) == 1
    assert _api(client, app, prison, clock, "lead.listeners")["items"] == []


def test_overdue_and_due_soon_are_flagged_and_filterable(client: FlaskClient, app: Flask,
                                                         prison: Prison, clock: FakeClock) -> None:
    (old,) = _raise(app, prison, clock, BULLY)
    clock.advance(days=3)
    (fresh,) = _raise(app, prison, clock, BULLY)
    body = _api(client, app, prison, clock, "sc")
    flags = {i["reference"]: (i["overdue"], i["due_soon"]) for i in body["items"]}
    assert flags[old] == (True, False)
    assert flags[fresh] == (False, True)
    assert body["counts"]["due"] == {"overdue": 1, "soon": 1}
    overdue = _api(client, app, prison, clock, "sc", "?due=overdue")
    assert [i["reference"] for i in overdue["items"]] == [old]


def test_filters_by_scheme_and_wing_with_counts(client: FlaskClient, app: Flask,
                                                prison: Prison, clock: FakeClock) -> None:
    _raise(app, prison, clock, BULLY, n=2)
    _raise(app, prison, clock, DISTRESS, who="sup.b")
    body = _api(client, app, prison, clock, "sc")
    assert body["counts"]["scheme"] == {"insiders": 2, "listeners": 1}
    assert body["counts"]["wing"] == {"A": 2, "B": 1}
    only_b = _api(client, app, prison, clock, "sc", "?wing=B")
    assert [i["scheme"] for i in only_b["items"]] == ["listeners"]
    listeners = _api(client, app, prison, clock, "sc", "?scheme=listeners")
    assert listeners["total"] == 1


def test_pages_split_the_queue(client: FlaskClient, app: Flask, prison: Prison,
                               clock: FakeClock) -> None:
    refs = _raise(app, prison, clock, BULLY, n=5)
    first = _api(client, app, prison, clock, "sc", "?per_page=2")
    third = _api(client, app, prison, clock, "sc", "?per_page=2&page=3")
    assert first["pages"] == 3 and first["total"] == 5
    assert len(first["items"]) == 2 and len(third["items"]) == 1
    seen = {i["reference"] for p in (1, 2, 3)
            for i in _api(client, app, prison, clock, "sc", f"?per_page=2&page={p}")["items"]}
    assert seen == set(refs)


def test_bad_filters_are_refused_plainly(client: FlaskClient, app: Flask, prison: Prison,
                                         clock: FakeClock) -> None:
    with app.app_context():
        token = issue_token(db.session.merge(prison["sc"]), clock())
    r = client.get("/api/v1/queue?level=9&due=later", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 422
    assert set(r.get_json()["error"]["fields"]) == {"level", "due"}


def test_queue_page_query_count_does_not_grow_with_rows(client: FlaskClient, app: Flask,
                                                        prison: Prison, clock: FakeClock) -> None:
    staff_sign_in(client, "sc")
    _raise(app, prison, clock, BULLY, n=2)
    client.get("/staff/queue")  # same state for both measured requests
    with count_queries(app) as few:
        assert client.get("/staff/queue").status_code == 200
    _raise(app, prison, clock, BULLY, n=20)
    _raise(app, prison, clock, DISTRESS, n=5, who="sup.b")
    with count_queries(app) as many:
        page = client.get("/staff/queue").get_data(as_text=True)
    assert page.count("/staff/concerns/") == 27
    assert len(many) == len(few), "the queue page must not query once per row (N+1)"
    _raise(app, prison, clock, "officer b keeps pushing him about on the landing", n=3,
           about_staff="officer.b")
    with app.app_context():
        viewer = viewer_for(db.session.merge(prison["governor"]))  # sees the complaints too
        with count_queries(app) as queue_reads:
            rows = queue_page(viewer, QueueFilters(), clock()).rows
        assert len(rows) == 30 and {r.concern.wing.code for r in rows} == {"A", "B"}
    # The grouped count, then the page's rows with their wing and the named member of staff's
    # wing joined in (no statement per row, nor one per relationship).
    assert len(queue_reads) == 2, queue_reads


def test_queue_page_renders_filters_and_flags(client: FlaskClient, app: Flask, prison: Prison,
                                              clock: FakeClock) -> None:
    _raise(app, prison, clock, BULLY)
    clock.advance(days=3)
    staff_sign_in(client, "sc")
    page = client.get("/staff/queue").get_data(as_text=True)
    assert "Overdue" in page and 'label for="f-scheme"' in page and "Insiders (1)" in page
    assert client.get("/staff/queue?due=whenever").status_code == 400
