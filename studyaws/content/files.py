"""Where content lives on disk (no YAML import: the start-up path uses this).

A learner's content directory is walked with bounds (limits.py): directories whose name starts with
a dot (`.git`) are skipped, symbolic links to directories are not followed (so a link loop is
harmless), and a walk that meets more files than a course could have (`--content /`) stops with
`ContentDirError` instead of reading the whole disk.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from studyaws.content.limits import MAX_CONTENT_FILES, MAX_WALK_ENTRIES

_PACKAGE = Path(__file__).resolve().parent.parent
SUFFIXES = (".yaml", ".yml")


class ContentDirError(Exception):
    """A content path that can't be walked: `code` is SA104 (unreadable) or SA108 (too big)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


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
    """Every .yaml/.yml file under `root` (or `root` itself), in a stable order.

    Raises ContentDirError when `root` can't be read, is neither a file nor a directory, or holds
    more than the limits allow.
    """
    try:
        mode = os.stat(root).st_mode
    except OSError as exc:
        raise ContentDirError("SA104", f"can't read it: {exc.strerror or exc}") from None
    except ValueError as exc:  # an embedded NUL in the path
        raise ContentDirError("SA104", f"can't read it: {exc}") from None
    if stat.S_ISREG(mode):
        return [root]
    if not stat.S_ISDIR(mode):
        raise ContentDirError("SA104", "is neither a file nor a directory")
    found: list[Path] = []
    pending = [root]
    entries = 0
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as listing:
                items = list(listing)
        except OSError as exc:
            shown = "it" if directory == root else f"{directory}"
            raise ContentDirError("SA104", f"can't read {shown}: {exc.strerror or exc}") from None
        entries += len(items)
        if entries > MAX_WALK_ENTRIES:
            raise ContentDirError(
                "SA108",
                f"more than {MAX_WALK_ENTRIES:,} files and directories under it; "
                "name the directory that holds your content",
            )
        for item in items:
            try:
                if item.is_dir(follow_symlinks=False):
                    if not item.name.startswith("."):
                        pending.append(Path(item.path))
                elif item.name.endswith(SUFFIXES) and item.is_file():
                    found.append(Path(item.path))
            except OSError:
                continue  # a dangling link or a file gone meanwhile: not content
        if len(found) > MAX_CONTENT_FILES:
            raise ContentDirError(
                "SA108", f"more than {MAX_CONTENT_FILES:,} YAML files under it; a course has fewer"
            )
    return sorted(found)
