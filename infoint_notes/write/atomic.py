"""Putting files into the vault without losing anything the user has (SPEC 5).

- A file is replaced through a temporary file in the same folder (fsync, rename, fsync
  of the folder): a reader, or a crash, sees the old file or the new one, never a mix.
- The new file keeps the old one's mode, owner and group (`os.replace` keeps nothing of
  the old file; a user who may not give a file away keeps at least its group). A note
  its owner may not write is written all the same, through the rename as editors do,
  and the caller is told so (`Written.warnings`), as when the note had other hard
  links (they keep the old text).
- Lost updates: a command that read a note (the walk's stat, the digest of the bytes it
  parsed: `FirstRead`) writes it only if the file is still exactly that, checked when
  the writer reads it and again just before the rename. An editor's save at any moment
  after the command's first read is refused, not undone.
- A new file never replaces anything (a hard link does not overwrite), and goes only
  into real folders inside the vault, made one level at a time.
- Temporaries are `.<name>.<8 random characters>.tmp` (`tempfile.mkstemp`'s names).
  One left behind by a killed write is removed by a later write into its folder once it
  is `STALE_TEMPORARY_SECONDS` old. A write holds its temporary for milliseconds; one a
  stopped writer still held would only make that write fail (its note untouched).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import WriteRefused
from ..core.files import MAX_NOTE_BYTES, READ_FLAGS, RefusedFile, read_capped, read_open
from ..core.parse import content_digest
from ..core.vault import is_inside

#: Age (by mtime) from which a temporary of ours is taken as abandoned.
STALE_TEMPORARY_SECONDS = 15 * 60
#: `tempfile.mkstemp(prefix=".<name>.", suffix=".tmp")`: 8 characters from its alphabet.
_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp\Z", re.DOTALL)
#: A folder swept this recently (monotonic seconds) is not listed again: `--fix` over
#: 300 notes of one folder lists it once.
_SWEEP_EVERY = 60.0
_swept: dict[str, float] = {}


class AlreadyExists(WriteRefused):
    """A new file's place is taken (perhaps since the command looked)."""


@dataclass(frozen=True, slots=True)
class FirstRead:
    """A note as a command first read it: the walk's stat and the digest of the bytes
    parsed (from the cache, the digest of the bytes the cache vouches for)."""

    mtime_ns: int
    size: int
    digest: bytes


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A note as the writer read it, to write it back only if nobody changed it meanwhile."""

    path: Path  # as named (may be a symlink)
    target: Path  # the real file that is written
    shown: str  # vault-relative, for messages
    raw: bytes
    mtime_ns: int
    size: int
    digest: bytes
    mode: int
    uid: int
    gid: int
    links: int  # hard links: the other names keep the old file after the rename


@dataclass(frozen=True, slots=True)
class Written:
    """A note replaced, and what the user should hear about it."""

    shown: str
    warnings: tuple[str, ...] = ()


def shown_path(path: Path, root: Path) -> str:
    """`path` as messages name it: vault-relative where it can be."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def writable_target(path: Path, root: Path) -> Path:
    """The real file behind `path`; refused when it leaves the vault."""
    real_root = Path(os.path.realpath(root))
    target = Path(os.path.realpath(path))
    if not is_inside(target, real_root):
        if path.is_symlink():
            raise WriteRefused(f"{path} is a symlink to {target}, outside the vault; not writing")
        raise WriteRefused(f"{path} is outside the vault ({real_root}); not writing")
    return target


def read_snapshot(path: Path, root: Path) -> Snapshot:
    """Read a note for editing."""
    target = writable_target(path, root)
    shown = shown_path(path, root)
    try:
        # Never blocks on a FIFO swapped in, never reads more than a note may hold.
        fd = os.open(target, READ_FLAGS)
    except OSError as exc:
        raise WriteRefused(f"cannot read {shown}: {exc.strerror or exc}") from exc
    try:
        info = os.fstat(fd)
        raw = read_open(fd, MAX_NOTE_BYTES, refuse_larger=True)
    except RefusedFile as exc:
        if not stat.S_ISREG(info.st_mode):
            raise WriteRefused(f"{shown} is not a regular file; not writing") from exc
        limit = MAX_NOTE_BYTES // (1024 * 1024)
        raise WriteRefused(
            f"{shown} is larger than a note may be ({limit} MiB); not writing"
        ) from exc
    except OSError as exc:
        raise WriteRefused(f"cannot read {shown}: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    return Snapshot(
        path,
        target,
        shown,
        raw,
        info.st_mtime_ns,
        info.st_size,
        content_digest(raw),
        stat.S_IMODE(info.st_mode),
        info.st_uid,
        info.st_gid,
        info.st_nlink,
    )


def _changed(shown: str) -> WriteRefused:
    return WriteRefused(
        f"{shown} changed on disk after infoint read it (saved in an editor?); "
        "nothing written: run the command again"
    )


