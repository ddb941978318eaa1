"""The JSON log formatter: one object per line, only the request fields it knows."""

from __future__ import annotations

import json
import logging

import pytest

from tracker.request_log import JsonFormatter, TextFormatter, request_id_from


def _record(**extra: object) -> logging.LogRecord:
    record = logging.LogRecord("tracker.request", logging.INFO, __file__, 1, "request", None, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_one_json_object_per_line() -> None:
    line = JsonFormatter().format(_record(request_id="r1", method="GET", path="/x", status=200,
                                          duration_ms=1.5, user_id=7))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["msg"] == "request" and entry["level"] == "info"
    assert {k: entry[k] for k in ("request_id", "method", "path", "status", "duration_ms",
                                  "user_id")} == {"request_id": "r1", "method": "GET", "path": "/x",
                                                  "status": 200, "duration_ms": 1.5, "user_id": 7}


def test_fields_outside_the_list_are_never_written() -> None:
    entry = json.loads(JsonFormatter().format(_record(text="my pad mate", password="hunter2")))  # noqa: S106
    assert "text" not in entry and "password" not in entry
    assert "hunter2" not in json.dumps(entry)


def test_a_message_with_a_newline_stays_on_one_line() -> None:
    record = _record()
    record.msg = "two\nlines"
    assert "\n" not in JsonFormatter().format(record)


def test_text_format_is_readable() -> None:
    line = TextFormatter().format(_record(request_id="r1", status=404))
    assert "request_id=r1" in line and "status=404" in line


@pytest.mark.parametrize(("header", "kept"), [("abc-123", True), ("a" * 65, False),
                                              ("x\ny", False), ("", False), (None, False)])
def test_request_id_from_header(header: str | None, kept: bool) -> None:
    assert (request_id_from(header) == header) is kept
