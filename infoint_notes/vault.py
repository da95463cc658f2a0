"""Find the vault and walk its notes (SPEC 2): sorted, no hidden folders, no
`templates/`, and never through a symlink that leaves the vault."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .config import CONFIG_NAME
from .errors import UsageError

NOT_IN_VAULT = (
    "not inside an infoint vault (no infoint.yaml here or above); "
    "run 'infoint init' or pass --vault"
)
TEMPLATES_DIR = "templates"
CACHE_DIR = ".infoint"


@dataclass(slots=True)
class NoteFile:
    """A note on disk, as the walk saw it. (Not frozen: a frozen dataclass is built four
    times slower, and the walk builds one per note on every run.)"""

    rel: str  # vault-relative, with `/`
    path: str  # an OS path (str, not Path: building 10,000 Path objects costs 40 ms)
    mtime_ns: int
    size: int


def find_vault(explicit: str | None, environ: Mapping[str, str], cwd: Path) -> Path:
    """The vault root: `--vault`, then `INFOINT_VAULT`, then the nearest `infoint.yaml` up."""
    given = explicit or environ.get("INFOINT_VAULT") or None
    if given:
        root = Path(given).expanduser()
        if not (root / CONFIG_NAME).is_file():
            raise UsageError(
                f"{given} is not an infoint vault (no {CONFIG_NAME}); run 'infoint init {given}'"
            )
        return root.resolve()
    for folder in (cwd, *cwd.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder.resolve()
    raise UsageError(NOT_IN_VAULT)


def is_note_path(rel: str) -> bool:
    """Whether a vault-relative path is where the walk finds notes (SPEC 2)."""
    parts = rel.split("/")
    if not rel.endswith(".md") or any(part.startswith(".") for part in parts):
        return False
    return not (len(parts) > 1 and parts[0] == TEMPLATES_DIR)


def is_inside(path: Path, root: Path) -> bool:
    """Whether `path` (already resolved) is `root` or below it."""
    return path == root or root in path.parents


def walk_notes(root: Path) -> list[NoteFile]:
    """Every note of the vault, sorted by vault-relative path."""
    real_root = root.resolve()
    files = list(_walk(root, real_root, "", top=True))
    files.sort(key=lambda note: note.rel)
    return files


def _walk(folder: Path, real_root: Path, prefix: str, top: bool) -> Iterator[NoteFile]:
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        return  # an unreadable folder holds no notes we can show
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        rel = f"{prefix}{name}"
        try:
            is_link = entry.is_symlink()
            is_dir = entry.is_dir()  # follows symlinks
        except OSError:
            continue
        if is_dir:
            if top and name == TEMPLATES_DIR:
                continue
            # A symlinked folder is either outside the vault (never followed) or inside
            # it (its notes are already reached at their real place).
            if is_link:
                continue
            yield from _walk(Path(entry.path), real_root, rel + "/", top=False)
            continue
        if not name.endswith(".md"):
            continue
        try:
            if not entry.is_file():  # a FIFO or device named `x.md` would block a read
                continue
        except OSError:
            continue
        if is_link:
            try:
                target = Path(os.path.realpath(entry.path))
            except (OSError, RuntimeError):
                continue
            if not is_inside(target, real_root):
                continue
        try:
            stat = entry.stat()
        except OSError:
            # A dangling symlink or a file that vanished: nothing to read.
            continue
        yield NoteFile(rel, entry.path, stat.st_mtime_ns, stat.st_size)