def refuse_if_changed(snapshot: Snapshot, first: FirstRead) -> None:
    """Raise WriteRefused when the note is no longer what the command first read."""
    if (snapshot.mtime_ns, snapshot.size, snapshot.digest) != (
        first.mtime_ns,
        first.size,
        first.digest,
    ):
        raise _changed(snapshot.shown)


def _unchanged_since(snapshot: Snapshot) -> None:
    """Raise WriteRefused when the file on disk is no longer what was read."""
    try:
        info = os.stat(snapshot.target)
        raw = read_capped(snapshot.target, MAX_NOTE_BYTES)  # larger: changed, by its size
    except OSError as exc:
        raise _changed(snapshot.shown) from exc
    if (info.st_mtime_ns, info.st_size, content_digest(raw)) != (
        snapshot.mtime_ns,
        snapshot.size,
        snapshot.digest,
    ):
        raise _changed(snapshot.shown)


def write_snapshot(snapshot: Snapshot, data: bytes) -> Written | None:
    """Replace the note read as `snapshot` with `data`; None when nothing changed."""
    if data == snapshot.raw:
        return None
    atomic_write(
        snapshot.target,
        data,
        snapshot.mode,
        shown=snapshot.shown,
        check=lambda: _unchanged_since(snapshot),
        owner=(snapshot.uid, snapshot.gid),
    )
    return Written(snapshot.shown, tuple(_replace_warnings(snapshot)))


def _replace_warnings(snapshot: Snapshot) -> list[str]:
    """What replacing the file did that its owner may not expect."""
    found = []
    if not snapshot.mode & stat.S_IWUSR:
        found.append(
            f"warning: {snapshot.shown} is read-only (its owner may not write it); "
            "written anyway, as an editor would, and left read-only"
        )
    if snapshot.links > 1:
        found.append(
            f"warning: {snapshot.shown} had {snapshot.links - 1} other hard link(s); "
            "they keep the old text (the note is a new file now)"
        )
    return found


def create_note(
    path: Path,
    root: Path,
    data: bytes,
    *,
    sync_folder: bool = True,
    folder: Path | None = None,
    mode: int | None = None,
) -> Path:
    """Write a new file at `path` (inside the vault); never replace an existing one
    (AlreadyExists, also when it appeared after the command looked). Returns the real
    folder it is in. A caller writing many notes passes back that `folder` (resolved
    once: it is a real folder inside the vault) and the `mode`, and syncs the folders
    itself (`sync_folder=False`)."""
    shown = shown_path(path, root)
    if path.name in ("", ".", ".."):
        raise WriteRefused(f"{path} is outside the vault ({root}); not writing")
    folder = folder or note_folder(path.parent, root, shown)
    if os.path.lexists(folder / path.name):
        raise AlreadyExists(f"{shown} already exists; not overwriting it")
    atomic_write(
        folder / path.name,
        data,
        _default_mode() if mode is None else mode,
        shown=shown,
        exclusive=True,
        sync_folder=sync_folder,
    )
    return folder


@dataclass(frozen=True, slots=True)
class Created:
    """What `create_notes` did."""

    written: list[str]  #: vault-relative paths of the notes written, in order
    taken: list[str]  #: why each note whose place was taken meanwhile was left out
    #: What stopped the rest (a folder that cannot be written); None if nothing did.
    stopped: WriteRefused | None = None


def create_notes(root: Path, notes: Iterable[tuple[str, str]]) -> Created:
    """Write new notes, (vault-relative path, text) each. A note whose place was taken
    meanwhile is left out; any other refusal would refuse every note, so it stops.

    Each note is complete on disk before it takes its name (fsync, then link), as every
    write is; the folders that gained names are synced once at the end, not once per
    note (half an import's time): a crash meanwhile may forget some of the names, never
    give a note part of its text, and importing again adds what is missing."""
    written: list[str] = []
    taken: list[str] = []
    folders: dict[Path, Path] = {}  # as named -> the real folder
    mode = _default_mode()
    try:
        for rel, text in notes:
            path = root / rel
            try:
                folders[path.parent] = create_note(
                    path,
                    root,
                    text.encode("utf-8"),
                    sync_folder=False,
                    folder=folders.get(path.parent),
                    mode=mode,
                )
            except AlreadyExists as exc:
                taken.append(str(exc))
                continue
            except WriteRefused as exc:
                return Created(written, taken, exc)
            written.append(rel)
    finally:
        for folder in sorted(set(folders.values())):
            _fsync_folder(folder)
    return Created(written, taken)


def create_if_missing(path: Path, root: Path, data: bytes) -> bool:
    """`create_note`, keeping a file that is there already (or appears meanwhile):
    False then."""
    try:
        create_note(path, root, data)
    except AlreadyExists:
        return False
    return True


