"""The record store: `<vault>/.infoint/cache.sqlite` (SPEC 2, 4.13), one row per note
file with the stamps it was read at and its parse result (a `codec` record).

The loader reuses a row when the file's `mtime_ns`, size, inode and change time are
unchanged (git's index checks the same) and the file was already old when it was read
(`unchanged`). Correctness never depends on the store:

- Schema version in `PRAGMA user_version`, plus a fingerprint of the infoint version,
  the Python version and the source of every module that shapes a `ParsedNote`. Any
  mismatch empties the store; so does a corrupt or truncated file (it is deleted and
  recreated). Anything else that goes wrong (a read-only vault, `.infoint` not a folder,
  a lock held too long) means "no cache this time", silently.
- Rollback journal and a busy timeout: concurrent commands serialise their (short)
  writes; a write that cannot get the lock is skipped, never retried in a loop.
- Racy files: a file written in the same clock tick as our read, with the same size,
  would look unchanged. As git does for its index, a record is reused only if the file's
  mtime is at least `RACY_NS` older than the moment we read it; younger files are read
  again next time (and stored for good once they are old enough).
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..core.vault import CACHE_DIR, NoteFile
from .cachedir import RACY_NS, CacheFolder, open_cache_folder

if TYPE_CHECKING:
    import sqlite3

CACHE_FILE = "cache.sqlite"
#: The database and the files SQLite keeps beside it.
_DATABASE_FILES = tuple(CACHE_FILE + suffix for suffix in ("", "-journal", "-wal", "-shm"))
#: Bump when the tables change; `_fingerprint` covers changes of the parse results.
SCHEMA_VERSION = 3
#: SQLite page size of a new cache (the largest there is).
PAGE_SIZE = 65536
#: Seconds a command waits for another one's write to finish before doing without.
BUSY_TIMEOUT = 2.0

# The modules whose code decides what a stored record holds.
_PARSER_MODULES = (
    "core/model.py",
    "core/parse.py",
    "core/files.py",
    "core/body.py",
    "core/sections.py",
    "core/yamlread.py",
    "core/yamlscalars.py",
    "speed/linescan.py",
    "speed/frontscan.py",
    "speed/codec.py",
    "speed/parsing.py",
    "speed/reading.py",
)

#: mtime, size, inode, change time, when it was read (ns), record (None: not loaded).
Row = tuple[int, int, int, int, int, bytes | None]
#: path, then a Row's fields, the record loaded, and the note's names (`speed.names`:
#: shell completion reads them alone, without decoding records).
NewRow = tuple[str, int, int, int, int, int, bytes, bytes]


def _fingerprint() -> str:
    """Changes whenever the parse result of a file could change."""
    digest = 0
    folder = Path(__file__).parent.parent
    for name in _PARSER_MODULES:
        try:
            digest = zlib.crc32((folder / name).read_bytes(), digest)
        except OSError:
            digest = zlib.crc32(name.encode(), digest)
    python = ".".join(map(str, sys.version_info[:2]))
    return f"{__version__}/{python}/marshal{marshal.version}/{digest:08x}"


def cache_path(root: Path) -> Path:
    return root / CACHE_DIR / CACHE_FILE


def _database_folder(root: Path, create: bool) -> CacheFolder | None:
    """The cache folder, when the database can be opened in it by path: the folder is
    real and still in place, and the database's files are plain files or absent (SQLite
    would follow a link planted under one of their names)."""
    folder = open_cache_folder(root, create)
    if folder is None:
        return None
    usable = all(folder.plain_or_absent(name) for name in _DATABASE_FILES)
    if usable and folder.still_here():
        return folder
    folder.close()
    return None


def _is_corrupt(exc: sqlite3.DatabaseError) -> bool:
    """Not a database, or a damaged one (as opposed to locked, read-only, missing)."""
    name = getattr(exc, "sqlite_errorname", "")
    if name:
        return name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT"))
    text = str(exc)
    return "not a database" in text or "malformed" in text


def _connect(path: Path) -> sqlite3.Connection:
    import sqlite3

    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def _current(connection: sqlite3.Connection, fingerprint: str) -> bool:
    if connection.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        return False
    row = connection.execute("SELECT value FROM meta WHERE key = 'build'").fetchone()
    return row is not None and row[0] == fingerprint


def _prepare(connection: sqlite3.Connection) -> None:
    """Make sure the tables exist for this schema and this parser; else start empty."""
    fingerprint = _fingerprint()
    if _current(connection, fingerprint):
        return
    # Large pages: records are about a kilobyte, and writing 10,000 of them takes a third
    # less time than with the default 4 KiB pages. (Only a new database takes it.)
    connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
    connection.execute("BEGIN IMMEDIATE")
    try:
        if _current(connection, fingerprint):
            # Another command set the cache up while we waited for the lock: keep it.
            connection.execute("COMMIT")
            return
        connection.execute("DROP TABLE IF EXISTS notes")
        connection.execute("DROP TABLE IF EXISTS meta")
        connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        connection.execute(
            "CREATE TABLE notes (path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, "
            "size INTEGER NOT NULL, ino INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, "
            "checked_ns INTEGER NOT NULL, data BLOB NOT NULL, names BLOB NOT NULL)"
        )
        connection.execute("INSERT INTO meta VALUES ('build', ?)", (fingerprint,))
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def read_rows(root: Path, with_data: bool) -> dict[str, Row] | None:
    """Every cached row by path; None when there is no usable cache.

    A corrupt file is deleted and recreated (empty); it is ours and holds nothing else.
    """
    folder = _database_folder(root, create=False)
    if folder is None:
        # Nothing there yet: no rows (the first write makes the folder and the database,
        # after the answer of a first run). Something else there: no cache.
        return {} if not os.path.lexists(root / CACHE_DIR) else None
    if not folder.has(CACHE_FILE):
        folder.close()
        return {}
    import sqlite3  # here: a first run reads no database (2 ms)

    columns = "path, mtime_ns, size, ino, ctime_ns, checked_ns, " + (
        "data" if with_data else "NULL"
    )
    with folder:
        for attempt in range(2):
            connection = None
            try:
                connection = _connect(folder.path / CACHE_FILE)
                _prepare(connection)
                cursor = connection.execute(f"SELECT {columns} FROM notes")
                return {row[0]: row[1:] for row in cursor}
            except sqlite3.DatabaseError as exc:
                if attempt or not _is_corrupt(exc):
                    return None
            except (sqlite3.Error, OSError, ValueError):
                return None
            finally:
                if connection is not None:
                    connection.close()
            for name in _DATABASE_FILES:
                folder.unlink(name)
    return None


def _int64(value: int) -> int:
    """`value` as SQLite can store it (a signed 64-bit integer): inodes from some network
    and overlay file systems, and times after 2262, do not fit. Wrapping keeps equal
    values equal, which is all the cache compares."""
    value &= 0xFFFF_FFFF_FFFF_FFFF
    return value - (1 << 64) if value >= 1 << 63 else value


def write_rows(
    root: Path,
    upserts: list[NewRow],
    removed: Iterable[str],
    clear: bool,
) -> bool:
    """Store new records and drop old ones in one transaction; False if that failed."""
    removed = list(removed)
    if not upserts and not removed and not clear:
        return True
    folder = _database_folder(root, create=True)
    if folder is None:
        return False
    import sqlite3

    connection = None
    try:
        connection = _connect(folder.path / CACHE_FILE)
        _prepare(connection)
        connection.execute("BEGIN IMMEDIATE")
        try:
            if clear:
                connection.execute("DELETE FROM notes")
            connection.executemany(
                "DELETE FROM notes WHERE path = ?", [(path,) for path in removed]
            )
            connection.executemany(
                "INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?)", upserts
            )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    except (sqlite3.Error, OSError, ValueError, OverflowError):
        return False  # locked too long, read-only, disk full: next run tries again
    finally:
        if connection is not None:
            connection.close()
        folder.close()
    return True


def unchanged(row: Row, file: NoteFile) -> bool:
    """Whether the row stored for `file` still holds: same stamps, and the file was
    already older than the racy window when it was read."""
    return (
        row[0] == _int64(file.mtime_ns)
        and row[1] == file.size
        # Another file moved in place, a symlink retargeted, a chmod: same mtime and
        # size, but not the same inode or change time.
        and row[2] == _int64(file.ino)
        and row[3] == _int64(file.ctime_ns)
        and file.mtime_ns + RACY_NS <= row[4]
    )


def new_row(file: NoteFile, read_ns: int, record: bytes, names: bytes) -> NewRow | None:
    """The row storing `record` (and `names`) for `file`, read at `read_ns`; None when
    the path cannot be stored."""
    if not _storable(file.rel):
        return None
    stamps = (_int64(file.mtime_ns), file.size, _int64(file.ino), _int64(file.ctime_ns))
    return (file.rel, *stamps, read_ns, record, names)


def _storable(rel: str) -> bool:
    """SQLite text must be UTF-8; a name that is not (surrogate escapes) is not cached."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
