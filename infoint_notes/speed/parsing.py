"""Reading and parsing many note files: in this process, or shared with forked helpers.

Parsing 10,000 notes is a couple of seconds of one core's work, so with many files to
parse (a first run, `index --rebuild`) helper processes parse too, on Linux (where fork
is cheap and safe). Each result is sent back as a `codec` record, which is also what the
store keeps. Both ways give the same answers, in the same order.

Why forked helpers and not `concurrent.futures.ProcessPoolExecutor` (fork context):
measured on 10,000 notes and two cores, the executor made a cold `agenda` 12% slower
(best of 9: 2.13 s against 1.90 s; one process: 2.19 s), keeping a third of what
parallel parsing gains: its workers pickle results through queue threads, and this
process only waits instead of parsing its share. It would also need its own care for
Ctrl-C and for a parent that dies (its workers then print tracebacks).
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core.model import ParsedNote
from ..core.vault import NoteFile
from . import reading, store
from .codec import decode, encode
from .names import encode_names
from .reading import read_note_file

__all__ = ["StoreWriter", "parse_files", "parse_storing", "read_note_file"]

#: Fewer files to parse than this: one process (forking costs more than it saves).
PARALLEL_MIN_FILES = 2_000


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


def can_fork(pending: int) -> bool:
    """Whether a second process pays for work over `pending` notes here (`_worker_count`)."""
    return _worker_count(None, pending) > 1


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


def scratch_file() -> int:
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
    writer: StoreWrite | None = None,
) -> int:
    """In a helper: claim pieces until none is left; parse and encode each, append it to
    the scratch file, then announce it on the pipe as (piece number, length). (A pipe
    alone would block once full while this process is busy with its own pieces.)
    With a `writer`, then store the rows of these results and those this process is
    sent; the exit status to leave with."""
    rows: list[store.NewRow] = []
    while (number := _claim(claims)) is not None:
        start, end = pieces[number]
        encoded = []
        for file in files[start:end]:
            parsed, cacheable = reading.read_and_parse(file.rel, file.path, file.size)
            blob = encode(parsed)
            encoded.append((blob, cacheable))
            if writer is not None and cacheable:
                row = store.new_row(file, writer.read_ns, blob, encode_names(parsed))
                if row is not None:
                    rows.append(row)
        data = marshal.dumps(encoded)
        _write_all(data_fd, data)
        _write_all(notice_fd, number.to_bytes(4, "little") + len(data).to_bytes(8, "little"))
    if writer is None:
        return 0
    os.close(notice_fd)  # all delivered: the parent stops waiting for pieces
    return writer.serve(rows)


@dataclass(frozen=True, slots=True)
class StoreWrite:
    """What a helper that stores the rows needs: the vault, when its files were first
    read (`store.new_row`), the scratch file the rows of the other results are written
    to, and the pipe its orders come on: (where those rows are in the scratch file, the
    paths removed, whether to clear the store), marshalled; nothing (the pipe closed):
    store nothing."""

    root: Path
    read_ns: int
    rows: int
    orders: int

    def serve(self, rows: list[store.NewRow]) -> int:
        blocks = []
        while block := os.read(self.orders, 1 << 20):
            blocks.append(block)
        if not blocks:
            return _NOT_WRITTEN
        chunks, removed, clear = marshal.loads(b"".join(blocks))
        for offset, length in chunks:
            rows += marshal.loads(_pread_exactly(self.rows, length, offset) or b"")
        written = store.write_rows(self.root, rows, removed, clear)
        return 0 if written else _NOT_WRITTEN


#: The exit status of a helper that was to store rows and did not.
_NOT_WRITTEN = 3


class StoreWriter:
    """This process's side of the helper that stores the rows (`parse_storing`): it
    keeps the rows of what it parsed, and is given those of what this process parsed
    (`keep`) as they are ready; `send` says the rest. The write overlaps with what this
    process does next; `written()` waits for it."""

    def __init__(self, pid: int, read_ns: int, rows: int, orders: int) -> None:
        self.pid, self._read_ns, self._rows, self._orders = pid, read_ns, rows, orders
        self._chunks: list[tuple[int, int]] = []
        self._end = 0
        self._written: bool | None = None

    def keep(self, files: list[NoteFile], results: Iterable[Result]) -> None:
        """Have the rows of these results (of these files) stored too."""
        rows = []
        for file, (parsed, blob, cacheable) in zip(files, results, strict=True):
            if cacheable and blob:
                row = store.new_row(file, self._read_ns, blob, encode_names(parsed))
                if row is not None:
                    rows.append(row)
        data = marshal.dumps(rows)
        try:
            _pwrite_all(self._rows, data, self._end)
        except OSError:
            return  # no room: the helper stores nothing (`send` closes the pipe)
        self._chunks.append((self._end, len(data)))
        self._end += len(data)

    def send(self, removed: list[str], clear: bool) -> None:
        """Store the rows kept, drop those of `removed` (and every other, `clear`)."""
        try:
            _write_all(self._orders, marshal.dumps((self._chunks, removed, clear)))
        except OSError:
            pass  # the helper is gone: `written()` says nothing was
        finally:
            self._close()

    def cancel(self) -> None:
        """Store nothing (the helper leaves at once)."""
        self._close()

    def _close(self) -> None:
        for fd in (self._orders, self._rows):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._orders = self._rows = -1

    def written(self) -> bool:
        """Whether the rows were stored (waits for the helper to finish)."""
        if self._written is None:
            self._close()
            try:
                status = os.waitpid(self.pid, 0)[1]
            except ChildProcessError:
                status = -1
            self._written = os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
        return self._written


def _pwrite_all(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


@dataclass(slots=True)
class _Helper:
    """This process's side of a helper: its pid, the scratch file it writes pieces to
    and the pipe it announces them on."""

    pid: int
    data_fd: int
    notice_fd: int
    #: Whether it stores the rows once parsing is done (its `StoreWriter` reaps it).
    writes: bool = False
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

    def close(self, finished: bool) -> None:
        """Reap the helper (killing it if it is still at work: we were interrupted). One
        that stores the rows is left to its `StoreWriter` once parsing `finished`."""
        for fd in (self.notice_fd, self.data_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        if self.writes and finished:
            return
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
    writing: tuple[Path, int] | None = None,
) -> StoreWriter | None:
    """Start a child process serving pieces (`fork_child`) and add it to `helpers`.
    `writing` (the vault, when its files were
    first read): the helper then stores the rows too, and its `StoreWriter` is returned."""
    data_fd = scratch_file()
    opened = [data_fd]
    try:
        notice_read, notice_write = os.pipe()
        opened += [notice_read, notice_write]
        rows_fd = scratch_file() if writing is not None else -1
        opened.append(rows_fd)
        orders_read, orders_write = os.pipe() if writing is not None else (-1, -1)
        opened += [orders_read, orders_write]
    except OSError:
        _close_all(opened)
        raise

    def serve() -> int:
        _close_all([notice_read, orders_write])
        writer = None
        if writing is not None:
            writer = StoreWrite(writing[0], writing[1], rows_fd, orders_read)
        return _serve(files, pieces, claims, data_fd, notice_write, writer)

    def register(pid: int) -> None:
        _close_all([notice_write, orders_read])
        helpers.append(_Helper(pid, data_fd, notice_read, writes=writing is not None))

    try:
        pid = fork_child(serve, register)
    except OSError:
        _close_all(opened)
        raise
    if writing is None:
        return None
    return StoreWriter(pid, writing[1], rows_fd, orders_write)


def fork_child(child: Callable[[], int], register: Callable[[int], None] | None = None) -> int:
    """The pid of a child process that runs `child()` and leaves by `os._exit` with
    the status it returns (1 if it raises), whatever happens: it never runs our
    caller's code, flushes our stdio buffers or prints a traceback. Ctrl-C and SIGTERM
    wait while it is forked and `register(pid)`ed, so neither process can be
    interrupted in between (a child escaping into our caller's code, a helper nobody
    reaps). Raises OSError."""
    blocked = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)
                status = child()
            finally:
                os._exit(status)
        if register is not None:
            register(pid)
        return pid
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _close_all(fds: list[int]) -> None:
    for fd in fds:
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)


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
    writing: tuple[Path, int] | None = None,
) -> tuple[list[Result], StoreWriter | None]:
    """`workers - 1` forked helpers and this process claim pieces of the file list in
    turn. Helpers send their results back encoded; this process decodes them between
    its own pieces, and `ready` sees every result as soon as it is here, so what the
    caller does with them (typing notes) overlaps with the helpers' parsing. A piece a
    helper claimed but never delivered (it died) is parsed here at the end, and if no
    helper can be forked (a sandbox, a process limit) this process claims every piece.
    `claims` holds the numbers of `pieces` (`_claims`); it is closed here. With
    `writing`, the first helper keeps the rows of what it parses (their records are not
    given here) and stores them with those it is sent: its `StoreWriter` is returned."""
    results: list[Result | None] = [None] * len(files)

    def take(start: int, end: int, found: Iterable[Result]) -> None:
        for position, result in enumerate(found, start):
            results[position] = result
            if ready is not None:
                ready(position, result[0])
        if done is not None:
            done(end - start)

    def received(helper: _Helper, wait: bool) -> None:
        keep = want_blobs and not helper.writes
        for number, encoded in helper.pieces(wait):
            start, end = pieces[number] if number < len(pieces) else (0, -1)
            if isinstance(encoded, list) and len(encoded) == end - start:
                # As `_parse_here` gives them: a record only where one is wanted.
                kept = [(decode(blob), blob if keep and ok else b"", ok) for blob, ok in encoded]
                take(start, end, kept)
                if writer is not None and not helper.writes:
                    writer.keep(files[start:end], kept)

    helpers: list[_Helper] = []
    writer = None
    finished = False
    try:
        for _ in range(workers - 1):
            try:
                forked = _fork_helper(files, pieces, claims, helpers, writing)
            except OSError:
                break  # no more processes to be had: share the pieces among fewer
            writer, writing = writer or forked, None  # one helper stores
        while (number := _claim(claims)) is not None:
            start, end = pieces[number]
            take(start, end, _parse_here(files[start:end], want_blobs))
            if writer is not None:
                writer.keep(files[start:end], results[start:end])  # type: ignore[arg-type]
            for helper in helpers:
                received(helper, wait=False)
        for helper in helpers:
            received(helper, wait=True)
        finished = True
    finally:
        os.close(claims)
        for helper in helpers:
            helper.close(finished)
        if writer is not None and not finished:
            writer.cancel()
    for start, end in pieces:  # what a helper that died took with it
        if any(results[position] is None for position in range(start, end)):
            take(start, end, _parse_here([files[p] for p in range(start, end)], want_blobs))
            if writer is not None:
                writer.keep(files[start:end], results[start:end])  # type: ignore[arg-type]
    return results, writer  # type: ignore[return-value]


def _parse_here(files: list[NoteFile], want_blobs: bool) -> Iterator[Result]:
    for file in files:
        parsed, cacheable = reading.read_and_parse(file.rel, file.path, file.size)
        yield parsed, encode(parsed) if want_blobs and cacheable else b"", cacheable


def _parse_serial(
    files: list[NoteFile],
    want_blobs: bool,
    done: Callable[[int], None] | None,
    ready: Ready | None = None,
) -> list[Result]:
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
    return _parse(files, want_blobs, workers, done, ready)[0]


def parse_storing(
    files: list[NoteFile],
    root: Path,
    read_ns: int,
    workers: int | None = None,
    ready: Ready | None = None,
) -> tuple[list[Result], StoreWriter | None]:
    """`parse_files`, the results' records to be stored in the store of the vault at
    `root` (`store.new_row`, the files first read at `read_ns`). When helpers parse,
    one of them keeps the rows of what it parsed (their records are not given: b"")
    and stores them, with those it is sent (`StoreWriter.send`), while this process
    goes on: its `StoreWriter` is returned (None: no helper, store them here)."""
    return _parse(files, True, workers, None, ready, (root, read_ns))


def _parse(
    files: list[NoteFile],
    want_blobs: bool,
    workers: int | None,
    done: Callable[[int], None] | None,
    ready: Ready | None,
    writing: tuple[Path, int] | None = None,
) -> tuple[list[Result], StoreWriter | None]:
    count = _worker_count(workers, len(files))
    if count > 1 and len(files) > 1 and hasattr(os, "fork"):
        pieces = _pieces(len(files))
        try:
            claims = _claims(len(pieces))
        except OSError:
            claims = None  # no pipe to be had (a descriptor limit): one process
        if claims is not None:
            return _parse_parallel(files, count, pieces, claims, want_blobs, done, ready, writing)
    return _parse_serial(files, want_blobs, done, ready), None
