"""Find the vault and walk its notes (SPEC 2): sorted, no hidden folders, no
`templates/`, and never through a symlink that leaves the vault."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from stat import S_ISREG

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
    #: With mtime and size, what tells a changed file from an unchanged one (as git's
    #: index does): a file moved in place or a retargeted symlink has another inode; a
    #: chmod or rename moves the change time.
    ino: int = 0
    ctime_ns: int = 0


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


def named_paths(
    root: Path, cwd: Path, notes: Collection[str], given: Sequence[str]
) -> set[str] | None:
    """The vault-relative paths of the notes (and other files) named on the command line:
    a file is itself, a folder the notes below it; None for the whole vault (nothing
    named, or the vault's own folder). A path is taken from `cwd`, else from `root`.
    UsageError for a path outside the vault or that does not exist."""
    if not given:
        return None
    wanted: set[str] = set()
    for text in given:
        path = Path(text)
        absolute = Path(os.path.abspath(path if path.is_absolute() else cwd / path))
        if not path.is_absolute() and not absolute.exists() and (root / path).exists():
            # `infoint --vault ~/notes validate contacts/a.md` from anywhere else
            absolute = Path(os.path.abspath(root / path))
        try:
            rel = absolute.relative_to(root).as_posix()
        except ValueError:
            try:
                rel = absolute.resolve().relative_to(root).as_posix()
            except ValueError:
                raise UsageError(f"{text} is outside the vault ({root})") from None
        if not absolute.exists():
            raise UsageError(f"{text}: no such file or folder")
        if rel in (".", ""):
            return None
        if absolute.is_dir():
            wanted.update(note for note in notes if note.startswith(rel + "/"))
        else:
            wanted.add(rel)  # not a note (a template, an image): nothing to report
    return wanted


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
    """Every note of the vault, sorted by vault-relative path (one stat per note)."""
    real_root = root.resolve()
    files: list[NoteFile] = []
    folders = [(str(root), "")]
    while folders:
        folder, prefix = folders.pop()
        _scan_folder(folder, prefix, real_root, files, folders)
    files.sort(key=attrgetter("rel"))
    return files


def _scan_folder(
    folder: str,
    prefix: str,
    real_root: Path,
    files: list[NoteFile],
    folders: list[tuple[str, str]],
) -> None:
    """Add the notes of one folder to `files` and its subfolders to `folders`."""
    try:
        with os.scandir(folder) as scan:
            entries = list(scan)
    except OSError:
        return  # an unreadable folder holds no notes we can show
    for entry in entries:
        name = entry.name
        if name[0] == ".":
            continue
        try:
            if entry.is_dir():  # follows symlinks; no system call for plain entries
                # The root's templates are not notes. A symlinked folder is either
                # outside the vault (never followed) or inside it (its notes are
                # reached at their real place).
                if not entry.is_symlink() and not (name == TEMPLATES_DIR and not prefix):
                    folders.append((entry.path, f"{prefix}{name}/"))
                continue
            if not name.endswith(".md"):
                continue
            if entry.is_symlink() and not is_inside(Path(os.path.realpath(entry.path)), real_root):
                continue
            stat = entry.stat()
        except (OSError, RuntimeError):
            # A dangling symlink, a loop, or a file that vanished: nothing to read.
            continue
        if not S_ISREG(stat.st_mode):  # a FIFO or device named `x.md` would block a read
            continue
        files.append(
            NoteFile(
                f"{prefix}{name}",
                entry.path,
                stat.st_mtime_ns,
                stat.st_size,
                stat.st_ino,
                stat.st_ctime_ns,
            )
        )
