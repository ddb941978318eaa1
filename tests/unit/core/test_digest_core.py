"""The digest's pure core: weeks, buckets, trends, medians, assembling, text, CSV and charts."""

from __future__ import annotations

import csv
import io
import struct
import zlib
from datetime import UTC, date, datetime

import pytest

from tracker.core.charts import bar_svg, paired_bars_png
from tracker.core.digest import (
    ClockFigures,
    CubeRow,
    OldItem,
    SchemePosts,
    WeekFigures,
    assemble,
    bucket_for,
    figure,
    last_full_week,
    median,
    share,
    trend,
    week_ending_on,
    weeks_back,
)
from tracker.core.digest_render import digest_csv, digest_text

DAY = 86400.0
WEEK = week_ending_on(date(2026, 11, 22))


@pytest.mark.parametrize(("seconds", "bucket"), [
    (60, "1-2"), (DAY, "1-2"), (2 * DAY, "1-2"), (2 * DAY + 1, "3-7"), (7 * DAY, "3-7"),
    (8 * DAY, "8-28"), (28 * DAY, "8-28"), (28 * DAY + 1, "29+"), (400 * DAY, "29+")])
def test_age_buckets(seconds: float, bucket: str) -> None:
    assert bucket_for(seconds) == bucket


def test_weeks_run_monday_to_sunday_in_london() -> None:
    assert WEEK.start == datetime(2026, 11, 16, 0, 0, tzinfo=UTC)
    assert WEEK.end == datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
    assert WEEK.previous().ending == date(2026, 11, 15)
    assert week_ending_on(date(2026, 11, 18)) == WEEK  # any day means its Monday-Sunday week
    assert week_ending_on(date(2026, 11, 16)) == WEEK


@pytest.mark.parametrize(("now", "ending"), [
    (datetime(2026, 11, 23, 7, 0, tzinfo=UTC), date(2026, 11, 22)),  # Monday 07:00
    (datetime(2026, 11, 22, 23, 59, tzinfo=UTC), date(2026, 11, 15)),  # still Sunday
    (datetime(2026, 3, 29, 23, 30, tzinfo=UTC), date(2026, 3, 29)),  # 00:30 BST on Monday
])
def test_last_full_week(now: datetime, ending: date) -> None:
    assert last_full_week(now).ending == ending


def test_weeks_back_are_consecutive_and_oldest_first() -> None:
    weeks = weeks_back(WEEK, 12)
    assert len(weeks) == 12 and weeks[-1] == WEEK
    assert all(b.start == a.end for a, b in zip(weeks, weeks[1:], strict=False))


@pytest.mark.parametrize(("now", "before", "direction"), [
    (3, 2, "up"), (2, 3, "down"), (2, 2, "same"), (None, 2, None), (2, None, None)])
def test_trend(now: float | None, before: float | None, direction: str | None) -> None:
    assert trend(now, before) == direction


def test_better_depends_on_which_way_is_good() -> None:
    assert figure(5, 3)["better"] is False  # more overdue is worse
    assert figure(0.9, 0.8, higher_is_better=True)["better"] is True
    assert figure(1, 1)["better"] is None


@pytest.mark.parametrize(("values", "expected"), [
    ([], None), ([4.0], 4.0), ([1.0, 3.0], 2.0), ([1.0, 2.0, 9.0], 2.0)])
def test_median(values: list[float], expected: float | None) -> None:
    assert median(values) == expected


def test_share_of_nothing_is_unknown() -> None:
    assert share(0, 0) is None and share(1, 4) == 0.25


def _content() -> dict[str, object]:
    this = WeekFigures([CubeRow("insiders", "A", 0, "1-2", "none", 2),
                        CubeRow("insiders", "B", 1, "29+", "awaiting_investigation", 1),
                        CubeRow("listeners", "A", 2, "3-7", "none", 1)],
                       ClockFigures(4, 3, 2, 1, 7200.0, 5))
    last = WeekFigures([CubeRow("insiders", "A", None, "3-7", "none", 1)],
                       ClockFigures(2, 2, 0, 0, 3600.0, 2))
    oldest = [OldItem(f"TST-{i}", "insiders", "A", 0, 40 - i) for i in range(12)]
    posts = [SchemePosts("insiders", "Insiders", True, True),
             SchemePosts("buddies", "Buddies", False, True)]
    return assemble(establishment="HMP Testford", scope="scheme:insiders", recipient="Lead",
                    week=WEEK, this=this, last=last, oldest=oldest, posts=posts)


def test_assemble_counts_every_dimension_and_compares() -> None:
    d = _content()
    overdue = d["overdue"]
    assert overdue["total"] == {"now": 4, "last_week": 1, "trend": "up", "better": False}
    insiders = next(r for r in overdue["by_scheme"] if r["key"] == "insiders")
    assert insiders["buckets"] == {
        "1-2": 2, "3-7": 0, "8-28": 0, "29+": 1}
    assert {r["key"]: r["now"] for r in overdue["by_level"]} == {0: 2, 1: 1, 2: 1}
    assert [r["key"] for r in overdue["by_bucket"]] == ["1-2", "3-7", "29+"]
    assert [(r["key"], r["now"]) for r in d["reasons"]] == [("awaiting_investigation", 1)]
    assert d["no_reason"]["now"] == 3 and d["no_reason"]["last_week"] == 1
    assert d["schemes_without_posts"] == [
        {"key": "buddies", "name": "Buddies", "lead": False, "deputy": True}]
    assert d["clock"]["acknowledged_in_time"]["now"] == 0.75
    assert d["clock"]["acknowledged_in_time"]["trend"] == "down"
    assert d["clock"]["acknowledged_in_time"]["better"] is False
    assert d["clock"]["median_first_action_hours"]["now"] == 2.0
    assert len(d["oldest"]) == 10 and d["scope_label"] == "Insiders scheme"


def test_text_and_csv_carry_the_same_figures() -> None:
    d = _content()
    text = digest_text(d)
    assert "Overdue items: 4 (last week 1, up)" in text
    assert "Buddies: no active lead" in text
    assert "Acknowledged in time: 75% (last week 100%, down)" in text
    table = list(csv.reader(io.StringIO(digest_csv(d))))
    assert table[0] == ["section", "key", "label", "this_week", "last_week", "trend"]
    assert ["overdue", "total", "Overdue items", "4", "1", "up"] in table
    assert ["reason", "awaiting_investigation", "Awaiting investigation", "1", "0", "up"] in table
    assert sum(1 for row in table if row[0] == "oldest") == 10


def test_png_is_a_valid_image_of_the_right_size() -> None:
    png = paired_bars_png([3, 12, 0], [5, 7, 1])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (24 + 44 * 3, 160)
    length = struct.unpack(">I", png[33:37])[0]
    assert png[37:41] == b"IDAT"
    raw = zlib.decompress(png[41:41 + length])
    assert len(raw) == height * (1 + width * 3)


def test_svg_has_no_inline_style_and_escapes_labels() -> None:
    svg = bar_svg(["<A>", "B"], [2, None], title="Late & more", css="share")
    assert "style=" not in svg and "<script" not in svg
    assert "&lt;A&gt;" in svg and "Late &amp; more" in svg and "no data" in svg
    assert svg.count('class="bar"') == 1
