"""The digest's content rendered for people: plain text (the email's text part) and CSV.

Pure: reads the JSON-ready content built by ``tracker.core.digest.assemble``; never any words
of a concern, because the content holds none.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from tracker.core.digest import scheme_label

ARROWS = {"up": "up", "down": "down", "same": "same", None: "—"}


def show(value: Any, percent: bool = False) -> str:
    """A figure for people: '—' when missing, '83%' for shares."""
    if value is None:
        return "—"
    if percent:
        return f"{round(float(value) * 100)}%"
    return f"{value:g}" if isinstance(value, float) else str(value)


def versus(fig: Mapping[str, Any], percent: bool = False) -> str:
    """'12 (last week 9, up)'."""
    if fig.get("trend") is None and fig.get("last_week") is None:
        return show(fig["now"], percent)
    return (f"{show(fig['now'], percent)} (last week {show(fig['last_week'], percent)}, "
            f"{ARROWS[fig['trend']]})")


def digest_text(content: Mapping[str, Any]) -> str:
    """The plain-text digest (the email's text part): the same figures as the HTML."""
    o, clock = content["overdue"], content["clock"]
    lines = [f"Weekly digest: {content['establishment']}, {content['scope_label']}",
             f"Week ending {content['week_ending']} (for {content['recipient']})", "",
             f"Overdue items: {versus(o['total'])}",
             f"Late with no reason given: {versus(content['no_reason'])}", ""]
    for title, rows in (("By scheme", o["by_scheme"]), ("By wing", o["by_wing"]),
                        ("By escalation level", o["by_level"]), ("By age", o["by_bucket"]),
                        ("Reasons given", content["reasons"])):
        lines.append(f"{title}:")
        lines += [f"  {r['label']}: {versus(r)}" for r in rows] or ["  none"]
    lines += ["", "Within the clock:",
              f"  Acknowledged in time: {versus(clock['acknowledged_in_time'], True)}",
              f"  Resolved in time: {versus(clock['resolved_in_time'], True)}",
              f"  Median time to first action (hours): {versus(clock['median_first_action_hours'])}",
              "", "Schemes with no active lead or deputy:"]
    lines += [f"  {s['name']}: {_posts_text(s)}" for s in content["schemes_without_posts"]] or [
        "  none"]
    lines += ["", "Oldest open items:"]
    lines += [f"  {i['reference']}  {scheme_label(i['scheme'])}, wing {i['wing']}, level "
              f"{i['level']}, {i['age_days']} days old" for i in content["oldest"]] or ["  none"]
    lines += [f"Note: {n}" for n in content.get("notes", [])]
    return "\n".join(lines) + "\n"


def _posts_text(scheme: Mapping[str, Any]) -> str:
    missing = [name for name, held in (("lead", scheme["lead"]), ("deputy", scheme["deputy"]))
               if not held]
    return "no active " + " or ".join(missing)


CSV_HEADER = ("section", "key", "label", "this_week", "last_week", "trend")


def digest_csv(content: Mapping[str, Any]) -> str:
    """The CSV attachment: one row per figure, then the oldest items (never any words)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    o, clock = content["overdue"], content["clock"]
    writer.writerow(("overdue", "total", "Overdue items", *_csv_fig(o["total"])))
    writer.writerow(("no_reason", "none", "Late with no reason given",
                     *_csv_fig(content["no_reason"])))
    for section, rows in (("scheme", o["by_scheme"]), ("wing", o["by_wing"]),
                          ("level", o["by_level"]), ("age", o["by_bucket"]),
                          ("reason", content["reasons"])):
        for r in rows:
            writer.writerow((section, r["key"], r["label"], *_csv_fig(r)))
    for key in ("acknowledged_in_time", "resolved_in_time", "median_first_action_hours"):
        writer.writerow(("clock", key, key.replace("_", " "), *_csv_fig(clock[key])))
    for s in content["schemes_without_posts"]:
        writer.writerow(("no_active_post", s["key"], s["name"], _posts_text(s), "", ""))
    for i in content["oldest"]:
        writer.writerow(("oldest", i["reference"],
                         f"{scheme_label(i['scheme'])}, wing {i['wing']}, level {i['level']}",
                         f"{i['age_days']} days", "", ""))
    return out.getvalue()


def _csv_fig(fig: Mapping[str, Any]) -> tuple[str, str, str]:
    def cell(v: Any) -> str:
        return "" if v is None else str(v)
    return cell(fig["now"]), cell(fig.get("last_week")), cell(fig.get("trend"))

