"""Load ``rules/clocks.yaml`` and ``rules/escalation.yaml`` into core dataclasses.

Bad data fails at load time with a ``RuleFileError`` naming the file, the key
path and, when it can be found, the line ("rules/clocks.yaml, line 27,
terms.routine.bullying.ack: cannot read duration '1 wd' ..."), so an edited
rule file never half-works. Only ``yaml.safe_load`` is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from tracker.core.calendar import Duration, WorkingCalendar
from tracker.core.clocks import CATEGORIES, DEFAULT_KEY, URGENCIES, ClockTerm, ClockTerms
from tracker.core.escalation import COMPLAINT_LADDER, ROLES, Ladder, Ladders, Level

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
SCHEMES: tuple[str, ...] = (
    "listeners", "insiders", "buddies", "equality_reps", "shannon_trust", "pal", "triage",
)
Key = tuple[str | int, ...]


class RuleFileError(ValueError):
    """A rule file that cannot be used, with where the problem is."""

    def __init__(self, path: Path, key: Key, problem: str, line: int | None = None) -> None:
        self.path, self.key, self.problem, self.line = path, key, problem, line
        where = f"{path}, line {line}" if line else str(path)
        dotted = ".".join(str(k) for k in key) or "(top level)"
        super().__init__(f"{where}, {dotted}: {problem}")


@dataclass(frozen=True)
class ClockRules:
    """What clocks.yaml defines: the terms table and the working calendar."""

    terms: ClockTerms
    calendar: WorkingCalendar


class _Reader:
    """Walks one parsed file, turning every problem into a located RuleFileError."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            text = path.read_text(encoding="utf-8")
            self.data = yaml.safe_load(text)
            self.tree = yaml.compose(text)
        except (OSError, yaml.YAMLError) as exc:
            raise RuleFileError(path, (), f"cannot read: {exc}") from exc

    def fail(self, key: Key, problem: str) -> RuleFileError:
        return RuleFileError(self.path, key, problem, self._line(key))

    def _line(self, key: Key) -> int | None:
        node = self.tree
        for part in key:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == part), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                node = node.value[part] if part < len(node.value) else None
            else:
                node = None
            if node is None:
                return None
        return node.start_mark.line + 1 if node is not None else None

    def mapping(self, value: Any, key: Key, allowed: tuple[str, ...] | None = None,
                required: tuple[str, ...] = ()) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a mapping, got {type(value).__name__}")
        for name in value:
            if allowed is not None and name not in allowed:
                raise self.fail(key + (name,), f"unknown key; expected one of {allowed}")
        for name in required:
            if name not in value:
                raise self.fail(key, f"missing required key {name!r}")
        return value

    def duration(self, value: Any, key: Key) -> Duration:
        try:
            return Duration.parse(str(value))
        except ValueError as exc:
            raise self.fail(key, str(exc)) from exc

    def version(self) -> dict[str, Any]:
        top = self.mapping(self.data, ())
        if top.get("version") != 1:
            raise self.fail(("version",), "expected version: 1")
        return top


def load_clock_rules(path: Path | str = RULES_DIR / "clocks.yaml") -> ClockRules:
    """Read the clock terms and calendar settings, refusing anything malformed."""
    reader = _Reader(Path(path))
    top = reader.mapping(reader.version(), (), ("version", "calendar", "terms"), ("terms",))
    return ClockRules(_terms(reader, top["terms"]), _calendar(reader, top.get("calendar") or {}))


def _terms(reader: _Reader, raw: Any) -> ClockTerms:
    """The urgency x category table; each urgency needs a default row."""
    table = reader.mapping(raw, ("terms",), URGENCIES, URGENCIES)
    result: dict[str, dict[str, ClockTerm]] = {}
    for urgency, rows in table.items():
        key: Key = ("terms", urgency)
        rows = reader.mapping(rows, key, CATEGORIES + (DEFAULT_KEY,), (DEFAULT_KEY,))
        result[urgency] = {}
        for category, term in rows.items():
            at = key + (category,)
            term = reader.mapping(term, at, ("ack", "resolve"), ("ack", "resolve"))
            result[urgency][category] = ClockTerm(
                reader.duration(term["ack"], at + ("ack",)),
                reader.duration(term["resolve"], at + ("resolve",)), category, category)
    return ClockTerms(result)


