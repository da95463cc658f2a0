"""The incremental parse cache: `<vault>/.infoint/cache.sqlite` (SPEC 2, 4.13).

What is cached is `parse_note`'s answer for one file, which depends on nothing but the
file's path and bytes. Each run stats every note (the walk does that anyway), reuses the
stored answer of each file whose `mtime_ns`, size, inode and change time are unchanged
(git's index checks the same), parses only added and changed files, and drops rows of
files that are gone: zk's merge of walk and index. Typing notes (`notes.py`) needs the
config and is redone each run.

Correctness never depends on the cache:

- Schema version in `PRAGMA user_version`, plus a fingerprint of the infoint version,
  the Python version and the source of every module that shapes a `ParsedNote`. Any
  mismatch empties the cache; so does a corrupt or truncated file (it is deleted and
  recreated). Anything else that goes wrong (a read-only vault, `.infoint` not a folder,
  a lock held too long) means "no cache this time", silently.
- Rollback journal and a busy timeout: concurrent commands serialise their (short)
  writes; a write that cannot get the lock is skipped, never retried in a loop.
- Racy files: a file written in the same clock tick as our read, with the same size,
  would look unchanged. As git does for its index, a record is reused only if the file's
  mtime is at least `RACY_NS` older than the moment we read it; younger files are read
  again next time (and cached for good once they are old enough).
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import sqlite3
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..core.files import MAX_NOTE_BYTES, READ_FLAGS, read_capped
from ..core.model import ERROR, BodyLink, BodyScan, Diagnostic, FieldPosition, ListEntry, ParsedNote
from ..core.parse import note_id, parse_note
from ..core.vault import CACHE_DIR, NoteFile, note_rules, walk_notes
from .cachedir import CacheFolder, open_cache_folder
from .memory import paused_gc

CACHE_FILE = "cache.sqlite"
#: The database and the files SQLite keeps beside it.
_DATABASE_FILES = tuple(CACHE_FILE + suffix for suffix in ("", "-journal", "-wal", "-shm"))
#: Bump when the tables change; `_fingerprint` covers changes of the parse results.
SCHEMA_VERSION = 2
#: A file modified less than this before we read it may change again unseen (2 s covers
#: FAT's timestamp granularity and coarse kernel clocks).
RACY_NS = 2_000_000_000
#: Fewer files to parse than this: one process (forking costs more than it saves).
PARALLEL_MIN_FILES = 2_000
#: Reading at least this many files: a thread asks the kernel to read them ahead (when
#: a sample of them shows that they are not in memory).
PREFETCH_MIN_FILES = 500
_PROBES = 16
_MISS_NS = 40_000
#: SQLite page size of a new cache (the largest there is).
PAGE_SIZE = 65536
#: Seconds a command waits for another one's write to finish before doing without.
BUSY_TIMEOUT = 2.0

CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by infoint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_GITIGNORE = "# Created by infoint: this folder is a cache; git never needs it.\n*\n"
# The modules whose code decides what `parse_note` returns.
_PARSER_MODULES = (
    "core/model.py",
    "core/parse.py",
    "core/files.py",
    "core/body.py",
    "core/yamlread.py",
    "speed/cache.py",
)


@dataclass(frozen=True, slots=True)
class CacheStats:
    """What one load did: files parsed, answers reused, rows dropped."""

    read: int
    reused: int
    removed: int
    #: Whether the cache was used and brought up to date (False: no cache this run).
    written: bool
    #: Whether every file was read settled: readable, and old enough that a change
    #: within its timestamp's granularity is ruled out (so the answers may be memoised).
    settled: bool = False


@dataclass(frozen=True, slots=True)
class Loaded:
    """Parse results in the order of the files given, and how they were obtained."""

    parsed: list[ParsedNote]
    stats: CacheStats


# --- reading one file ------------------------------------------------------------------


def read_note_bytes(path: str | Path, size: int | None = None) -> bytes:
    """The first MAX_NOTE_BYTES + 1 bytes of a note (see `files.read_capped`)."""
    return read_capped(path, MAX_NOTE_BYTES, size)


def read_and_parse(rel: str, path: str | Path, size: int | None = None) -> tuple[ParsedNote, bool]:
    """Read and parse one note -> (result, whether the result may be cached).

    A file we cannot open is an `unreadable` note that is not cached: fixing its
    permissions changes neither its mtime nor its size.
    """
    try:
        raw = read_note_bytes(path, size)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        problem = Diagnostic(rel, 1, 1, ERROR, "unreadable", f"cannot read file: {reason}")
        return ParsedNote(rel, note_id(rel), None, diagnostics=(problem,)), False
    return parse_note(rel, raw), True


# --- records ---------------------------------------------------------------------------


def encode(parsed: ParsedNote) -> bytes:
    """A compact, exact serialisation of a ParsedNote (marshal of plain tuples).

    Front matter holds only dicts with text keys, lists, text, numbers, booleans and None
    (yamlread never builds anything else), which marshal keeps exactly, lists and tuples
    apart. marshal beat JSON and pickle by 2-10x when loading 10,000 notes.
    """
    body = parsed.body
    return marshal.dumps(
        (
            parsed.path,
            parsed.id,
            parsed.front_matter,
            tuple(
                (key, p.line, p.column, p.value_line, p.value_column, p.items)
                for key, p in parsed.positions.items()
            ),
            (
                tuple(
                    (k.target, k.line, k.column, k.heading, k.label, k.embed) for k in body.links
                ),
                body.headings,
                tuple((e.text, e.line, e.column, e.checked) for e in body.tasks),
                tuple((e.text, e.line, e.column, e.checked) for e in body.questions),
                body.reflection_written,
            ),
            tuple(
                (d.path, d.line, d.column, d.severity, d.code, d.message)
                for d in parsed.diagnostics
            ),
            parsed.body_line,
            parsed.digest,
        )
    )


def decode(blob: bytes) -> ParsedNote:
    """The ParsedNote `encode` stored. Raises (anything) on a damaged record."""
    path, ident, front_matter, positions, body, diagnostics, body_line, digest = marshal.loads(blob)
    links, headings, tasks, questions, reflection = body
    return ParsedNote(
        path,
        ident,
        front_matter,
        {key: FieldPosition(a, b, c, d, items) for key, a, b, c, d, items in positions},
        BodyScan(
            tuple([BodyLink(*link) for link in links]),
            headings,
            tuple([ListEntry(*entry) for entry in tasks]),
            tuple([ListEntry(*entry) for entry in questions]),
            reflection,
        ),
        tuple([Diagnostic(*diagnostic) for diagnostic in diagnostics]),
        body_line,
        digest,
    )


# --- the database ----------------------------------------------------------------------


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


def _mark_folder(folder: CacheFolder) -> None:
    """`.gitignore` (`*`) and `CACHEDIR.TAG`: git and backup tools skip the folder.
    Each is written only where nothing is (a read-only folder: nothing to mark, and no
    cache will be written either)."""
    for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG)):
        folder.create(name, text.encode("utf-8"))


def _database_folder(root: Path, create: bool) -> CacheFolder | None:
    """The cache folder, when the database can be opened in it by path: the folder is
    real and still in place, and the database's files are plain files or absent (SQLite
    would follow a link planted under one of their names)."""
    folder = open_cache_folder(root, create)
    if folder is None:
        return None
    if create:
        _mark_folder(folder)
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
            "checked_ns INTEGER NOT NULL, data BLOB NOT NULL)"
        )
        connection.execute("INSERT INTO meta VALUES ('build', ?)", (fingerprint,))
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


_Row = tuple[int, int, int, int, int, bytes | None]  # mtime, size, ino, ctime, checked, data


def _read_rows(root: Path, with_data: bool) -> dict[str, _Row] | None:
    """Every cached row by path; None when there is no usable cache.

    A corrupt file is deleted and recreated (empty); it is ours and holds nothing else.
    """
    folder = _database_folder(root, create=True)
    if folder is None:
        return None  # a read-only vault, or `.infoint` is a file or a link
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


def _write_rows(
    root: Path,
    upserts: list[tuple[str, int, int, int, int, int, bytes]],
    removed: Iterable[str],
    clear: bool,
) -> bool:
    """Store new records and drop old ones in one transaction; False if that failed."""
    removed = list(removed)
    if not upserts and not removed and not clear:
        return True
    folder = _database_folder(root, create=False)
    if folder is None:
        return False
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
                "INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?, ?, ?)", upserts
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


# --- parsing many files ----------------------------------------------------------------


def _worker_count(requested: int | None, pending: int) -> int:
    if requested is not None:
        return max(1, requested)
    if pending < PARALLEL_MIN_FILES or sys.platform != "linux":
        return 1  # fork is cheap and safe only on Linux; elsewhere start-up eats the gain
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return 1  # forking a process that runs threads (`watch`) is asking for deadlocks
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return min(cores, 4)


def _prefetch(paths: list[str]) -> None:
    """Ask the kernel to read these files ahead (POSIX_FADV_WILLNEED): with a cold page
    cache (after a reboot, or files paged out) the disk then reads many at once while
    we parse, instead of one at a time as we reach them. Worth nothing otherwise, and
    costs a few microseconds a file, spent mostly outside the GIL."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    for path in paths:
        try:
            fd = os.open(path, READ_FLAGS)
        except OSError:
            continue
        try:
            advise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(fd)


