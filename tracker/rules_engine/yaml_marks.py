"""YAML loading that remembers line numbers, so every rule-file error can point at its line."""

from __future__ import annotations

import re
from typing import Any

import yaml

from tracker.rules_engine.errors import RuleFileError

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class MarkedDict(dict):
    """A YAML mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class MarkedList(list):
    """A YAML sequence that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


class _DuplicateKey(yaml.YAMLError):
    """Raised inside the loader; turned into a RuleFileError with the file name outside it."""

    def __init__(self, key: object, line: int) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.line = line


_STR = "tag:yaml.org,2002:str"
_RESOLVED_LIMIT = 100_000
_resolved: dict[str, str] = {}  # plain scalar -> tag (rule files repeat their words from load to load)


class _MarkedLoader(_Base):  # type: ignore[misc,valid-type]
    """Safe loader whose mappings and sequences carry line numbers."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """The tag of a node; a plain scalar's depends on its text alone, so it is remembered."""
        if kind is yaml.ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            tag = _resolved.get(value)
            if tag is None:
                if len(_resolved) > _RESOLVED_LIMIT:
                    _resolved.clear()
                tag = _resolved[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)


def _construct(loader: Any, node: yaml.Node) -> Any:
    """construct_object, with a string scalar (most of a rule file) answered directly."""
    if node.tag == _STR and type(node) is yaml.ScalarNode:
        return node.value
    return loader.construct_object(node, deep=True)


def _mapping(loader: Any, node: yaml.MappingNode) -> MarkedDict:
    """Build a MarkedDict, refusing duplicate keys (YAML would silently keep the last one)."""
    result = MarkedDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        line = key_node.start_mark.line + 1
        if key in result:
            raise _DuplicateKey(key, line)
        result[key] = _construct(loader, value_node)
        result.key_lines[str(key)] = line
    return result


def _sequence(loader: Any, node: yaml.SequenceNode) -> MarkedList:
    """Build a MarkedList with one line number per item."""
    result = MarkedList([_construct(loader, child) for child in node.value])
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_BOOL = "tag:yaml.org,2002:bool"
# YAML 1.1 reads no/yes/on/off as booleans; in word lists they are words ("no threats").
_MarkedLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_MarkedLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                    list("tTfF"))
_MarkedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_MarkedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_marked(text: str, file: str) -> Any:
    """Parse YAML text into marked dicts and lists; any syntax problem becomes a RuleFileError."""
    try:
        return yaml.load(text, Loader=_MarkedLoader)  # noqa: S506 - a SafeLoader subclass
    except _DuplicateKey as exc:
        raise RuleFileError(file, str(exc), line=exc.line) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise RuleFileError(file, f"not valid YAML: {getattr(exc, 'problem', exc)}", line=line) from exc


def line_of(node: object, key: str | None = None) -> int | None:
    """Best line number for a node, or for one of its keys when given."""
    if isinstance(node, MarkedDict):
        if key is not None and key in node.key_lines:
            return node.key_lines[key]
        return node.line
    if isinstance(node, MarkedList):
        return node.line
    return None