def note_folder(folder: Path, root: Path, shown: str) -> Path:
    """The real folder behind `folder` (in the vault), made where missing. Refused when
    part of the way is a dangling symlink, not a folder, or leads out of the vault;
    nothing is made outside it."""
    real_root = Path(os.path.realpath(root))
    try:
        parts = folder.relative_to(root).parts
    except ValueError:
        parts = ("..",)
    current = root
    for part in parts:
        current = current / part
        where = shown_path(current, root)
        real = Path(os.path.realpath(current))
        if part == ".." or not is_inside(real, real_root):
            raise WriteRefused(
                f"cannot create {shown}: {where} leads outside the vault (to {real}); not writing"
            )
        if os.path.isdir(current):
            continue
        if os.path.islink(current) and not os.path.exists(current):
            raise WriteRefused(
                f"cannot create {shown}: {where} is a dangling symlink (to {_link(current)}); "
                "not writing"
            )
        if os.path.lexists(current):
            raise WriteRefused(f"cannot create {shown}: {where} is not a folder; not writing")
        try:
            os.mkdir(current)
        except FileExistsError:
            if not os.path.isdir(current):  # something else took the name meanwhile
                raise WriteRefused(f"cannot create {shown}: {where} is not a folder") from None
        except OSError as exc:
            raise WriteRefused(
                f"cannot create {shown}: cannot make the folder {where}: {exc.strerror or exc}"
            ) from exc
    return Path(os.path.realpath(current))


def _link(path: Path) -> str:
    try:
        return repr(os.readlink(path))
    except OSError:
        return "?"  # changed meanwhile


def _default_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write(
    target: Path,
    data: bytes,
    mode: int,
    *,
    shown: str,
    check: Callable[[], None] | None = None,
    exclusive: bool = False,
    owner: tuple[int, int] | None = None,
    sync_folder: bool = True,
) -> None:
    """Write `data` to `target` through a temporary file in the same folder.

    `check` runs just before the file takes its place (the lost-update guard).
    `exclusive` never replaces an existing file. `owner` is the (uid, gid) to keep.
    `sync_folder=False` leaves syncing the folder (the rename's durability) to the
    caller. On
    any failure the temporary file is removed, `target` is as it was, and an OSError
    becomes WriteRefused naming `shown`.
    """
    folder = target.parent
    if _sweep_due(folder):
        sweep_temporaries(folder, time.time())
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteRefused(f"cannot write {shown}: {exc.strerror or exc}; nothing written") from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if owner is not None:
            _keep_owner(temporary, *owner)
        os.chmod(temporary, mode)  # mkstemp made it 0600; after chown, which clears setuid
        if check is not None:
            check()
        if exclusive:
            _place_new(temporary, target, shown)
        else:
            os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise WriteRefused(
                f"cannot write {shown}: {exc.strerror or exc}; nothing written"
            ) from exc
        raise
    if sync_folder:
        _fsync_folder(folder)


def _keep_owner(temporary: str, uid: int, gid: int) -> None:
    """Give the new file the old one's owner and group. A user who may not give a file
    away keeps at least the group (allowed when they belong to it); a file system
    without owners (or Windows) keeps neither, which is all it can do."""
    info = os.stat(temporary)
    if (info.st_uid, info.st_gid) == (uid, gid) or not hasattr(os, "chown"):
        return
    for new_uid in (uid, -1):
        try:
            os.chown(temporary, new_uid, gid)
            return
        except OSError:
            continue


def _place_new(temporary: str, target: Path, shown: str) -> None:
    """Move `temporary` to `target` only if `target` does not exist (no overwrite race)."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise AlreadyExists(f"{shown} already exists; not overwriting it") from None
    except OSError:
        # A file system without hard links: check, then rename (a tiny window remains).
        if os.path.lexists(target):
            raise AlreadyExists(f"{shown} already exists; not overwriting it") from None
        os.replace(temporary, target)
        return
    os.unlink(temporary)


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not every platform can open a folder.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def is_temporary(name: str) -> bool:
    """Whether a file name is one of our temporaries (`.<name>.<8 characters>.tmp`)."""
    return _TEMPORARY.match(name) is not None


def _sweep_due(folder: Path) -> bool:
    """Whether `folder` was not swept in the last `_SWEEP_EVERY` seconds (and now is)."""
    key = os.fspath(folder)
    now = time.monotonic()
    last = _swept.get(key)
    if last is not None and now - last < _SWEEP_EVERY:
        return False
    _swept[key] = now
    return True


def sweep_temporaries(folder: Path, now: float) -> list[str]:
    """Remove our temporaries in `folder` that a killed write left (regular files named
    as `is_temporary` says, STALE_TEMPORARY_SECONDS older than `now` by mtime); return
    their names. Nothing else is touched, and what cannot be listed or removed is left."""
    removed: list[str] = []
    try:
        with os.scandir(folder) as scan:
            found = [entry for entry in scan if entry.name[0] == "." and is_temporary(entry.name)]
    except OSError:
        return removed
    for entry in found:
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < STALE_TEMPORARY_SECONDS:
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(entry.name)
    return sorted(removed)
