"""Escalation ladders: walking up, skipping empty posts, the top, and supporter notices."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tracker.core.calendar import WorkingCalendar
from tracker.core.clock_rules import RuleFileError, load_ladders
from tracker.core.escalation import (
    MESSAGES,
    Ladders,
    Skip,
    delay_notice,
    is_due,
    next_step,
    render_notice,
    start_step,
)
from tracker.core.pauses import REASON_CODES

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 6, 8, 9, tzinfo=UTC)  # Monday 10:00 BST


@pytest.fixture(scope="module")
def ladders() -> Ladders:
    return load_ladders()


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar()


def staffed_except(*empty: str) -> Callable[[str], bool]:
    return lambda role: role not in empty


def test_every_scheme_has_a_four_level_ladder(ladders: Ladders) -> None:
    for scheme in ("listeners", "insiders", "buddies", "equality_reps", "shannon_trust",
                   "pal", "triage"):
        ladder = ladders.for_scheme(scheme)
        assert ladder.scheme == scheme
        assert len(ladder.levels) == 4
        assert ladder.top.roles == ("governor",)


def test_unknown_scheme_uses_default(ladders: Ladders) -> None:
    assert ladders.for_scheme("chess_club").scheme == "default"


def test_start_at_level_zero(ladders: Ladders, cal: WorkingCalendar) -> None:
    step = start_step(ladders.for_scheme("buddies"), NOW, staffed_except(), calendar=cal)
    assert (step.from_level, step.level, step.skipped) == (-1, 0, ())
    assert step.deadline == datetime(2026, 6, 9, 9, tzinfo=UTC)  # routine: 1wd


def test_new_item_with_no_lead_escalates_at_once(ladders: Ladders, cal: WorkingCalendar) -> None:
    step = start_step(ladders.for_scheme("buddies"), NOW, staffed_except("scheme_lead"),
                      calendar=cal)
    assert step.level == 1
    assert step.skipped == (Skip(0, "scheme lead", "the Buddies scheme has no active lead"),)


def test_walk_whole_ladder_with_an_empty_level(ladders: Ladders, cal: WorkingCalendar) -> None:
    ladder = ladders.for_scheme("buddies")
    staffed = staffed_except("officer")  # no custodial manager: level 2 is empty
    level, now = -1, NOW
    walked: list[int] = []
    skipped: list[Skip] = []
    for _ in range(3):
        step = next_step(ladder, level, now, staffed, urgency="urgent", calendar=cal)
        assert is_due(step.deadline, step.deadline)
        walked.append(step.level)
        skipped += step.skipped
        level, now = step.level, step.deadline
    assert walked == [0, 1, 3]
    assert skipped == [Skip(2, "custodial manager", "there is no active custodial manager")]
    assert step.at_top and not step.renotify


def test_deadline_follows_urgency(ladders: Ladders, cal: WorkingCalendar) -> None:
    ladder = ladders.for_scheme("insiders")
    for urgency, expected in [("immediate", timedelta(minutes=30)), ("urgent", timedelta(hours=4)),
                              ("routine", timedelta(days=1))]:
        step = next_step(ladder, 0, NOW, staffed_except(), urgency=urgency, calendar=cal)
        assert step.deadline - NOW == expected


def test_routine_deadline_on_working_days(ladders: Ladders, cal: WorkingCalendar) -> None:
    friday = datetime(2026, 12, 24, 15, tzinfo=LONDON)
    step = next_step(ladders.for_scheme("pal"), 0, friday, staffed_except(), calendar=cal)
    assert step.deadline == datetime(2026, 12, 29, 15, tzinfo=LONDON)


def test_level_with_two_roles_needs_only_one(ladders: Ladders, cal: WorkingCalendar) -> None:
    step = next_step(ladders.for_scheme("buddies"), 0, NOW, staffed_except("scheme_deputy"),
                     calendar=cal)
    assert (step.level, step.skipped) == (1, ())


def test_skip_reason_names_every_empty_role(ladders: Ladders, cal: WorkingCalendar) -> None:
    step = next_step(ladders.for_scheme("buddies"), 0, NOW,
                     staffed_except("scheme_deputy", "safer_custody"), calendar=cal)
    assert step.level == 2
    assert step.skipped[0].reason == (
        "the Buddies scheme has no active deputy and there is no active Safer Custody manager"
    )


def test_top_stays_and_renotifies(ladders: Ladders, cal: WorkingCalendar) -> None:
    ladder = ladders.for_scheme("listeners")
    step = next_step(ladder, 3, NOW, staffed_except(), urgency="immediate", calendar=cal)
    assert (step.level, step.at_top, step.renotify) == (3, True, True)
    assert step.deadline == NOW + timedelta(hours=1)
    again = next_step(ladder, step.level, step.deadline, staffed_except(), urgency="immediate",
                      calendar=cal)
    assert again.renotify and again.deadline == step.deadline + timedelta(hours=1)


def test_top_is_never_skipped_but_vacancy_is_reported(
    ladders: Ladders, cal: WorkingCalendar
) -> None:
    step = next_step(ladders.for_scheme("triage"), 1, NOW, staffed_except("officer", "governor"),
                     calendar=cal)
    assert step.level == 3
    assert not step.staffed
    assert step.vacancy == "there is no active Governor"
    assert [s.level for s in step.skipped] == [2]


def test_level_outside_ladder_is_refused(ladders: Ladders, cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="not on"):
        next_step(ladders.for_scheme("pal"), 4, NOW, staffed_except(), calendar=cal)


def test_default_calendar_is_used_when_none_given(ladders: Ladders) -> None:
    step = next_step(ladders.for_scheme("pal"), 0, NOW, staffed_except())
    assert step.deadline == NOW + timedelta(days=1)


@pytest.mark.parametrize(
    ("deadline", "now", "due"),
    [(NOW, NOW, True), (NOW, NOW - timedelta(seconds=1), False),
     (NOW, NOW + timedelta(days=3), True), (None, NOW, False)],
)
def test_is_due(deadline: datetime | None, now: datetime, due: bool) -> None:
    assert is_due(deadline, now) is due


class TestDelayNotice:
    def test_nobody_gave_a_reason(self) -> None:
        message_id, params = delay_notice("C-0042", None, None, None, "Safer Custody manager",
                                          datetime(2026, 3, 3, 9, tzinfo=UTC))
        assert message_id == "delay.no_action"
        assert render_notice(message_id, params) == (
            "Your concern C-0042 is late. No one has acted on this yet. "
            "It was passed to the Safer Custody manager on Tuesday 3 March."
        )

    def test_date_is_the_london_day(self) -> None:
        _, params = delay_notice("C-1", None, None, None, "Governor",
                                 datetime(2026, 6, 10, 23, 30, tzinfo=UTC))
        assert params["date"] == "Thursday 11 June"

    def test_no_reason_and_not_yet_passed_on(self) -> None:
        message_id, params = delay_notice("C-1", None, None, None, None, None)
        assert render_notice(message_id, params) == (
            "Your concern C-1 is late. No one has acted on this yet."
        )

    def test_reason_with_staff_words_and_expected_date(self) -> None:
        message_id, params = delay_notice(
            "C-7", "other_department", "  Waiting for the kitchen to reply. ",
            date(2026, 3, 10), "custodial manager", datetime(2026, 3, 3, 9, tzinfo=UTC))
        assert message_id == "delay.other_department"
        assert render_notice(message_id, params) == (
            "Your concern C-7 is delayed. Staff are waiting for another department. "
            'Staff said: "Waiting for the kitchen to reply." '
            "They expect to deal with it by Tuesday 10 March. "
            "It was passed to the custodial manager on Tuesday 3 March."
        )

    def test_handed_off_carries_the_reference(self) -> None:
        message_id, params = delay_notice("C-8", "handed_off", "ACCT opened, ref A123", None,
                                          None, None)
        text = render_notice(message_id, params)
        assert "another process" in text and "ACCT opened, ref A123" in text

    @pytest.mark.parametrize("code", REASON_CODES)
    def test_every_reason_code_has_plain_words(self, code: str) -> None:
        message_id, params = delay_notice("C-9", code, None, None, None, None)
        assert message_id in MESSAGES
        assert render_notice(message_id, params).startswith("Your concern C-9")

    def test_unknown_reason_code_is_refused(self) -> None:
        with pytest.raises(ValueError, match="unknown reason code"):
            delay_notice("C-9", "lunch", None, None, None, None)


LADDER = """\
version: 1
ladders:
  default:
    name: the owning team
    levels:
      - {title: lead, roles: [scheme_lead], deadline: 1wd}
      - {title: Governor, roles: [governor], deadline: {default: 1d, immediate: 1h}}
  buddies:
    name: the Buddies scheme
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "escalation.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_ladder_file_and_inheritance(tmp_path: Path) -> None:
    ladders = load_ladders(write(tmp_path, LADDER))
    buddies = ladders.for_scheme("buddies")
    assert buddies.name == "the Buddies scheme"
    assert [level.title for level in buddies.levels] == ["lead", "Governor"]
    assert str(buddies.top.deadline_for("immediate")) == "1h"
    assert str(buddies.top.deadline_for("routine")) == "1d"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (LADDER.replace("[scheme_lead]", "[scheme_leed]"),
         r"escalation.yaml, line 6, ladders.default.levels.0.roles.0: unknown role"),
        (LADDER.replace("deadline: 1wd", "deadline: soon"),
         r"ladders.default.levels.0.deadline: cannot read duration"),
        (LADDER.replace("{default: 1d, immediate: 1h}", "{immediate: 1h}"),
         r"ladders.default.levels.1.deadline: give every urgency or a default"),
        (LADDER.replace("  buddies:", "  budies:"), r"ladders.budies: unknown key"),
        (LADDER.replace("    name: the Buddies scheme\n", ""),
         r"ladders.buddies: expected a mapping"),
        (LADDER.replace("      - {title: Governor", "      # - {title: Governor"),
         r"ladders.default.levels: expected a list of at least two levels"),
    ],
)
def test_bad_ladder_file_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(RuleFileError, match=message):
        load_ladders(write(tmp_path, text))
