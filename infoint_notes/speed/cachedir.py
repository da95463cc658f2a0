"""`<vault>/.infoint/`, the cache folder, used only when it is a real folder (SPEC 5).

A shared vault can carry `.infoint` as a symlink (`.infoint -> ..`: git commits a link,
and a `.gitignore` line `.infoint/` matches folders only) or as a file. Writing through
such a link would put our files, or delete them, outside the vault. So the folder is
opened without following a link (`O_NOFOLLOW | O_DIRECTORY`) and every file in it is
reached through that open folder (`dir_fd`), never by its path again: a link swapped in
for the folder meanwhile is not followed either. Files in it are opened with
`O_NOFOLLOW` too, and a database file that is not a plain file means no cache.

Anything unexpected means "no cache this time", never an error: the cache is never
needed for a correct answer.

A run may leave its caches to a child that writes them after the answer is out
(`background`); it holds an exclusive lock on `finishing.lock` meanwhile. Every process
waits for such a child once, before it first opens the folder: a run right after
another then finds what that one wrote, instead of computing it all again.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from ..core.files import read_open
from ..core.vault import CACHE_DIR

CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by infoint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_GITIGNORE = "# Created by infoint: this folder is a cache; git never needs it.\n*\n"

#: A file modified less than this before we read it may change again unseen (2 s covers
#: FAT's timestamp granularity and coarse kernel clocks): what was read from it is not
#: trusted by later runs (the store's records, the agenda memo).
RACY_NS = 2_000_000_000


def cache_wanted() -> bool:
    """INFOINT_NO_CACHE=1: read every note, leave .infoint/ alone (debugging, timing)."""
    return os.environ.get("INFOINT_NO_CACHE", "") in ("", "0")


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
#: O_NONBLOCK: a FIFO planted under a cache file's name fails the check instead of
#: hanging the open.
_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | _CLOEXEC | getattr(os, "O_NONBLOCK", 0)
_NEW_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
_LOCK_FLAGS = os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC | getattr(os, "O_NONBLOCK", 0)
#: Held (exclusively) by a child writing caches after its run answered (`background`).
FINISHING_LOCK = "finishing.lock"
#: Where the system can open a folder and work relative to it (Linux, macOS, BSDs).
_BY_FD = (
    hasattr(os, "O_DIRECTORY")
    and _NOFOLLOW != 0
    and {os.open, os.stat, os.unlink, os.rename} <= os.supports_dir_fd
)


class CacheFolder:
    """The open cache folder. Names given to its methods are plain file names in it."""

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self._fd = fd

    def __enter__(self) -> CacheFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _at(self, name: str) -> str:
        return name if self._fd is not None else os.fspath(self.path / name)

    def has(self, name: str) -> bool:
        """Whether something is at `name` (a link counts)."""
        try:
            os.stat(self._at(name), dir_fd=self._fd, follow_symlinks=False)
        except OSError:
            return False
        return True

    def mark(self) -> None:
        """`.gitignore` (`*`) and `CACHEDIR.TAG`: git and backup tools skip the folder.
        Each is written only where nothing is (a read-only folder: nothing to mark, and
        no cache will be written either)."""
        for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG)):
            self.create(name, text.encode("utf-8"))

    def plain_or_absent(self, name: str) -> bool:
        """Whether `name` is a regular file (not a link) or does not exist."""
        try:
            found = os.stat(self._at(name), dir_fd=self._fd, follow_symlinks=False)
        except FileNotFoundError:
            return True
        except OSError:
            return False
        return stat.S_ISREG(found.st_mode)

    def read(self, name: str, limit: int) -> bytes | None:
        """The bytes of a regular file in the folder of at most `limit` bytes; None if
        it is anything else (a larger file is not read: the folder may be planted)."""
        try:
            fd = os.open(self._at(name), _READ_FLAGS, dir_fd=self._fd)
        except OSError:
            return None
        try:
            data = read_open(fd, limit, refuse_larger=True)
        except OSError:
            return None
        finally:
            os.close(fd)
        return data if len(data) <= limit else None

    def create(self, name: str, data: bytes) -> bool:
        """Write a new file (never over an existing one, never through a link)."""
        try:
            fd = os.open(self._at(name), _NEW_FLAGS, 0o666, dir_fd=self._fd)
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(data)
        except OSError:
            self.unlink(name)
            return False
        return True

    def replace(self, name: str, data: bytes) -> bool:
        """Put `data` in `name` atomically (a temporary file, then a rename)."""
        temporary = f".{name}-{os.urandom(4).hex()}.tmp"  # (`secrets` costs 5 ms to import)
        if not self.create(temporary, data):
            return False
        try:
            os.replace(
                self._at(temporary), self._at(name), src_dir_fd=self._fd, dst_dir_fd=self._fd
            )
        except OSError:
            self.unlink(temporary)
            return False
        return True

    def hold_finishing(self) -> int | None:
        """An open descriptor holding `FINISHING_LOCK` exclusively (a child forked now
        holds it too, until it ends); None when it is held already, or cannot be had."""
        try:
            import fcntl
        except ImportError:  # no locks here (Windows): no child writes caches either
            return None
        try:
            fd = os.open(self._at(FINISHING_LOCK), _LOCK_FLAGS, 0o666, dir_fd=self._fd)
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return None
        return fd

    def wait_for_finishing(self) -> None:
        """Return once no child of an earlier run is writing caches here."""
        try:
            import fcntl
        except ImportError:
            return
        try:
            fd = os.open(self._at(FINISHING_LOCK), _READ_FLAGS, dir_fd=self._fd)
        except OSError:
            return  # none ever was (or not a file we would lock)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
        except OSError:
            pass
        finally:
            os.close(fd)

    def unlink(self, name: str) -> None:
        """Remove `name` (a link is removed itself, its target never touched)."""
        with contextlib.suppress(OSError):
            os.unlink(self._at(name), dir_fd=self._fd)

    def still_here(self) -> bool:
        """Whether `.infoint` is still this very folder (for the SQLite database, which
        is opened by path): not replaced by a link or another folder since opened."""
        if self._fd is None:
            return _real_folder(self.path) is not None
        try:
            now, opened = os.lstat(self.path), os.fstat(self._fd)
        except OSError:
            return False
        return (now.st_dev, now.st_ino) == (opened.st_dev, opened.st_ino)


def _real_folder(path: Path) -> os.stat_result | None:
    try:
        found = os.lstat(path)
    except OSError:
        return None
    return found if stat.S_ISDIR(found.st_mode) else None


#: The cache folders this process waited for the finishing of.
_WAITED: set[Path] = set()
#: False in the child that finishes (it would wait for itself).
_WAITS = [True]


def finishing_here() -> None:
    """This process is the child writing caches: it never waits for one."""
    _WAITS[0] = False


def open_cache_folder(root: Path, create: bool = False) -> CacheFolder | None:
    """The vault's cache folder, opened (and marked, `create`d); None when it is absent
    (and not `create`d), or not a real folder (a symlink, a file), or cannot be opened.
    The first time in a process, waits for a child of an earlier run still writing
    caches there."""
    folder = _opened(root, create)
    if folder is not None and create:
        folder.mark()
    if folder is not None and _WAITS[0] and folder.path not in _WAITED:
        _WAITED.add(folder.path)
        folder.wait_for_finishing()
    return folder


def wait_for_finishing(root: Path) -> None:
    """Return once no child is writing the caches of the vault at `root` (whether this
    process waited for one before or not)."""
    folder = _opened(root, False)
    if folder is not None:
        with folder:
            folder.wait_for_finishing()


def _opened(root: Path, create: bool) -> CacheFolder | None:
    path = root / CACHE_DIR
    if create:
        try:
            os.mkdir(path)
        except FileExistsError:
            pass  # ours from an earlier run, or something else: checked below
        except OSError:
            return None  # a read-only vault
    if not _BY_FD:
        # Without folder descriptors: check, then use the path (a link swapped in
        # between is a race we cannot close here).
        return CacheFolder(path, None) if _real_folder(path) is not None else None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW | _CLOEXEC)
    except OSError:
        return None  # absent, a symlink (ELOOP), a file (ENOTDIR), unreadable
    return CacheFolder(path, fd)


def cache_folder_problem(root: Path) -> str | None:
    """Why `.infoint` cannot be the cache folder, when something else is there."""
    path = root / CACHE_DIR
    try:
        found = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISDIR(found.st_mode):
        return None
    what = "a symbolic link" if stat.S_ISLNK(found.st_mode) else "a file"
    return f"{CACHE_DIR} is not a folder but {what}"
