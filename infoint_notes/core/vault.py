"""Find the vault and walk its notes (SPEC 2): sorted, no hidden folders, no template
folders, nothing the config's `exclude` names, and never through a symlink that leaves
the vault. The walk also lists every other file (attachments, templates, excluded
notes): links may point at them (SPEC 2.1)."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import starmap
from operator import itemgetter
from pathlib import Path
from stat import S_ISREG

from .errors import UsageError
from .files import MAX_NOTE_BYTES, read_capped, read_command_file

NOT_IN_VAULT = (
    "not inside an infoint vault (no infoint.yaml here or above); "
    "run 'infoint init' or pass --vault"
)
#: The file that makes a folder a vault: its settings (`config`).
CONFIG_NAME = "infoint.yaml"
TEMPLATES_DIR = "templates"
CACHE_DIR = ".infoint"
#: Where Obsidian's core Templates plugin and the Templater plugin keep their folder.
OBSIDIAN_TEMPLATES = ".obsidian/templates.json"
TEMPLATER_SETTINGS = ".obsidian/plugins/templater-obsidian/data.json"
#: Plugin settings are small; a larger file is not a settings file we know.
_MAX_SETTINGS_BYTES = 256 * 1024


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


def _folder_key(text: str) -> str:
    """How folder paths compare: NFC, case-folded, `/`-separated, no outer slashes."""
    text = text.replace("\\", "/").strip().strip("/")
    return unicodedata.normalize("NFC", text).casefold()


def _glob_pattern(glob: str) -> str:
    """A regular expression for one `exclude` glob: `*` and `?` within a path part,
    `**` across parts, `[...]` a class. A glob without `/` matches at any depth (as in
    .gitignore); one that names a folder excludes everything below it."""
    glob = glob.replace("\\", "/").strip().lstrip("/")
    anywhere = "/" not in glob.rstrip("/")
    parts: list[str] = []
    position = 0
    while position < len(glob):
        char = glob[position]
        if glob.startswith("**/", position):
            parts.append("(?:.*/)?")
            position += 3
            continue
        if glob.startswith("**", position):
            parts.append(".*")
            position += 2
            continue
        if char == "*":
            parts.append("[^/]*")
        elif char == "?":
            parts.append("[^/]")
        elif char == "[" and "]" in glob[position + 2 :]:
            end = glob.index("]", position + 2)
            body = glob[position + 1 : end]
            negated = body.startswith(("!", "^"))
            body = re.escape(body[1:] if negated else body).replace("\\-", "-")
            parts.append(f"[{'^' if negated else ''}{body}]")
            position = end
        else:
            parts.append(re.escape(char))
        position += 1
    body = "".join(parts).rstrip("/")
    return f"{'(?:.*/)?' if anywhere else ''}{body}(?:/.*)?"


@dataclass(frozen=True, slots=True)
class NoteRules:
    """Which files of a vault are notes (SPEC 2): not in a template folder, not matched
    by an `exclude` glob (hidden folders are never walked)."""

    #: Template folders, as `_folder_key` spells them (vault-relative).
    template_folders: frozenset[str] = frozenset({TEMPLATES_DIR})
    exclude: tuple[str, ...] = ()
    _excluded: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.exclude:
            pattern = "|".join(_glob_pattern(glob) for glob in self.exclude if glob.strip())
            if pattern:
                compiled = re.compile(f"(?:{pattern})\\Z", re.IGNORECASE | re.DOTALL)
                object.__setattr__(self, "_excluded", compiled)

    def with_exclude(self, exclude: Iterable[str]) -> NoteRules:
        """These rules with the config's `exclude` globs."""
        return NoteRules(self.template_folders, tuple(exclude))

    def is_template_folder(self, rel: str) -> bool:
        return _folder_key(rel) in self.template_folders

    def is_excluded(self, rel: str) -> bool:
        """Whether an `exclude` glob matches this vault-relative path."""
        return self._excluded is not None and self._excluded.match(rel) is not None

    def is_note(self, rel: str) -> bool:
        """Whether a vault-relative path is where the walk finds notes."""
        parts = rel.split("/")
        if not rel.endswith(".md") or any(part.startswith(".") for part in parts):
            return False
        folders = ""
        for part in parts[:-1]:
            folders = f"{folders}/{part}" if folders else part
            if self.is_template_folder(folders):
                return False
        return not self.is_excluded(rel)


def _setting(root: Path, rel: str, key: str) -> str | None:
    """A folder named in one of Obsidian's JSON settings files, if it names one. A
    missing, unreadable or malformed file names none: it is not ours to report."""
    try:
        data = json.loads(read_capped(root / rel, _MAX_SETTINGS_BYTES))
    except (OSError, ValueError, RecursionError):
        return None
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not _folder_key(value):
        return None  # empty or `/`: no folder (the whole vault is never a template)
    return value


def note_rules(root: Path, exclude: Iterable[str] = ()) -> NoteRules:
    """The vault's rules: `templates/` at the root in any letter case, the folders that
    Obsidian's Templates and Templater plugins use, and the config's `exclude` globs."""
    folders = {TEMPLATES_DIR}
    for rel, key in ((OBSIDIAN_TEMPLATES, "folder"), (TEMPLATER_SETTINGS, "templates_folder")):
        named = _setting(root, rel, key)
        if named is not None:
            folders.add(_folder_key(named))
    return NoteRules(frozenset(folders), tuple(exclude))


