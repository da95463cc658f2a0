"""The git pre-commit hook that `infoint hook install` writes (SPEC 4.17)."""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..core.errors import UsageError, WriteRefused
from ..core.files import MAX_NOTE_BYTES, read_capped

MARKER = "# infoint-managed pre-commit hook"
BACKUP_SUFFIX = ".infoint-backup"
#: How much of a pre-commit hook is read to see whether it is ours.
_HOOK_BYTES = 64 * 1024

_SCRIPT = """#!/bin/sh
{marker}: refuses a commit whose staged notes have errors.
# Installed by `infoint hook install`; `infoint hook uninstall` removes it.
top=$(git rev-parse --show-toplevel) || exit 1
cd "$top" || exit 1
vault={vault}
python={python}
# What is checked is what the commit will hold: the staged version of each note.
if "$python" -c 'import infoint_notes' 2>/dev/null; then
  exec "$python" -m infoint_notes --vault "$vault" validate --staged
fi
if command -v infoint >/dev/null 2>&1; then
  exec infoint --vault "$vault" validate --staged
fi
echo "infoint pre-commit hook: infoint is not installed here; notes were not checked" >&2
exit 0
"""


@dataclass(frozen=True, slots=True)
class HookPlace:
    """Where the vault's repository keeps its pre-commit hook."""

    hook: Path
    vault_in_repo: str  # the vault folder relative to the repository's top, `.` for the top


def _run(root: Path, args: Sequence[str]) -> subprocess.CompletedProcess[bytes]:
    if shutil.which("git") is None:
        raise UsageError("git is not installed")
    # An empty stdin: git never waits on the terminal.
    return subprocess.run(["git", *args], cwd=root, input=b"", capture_output=True, check=False)


def _git(root: Path, *args: str) -> str:
    """One line git prints (a path: any bytes but the final newline are part of it)."""
    result = _run(root, args)
    if result.returncode != 0:
        raise UsageError(
            f"{root} is not in a git repository; run 'git init' there (or 'infoint init --git')"
        )
    return os.fsdecode(result.stdout.removesuffix(b"\n"))


def _plumbing(root: Path, *args: str) -> bytes:
    """The output of a git command that must work inside a repository."""
    result = _run(root, args)
    if result.returncode != 0:
        why = result.stderr.decode("utf-8", "replace").strip()
        first = why.splitlines()[0] if why else f"exit status {result.returncode}"
        raise UsageError(f"git {args[0]} failed: {first}")
    return result.stdout


def hook_place(root: Path) -> HookPlace:
    """The hook file (honouring core.hooksPath and worktrees) and the vault's place."""
    top = Path(_git(root, "rev-parse", "--show-toplevel")).resolve()
    hooks = Path(_git(root, "rev-parse", "--git-path", "hooks"))
    if not hooks.is_absolute():
        hooks = root / hooks
    vault = root.resolve().relative_to(top).as_posix() or "."
    return HookPlace(hooks / "pre-commit", vault)


def hook_script(vault_in_repo: str, python: str) -> str:
    return _SCRIPT.format(
        marker=MARKER, vault=shlex.quote(vault_in_repo), python=shlex.quote(python)
    )


def is_ours(path: Path) -> bool:
    """Whether the hook at `path` is infoint's (ours is a few lines: a huge file, a FIFO
    or a device there is someone else's, and is not read whole)."""
    try:
        head = read_capped(path, _HOOK_BYTES)
    except OSError:
        return False
    return MARKER in head.decode("utf-8", errors="replace")


