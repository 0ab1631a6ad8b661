"""YAML text to nodes (with line and column) as fast as PyYAML allows, safely.

libyaml parses; composing the node tree calls back into Python for every node to resolve its tag
and to track path resolvers. The safe loader's resolver is generic (path resolvers, a regex table
walk); ours keeps only what the safe loader does for documents like ours — the implicit tags of
plain scalars (int, float, bool, null, timestamp) — in one dictionary lookup and a short loop. The
tags it gives are exactly the safe loader's, so `safe_load` and this agree on every value; no
Python object is ever constructed from a tag (`!!python/...` stays an unknown tag, read as text).

The path-resolver callbacks, called once for every node that is not an alias, count the nodes and
the depth of nesting for free, and stop composing the moment a limit is passed (limits.py holds the
bounds); only then is the text parsed again, as events, to say where.
"""

from __future__ import annotations

from typing import Any

import yaml

_SCALAR = yaml.ScalarNode
_SEQUENCE = yaml.SequenceNode
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_IMPLICIT: dict[str | None, list[tuple[str, Any]]] = yaml.SafeLoader.yaml_implicit_resolvers

try:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]  # libyaml

    _FAST = True
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _FAST = False


class PastLimitError(Exception):
    """The document has more nodes, or deeper nesting, than the caller allows; composing stopped
    there. `which` is "nodes" or "depth"; `line` and `col` (1-based) locate the first node past
    the limit."""

    def __init__(self, which: str, line: int, col: int) -> None:
        super().__init__(which)
        self.which = which
        self.line = line
        self.col = col


class _Stop(Exception):  # noqa: N818 (internal: unwinds the composer)
    pass


if _FAST:

    class _Composer(_Parser):  # libyaml parses, Python resolves tags
        # Slots: the two callbacks below run for every node, and slot access is what keeps
        # counting nodes and depth from costing more than the tags (about 5 ms of 40 for the
        # whole course, benchmarks/startup.py).
        __slots__ = ("level", "max_depth", "max_nodes", "nodes")

        def __init__(self, text: str, max_nodes: int, max_depth: int) -> None:
            super().__init__(text)
            self.nodes = 0
            self.level = 0
            self.max_nodes = max_nodes
            self.max_depth = max_depth

        @property
        def stopped(self) -> str:
            return "nodes" if self.nodes > self.max_nodes else "depth"

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            self.nodes += 1
            self.level += 1
            if self.nodes > self.max_nodes or self.level > self.max_depth:
                raise _Stop

        def ascend_resolver(self) -> None:
            self.level -= 1

        def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
            if kind is _SCALAR:
                if implicit[0]:
                    for tag, regexp in _IMPLICIT.get(value[:1] or None, ()):
                        if regexp.match(value):
                            return tag
                return _STR
            return _SEQ if kind is _SEQUENCE else _MAP


def compose(text: str, max_nodes: int, max_depth: int) -> yaml.Node | None:
    """The node tree of one YAML document (None for an empty one); raises yaml.YAMLError, or
    PastLimitError as soon as the document has more than `max_nodes` nodes (not counting
    aliases) or nests deeper than `max_depth`, so a huge file never becomes a huge tree."""
    if not _FAST:  # pragma: no cover
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        _check_tree(root, max_nodes, max_depth)
        return root
    composer = _Composer(text, max_nodes, max_depth)
    try:
        node: yaml.Node | None = composer.get_single_node()
        return node
    except _Stop:
        which = composer.stopped
    finally:
        composer.dispose()
    line, col = _locate(text, which, max_nodes, max_depth)
    raise PastLimitError(which, line, col)


_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
_END_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _locate(text: str, which: str, max_nodes: int, max_depth: int) -> tuple[int, int]:
    """Where the first node past the limit starts: the events again, no tree kept."""
    parser = _Parser(text) if _FAST else yaml.SafeLoader(text)
    nodes = level = 0
    try:
        while True:
            event = parser.get_event()
            if isinstance(event, _NODE_EVENTS):
                nodes += 1
                if (which == "nodes" and nodes > max_nodes) or (
                    which == "depth" and level + 1 > max_depth
                ):
                    mark = event.start_mark
                    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
                if not isinstance(event, yaml.ScalarEvent):
                    level += 1
            elif isinstance(event, _END_EVENTS):
                level -= 1
            elif isinstance(event, yaml.StreamEndEvent):
                return 1, 1
    finally:
        parser.dispose()


def _check_tree(root: yaml.Node | None, max_nodes: int, max_depth: int) -> None:  # pragma: no cover
    """The limits for the pure-Python parser, after the fact (it has no callbacks to stop it)."""
    if root is None:
        return
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        which = "nodes" if len(seen) > max_nodes else "depth" if depth > max_depth else ""
        if which:
            raise PastLimitError(which, node.start_mark.line + 1, node.start_mark.column + 1)
        stack.extend((child, depth + 1) for child in reversed(_children(node)))


def _children(node: yaml.Node) -> list[yaml.Node]:  # pragma: no cover
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return []
