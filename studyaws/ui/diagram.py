"""Diagrams: boxes on a grid joined by arrows, drawn as text for the terminal and as SVG files.

Layout rules (shared by both renderers):
- A node sits in a grid cell (`col`, `row`). A column is as wide as its widest box; the gap after a
  column is wide enough for the longest label of a horizontal edge crossing it.
- An edge in one row is a horizontal arrow with its label written on the line; an edge in one column
  is a vertical arrow with its label beside it; anything else is an elbow (across, then down/up).
- Several edges between the same two nodes are drawn side by side (boxes grow to make room).
- When the text drawing is wider than the terminal, the diagram becomes a list of
  `A ──label──▶ B` lines, which reads the same to a screen reader.
- Both renderers allocate by the grid, so a diagram past the limits the content check enforces
  (limits.py: cells, labels, nodes and edges) is never drawn: the terminal gets its list of arrows
  and the SVG writer an error. The check keeps such a diagram out of a course; this keeps it out
  of the renderer whatever path it came by.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from html import escape
from pathlib import Path

from studyaws.content.limits import MAX_DIAGRAM_CELLS, MAX_DIAGRAM_ITEMS, MAX_DIAGRAM_LABEL
from studyaws.content.model import Diagram, DiagramEdge, DiagramNode
from studyaws.errors import StudyawsError
from studyaws.ui.env import Env

H_GAP_MIN = 6
V_GAP = 3


@dataclass(frozen=True, slots=True)
class _Box:
    node: DiagramNode
    x: int
    y: int
    width: int
    height: int

    @property
    def mid_x(self) -> int:
        return self.x + self.width // 2


class _Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.cells = [[" "] * width for _ in range(height)]

    def put(self, x: int, y: int, char: str) -> None:
        if 0 <= y < len(self.cells) and 0 <= x < self.width:
            current = self.cells[y][x]
            if {current, char} == {"─", "│"}:
                char = "┼"
            self.cells[y][x] = char

    def text(self, x: int, y: int, text: str) -> None:
        for i, char in enumerate(text):
            self.put(x + i, y, char)

    def lines(self) -> list[str]:
        return ["".join(row).rstrip() for row in self.cells]


def _pair_key(edge: DiagramEdge) -> tuple[str, str]:
    a, b = sorted((edge.source, edge.target))
    return a, b


def _layout(diagram: Diagram) -> tuple[dict[str, _Box], int, int]:
    nodes = {n.id: n for n in diagram.nodes}
    cols = max((n.col for n in diagram.nodes), default=0) + 1
    rows = max((n.row for n in diagram.nodes), default=0) + 1
    parallel: dict[tuple[str, str], int] = defaultdict(int)
    for edge in diagram.edges:
        parallel[_pair_key(edge)] += 1
    col_width = [0] * cols
    for node in diagram.nodes:
        col_width[node.col] = max(col_width[node.col], len(node.label) + 4)
    gap = [H_GAP_MIN] * cols
    row_height = [3] * rows
    for edge in diagram.edges:
        a, b = nodes.get(edge.source), nodes.get(edge.target)
        if a is None or b is None:
            continue
        if a.row == b.row:
            left = min(a.col, b.col)
            gap[left] = max(gap[left], len(edge.label) + 6)
            row_height[a.row] = max(row_height[a.row], 2 + parallel[_pair_key(edge)])
        elif a.col != b.col:
            left = min(a.col, b.col)
            gap[left] = max(gap[left], len(edge.label) + 6)
    x_of = [0] * cols
    for c in range(1, cols):
        x_of[c] = x_of[c - 1] + col_width[c - 1] + gap[c - 1]
    y_of = [0] * rows
    for r in range(1, rows):
        y_of[r] = y_of[r - 1] + row_height[r - 1] + V_GAP
    boxes = {}
    for node in diagram.nodes:
        width = len(node.label) + 4
        x = x_of[node.col] + (col_width[node.col] - width) // 2
        boxes[node.id] = _Box(node, x, y_of[node.row], width, row_height[node.row])
    longest_vertical_label = max(
        (
            len(e.label) + 3
            for e in diagram.edges
            if e.source in nodes
            and e.target in nodes
            and nodes[e.source].col == nodes[e.target].col
        ),
        default=0,
    )
    total_width = max((b.x + b.width + longest_vertical_label for b in boxes.values()), default=0)
    total_height = y_of[-1] + row_height[-1] if rows else 0
    return boxes, total_width, total_height


def _draw_box(canvas: _Canvas, box: _Box) -> None:
    x, y, w, h = box.x, box.y, box.width, box.height
    rounded = box.node.kind in ("queue", "topic")
    tl, tr, bl, br = ("╭", "╮", "╰", "╯") if rounded else ("┌", "┐", "└", "┘")
    canvas.text(x, y, tl + "─" * (w - 2) + tr)
    for row in range(1, h - 1):
        canvas.text(x, y + row, "│" + " " * (w - 2) + "│")
    canvas.text(x, y + h - 1, bl + "─" * (w - 2) + br)
    canvas.text(x + 2, y + h // 2, box.node.label)


def within_limits(diagram: Diagram) -> bool:
    """Whether the diagram is small enough to draw (the bounds its content check enforces)."""
    return (
        len(diagram.nodes) <= MAX_DIAGRAM_ITEMS
        and len(diagram.edges) <= MAX_DIAGRAM_ITEMS
        and all(
            0 <= n.col < MAX_DIAGRAM_CELLS
            and 0 <= n.row < MAX_DIAGRAM_CELLS
            and len(n.label) <= MAX_DIAGRAM_LABEL
            for n in diagram.nodes
        )
        and all(len(e.label) <= MAX_DIAGRAM_LABEL for e in diagram.edges)
    )


def render_text(diagram: Diagram) -> list[str]:
    """The diagram drawn with box-drawing characters (no colour); its list of arrows when it is
    too large to draw."""
    if not within_limits(diagram):
        return render_list(diagram)
    boxes, width, height = _layout(diagram)
    canvas = _Canvas(width + 2, height)
    for box in boxes.values():
        _draw_box(canvas, box)
    used: dict[tuple[str, str], int] = defaultdict(int)
    for edge in diagram.edges:
        a, b = boxes.get(edge.source), boxes.get(edge.target)
        if a is None or b is None:
            continue
        lane = used[_pair_key(edge)]
        used[_pair_key(edge)] += 1
        dashed = edge.style == "dashed"
        if a.node.row == b.node.row:
            _horizontal(canvas, a, b, edge.label, lane, dashed)
        elif a.node.col == b.node.col:
            _vertical(canvas, a, b, edge.label, lane, dashed)
        else:
            _elbow(canvas, a, b, edge.label, dashed)
    return canvas.lines()


def _horizontal(canvas: _Canvas, a: _Box, b: _Box, label: str, lane: int, dashed: bool) -> None:
    y = a.y + 1 + lane
    rightward = a.x < b.x
    start, end = (a.x + a.width, b.x - 1) if rightward else (b.x + b.width, a.x - 1)
    line = "╌" if dashed else "─"
    for x in range(start, end + 1):
        canvas.put(x, y, line)
    canvas.put(end if rightward else start, y, "▶" if rightward else "◀")
    if label:
        span = end - start + 1
        canvas.text(start + max(2, (span - len(label) - 2) // 2), y, f" {label} ")


def _vertical(canvas: _Canvas, a: _Box, b: _Box, label: str, lane: int, dashed: bool) -> None:
    x = a.mid_x + 2 * lane
    downward = a.y < b.y
    start, end = (a.y + a.height, b.y - 1) if downward else (b.y + b.height, a.y - 1)
    line = "╎" if dashed else "│"
    for y in range(start, end + 1):
        canvas.put(x, y, line)
    canvas.put(x, end if downward else start, "▼" if downward else "▲")
    if label:
        canvas.text(x + 2, (start + end) // 2, label)


def _elbow(canvas: _Canvas, a: _Box, b: _Box, label: str, dashed: bool) -> None:
    rightward = a.x < b.x
    y = a.y + a.height // 2
    x_from = a.x + a.width if rightward else a.x - 1
    x_to = b.mid_x
    line, down = ("╌", "╎") if dashed else ("─", "│")
    for x in range(min(x_from, x_to), max(x_from, x_to) + 1):
        canvas.put(x, y, line)
    downward = b.y > a.y
    canvas.put(
        x_to, y, "┐" if rightward and downward else "┘" if rightward else "┌" if downward else "└"
    )
    y_end = b.y - 1 if downward else b.y + b.height
    for yy in range(min(y, y_end) + 1, max(y, y_end)):
        canvas.put(x_to, yy, down)
    canvas.put(x_to, y_end, "▼" if downward else "▲")
    if label:
        x_label = min(x_from, x_to) + 1
        canvas.text(x_label, y - 1 if downward else y + 1, label)


def render_list(diagram: Diagram) -> list[str]:
    """The same diagram as one line per arrow: what a narrow terminal or a screen reader gets."""
    return [source + rest for source, rest in list_rows(diagram)]


def list_rows(diagram: Diagram) -> list[tuple[str, str]]:
    """`render_list` in two parts a line, (source, arrow and target), so a narrow screen can put
    the arrow under its source instead of breaking a label in two."""
    labels = {n.id: n.label for n in diagram.nodes}
    rows = []
    for edge in diagram.edges:
        arrow = f" ──{edge.label}──▶ " if edge.label else " ──▶ "
        rows.append(
            (labels.get(edge.source, edge.source), arrow + labels.get(edge.target, edge.target))
        )
    linked = {e.source for e in diagram.edges} | {e.target for e in diagram.edges}
    rows.extend((n.label, "") for n in diagram.nodes if n.id not in linked)
    return rows


# -- SVG ----------------------------------------------------------------------------------------

CELL_W = 200
CELL_H = 110
BOX_H = 46
MARGIN = 24
TITLE_H = 40
FILL = {
    "client": "#eef2ff",
    "queue": "#fff4e5",
    "topic": "#fde8f1",
    "function": "#fff1e0",
    "compute": "#e8f5e9",
    "bucket": "#e6f4ea",
    "service": "#e3f2fd",
    "group": "#f3e5f5",
    "box": "#f5f5f5",
    "note": "#fffde7",
}
STROKE = "#37474f"


_SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg"'
_MARKER = '<marker id="arrow"'


def render_svg(diagram: Diagram) -> str:
    """A standalone SVG (deterministic: same diagram, same bytes)."""
    if not within_limits(diagram):
        raise StudyawsError(
            f"diagram {diagram.id} is too large to draw (at most {MAX_DIAGRAM_CELLS} columns "
            f"and rows, {MAX_DIAGRAM_ITEMS} nodes and edges, labels of {MAX_DIAGRAM_LABEL} "
            "characters)"
        )
    cols = max((n.col for n in diagram.nodes), default=0) + 1
    rows = max((n.row for n in diagram.nodes), default=0) + 1
    width = MARGIN * 2 + cols * CELL_W
    height = MARGIN * 2 + TITLE_H + rows * CELL_H + 30
    centers: dict[str, tuple[float, float]] = {}
    box_w: dict[str, float] = {}
    out = [
        f'{_SVG_OPEN} width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" role="img" '
        f'aria-labelledby="title-{diagram.id}">',
        f'<title id="title-{diagram.id}">{escape(diagram.title)}</title>',
        f"<desc>{escape(diagram.caption)}</desc>",
        f'<defs>{_MARKER} viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse">'
        f'<path d="M 0 0 L 10 5 L 0 10 z" fill="{STROKE}"/></marker></defs>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{MARGIN}" y="{MARGIN + 18}" font-size="18" font-weight="bold" fill="#212121">'
        f"{escape(diagram.title)}</text>",
    ]
    for node in diagram.nodes:
        cx = MARGIN + node.col * CELL_W + CELL_W / 2
        cy = MARGIN + TITLE_H + node.row * CELL_H + CELL_H / 2
        centers[node.id] = (cx, cy)
        box_w[node.id] = min(CELL_W - 30, max(90, 8.2 * len(node.label) + 24))
    parallel: dict[tuple[str, str], int] = defaultdict(int)
    for edge in diagram.edges:
        if edge.source not in centers or edge.target not in centers:
            continue
        lane = parallel[_pair_key(edge)]
        parallel[_pair_key(edge)] += 1
        out.append(_svg_edge(edge, centers, box_w, lane))
    for node in diagram.nodes:
        cx, cy = centers[node.id]
        w = box_w[node.id]
        radius = 18 if node.kind in ("queue", "topic") else 6
        out.append(
            f'<rect x="{cx - w / 2:.1f}" y="{cy - BOX_H / 2:.1f}" width="{w:.1f}" height="{BOX_H}" '
            f'rx="{radius}" fill="{FILL.get(node.kind, FILL["box"])}" '
            f'stroke="{STROKE}" stroke-width="1.5"/>'
        )
        out.append(
            f'<text x="{cx:.1f}" y="{cy + 5:.1f}" font-size="14" text-anchor="middle" '
            f'fill="#212121">{escape(node.label)}</text>'
        )
    out.append(
        f'<text x="{MARGIN}" y="{height - MARGIN + 6}" font-size="12" fill="#546e7a">'
        f"{escape(_shorten(diagram.caption, 2 * width // 13))}</text>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _svg_edge(
    edge: DiagramEdge,
    centers: dict[str, tuple[float, float]],
    box_w: dict[str, float],
    lane: int,
) -> str:
    (x1, y1), (x2, y2) = centers[edge.source], centers[edge.target]
    offset = (lane - 0.5) * 12 if lane else 0.0
    dash = ' stroke-dasharray="6 4"' if edge.style == "dashed" else ""
    if abs(y1 - y2) < 1:  # same row
        sign = 1 if x2 > x1 else -1
        sx, ex = x1 + sign * box_w[edge.source] / 2, x2 - sign * box_w[edge.target] / 2
        y = y1 + offset
        path = f"M {sx:.1f} {y:.1f} L {ex:.1f} {y:.1f}"
        lx, ly = (sx + ex) / 2, y - 6
    elif abs(x1 - x2) < 1:  # same column
        sign = 1 if y2 > y1 else -1
        sy, ey = y1 + sign * BOX_H / 2, y2 - sign * BOX_H / 2
        x = x1 + offset
        path = f"M {x:.1f} {sy:.1f} L {x:.1f} {ey:.1f}"
        lx, ly = x + 6, (sy + ey) / 2 + 4
    else:  # elbow: across, then down or up
        sign_x = 1 if x2 > x1 else -1
        sign_y = 1 if y2 > y1 else -1
        sx = x1 + sign_x * box_w[edge.source] / 2
        ey = y2 - sign_y * BOX_H / 2
        path = f"M {sx:.1f} {y1:.1f} L {x2:.1f} {y1:.1f} L {x2:.1f} {ey:.1f}"
        lx, ly = (sx + x2) / 2, y1 - 6
    anchor = "start" if abs(x1 - x2) < 1 else "middle"
    label = (
        f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="11" text-anchor="{anchor}" fill="#37474f">'
        f"{escape(edge.label)}</text>"
        if edge.label
        else ""
    )
    return (
        f'<path d="{path}" fill="none" stroke="{STROKE}" stroke-width="1.5"{dash} '
        f'marker-end="url(#arrow)"/>{label}'
    )


def svg_files(diagrams: dict[str, Diagram]) -> dict[str, str]:
    """File name → SVG text for every diagram of the course."""
    return {f"{d.id}.svg": render_svg(d) for d in sorted(diagrams.values(), key=lambda d: d.id)}


def write_svgs(env: Env, out: Path) -> int:
    from studyaws.ui.course import load

    course = load(env)
    files = svg_files(course.diagrams)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for stale in out.glob("*.svg"):
            # Only a diagram this command wrote before is ours to remove: `--out ~/Pictures`
            # must never delete the learner's own drawings.
            if stale.name not in files and _written_by_us(stale):
                stale.unlink()
        for name, text in files.items():
            (out / name).write_text(text, encoding="utf-8")
    except OSError as exc:
        where = exc.filename or out
        raise StudyawsError(f"can't write diagrams to {where}: {exc.strerror or exc}") from None
    env.stdout.write(f"wrote {len(files)} diagrams to {out}\n")
    return 0


def _written_by_us(path: Path) -> bool:
    """An SVG file `render_svg` made (its opening tag and arrow marker are ours)."""
    try:
        with path.open(encoding="utf-8") as file:
            head = file.read(65_536)
    except (OSError, UnicodeDecodeError):
        return False
    return head.startswith(_SVG_OPEN) and 'aria-labelledby="title-' in head and _MARKER in head
