"""Diagrams: the 15 pictures the notes pointed to, redrawn, in the terminal and as SVG."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyaws.cli import main
from studyaws.content.loader import load_course
from studyaws.ui.diagram import render_list, render_svg, render_text, svg_files

IMAGES = Path(__file__).resolve().parents[2] / "images"
COURSE = load_course()
NOTES_PICTURES = {
    "SQS.png",
    "SQS consumer.png",
    "SQS with ASG.png",
    "SQS decoupling.png",
    "SQS message visibility.png",
    "SQS Extended Client.png",
    "Messaeg grouping.png",
    "serverless ex1.png",
    "serverless ex2.png",
    "Async lambda tries actions.png",
    "Lambda to ALB.png",
    "Lambda to ALB MHV.png",
    "Lambda respons to ALB.png",
    "lambda VPC.png",
    "best Lambda 1.png",
}


def test_every_picture_of_the_notes_is_redrawn() -> None:
    assert {d.original for d in COURSE.diagrams.values()} >= NOTES_PICTURES


def test_every_diagram_is_shown_by_some_section() -> None:
    shown = {d for t in COURSE.topics for s in t.sections for d in s.diagrams}
    assert set(COURSE.diagrams) == shown


def test_images_are_up_to_date() -> None:
    """`images/` holds exactly what `studyaws diagrams --out images/` writes (regenerate if not)."""
    expected = svg_files(COURSE.diagrams)
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in IMAGES.glob("*.svg")}
    assert sorted(on_disk) == sorted(expected), "run: studyaws diagrams --out images/"
    stale = [name for name, text in expected.items() if on_disk[name] != text]
    assert stale == [], "run: studyaws diagrams --out images/"


def test_diagrams_command_writes_svg_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    renamed = render_svg(next(iter(COURSE.diagrams.values())))
    (tmp_path / "old.svg").write_text(renamed)  # a diagram since renamed: stale, ours
    assert main(["diagrams", "--out", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.glob("*.svg"))
    assert written == sorted(f"{d}.svg" for d in COURSE.diagrams)
    assert f"wrote {len(written)} diagrams" in capsys.readouterr().out


def test_diagrams_never_delete_the_learners_own_svg_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`studyaws diagrams --out ~/Pictures` only replaces what it wrote itself."""
    mine = tmp_path / "holiday.svg"
    mine.write_text('<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>')
    assert main(["diagrams", "--out", str(tmp_path)]) == 0
    assert mine.read_text().endswith("</svg>")


def test_diagrams_to_an_unwritable_place_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    status = main(["diagrams", "--out", str(blocker / "images")])
    out, err = capsys.readouterr()
    assert status == 1
    assert out == ""
    assert err.startswith(f"studyaws: error: can't write diagrams to {blocker}")
    assert err.count("\n") == 1


@pytest.mark.parametrize("diagram_id", sorted(COURSE.diagrams))
def test_each_diagram_draws_every_node_and_label(diagram_id: str) -> None:
    diagram = COURSE.diagrams[diagram_id]
    drawing = "\n".join(render_text(diagram))
    for node in diagram.nodes:
        assert node.label in drawing
    listing = "\n".join(render_list(diagram))
    for edge in diagram.edges:
        assert edge.label in listing
    svg = render_svg(diagram)
    assert svg.startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    assert render_svg(diagram) == svg  # deterministic
