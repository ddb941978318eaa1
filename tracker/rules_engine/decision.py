"""The outcome of classifying one concern, and its JSON contract."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Evidence:
    """Why a rule fired: its id and the words of the text that matched."""

    rule: str
    words: tuple[str, ...]


class Later(Generic[T]):
    """A value worked out only when first read, then kept (explanations are rarely needed)."""

    __slots__ = ("_build", "_value")

    def __init__(self, build: Callable[[], T]) -> None:
        self._build: Callable[[], T] | None = build

    def __call__(self) -> T:
        """The value, worked out on the first call."""
        if self._build is not None:
            self._value = self._build()
            self._build = None
        return self._value


class _Lazy(Generic[T]):
    """A dataclass field that accepts a value or a Later, and reads as the value either way."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = "_lazy_" + name

    def __get__(self, obj: object, objtype: type | None = None) -> T:
        if obj is None:
            raise AttributeError(self._slot)  # no default: the field stays required
        value = obj.__dict__[self._slot]
        if isinstance(value, Later):
            value = obj.__dict__[self._slot] = value()
        return value  # type: ignore[no-any-return]

    def __set__(self, obj: object, value: T | Later[T]) -> None:
        if self._slot in obj.__dict__:  # frozen, like every other field
            raise AttributeError(f"cannot assign to field {self._slot[6:]!r}")
        obj.__dict__[self._slot] = value


@dataclass(frozen=True)
class Decision:
    """Where a concern goes, how fast, who may see it, and why."""

    categories: tuple[str, ...]
    urgency: str
    scheme: str
    co_schemes: tuple[str, ...]
    owner: str
    extra_owners: tuple[str, ...]
    confidentiality: str
    rules: tuple[str, ...]
    # Lazy fields are still required (see _Lazy.__get__); mypy cannot tell, hence the ignores.
    evidence: _Lazy[tuple[Evidence, ...]] = _Lazy()
    alert_safer_custody: bool  # type: ignore[misc]
    tell_officer_now: bool  # type: ignore[misc]
    supporter_explanation: _Lazy[str] = _Lazy()
    staff_explanation: _Lazy[str] = _Lazy()
    ruleset_version: str  # type: ignore[misc]

    @classmethod
    def fast(cls, **values: Any) -> Decision:
        """Same as Decision(**values) but without the frozen dataclass's per-field setattr calls.

        Every field must be given; lazy fields (a value or a Later) go to their _Lazy slots.
        """
        decision = object.__new__(cls)
        state = decision.__dict__
        state.update(values)
        for name in _LAZY_FIELDS:
            state["_lazy_" + name] = state.pop(name)
        return decision

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract shared by `tracker classify` and POST /api/v1/classify (no id)."""
        return {
            "categories": list(self.categories),
            "urgency": self.urgency,
            "scheme": self.scheme,
            "co_schemes": list(self.co_schemes),
            "owner": self.owner,
            "extra_owners": list(self.extra_owners),
            "confidentiality": self.confidentiality,
            "rules": list(self.rules),
            "evidence": [{"rule": e.rule, "words": list(e.words)} for e in self.evidence],
            "alert_safer_custody": self.alert_safer_custody,
            "tell_officer_now": self.tell_officer_now,
            "explanation": self.supporter_explanation,
            "staff_explanation": self.staff_explanation,
            "ruleset_version": self.ruleset_version,
        }


_LAZY_FIELDS = ("evidence", "supporter_explanation", "staff_explanation")
