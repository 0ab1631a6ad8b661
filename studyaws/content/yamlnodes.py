"""YAML text to nodes (with line and column) as fast as PyYAML allows, safely.

libyaml parses; composing the node tree calls back into Python for every node to resolve its tag
and to track path resolvers. The safe loader's resolver is generic (path resolvers, a regex table
walk); ours keeps only what the safe loader does for documents like ours — the implicit tags of
plain scalars (int, float, bool, null, timestamp) — in one dictionary lookup and a short loop. The
tags it gives are exactly the safe loader's, so `safe_load` and this agree on every value; no
Python object is ever constructed from a tag (`!!python/...` stays an unknown tag, read as text).
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


if _FAST:

    class _Composer(_Parser):  # libyaml parses, Python resolves tags
        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None

        def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
            if kind is _SCALAR:
                if implicit[0]:
                    for tag, regexp in _IMPLICIT.get(value[:1] or None, ()):
                        if regexp.match(value):
                            return tag
                return _STR
            return _SEQ if kind is _SEQUENCE else _MAP


def compose(text: str) -> yaml.Node | None:
    """The node tree of one YAML document (None for an empty one); raises yaml.YAMLError."""
    if not _FAST:  # pragma: no cover
        return yaml.compose(text, Loader=yaml.SafeLoader)
    composer = _Composer(text)
    try:
        node: yaml.Node | None = composer.get_single_node()
        return node
    finally:
        composer.dispose()
