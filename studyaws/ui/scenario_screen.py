"""One screen of the scenario player, composed to fit the terminal exactly: never cut, never "…".

Rules:
- A screen is made of parts, each wrapped at word boundaries to the width: the header (scenario,
  step, clock), the step's narration, its commands with the running one marked and what it
  returned, the state (queues with their messages by state, then topics, functions, mappings,
  consumers, schedules, buckets), the events pane, the panel (a prediction to make, or a verdict
  with its rule), and one line of keys.
- Everything the learner must read to answer or to understand a verdict (narration, panel, keys)
  always fits; the state and the events share what is left. When they don't both fit, the events
  pane shrinks to its pinned and latest rows, then the state drops its long lines to a count, then
  the events pane goes, then the state. A panel longer than the screen is paged by the player
  (`panel_room`), never cut.
- Values that matter (a filter policy, an ARN, a deduplication id) wrap; message ids are listed
  as ranges (`m1–m9`), so a queue of nine messages takes one line.
- Right and wrong are said in words and a symbol; colour only adds to them. ASCII-only terminals
  get ASCII marks.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text

from studyaws.engine.events import ms_to_s
from studyaws.scenarios.digest import Row, Weight, fit
from studyaws.ui.scenario import Said
from studyaws.words import plural

MIN_WIDTH = 40
MIN_EVENTS = 2  # rows of events worth a pane (with its title)


@dataclass
class Prompt:
    """A prediction being made: numbered choices (none: type a number)."""

    ask: str
    choices: Sequence[str] = ()
    selected: int | None = None
    typed: str = ""
    unit: str = ""
    message: str = ""
    hint: str = ""


@dataclass
class Panel:
    """Lines under the state: a verdict with its rule, the story, a summary."""

    lines: Sequence[Said] = ()
    title: str = ""


@dataclass
class View:
    title: str
    step_label: str
    at_ms: int = 0
    say: str = ""
    commands: Sequence[str] = ()
    current: int | None = None  # the command running now
    result: str = ""  # what the last command returned, when its events don't say it
    snapshot: Mapping[str, Any] = field(default_factory=dict)
    rows: Sequence[Row] = ()
    prompt: Prompt | None = None
    panel: Panel | None = None
    panel_from: int = 0  # the first panel line shown (paging)
    keys: str = ""
    intro: bool = False  # the story before the play: no state, no events
    overflow: bool = False  # set by `compose`: the panel is longer than its room (paged)


@dataclass(frozen=True)
class Marks:
    arrow: str = "→"
    pointer: str = "›"
    dash: str = "–"
    times: str = "×"
    rule: str = "─"
    dot: str = "·"
    more: str = "↓ more below"

    @staticmethod
    def ascii() -> Marks:
        return Marks(
            arrow="->", pointer=">", dash="-", times="x", rule="-", dot="|", more="v more below"
        )


# -- text helpers ---------------------------------------------------------------------------------


def wrap(
    text: str, width: int, *, indent: int = 0, hanging: int = 0, style: str = ""
) -> list[Text]:
    """Word-wrapped lines (a word longer than the line is broken, never cut)."""
    out: list[Text] = []
    room = max(10, width - indent)
    for paragraph in text.split("\n") or [""]:
        parts = textwrap.wrap(
            paragraph,
            room,
            subsequent_indent=" " * hanging,
            break_on_hyphens=False,
            break_long_words=True,
        ) or [""]
        out.extend(Text(" " * indent + part, style=style) for part in parts)
    return out


def id_ranges(ids: Sequence[str], dash: str = "–") -> str:
    """`m1, m2, m3, m5` → `m1–m3, m5`; ids that aren't m<number> are listed as they are."""
    out: list[str] = []
    run: list[int] = []

    def flush() -> None:
        if not run:
            return
        if len(run) > 2:
            out.append(f"m{run[0]}{dash}m{run[-1]}")
        else:
            out.extend(f"m{n}" for n in run)
        run.clear()

    for message_id in ids:
        number = message_id[1:]
        if message_id.startswith("m") and number.isdigit():
            n = int(number)
            if run and n == run[-1] + 1:
                run.append(n)
                continue
            flush()
            run.append(n)
        else:
            flush()
            out.append(message_id)
    flush()
    return ", ".join(out) or "-"


