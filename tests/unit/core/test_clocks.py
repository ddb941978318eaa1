"""Clock terms from rules/clocks.yaml: defaults, strictest term, deadlines, bad files."""

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tracker.core.calendar import Duration
from tracker.core.clock_rules import ClockRules, RuleFileError, load_clock_rules
from tracker.core.clocks import ClockTerm, ClockTerms, deadlines
from tracker.core.pauses import Interval

LONDON = ZoneInfo("Europe/London")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON).astimezone(UTC)


@pytest.fixture(scope="module")
def rules() -> ClockRules:
    return load_clock_rules()


@pytest.mark.parametrize(
    ("categories", "urgency", "ack", "resolve"),
    [
        ([], "immediate", "15m", "same_day"),
        (["bullying"], "immediate", "15m", "same_day"),
        (["equality"], "urgent", "4h", "2d"),
        (["bullying"], "routine", "1wd", "5wd"),
        (["emotional_distress"], "routine", "1wd", "5wd"),
        (["equality"], "routine", "3wd", "28d"),
        (["staff_complaint"], "routine", "1wd", "10wd"),
        ([], "routine", "2wd", "10wd"),
    ],
)
def test_default_terms(
    rules: ClockRules, categories: list[str], urgency: str, ack: str, resolve: str
) -> None:
    term = rules.terms.terms_for(categories, urgency)
    assert (str(term.ack), str(term.resolve)) == (ack, resolve)


def test_strictest_term_across_categories(rules: ClockRules) -> None:
    term = rules.terms.terms_for(["equality", "staff_complaint"], "routine")
    assert term == ClockTerm(
        Duration.parse("1wd"), Duration.parse("10wd"), "staff_complaint", "staff_complaint"
    )


def test_ack_and_resolve_may_come_from_different_categories(rules: ClockRules) -> None:
    term = rules.terms.terms_for(["equality", "bullying"], "routine")
    assert (str(term.ack), term.ack_from) == ("1wd", "bullying")
    assert (str(term.resolve), term.resolve_from) == ("5wd", "bullying")


def test_exact_comparison_with_a_start(rules: ClockRules) -> None:
    # 8d against 5wd: nominally 5wd (7 days) is stricter, but from Thu 24 Dec 2026
    # 5wd runs to Tue 5 Jan (Christmas, Boxing Day, New Year) while 8d ends Fri 1 Jan.
    table = dict(rules.terms.table)
    table["routine"] = {"default": ClockTerm(Duration.parse("1wd"), Duration.parse("5wd")),
                        "bullying": ClockTerm(Duration.parse("1wd"), Duration.parse("8d"))}
    custom = ClockTerms(table)
    assert str(custom.terms_for(["bullying", "equality"], "routine").resolve) == "5wd"
    exact = custom.terms_for(["bullying", "equality"], "routine",
                             start=local(2026, 12, 24, 10), calendar=rules.calendar)
    assert str(exact.resolve) == "8d"


def test_unknown_category_is_refused(rules: ClockRules) -> None:
    with pytest.raises(ValueError, match="unknown category"):
        rules.terms.terms_for(["bulying"], "routine")


def test_unknown_urgency_is_refused(rules: ClockRules) -> None:
    with pytest.raises(ValueError, match="unknown urgency"):
        rules.terms.terms_for([], "soonish")


def test_deadlines_routine_bullying_from_friday(rules: ClockRules) -> None:
    term = rules.terms.terms_for(["bullying"], "routine")
    due = deadlines(term, local(2026, 6, 12, 15), rules.calendar)
    assert due.ack_due == local(2026, 6, 15, 15)
    assert due.resolve_due == local(2026, 6, 19, 15)


def test_deadlines_extend_by_pauses(rules: ClockRules) -> None:
    term = rules.terms.terms_for([], "urgent")
    start = datetime(2026, 6, 12, 9, tzinfo=UTC)
    pause = [Interval(datetime(2026, 6, 12, 10, tzinfo=UTC), datetime(2026, 6, 12, 12, tzinfo=UTC))]
    due = deadlines(term, start, rules.calendar, pause)
    assert due.ack_due == datetime(2026, 6, 12, 15, tzinfo=UTC)
    assert due.resolve_due == datetime(2026, 6, 14, 11, tzinfo=UTC)


def test_resolve_never_before_ack_late_at_night(rules: ClockRules) -> None:
    term = rules.terms.terms_for([], "immediate")
    due = deadlines(term, local(2026, 1, 10, 23, 55), rules.calendar)
    assert due.ack_due == local(2026, 1, 11, 0, 10)
    assert due.resolve_due == due.ack_due


def test_calendar_settings_are_loaded(rules: ClockRules) -> None:
    assert rules.calendar.timezone == "Europe/London"
    assert not rules.calendar.is_working_day(datetime(2026, 12, 28).date())


GOOD = """\
version: 1
terms:
  immediate: {default: {ack: 15m, resolve: same_day}}
  urgent: {default: {ack: 4h, resolve: 2d}}
  routine:
    default: {ack: 2wd, resolve: 10wd}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "clocks.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_file_loads(tmp_path: Path) -> None:
    rules = load_clock_rules(write(tmp_path, GOOD))
    assert str(rules.terms.terms_for(["bullying"], "routine").ack) == "2wd"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("ack: 2wd", "ack: 2 weeks"),
         r"clocks.yaml, line 6, terms.routine.default.ack: cannot read duration"),
        (GOOD.replace("    default: {ack: 2wd", "    bulying: {ack: 2wd"),
         r"terms.routine.bulying: unknown key"),
        (GOOD.replace("  urgent: {default: {ack: 4h, resolve: 2d}}\n", ""),
         r"terms: missing required key 'urgent'"),
        (GOOD.replace(", resolve: same_day", ""),
         r"terms.immediate.default: missing required key 'resolve'"),
        (GOOD.replace("version: 1", "version: 2"), r"version: expected version: 1"),
        ("version: 1\nterms: [\n", r"cannot read"),
        (GOOD + "calendar: {extra_holidays: [tomorrow]}\n", r"calendar.extra_holidays"),
    ],
)
def test_bad_file_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(RuleFileError, match=message):
        load_clock_rules(write(tmp_path, text))
