"""Where content lives on disk (no YAML import: the start-up path uses this)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def bundled_content_dir() -> Path:
    """The course shipped with studyaws: inside the wheel, or `content/` of a source checkout."""
    shipped = _PACKAGE / "_bundled" / "content"
    if shipped.is_dir():
        return shipped
    return _PACKAGE.parent / "content"


def bundled_images_dir() -> Path:
    shipped = _PACKAGE / "_bundled" / "images"
    if shipped.is_dir():
        return shipped
    return _PACKAGE.parent / "images"


def content_files(root: Path) -> list[Path]:
    """Every .yaml/.yml file under `root` (or `root` itself), in a stable order."""
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