def read_config_bytes(root: Path) -> bytes:
    """The bytes of `root/infoint.yaml`. Raises UsageError (exit 2) if it cannot be read,
    is not a regular file or is larger than a note may be (checked before reading).
    (Here, not in `config`: a remembered agenda keys on these bytes and never parses them.)"""
    return read_command_file(root / CONFIG_NAME, CONFIG_NAME, MAX_NOTE_BYTES)


def find_vault(explicit: str | None, environ: Mapping[str, str], cwd: Path) -> Path:
    """The vault root: `--vault`, then `INFOINT_VAULT`, then the nearest `infoint.yaml` up."""
    given = explicit or environ.get("INFOINT_VAULT") or None
    if given:
        # os.path's: `~nobody/notes` stays as it is (Path's raises RuntimeError).
        root = Path(os.path.expanduser(given))
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


def is_inside(path: Path, root: Path) -> bool:
    """Whether `path` (already resolved) is `root` or below it."""
    return path == root or root in path.parents


@dataclass(slots=True)
class VaultFiles:
    """What the walk found: the notes, and every other file a link may point at."""

    notes: list[NoteFile]
    #: Vault-relative paths of the other files (attachments, templates, excluded
    #: notes), sorted.
    others: list[str]


#: A note as the walk saw it: `NoteFile`'s fields, in order, in a plain tuple.
Seen = tuple[str, str, int, int, int, int]


@dataclass(slots=True)
class VaultScan:
    """What the walk saw, sorted by vault-relative path (`exclude` not applied), before
    any NoteFile is built: building them costs 5 ms at 10,000 notes, and a remembered
    agenda needs none (`speed.memo_key` reads the tuples)."""

    notes: list[Seen]
    others: list[str]

    def files(self) -> VaultFiles:
        return VaultFiles(list(starmap(NoteFile, self.notes)), self.others)


def scan_vault(root: Path, rules: NoteRules | None = None) -> VaultScan:
    """Every note of the vault (`rules`' `exclude` not applied) and every other file,
    sorted by vault-relative path (one stat per note; other files are only listed)."""
    if rules is None:
        rules = note_rules(root)
    real_root = root.resolve()
    found = VaultScan([], [])
    # (OS path, vault-relative prefix, whether its files are notes)
    folders = [(str(root), "", True)]
    while folders:
        folder, prefix, notes = folders.pop()
        _scan_folder(folder, prefix, notes, real_root, rules, found, folders)
    found.notes.sort(key=itemgetter(0))
    found.others.sort()
    return found


def walk_vault(root: Path, rules: NoteRules | None = None) -> VaultFiles:
    """Every note of the vault and every other file, sorted by vault-relative path (one
    stat per note; other files are only listed)."""
    if rules is None:
        rules = note_rules(root)
    return excluding(scan_vault(root, rules).files(), rules)


def excluding(found: VaultFiles, rules: NoteRules) -> VaultFiles:
    """`found` with the notes that the `exclude` globs match moved to the other files."""
    if not rules.exclude:
        return found
    notes = [file for file in found.notes if not rules.is_excluded(file.rel)]
    if len(notes) == len(found.notes):
        return found
    kept = {file.rel for file in notes}
    others = found.others + [file.rel for file in found.notes if file.rel not in kept]
    return VaultFiles(notes, sorted(others))


def walk_notes(root: Path, rules: NoteRules | None = None) -> list[NoteFile]:
    """Every note of the vault, sorted by vault-relative path (one stat per note)."""
    return walk_vault(root, rules).notes


def _scan_folder(
    folder: str,
    prefix: str,
    notes: bool,
    real_root: Path,
    rules: NoteRules,
    found: VaultScan,
    folders: list[tuple[str, str, bool]],
) -> None:
    """Add the files of one folder to `found` and its subfolders to `folders`; `notes`:
    whether its Markdown files are notes (not in a template folder)."""
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
                # A symlinked folder is either outside the vault (never followed) or
                # inside it (its files are reached at their real place).
                if not entry.is_symlink():
                    rel = f"{prefix}{name}"
                    below = notes and not rules.is_template_folder(rel)
                    folders.append((entry.path, rel + "/", below))
                continue
            if entry.is_symlink() and not is_inside(Path(os.path.realpath(entry.path)), real_root):
                continue
            if not (notes and name.endswith(".md")):
                found.others.append(f"{prefix}{name}")
                continue
            stat = entry.stat()
        except (OSError, RuntimeError):
            # A dangling symlink, a loop, or a file that vanished: nothing to read.
            continue
        if not S_ISREG(stat.st_mode):  # a FIFO or device named `x.md` would block a read
            continue
        # The numbers are taken now, while the stat is fresh in memory (later is slower).
        found.notes.append(
            (
                f"{prefix}{name}",
                entry.path,
                stat.st_mtime_ns,
                stat.st_size,
                stat.st_ino,
                stat.st_ctime_ns,
            )
        )
