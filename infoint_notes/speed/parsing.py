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

from ..core.model import ParsedNote
from ..core.vault import NoteFile
from . import reading
from .codec import decode, encode
from .reading import read_note_file

__all__ = ["parse_files", "read_note_file"]

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
) -> int:
    """In a helper: claim pieces until none is left; parse and encode each, append it to
    the scratch file, then announce it on the pipe as (piece number, length). (A pipe
    alone would block once full while this process is busy with its own pieces.)"""
    while (number := _claim(claims)) is not None:
        start, end = pieces[number]
        encoded = []
        for file in files[start:end]:
            parsed, cacheable = reading.read_and_parse(file.rel, file.path, file.size)
            encoded.append((encode(parsed), cacheable))
        data = marshal.dumps(encoded)
        _write_all(data_fd, data)
        _write_all(notice_fd, number.to_bytes(4, "little") + len(data).to_bytes(8, "little"))
    return 0


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
    files: list[NoteFile], pieces: list[tuple[int, int]], claims: int, helpers: list[_Helper]
) -> None:
    """Start a child process serving pieces (`fork_child`) and add it to `helpers`."""
    data_fd = scratch_file()
    try:
        notice_read, notice_write = os.pipe()
    except OSError:
        os.close(data_fd)
        raise

    def serve() -> int:
        os.close(notice_read)
        return _serve(files, pieces, claims, data_fd, notice_write)

    def register(pid: int) -> None:
        os.close(notice_write)
        helpers.append(_Helper(pid, data_fd, notice_read))

    try:
        fork_child(serve, register)
    except OSError:
        _close_all([data_fd, notice_read, notice_write])
        raise


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
    encode_here: bool,
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
        for _ in range(workers - 1):
            try:
                _fork_helper(files, pieces, claims, helpers)
            except OSError:
                break  # no more processes to be had: share the pieces among fewer
        while (number := _claim(claims)) is not None:
            start, end = pieces[number]
            take(start, end, _parse_here(files[start:end], encode_here))
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
            take(start, end, _parse_here([files[p] for p in range(start, end)], encode_here))
    return results  # type: ignore[return-value]


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
    encode_here: bool = True,
) -> list[Result]:
    """(parsed, encoded record, cacheable) for each file, in order; `ready(i, parsed)`
    is called once for each, as soon as it is available.

    Uses several processes when many files need parsing (or `workers` says so); both
    paths give the same answers. `encode_here=False` (with `want_blobs`): the records
    of files parsed in this process are left out (b""), those helpers send are kept:
    the caller encodes what it is missing later, if at all.
    """
    here = want_blobs and encode_here
    count = _worker_count(workers, len(files))
    if count > 1 and len(files) > 1 and hasattr(os, "fork"):
        pieces = _pieces(len(files))
        try:
            claims = _claims(len(pieces))
        except OSError:
            claims = None  # no pipe to be had (a descriptor limit): one process
        if claims is not None:
            return _parse_parallel(files, count, pieces, claims, want_blobs, done, ready, here)
    return _parse_serial(files, here, done, ready)
