"""The checks themselves catch what they are meant to, so a green run means something."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.browser.checks import axe_violations, overflow_at, small_targets, unfocused_styles

BAD_PAGE = """<!doctype html><html><head><title>t</title></head><body><main id="main">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input id="x"><button style="width:20px;height:20px;outline:none">b</button>
<div style="width:900px">wide</div></main></body></html>"""


def test_checks_find_known_problems(new_page: Callable[..., Any]) -> None:
    page = new_page()
    page.set_content(BAD_PAGE)
    ids = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "label"} <= ids
    assert any("<button" in t["what"] for t in small_targets(page))
    assert overflow_at(page, 512, 384)
    page.add_style_tag(content="*:focus { outline: none !important; box-shadow: none !important; }")
    assert unfocused_styles(page)
