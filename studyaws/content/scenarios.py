"""Scenario files (`kind: scenario`, issue 6): the schema, read node by node like every other kind.

Checks, in the catalogue's groups (problems.py):
- shape (SA2xx): unknown and missing keys, types, answer kinds, ids;
- one file (SA301): two checkpoints with one id;
- references (SA407): a `{placeholder}` or a `what_if` naming a setting the file doesn't define,
  and — found by running — an answer that names a queue or message the scenario never has;
- executable (SA501): a line that is not a command, or that the engine rejects without the step
  saying `fails: CODE`.

The executable checks need the engine, which `studyaws/content/` never imports (content is below
the engine and the scenarios in the layers), and which costs more than the whole start-up budget
to run for every bundled file. So `studyaws.scenarios.check.check` runs them after loading, for a
learner's own scenario files only; the bundled scenarios are run by the test suite instead
(tests/scenarios/, every scenario played, goldens compared) before they ship.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from studyaws.content.model import (
    ANSWER_ARGS,
    ANSWER_KINDS,
    PLACEHOLDER,
    STATS,
    AnswerSpec,
    Checkpoint,
    Line,
    Loc,
    Scenario,
    Setting,
    SettingValue,
    Step,
)
from studyaws.content.schema import FACT_ID as _FACT_ID
from studyaws.content.schema import HEADER, ITEM_ID, OPT, REQ, Reader
from studyaws.errors import quoted

TOPICS = ("sqs", "sns", "lambda")

_FIELDS = {
    **HEADER,
    "id": REQ,
    "title": REQ,
    "topic": REQ,
    "section": OPT,
    "story": REQ,
    "settings": OPT,
    "setup": OPT,
    "steps": REQ,
}
_STEP_FIELDS = {"do": REQ, "say": REQ, "checkpoint": OPT, "fails": OPT}
_CHECKPOINT_FIELDS = {
    "id": REQ,
    "ask": REQ,
    "answer": REQ,
    "what_if": REQ,
    "rule": OPT,
    "fact": OPT,
    "concepts": OPT,
    "hint": OPT,
}
_SETTING_FIELDS = {
    "default": REQ,
    "about": REQ,
    "values": OPT,
    "min": OPT,
    "max": OPT,
    "allowed": OPT,
}
_INT = "tag:yaml.org,2002:int"


def read_scenario(reader: Reader, root: yaml.Node, path: Path | None = None) -> Scenario | None:
    """The scenario in `root`; `path` is the real file (None: in-memory text, never bundled)."""
    m = reader.mapping(root, _FIELDS, "a scenario file")
    if m is None or not {"id", "title", "topic", "story", "steps"} <= m.keys():
        return None
    settings = _read_settings(reader, m["settings"]) if "settings" in m else ()
    names = {s.name for s in settings}
    setup = _read_lines(reader, m["setup"], "setup", names) if "setup" in m else ()
    steps = reader.each(m["steps"], "steps", lambda n: _read_step(reader, n, settings, names))
    if "steps" in m and not steps and not reader.problems:
        reader.problem(m["steps"], "SA204", "a scenario needs at least one step")
    seen: set[str] = set()
    for step in steps:
        cp = step.checkpoint
        if cp is None:
            continue
        if cp.id in seen:
            reader.problem(cp.loc, "SA301", f"checkpoint id '{cp.id}' is used twice")
        seen.add(cp.id)
    return Scenario(
        id=reader.ident(m["id"], "scenario id"),
        title=reader.string(m["title"], "title"),
        topic=reader.choice(m["topic"], "topic", TOPICS),
        story=reader.string(m["story"], "story"),
        settings=settings,
        setup=setup,
        steps=steps,
        section=reader.ident(m["section"], "section") if "section" in m else "",
        loc=reader.loc(root),
    )


def is_bundled(path: Path) -> bool:
    """Whether the file at `path` is part of the shipped course (which the tests run instead).

    Bundled files come from `bundled_content_dir()` itself, so a plain prefix test decides them
    without touching the disk; only a path outside it is resolved (a symlink, `..`).
    """
    root = _bundled_root()
    if path.is_absolute() and path.is_relative_to(root):
        return True
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


@functools.cache
def _bundled_root() -> Path:
    from studyaws.content.files import bundled_content_dir

    return bundled_content_dir()


def _read_settings(reader: Reader, node: yaml.Node) -> tuple[Setting, ...]:
    out = []
    for key_node, value_node in reader.free_mapping(node, "settings"):
        name = reader.ident(key_node, "setting name")
        what = f"setting '{name}'"
        sm = reader.mapping(value_node, _SETTING_FIELDS, what)
        if sm is None or "default" not in sm:
            continue
        default = _setting_value(reader, sm["default"], what)
        if default is None:
            continue
        about = reader.string(sm["about"], "about") if "about" in sm else ""
        values: list[SettingValue] = []
        means: list[tuple[str, str]] = []
        if "values" in sm:
            node_values = sm["values"]
            if isinstance(node_values, yaml.MappingNode):
                for word_node, text_node in reader.free_mapping(node_values, "values"):
                    word = reader.string(word_node, "a value")
                    values.append(word)
                    stands = reader.string(text_node, f"what {word} stands for", allow_empty=True)
                    means.append((word, stands))
            else:
                for item in reader.sequence(node_values, "values"):
                    value = _setting_value(reader, item, f"a value of {what}")
                    if value is not None:
                        values.append(value)
        low = reader.integer(sm["min"], "min") if "min" in sm else None
        high = reader.integer(sm["max"], "max") if "max" in sm else None
        free = reader.string(sm["allowed"], "allowed") if "allowed" in sm else ""
        setting = Setting(
            name,
            default,
            about,
            tuple(values),
            tuple(means),
            low,
            high,
            free,
            reader.loc(key_node),
        )
        ranged = isinstance(default, int) and low is not None and high is not None
        if not values and not ranged and not (free and isinstance(default, str)):
            reader.problem(
                value_node,
                "SA202",
                f"{what} needs its allowed values: `values: [...]`, "
                + ("or `min:` and `max:`" if isinstance(default, int) else "or `allowed:` words"),
            )
        elif not setting.allows(default):
            reader.problem(
                sm["default"], "SA204", f"{what}: the default {default} is not {setting.allowed()}"
            )
        out.append(setting)
    return tuple(out)


def _setting_value(reader: Reader, node: yaml.Node | None, what: str) -> SettingValue | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag not in (_INT, "tag:yaml.org,2002:str"):
        if node is not None:
            reader.problem(node, "SA203", f"{what} must be an integer or a word")
        return None
    if node.tag == _INT:
        text = str(node.value)
        return int(text) if text.isdigit() and len(text) < 19 else reader.integer(node, what)
    return reader.string(node, what)


def _read_lines(reader: Reader, node: yaml.Node, what: str, names: set[str]) -> tuple[Line, ...]:
    items = [node] if isinstance(node, yaml.ScalarNode) else reader.sequence(node, what)
    lines = []
    label = f"a line of {what}"
    for item in items:
        text = reader.string(item, label)
        if not text:
            continue
        for match in PLACEHOLDER.finditer(text) if "{" in text else ():
            if match.group(1) not in names:
                known = ", ".join(sorted(names)) or "none"
                where = (
                    Loc(
                        reader.path,
                        item.start_mark.line + 1,
                        item.start_mark.column + 1 + match.start(),
                    )
                    if isinstance(item, yaml.ScalarNode) and not item.style
                    else reader.text_loc(item, match.start())
                )
                reader.problem(
                    where,
                    "SA407",
                    f"'{{{match.group(1)}}}' names no setting (settings: {known})",
                )
        lines.append(Line(text, reader.loc(item)))
    return tuple(lines)


def _read_step(
    reader: Reader, node: yaml.Node, settings: tuple[Setting, ...], names: set[str]
) -> Step | None:
    m = reader.mapping(node, _STEP_FIELDS, "a step")
    if m is None or "do" not in m or "say" not in m:
        return None
    lines = _read_lines(reader, m["do"], "do", names)
    if not lines:
        reader.problem(m["do"], "SA204", "a step needs at least one line to do")
        return None
    checkpoint = _read_checkpoint(reader, m["checkpoint"], settings) if "checkpoint" in m else None
    return Step(
        lines=lines,
        say=reader.string(m["say"], "say"),
        checkpoint=checkpoint,
        fails=reader.string(m["fails"], "fails") if "fails" in m else None,
        loc=reader.loc(node),
    )


def _read_checkpoint(
    reader: Reader, node: yaml.Node, settings: tuple[Setting, ...]
) -> Checkpoint | None:
    m = reader.mapping(node, _CHECKPOINT_FIELDS, "a checkpoint")
    if m is None or not {"id", "ask", "answer", "what_if"} <= m.keys():
        return None
    answer = _read_answer(reader, m["answer"])
    if answer is None:
        return None
    defaults = {s.name: s.default for s in settings}
    by_name = {s.name: s for s in settings}
    what_if: list[tuple[str, SettingValue]] = []
    for key_node, value_node in reader.free_mapping(m["what_if"], "what_if"):
        name = str(key_node.value)
        if name not in defaults:
            known = ", ".join(defaults) or "none"
            reader.problem(
                key_node, "SA407", f"what_if names no setting {quoted(name)} (settings: {known})"
            )
            continue
        value = _setting_value(reader, value_node, f"what_if '{name}'")
        if value is None:
            continue
        if value == defaults[name]:
            reader.problem(
                value_node, "SA204", f"what_if '{name}' must differ from its default ({value})"
            )
        setting = by_name[name]
        if not setting.allows(value):
            reader.problem(
                value_node, "SA204", f"what_if '{name}' is {value}, not {setting.allowed()}"
            )
        what_if.append((name, value))
    if isinstance(m["what_if"], yaml.MappingNode) and not m["what_if"].value:
        reader.problem(m["what_if"], "SA204", "what_if needs the setting that decides the answer")
    return Checkpoint(
        id=reader.ident(m["id"], "checkpoint id"),
        ask=reader.string(m["ask"], "ask"),
        answer=answer,
        what_if=tuple(what_if),
        rule=reader.string(m["rule"], "rule") if "rule" in m else "",
        fact=reader.ident(m["fact"], "fact", _FACT_ID) if "fact" in m else None,
        concepts=reader.string_list(m["concepts"], "concepts", ITEM_ID) if "concepts" in m else (),
        hint=reader.string(m["hint"], "hint") if "hint" in m else "",
        loc=reader.loc(m["answer"]),
    )


def _read_answer(reader: Reader, node: yaml.Node) -> AnswerSpec | None:
    if isinstance(node, yaml.ScalarNode):
        kind, arg = reader.string(node, "answer"), ""
    else:
        pairs = reader.free_mapping(node, "answer")
        if len(pairs) != 1:
            reader.problem(node, "SA204", "answer is one kind, e.g. messages or {count: KIND}")
            return None
        kind = str(pairs[0][0].value)
        arg = reader.string(pairs[0][1], f"answer {kind}")
    spec_kind = next((k for k in ANSWER_KINDS if k == kind), None)
    if spec_kind is None:
        reader.problem(
            node, "SA204", f"answer {quoted(kind)} is not one of: {', '.join(ANSWER_KINDS)}"
        )
        return None
    needs = ANSWER_ARGS.get(spec_kind)
    if needs and not arg:
        reader.problem(node, "SA204", f"answer {kind} needs {needs}, e.g. {{{kind}: ...}}")
        return None
    if not needs and arg:
        reader.problem(node, "SA204", f"answer {kind} takes no value")
        return None
    if spec_kind == "stat":
        stat, sep, queue = arg.partition(" of ")
        found = next((s for s in STATS if s == stat.strip()), None)
        if not sep or found is None or not queue.strip():
            reader.problem(
                node, "SA204", f"answer stat is '<{'|'.join(STATS)}> of QUEUE', not {quoted(arg)}"
            )
            return None
        return AnswerSpec("stat", queue.strip(), found)
    return AnswerSpec(spec_kind, arg.strip())