def _cells(cells: Sequence[str], widths: Sequence[int]) -> list[str]:
    wrapped = [
        textwrap.wrap(c, max(1, w), break_long_words=True, break_on_hyphens=False) or [""]
        for c, w in zip(cells, widths, strict=True)
    ]
    height = max(len(w) for w in wrapped)
    lines = []
    for i in range(height):
        parts = [
            (w[i] if i < len(w) else "").ljust(width)
            for w, width in zip(wrapped, widths, strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    return lines


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """A plain table whose cells wrap: the first column as wide as its longest word allows."""
    count = len(headers)
    gaps = 2 * (count - 1)
    natural = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(count)]
    if sum(natural) + gaps <= width:
        widths = natural
    else:
        first = min(natural[0], max(8, (width - gaps) // 3))
        rest = max(count - 1, width - gaps - first)
        share = [max(len(headers[i]), 3) for i in range(1, count)]
        extra = max(0, rest - sum(share))
        wants = [max(0, natural[i] - share[i - 1]) for i in range(1, count)]
        total = sum(wants) or 1
        widths = [first] + [share[i] + (extra * wants[i] // total) for i in range(len(share))]
    return [line for row in [headers, *rows] for line in _cells([str(c) for c in row], widths)]


# -- the state ------------------------------------------------------------------------------------


def queue_lines(snapshot: Mapping[str, Any], width: int, marks: Marks) -> list[str]:
    queues = snapshot.get("queues") or {}
    if not queues:
        return []
    rows = []
    for name, q in queues.items():
        label = name + (
            f" {marks.arrow} {q['dead_letter_queue']}" if q.get("dead_letter_queue") else ""
        )
        rows.append(
            [
                label,
                *(
                    id_ranges(q.get(state, ()), marks.dash)
                    for state in ("visible", "in_flight", "delayed")
                ),
            ]
        )
    return table(["queue", "visible", "in flight", "delayed"], rows, width)


def resource_lines(snapshot: Mapping[str, Any], marks: Marks) -> list[str]:
    """One line (wrapped by the caller) per topic, function, mapping, group and schedule."""
    out = []
    arrow, dot = marks.arrow, marks.dot
    for name, topic in (snapshot.get("topics") or {}).items():
        subs = []
        for sub in topic.get("subscriptions", ()):
            text = str(sub.get("endpoint"))
            if sub.get("filter_policy"):
                text += f" (filter {sub['filter_policy']})"
            subs.append(text)
        kind = "FIFO topic" if topic.get("fifo") else "topic"
        out.append(f"{kind} {name} {arrow} {', '.join(subs) or 'no subscribers'}")
    for name, fn in (snapshot.get("functions") or {}).items():
        running = f"running {fn.get('running', 0)}"
        if fn.get("reserved_concurrency") is not None:
            running += f" of {fn['reserved_concurrency']} reserved"
        state = [running]
        if fn.get("queued_events"):
            state.append(f"{plural(fn['queued_events'], 'event')} queued")
        state.append(
            f"{plural(fn.get('invocations', 0), 'run')}, {plural(fn.get('errors', 0), 'error')}"
        )
        if fn.get("throttles"):
            state.append(plural(fn["throttles"], "throttle"))
        for alias, route in (fn.get("aliases") or {}).items():
            extra = route.get("additional_version")
            weight = f" (+{route.get('additional_weight')}% {arrow} {extra})" if extra else ""
            state.append(f"{alias} {arrow} version {route.get('version')}{weight}")
        out.append(f"function {name}: " + f" {dot} ".join(state))
    for name, m in (snapshot.get("mappings") or {}).items():
        extra = ", ReportBatchItemFailures" if m.get("report_batch_item_failures") else ""
        out.append(
            f"mapping {name}: {m.get('queue')} {arrow} {m.get('function')}, "
            f"batch {m.get('batch_size')}{extra}"
        )
    for queue, group in (snapshot.get("consumers") or {}).items():
        busy = len(group.get("busy", ()))
        out.append(
            f"consumers of {queue}: {plural(group.get('consumers', 0), 'instance')} ({busy} busy)"
        )
    for queue, asg in (snapshot.get("groups") or {}).items():
        out.append(
            f"auto scaling on {queue}: {asg.get('min')}{marks.dash}{asg.get('max')} instances, "
            f"target {asg.get('backlog_per_instance')} per instance, alarm {asg.get('alarm')}"
        )
    for name, sched in (snapshot.get("schedules") or {}).items():
        out.append(
            f"schedule {name}: {sched.get('expression')} {arrow} {sched.get('target')}, "
            f"{plural(sched.get('runs', 0), 'run')}"
        )
    for name, bucket in (snapshot.get("buckets") or {}).items():
        objects = bucket.get("objects") or {}
        out.append(f"bucket {name}: {plural(len(objects), 'object')}")
    return out


def state_lines(snapshot: Mapping[str, Any], width: int, marks: Marks, color: bool) -> list[Text]:
    lines = [
        Text(line, style="bold" if i == 0 and color else "")
        for i, line in enumerate(queue_lines(snapshot, width, marks))
    ]
    for line in resource_lines(snapshot, marks):
        lines.extend(wrap(line, width, hanging=2))
    return lines


def compact_state(snapshot: Mapping[str, Any], width: int, marks: Marks) -> list[Text]:
    """The state in counts, when the full picture doesn't fit."""
    parts = []
    for name, q in (snapshot.get("queues") or {}).items():
        parts.append(
            f"{name}: {len(q.get('visible', ()))} visible, {len(q.get('in_flight', ()))} in flight"
            + (f", {len(q['delayed'])} delayed" if q.get("delayed") else "")
        )
    functions = snapshot.get("functions") or {}
    if functions:
        parts.append(plural(len(functions), "function"))
    return wrap(f" {marks.dot} ".join(parts), width, hanging=2) if parts else []


# -- the parts ------------------------------------------------------------------------------------


def header(view: View, width: int, marks: Marks, color: bool) -> list[Text]:
    right = f"t={ms_to_s(view.at_ms)}s"
    left = f"{view.title} {marks.dot} {view.step_label}"
    style = "bold reverse" if color else "bold"
    if len(left) + len(right) + 2 <= width:
        return [Text(left + " " * (width - len(left) - len(right)) + right, style=style)]
    return wrap(f"{left} {marks.dot} {right}", width, style=style)


def command_lines(view: View, width: int, marks: Marks, color: bool) -> list[Text]:
    if not view.commands:
        return []
    out: list[Text] = []
    for i, command in enumerate(view.commands):
        mark = marks.pointer if i == view.current else " "
        style = "bold" if i == view.current and color else ("dim" if color else "")
        out.extend(wrap(f"{mark} $ {command}", width, hanging=4, style=style))
    if view.result:
        out.extend(wrap(f"    {marks.arrow} {view.result}", width, hanging=6))
    return out


def event_lines(rows: Sequence[Row], width: int, marks: Marks, color: bool) -> list[Text]:
    out: list[Text] = []
    for row in rows:
        style = ""
        if color:
            style = {Weight.KEY: "yellow", Weight.NOISE: "dim", Weight.SETUP: "dim"}.get(
                row.weight, ""
            )
            if row.pinned:
                style = "bold yellow"
        out.extend(wrap(row.text(marks.times, marks.dash), width, indent=1, hanging=4, style=style))
    return out


def prompt_lines(prompt: Prompt, width: int, marks: Marks, color: bool) -> list[Text]:
    out = wrap(f"? {prompt.ask}", width, hanging=2, style="bold cyan" if color else "bold")
    if prompt.choices:
        for i, choice in enumerate(prompt.choices):
            chosen = prompt.selected == i
            label = f"{marks.pointer} {i + 1}. " if chosen else f"  {i + 1}. "
            style = ("bold reverse" if color else "bold") if chosen else ""
            out.extend(wrap(label + choice, width, hanging=len(label), style=style))
    else:
        unit = f" {prompt.unit}" if prompt.unit else ""
        out.append(Text(f"  Your prediction: {prompt.typed}_{unit}", style="bold" if color else ""))
    if prompt.hint:
        out.extend(
            wrap(
                f"Hint: {prompt.hint}", width, indent=2, hanging=2, style="italic" if color else ""
            )
        )
    if prompt.message:
        out.extend(
            wrap(f"! {prompt.message}", width, indent=2, hanging=2, style="yellow" if color else "")
        )
    return out


def panel_lines(panel: Panel, width: int, color: bool) -> list[Text]:
    out: list[Text] = []
    for line in panel.lines:
        style = line.style if color else ("bold" if "bold" in line.style else "")
        out.extend(wrap(line.text, width, indent=line.indent, hanging=line.hanging, style=style))
    return out


def keys_line(view: View, width: int, color: bool) -> list[Text]:
    return wrap(view.keys, width, style="dim" if color else "") if view.keys else []


def _section(title: str, width: int, marks: Marks, color: bool) -> Text:
    label = f"{marks.rule}{marks.rule} {title} "
    return Text(label + marks.rule * max(0, width - len(label)), style="dim" if color else "")


# -- composing ------------------------------------------------------------------------------------


def compose(view: View, width: int, height: int, *, color: bool, marks: Marks) -> list[Text]:
    """The screen: at most `height` lines of at most `width` characters, nothing cut."""
    top = header(view, width, marks, color)
    say = wrap(view.say, width, style="bold cyan" if color else "bold") if view.say else []
    keys = keys_line(view, width, color)
    prompt = prompt_lines(view.prompt, width, marks, color) if view.prompt is not None else []
    panel = panel_lines(view.panel, width, color) if view.panel is not None else []
    has_bottom = bool(prompt or panel)
    fixed = len(top) + len(say) + len(keys) + len(prompt) + (1 if has_bottom else 0)
    if panel:
        room = max(1, height - fixed)
        start = min(view.panel_from, max(0, len(panel) - room))
        view.panel_from = start
        shown = panel[start : start + room]
        view.overflow = len(panel) > room
        if start + room < len(panel) and room > 1:
            more = Text(f"{marks.more} (PgDn)", style="dim" if color else "")
            shown = [*shown[:-1], more]
        panel = shown
    bottom = prompt + panel
    left = height - fixed - len(panel)
    middle: list[Text] = []
    if left > 0 and not view.intro:
        middle = _middle(view, width, left, marks, color)
    screen = top + say + middle
    if view.intro:
        screen += bottom
        screen += [Text("")] * max(0, height - len(screen) - len(keys))
        return (screen + keys)[:height]
    screen += [Text("")] * max(0, height - len(screen) - len(bottom) - len(keys) - has_bottom)
    if has_bottom:
        label = "your prediction" if view.prompt is not None else ""
        if view.panel is not None and view.prompt is None:
            label = view.panel.title
        screen.append(_section(label, width, marks, color))
    screen += bottom + keys
    return screen[-height:] if len(screen) > height else screen


def _middle(view: View, width: int, room: int, marks: Marks, color: bool) -> list[Text]:
    """Commands, state and events in `room` lines: what doesn't fit goes, least needed first."""
    commands = command_lines(view, width, marks, color)
    full = state_lines(view.snapshot, width, marks, color)
    compact = compact_state(view.snapshot, width, marks)
    all_rows = list(view.rows)
    want_events = min(MIN_EVENTS, len(all_rows)) if all_rows else 1
    for cmd, state in ((commands, full), (commands, compact), ([], compact), ([], [])):
        used = len(cmd) + (len(state) + 1 if state else 0)
        if room - used - 1 >= want_events or (not cmd and not state):
            break
    out = list(cmd)
    if state and len(out) + len(state) + 1 <= room:
        out.append(_section("state", width, marks, color))
        out += state
    events_room = room - len(out) - 1
    if events_room >= 1:
        out.append(_section("events", width, marks, color))
        if all_rows:
            out += _rows_that_fit(all_rows, events_room, width, marks, color)
        else:
            out.append(Text(" (none yet)", style="dim" if color else ""))
    return out[:room]


def _rows_that_fit(
    rows: Sequence[Row], room: int, width: int, marks: Marks, color: bool
) -> list[Text]:
    count = min(len(rows), room)
    while count > 0:
        chosen = fit(rows, count)
        lines = event_lines(chosen, width, marks, color)
        if len(lines) <= room:
            return lines
        count -= 1
    return []