def _page_cache_cold(paths: list[str]) -> bool:
    """Whether a quarter of a sample of the files must come from disk. Reading ahead
    costs a few microseconds of a core per file, wasted when the files are in memory
    (the usual case: they were read or written recently), and 5% of a cold build's
    time on two busy cores. A sampled file counts as on disk when opening and reading
    its first page takes longer than `_MISS_NS` (in memory: 4-7 us; from this machine's
    disk: 90-400 us)."""
    step = max(1, len(paths) // _PROBES)
    misses = 0
    for path in paths[step // 2 :: step][:_PROBES]:
        started = time.perf_counter_ns()
        try:
            fd = os.open(path, READ_FLAGS)
            try:
                os.pread(fd, 4096, 0)
            finally:
                os.close(fd)
        except OSError:
            continue  # gone, or not a file: the parse will say so
        if time.perf_counter_ns() - started > _MISS_NS:
            misses += 1
    return misses * 4 >= _PROBES


def _start_prefetch(paths: list[str]) -> None:
    """`_prefetch` in a daemon thread, for a long enough list of files that are not in
    memory yet (in this process only: a process forks its helpers before it starts one)."""
    if len(paths) < PREFETCH_MIN_FILES or not hasattr(os, "posix_fadvise"):
        return
    if not _page_cache_cold(paths):
        return
    import threading

    threading.Thread(target=_prefetch, args=(paths,), name="infoint-prefetch", daemon=True).start()


# --- parsing in forked helpers ---------------------------------------------------------

#: Files per piece of work. Processes claim pieces one at a time, so a slower process
#: (this one also types every note) simply claims fewer: they all finish together.
PIECE_FILES = 100
#: At most this many pieces: their numbers (2 bytes each) must fit in one page of pipe
#: buffer, the least a pipe holds, so filling it can never block.
MAX_PIECES = 2048

#: `ready(i, parsed)`: the parse result of the i-th file is here (in this process).
Ready = Callable[[int, ParsedNote], None]
#: (parsed, encoded record, cacheable) of one file.
Result = tuple[ParsedNote, bytes, bool]


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _scratch_file() -> int:
    """A file descriptor of an anonymous file, in memory where the system allows."""
    with contextlib.suppress(AttributeError, OSError):
        return os.memfd_create("infoint-parse", os.MFD_CLOEXEC)
    import tempfile

    handle = tempfile.TemporaryFile()  # noqa: SIM115 - we keep only its descriptor
    try:
        return os.dup(handle.fileno())
    finally:
        handle.close()


def _claims(count: int) -> int:
    """A pipe holding the numbers of `count` pieces, its writing end closed: each read
    of 2 bytes claims the next piece (reads this small are atomic, so no two processes
    get the same one), and the end of the pipe means that no piece is left."""
    read_fd, write_fd = os.pipe()
    try:
        _write_all(write_fd, b"".join(number.to_bytes(2, "little") for number in range(count)))
    except BaseException:
        os.close(read_fd)
        raise
    finally:
        os.close(write_fd)
    return read_fd


def _claim(claims: int) -> int | None:
    number = os.read(claims, 2)
    return int.from_bytes(number, "little") if len(number) == 2 else None


def _serve(
    files: list[NoteFile],
    pieces: list[tuple[int, int]],
    claims: int,
    data_fd: int,
    notice_fd: int,
    prefetch: bool,
) -> None:
    """In a helper: claim pieces until none is left; parse and encode each, append it to
    the scratch file, then announce it on the pipe as (piece number, length). (A pipe
    alone would block once full while this process is busy with its own pieces.)"""
    if prefetch:
        _start_prefetch([str(file.path) for file in files])
    while (number := _claim(claims)) is not None:
        start, end = pieces[number]
        encoded = []
        for file in files[start:end]:
            parsed, cacheable = read_and_parse(file.rel, file.path, file.size)
            encoded.append((encode(parsed), cacheable))
        data = marshal.dumps(encoded)
        _write_all(data_fd, data)
        _write_all(notice_fd, number.to_bytes(4, "little") + len(data).to_bytes(8, "little"))


@dataclass(slots=True)
class _Helper:
    """This process's side of a helper: its pid, the scratch file it writes pieces to
    and the pipe it announces them on."""

    pid: int
    data_fd: int
    notice_fd: int
    offset: int = 0
    pending: bytes = b""

    def pieces(self, wait: bool) -> Iterator[tuple[int, list[tuple[bytes, bool]]]]:
        """(piece number, encoded results) of each piece announced; `wait`: until the
        helper is done (or died), else only those announced already."""
        os.set_blocking(self.notice_fd, wait)
        while True:
            try:
                block = os.read(self.notice_fd, 65536)
            except BlockingIOError:
                return
            self.pending += block
            while len(self.pending) >= 12:
                number = int.from_bytes(self.pending[:4], "little")
                length = int.from_bytes(self.pending[4:12], "little")
                self.pending = self.pending[12:]
                data = _pread_exactly(self.data_fd, length, self.offset)
                self.offset += length
                try:
                    yield number, marshal.loads(data)  # type: ignore[arg-type]
                except (TypeError, ValueError, EOFError):
                    continue  # not delivered after all: parsed here at the end
            if not block:
                return

    def close(self) -> None:
        """Reap the helper (killing it if it is still at work: we were interrupted)."""
        for fd in (self.notice_fd, self.data_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(OSError):
            if os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)


def _pread_exactly(fd: int, count: int, offset: int) -> bytes | None:
    blocks, total = [], 0
    while total < count:
        block = os.pread(fd, count - total, offset + total)
        if not block:
            return None
        blocks.append(block)
        total += len(block)
    return b"".join(blocks)


def _fork_helper(
    files: list[NoteFile],
    pieces: list[tuple[int, int]],
    claims: int,
    helpers: list[_Helper],
    prefetch: bool,
) -> None:
    """Start a child process serving pieces and add it to `helpers`. The child leaves by
    `os._exit` whatever happens: it never runs our caller's code, flushes our stdio
    buffers or prints a traceback. Ctrl-C and SIGTERM wait while it is forked and
    registered, so neither process can be interrupted in between (a child escaping into
    our caller's code, a helper nobody reaps)."""
    data_fd = _scratch_file()
    try:
        notice_read, notice_write = os.pipe()
    except OSError:
        os.close(data_fd)
        raise
    blocked = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        try:
            pid = os.fork()
        except OSError:
            for fd in (data_fd, notice_read, notice_write):
                os.close(fd)
            raise
        if pid == 0:
            status = 1
            try:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)
                os.close(notice_read)
                _serve(files, pieces, claims, data_fd, notice_write, prefetch)
                status = 0
            finally:
                os._exit(status)
        os.close(notice_write)
        helpers.append(_Helper(pid, data_fd, notice_read))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _pieces(count: int) -> list[tuple[int, int]]:
    """(start, end) of each piece of a list of `count` files."""
    size = max(PIECE_FILES, -(-count // MAX_PIECES))
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def _parse_parallel(
    files: list[NoteFile],
    workers: int,
    pieces: list[tuple[int, int]],
    claims: int,
    want_blobs: bool,
    done: Callable[[int], None] | None,
    ready: Ready | None,
) -> list[Result]:
    """`workers - 1` forked helpers and this process claim pieces of the file list in
    turn. Helpers send their results back encoded; this process decodes them between
    its own pieces, and `ready` sees every result as soon as it is here, so what the
    caller does with them (typing notes) overlaps with the helpers' parsing. A piece a
    helper claimed but never delivered (it died) is parsed here at the end, and if no
    helper can be forked (a sandbox, a process limit) this process claims every piece.
    `claims` holds the numbers of `pieces` (`_claims`); it is closed here."""
    results: list[Result | None] = [None] * len(files)

    def take(start: int, end: int, found: Iterable[Result]) -> None:
        for position, result in enumerate(found, start):
            results[position] = result
            if ready is not None:
                ready(position, result[0])
        if done is not None:
            done(end - start)

    def received(helper: _Helper, wait: bool) -> None:
        for number, encoded in helper.pieces(wait):
            start, end = pieces[number] if number < len(pieces) else (0, -1)
            if isinstance(encoded, list) and len(encoded) == end - start:
                # As `_parse_here` gives them: a record only where one is wanted.
                kept = [
                    (decode(blob), blob if want_blobs and ok else b"", ok) for blob, ok in encoded
                ]
                take(start, end, kept)

    helpers: list[_Helper] = []
    try:
        for count in range(workers - 1):
            try:
                _fork_helper(files, pieces, claims, helpers, prefetch=count == 0)
            except OSError:
                break  # no more processes to be had: share the pieces among fewer
        while (number := _claim(claims)) is not None:
            start, end = pieces[number]
            take(start, end, _parse_here(files[start:end], want_blobs))
            for helper in helpers:
                received(helper, wait=False)
        for helper in helpers:
            received(helper, wait=True)
    finally:
        os.close(claims)
        for helper in helpers:
            helper.close()
    for start, end in pieces:  # what a helper that died took with it
        if any(results[position] is None for position in range(start, end)):
            take(start, end, _parse_here([files[p] for p in range(start, end)], want_blobs))
    return results  # type: ignore[return-value]


def _parse_here(files: list[NoteFile], want_blobs: bool) -> Iterator[Result]:
    for file in files:
        parsed, cacheable = read_and_parse(file.rel, file.path, file.size)
        yield parsed, encode(parsed) if want_blobs and cacheable else b"", cacheable


def _parse_serial(
    files: list[NoteFile],
    want_blobs: bool,
    done: Callable[[int], None] | None,
    ready: Ready | None = None,
) -> list[Result]:
    _start_prefetch([str(file.path) for file in files])
    results = []
    for position, result in enumerate(_parse_here(files, want_blobs)):
        results.append(result)
        if ready is not None:
            ready(position, result[0])
        if done is not None:
            done(1)
    return results


def parse_files(
    files: list[NoteFile],
    want_blobs: bool = True,
    workers: int | None = None,
    done: Callable[[int], None] | None = None,
    ready: Ready | None = None,
) -> list[Result]:
    """(parsed, encoded record, cacheable) for each file, in order; `ready(i, parsed)`
    is called once for each, as soon as it is available.

    Uses several processes when many files need parsing (or `workers` says so); both
    paths give the same answers.
    """
    count = _worker_count(workers, len(files))
    if count > 1 and len(files) > 1 and hasattr(os, "fork"):
        pieces = _pieces(len(files))
        try:
            claims = _claims(len(pieces))
        except OSError:
            claims = None  # no pipe to be had (a descriptor limit): one process
        if claims is not None:
            return _parse_parallel(files, count, pieces, claims, want_blobs, done, ready)
    return _parse_serial(files, want_blobs, done, ready)


def load_parsed(
    root: Path,
    files: list[NoteFile],
    use_cache: bool = True,
    rebuild: bool = False,
    complete: bool = True,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    need_results: bool = True,
    ready: Ready | None = None,
) -> Loaded:
    """The parse result of every file, from the cache where it is still valid.

    `complete`: `files` is the whole vault, so cached rows of other paths are dropped.
    `progress(done, total)` is called while files are parsed. `need_results=False`
    only brings the cache up to date (reused records are not decoded; `parsed` then
    holds None for them). `ready(position, parsed)` sees each result as soon as this
    process has it, so work on it can overlap with helpers still parsing.
    """
    started_ns = time.time_ns()  # before any read: a file changed after this is racy
    rows = _read_rows(root, with_data=not rebuild) if use_cache else None
    results: list[ParsedNote | None] = [None] * len(files)
    to_read: list[int] = []
    for position, file in enumerate(files):
        row = None if rows is None or rebuild else rows.get(file.rel)
        if (
            row is not None
            and row[0] == _int64(file.mtime_ns)
            and row[1] == file.size
            # Another file moved in place, a symlink retargeted, a chmod: same mtime and
            # size, but not the same inode or change time.
            and row[2] == _int64(file.ino)
            and row[3] == _int64(file.ctime_ns)
            and file.mtime_ns + RACY_NS <= row[4]
        ):
            if not need_results:
                continue
            try:
                note = results[position] = decode(row[5])  # type: ignore[arg-type]
            except Exception:
                note = None  # a damaged record: read the file again
            if note is not None:
                if ready is not None:
                    ready(position, note)
                continue
        to_read.append(position)

    done: Callable[[int], None] | None = None
    if progress is not None:
        total, finished = len(to_read), [0]

        def done(count: int) -> None:
            finished[0] += count
            progress(finished[0], total)

    pending = [files[position] for position in to_read]
    parsed = parse_files(
        pending,
        want_blobs=rows is not None,
        workers=workers,
        done=done,
        ready=None if ready is None else lambda i, note: ready(to_read[i], note),
    )
    upserts = []
    settled = True
    for position, (note, blob, cacheable) in zip(to_read, parsed, strict=True):
        results[position] = note
        file = files[position]
        settled = settled and cacheable and file.mtime_ns + RACY_NS <= started_ns
        if rows is not None and cacheable and _storable(file.rel):
            stamps = (_int64(file.mtime_ns), file.size, _int64(file.ino), _int64(file.ctime_ns))
            upserts.append((file.rel, *stamps, started_ns, blob))

    removed: list[str] = []
    if rows is not None and complete:
        present = {file.rel for file in files}
        removed = [path for path in rows if path not in present]
    written = rows is not None and _write_rows(root, upserts, removed, clear=rebuild)
    stats = CacheStats(len(to_read), len(files) - len(to_read), len(removed), written, settled)
    return Loaded(results, stats)  # type: ignore[arg-type]


def update_cache(
    root: Path,
    rebuild: bool = False,
    progress: Callable[[int, int], None] | None = None,
    exclude: Sequence[str] = (),
) -> CacheStats:
    """Bring the cache of the vault at `root` up to date (`infoint index`); `exclude`:
    the config's globs of paths that are not notes."""
    with paused_gc():
        files = walk_notes(root, note_rules(root, exclude))
        return load_parsed(
            root, files, rebuild=rebuild, progress=progress, need_results=False
        ).stats


def _storable(rel: str) -> bool:
    """SQLite text must be UTF-8; a name that is not (surrogate escapes) is not cached."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