def _calendar(reader: _Reader, raw: Any) -> WorkingCalendar:
    """Timezone, bank-holiday source and extra days off."""
    key: Key = ("calendar",)
    cal = reader.mapping(raw, key, ("timezone", "holidays", "extra_holidays"))
    hol = reader.mapping(cal.get("holidays") or {}, key + ("holidays",), ("country", "subdiv"))
    extra = cal.get("extra_holidays") or []
    if not isinstance(extra, list) or not all(isinstance(d, date) for d in extra):
        raise reader.fail(key + ("extra_holidays",), "expected a list of YYYY-MM-DD dates")
    try:
        return WorkingCalendar(str(cal.get("timezone", "Europe/London")),
                               str(hol.get("country", "UK")), hol.get("subdiv", "ENG"),
                               frozenset(extra))
    except (LookupError, ValueError, NotImplementedError) as exc:
        raise reader.fail(key, f"unusable calendar: {exc}") from exc


def load_ladders(path: Path | str = RULES_DIR / "escalation.yaml") -> Ladders:
    """Read every scheme's ladder; schemes without levels borrow the default ones."""
    reader = _Reader(Path(path))
    top = reader.mapping(reader.version(), (), ("version", "ladders"), ("ladders",))
    raw = reader.mapping(top["ladders"], ("ladders",), SCHEMES + ("default", COMPLAINT_LADDER),
                         ("default",))
    default_levels = _levels(reader, ("ladders", "default"), raw["default"], required=True)
    ladders: dict[str, Ladder] = {}
    for scheme, spec in raw.items():
        key: Key = ("ladders", scheme)
        spec = reader.mapping(spec, key, ("name", "levels"), ("name",))
        levels = _levels(reader, key, spec, required=False) or default_levels
        ladders[scheme] = Ladder(scheme, str(spec["name"]), levels)
    return Ladders(ladders)


def _levels(reader: _Reader, key: Key, spec: Any, *, required: bool) -> tuple[Level, ...]:
    """A ladder's rungs, numbered by position from 0."""
    spec = reader.mapping(spec, key)
    raw = spec.get("levels")
    if raw is None and not required:
        return ()
    if not isinstance(raw, list) or len(raw) < 2:
        raise reader.fail(key + ("levels",), "expected a list of at least two levels")
    return tuple(_level(reader, key + ("levels", i), i, item) for i, item in enumerate(raw))


def _level(reader: _Reader, key: Key, number: int, raw: Any) -> Level:
    """One rung: title, roles (all known), and its deadline(s)."""
    item = reader.mapping(raw, key, ("title", "roles", "deadline"), ("title", "roles", "deadline"))
    roles = item["roles"]
    if not isinstance(roles, list) or not roles:
        raise reader.fail(key + ("roles",), "expected a non-empty list of roles")
    for i, role in enumerate(roles):
        if role not in ROLES:
            raise reader.fail(key + ("roles", i), f"unknown role {role!r}; expected one of {ROLES}")
    deadline = item["deadline"]
    if isinstance(deadline, dict):
        options = URGENCIES + ("default",)
        reader.mapping(deadline, key + ("deadline",), options)
        if "default" not in deadline and not all(u in deadline for u in URGENCIES):
            raise reader.fail(key + ("deadline",), "give every urgency or a default")
        deadlines = {u: reader.duration(v, key + ("deadline", u)) for u, v in deadline.items()}
    else:
        deadlines = {"default": reader.duration(deadline, key + ("deadline",))}
    return Level(number, str(item["title"]), tuple(roles), deadlines)
