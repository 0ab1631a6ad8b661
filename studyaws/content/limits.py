"""How big content may be: one place for every bound a learner's file is held to.

A content file is untrusted input (a learner's notes, a downloaded course), so reading it is
bounded in time and memory whatever it holds: each bound is a `file:line:col: CODE` problem, never
a hang, a `MemoryError` or a traceback. The bundled course is far inside all of them (its largest
file: 85 KB, 2,618 YAML nodes, 7 levels deep; its largest diagram: 4 × 3 cells).
"""

from __future__ import annotations

MAX_FILE_BYTES = 1024 * 1024
"""SA105: a content file larger than this is not read at all."""

MAX_NODES = 50_000
"""SA106: YAML nodes (mappings, lists, scalars) in one file."""

MAX_DEPTH = 32
"""SA106: levels of nesting in one file (libyaml itself stops at 1,000)."""

MAX_EXPANDED_NODES = 2 * MAX_NODES
"""SA107: nodes read from one file once its aliases are expanded, a long string counting as one
node per 256 characters (a "billion laughs" file has a few dozen nodes that expand to billions).
Without aliases a file can't come near it: each node is read once or twice."""

MAX_CONTENT_FILES = 2_000
"""SA108: YAML files under one content directory."""

MAX_WALK_ENTRIES = 50_000
"""SA108: files and directories looked at under one content directory (`--content /`)."""

MAX_DIAGRAM_CELLS = 20
"""SA204: a diagram node's `col` and `row` are below this (the terminal drawing and the SVG grow
with the grid, so a node at `col: 1000000000` must never reach them)."""

MAX_DIAGRAM_LABEL = 60
"""SA204: characters in a diagram node's or edge's label."""

MAX_DIAGRAM_ITEMS = 100
"""SA204: nodes, and edges, in one diagram."""