def install(root: Path, python: str, force: bool = False) -> str:
    """Write the hook; a foreign hook is kept as a backup with --force, else refused."""
    place = hook_place(root)
    hook = place.hook
    message = f"installed {hook}"
    if hook.exists() and not is_ours(hook):
        if not force:
            raise WriteRefused(
                f"{hook} exists and is not infoint's; keep it, or pass --force "
                f"(it is then kept as {hook.name}{BACKUP_SUFFIX})"
            )
        hook.replace(hook.with_name(hook.name + BACKUP_SUFFIX))
        message += f" (your previous hook is kept as {hook.name}{BACKUP_SUFFIX})"
    hook.parent.mkdir(parents=True, exist_ok=True)
    temporary = hook.with_name(hook.name + ".infoint-tmp")
    temporary.write_text(hook_script(place.vault_in_repo, python), encoding="utf-8")
    mode = os.stat(temporary).st_mode
    os.chmod(temporary, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    os.replace(temporary, hook)
    return message


def uninstall(root: Path) -> str:
    """Remove our hook (restoring a backed-up foreign one); never remove someone else's."""
    hook = hook_place(root).hook
    if not hook.exists():
        return "no pre-commit hook installed"
    if not is_ours(hook):
        raise WriteRefused(f"{hook} is not infoint's hook; left as it is")
    hook.unlink()
    backup = hook.with_name(hook.name + BACKUP_SUFFIX)
    if backup.exists():
        backup.replace(hook)
        return f"removed infoint's hook; restored your previous {hook.name}"
    return f"removed {hook}"


# --- what the next commit holds (`validate --staged`) -----------------------------------
#
# Every path is read NUL-separated (`-z`) and every file by its object id, never by its
# name: a name may hold a newline or bytes that are not UTF-8, and git's line-based
# `cat-file --batch` would then answer another question than the one asked.

_REGULAR = ("100644", "100755")
_SYMLINK = "120000"
_GITLINK = "160000"


@dataclass(frozen=True, slots=True)
class _Entry:
    mode: str
    object_id: str


@dataclass(frozen=True, slots=True)
class StagedChanges:
    """The vault's notes as the next commit holds them, against the working tree and
    HEAD. Paths are vault-relative, decoded as the vault walk decodes file names."""

    #: Every note path the commit holds (git's index), symlinks included.
    committed: frozenset[str]
    #: Submodule folders: their notes are committed in their own repository.
    gitlinks: tuple[str, ...]
    #: Path -> committed content, for each note the working tree has otherwise or not at all.
    contents: dict[str, bytes]
    #: Notes the commit adds or changes (against HEAD).
    staged: frozenset[str]
    #: Path -> HEAD's content, for each note the commit changes or removes.
    previous: dict[str, bytes]

    def holds(self, path: str) -> bool:
        """Whether the commit holds the working tree's note at `path` (when unchanged)."""
        return path in self.committed or any(
            path.startswith(folder + "/") for folder in self.gitlinks
        )


def _paths(raw: bytes) -> Iterator[str]:
    return (os.fsdecode(item) for item in raw.split(b"\0") if item)


def _index_entries(root: Path) -> dict[str, _Entry]:
    """Path -> entry of every merged file in git's index below `root`."""
    found = {}
    # One decode of the whole answer (as the walk decodes names: surrogate escapes).
    for record in os.fsdecode(_plumbing(root, "ls-files", "--stage", "-z")).split("\0"):
        meta, _, name = record.partition("\t")
        if meta.endswith(" 0"):  # stage 0: an unmerged path cannot be committed anyway
            mode, object_id, _ = meta.split(" ")
            found[name] = _Entry(mode, object_id)
    return found


def _head_tree(root: Path) -> str:
    """HEAD's tree, or the empty tree before the first commit."""
    result = _run(root, ["rev-parse", "-q", "--verify", "HEAD^{tree}"])
    if result.returncode == 0:
        return result.stdout.decode("ascii").strip()
    return _plumbing(root, "hash-object", "-t", "tree", "--stdin").decode("ascii").strip()


def _changes(root: Path) -> Iterator[tuple[str, _Entry, _Entry]]:
    """(path, HEAD's entry, the index's entry) of each path the commit changes."""
    raw = _plumbing(
        root,
        "diff-index",
        "--cached",
        "--raw",
        "-z",
        "--no-abbrev",
        "--no-renames",
        "--relative",
        _head_tree(root),
    )
    fields = raw.split(b"\0")
    for meta, name in zip(fields[0::2], fields[1::2], strict=False):
        if not meta.startswith(b":"):
            continue
        old_mode, new_mode, old_id, new_id, _status = meta[1:].decode("ascii").split(" ")
        yield os.fsdecode(name), _Entry(old_mode, old_id), _Entry(new_mode, new_id)


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise UsageError("git cat-file stopped before its answer was complete")
    return data


def read_blobs(
    root: Path, object_ids: Collection[str], limit: int = MAX_NOTE_BYTES
) -> dict[str, bytes]:
    """Object id -> content of each blob; a blob larger than `limit` gives only its first
    `limit + 1` bytes (enough to be reported as too large, never held whole in memory)."""
    wanted = sorted(set(object_ids))
    if not wanted:
        return {}
    found: dict[str, bytes] = {}
    # Requests from a file, answers read as they come: no pipe fills up on either side.
    with tempfile.TemporaryFile() as requests:
        requests.write("".join(f"{object_id}\n" for object_id in wanted).encode("ascii"))
        requests.seek(0)
        process = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=root,
            stdin=requests,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdout is not None
        try:
            for object_id in wanted:
                found[object_id] = _answer(process.stdout, object_id, limit)
        finally:
            process.stdout.close()
            process.wait()
    return found


def _answer(stream: IO[bytes], object_id: str, limit: int) -> bytes:
    """One answer of `git cat-file --batch`: `<id> blob <size>`, the bytes, a newline."""
    header = stream.readline().decode("ascii", "replace").split()
    if header[:2] != [object_id, "blob"] or len(header) != 3 or not header[2].isdigit():
        raise UsageError(f"git cat-file cannot show object {object_id}: {' '.join(header)}")
    size = int(header[2])
    content = _read_exactly(stream, min(size, limit + 1))
    left = size - len(content)
    while left:  # the rest of a blob too large to be a note: read past it
        left -= len(_read_exactly(stream, min(left, 1 << 20)))
    _read_exactly(stream, 1)
    return content


def staged_changes(
    root: Path, is_note: Callable[[str], bool], on_disk: Collection[str]
) -> StagedChanges:
    """What the next commit holds of the vault at `root`; `on_disk` are the note paths
    the working tree has. Only blobs the check needs are read."""
    _git(root, "rev-parse", "--git-dir")  # a clear message outside a repository
    entries = _index_entries(root)
    index = {path: entry for path, entry in entries.items() if is_note(path)}
    gitlinks = tuple(path for path, entry in entries.items() if entry.mode == _GITLINK)
    dirty = set(_paths(_plumbing(root, "diff-files", "--name-only", "-z", "--relative")))
    from_index = {
        path: entry.object_id
        for path, entry in index.items()
        if entry.mode in _REGULAR and (path in dirty or path not in on_disk)
    }
    staged: set[str] = set()
    from_head: dict[str, str] = {}
    for path, old, new in _changes(root):
        if not is_note(path):
            continue
        if new.mode in _REGULAR:
            staged.add(path)
        if old.mode in _REGULAR:
            from_head[path] = old.object_id
    blobs = read_blobs(root, [*from_index.values(), *from_head.values()])
    return StagedChanges(
        committed=frozenset(
            path for path, entry in index.items() if entry.mode in (*_REGULAR, _SYMLINK)
        ),
        gitlinks=gitlinks,
        contents={path: blobs[object_id] for path, object_id in from_index.items()},
        staged=frozenset(staged),
        previous={path: blobs[object_id] for path, object_id in from_head.items()},
    )
