"""Every route of the app has an entry in the one access policy; unlisted routes are refused."""

from __future__ import annotations

from flask import Flask

from tracker.core.access import ROUTES


def test_every_route_is_in_the_policy_table(app: Flask) -> None:
    missing = sorted({r.endpoint for r in app.url_map.iter_rules()} - set(ROUTES))
    assert missing == [], f"add these endpoints to tracker/core/access.py ROUTES: {missing}"


def test_policy_lists_no_route_that_does_not_exist(app: Flask) -> None:
    stale = sorted(set(ROUTES) - {r.endpoint for r in app.url_map.iter_rules()})
    assert stale == []
