"""Reading files with a bound: never more than a cap, never a device, FIFO or folder.

Light on imports on purpose: the agenda memo's fast path reads infoint.yaml through it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import UsageError

#: The largest note (and infoint.yaml, template) read; a larger one is not read.
MAX_NOTE_BYTES = 1024 * 1024
#: How files are opened for reading. O_NONBLOCK: opening a FIFO (or a file swapped for
#: one since it was listed) must not wait for a writer; `fstat` then refuses it.
READ_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)


def too_large(limit: int) -> str:
    return f"file is larger than {limit // (1024 * 1024)} MiB; not read"


class RefusedFile(OSError):
    """A file not read at all: not a regular file, or (said its `fstat`) too large.
    `strerror` says why, in words for the user."""


def read_capped(
    path: str | Path, limit: int, size: int | None = None, *, refuse_larger: bool = False
) -> bytes:
    """At most `limit + 1` bytes of the regular file at `path` (one more than it may
    have, so `decode` recognises a larger file without it being read whole); see
    `read_open`. `size` is what an earlier stat saw: reading that much at once spares
    allocating a `limit`-sized buffer per small file."""
    fd = os.open(path, READ_FLAGS)
    try:
        return read_open(fd, limit, size, refuse_larger=refuse_larger)
    finally:
        os.close(fd)


def read_open(
    fd: int, limit: int, size: int | None = None, *, refuse_larger: bool = False
) -> bytes:
    """At most `limit + 1` bytes of the open file `fd`, from where it stands.

    Folders, devices (`/dev/zero` never ends), FIFOs and sockets raise `RefusedFile`
    after `fstat`, before any read; so does, with `refuse_larger`, a file whose size
    already exceeds `limit`. The file may have changed since `size` was seen: we read
    on to the end (or the cap) either way."""
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):
        raise RefusedFile(errno.EISDIR, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise RefusedFile(errno.EINVAL, "not a regular file (a device, pipe or socket)")
    if refuse_larger and info.st_size > limit:
        raise RefusedFile(errno.EFBIG, too_large(limit))
    cap = limit + 1
    want = min((info.st_size if size is None else size) + 1, cap)
    blocks, total = [], 0
    while total < cap:
        asked = min(want, cap - total)
        block = os.read(fd, asked)
        if not block:
            break
        blocks.append(block)
        total += len(block)
        if len(block) < asked and total >= info.st_size:
            break  # at its end: a short read of all fstat saw (spares a read of nothing)
        want = 65536
    return blocks[0] if len(blocks) == 1 else b"".join(blocks)


def read_command_file(
    path: Path, shown: str, limit: int, error: type[UsageError] = UsageError
) -> bytes:
    """The bytes of a file a command needs whole; `error` naming `shown` when it cannot
    be read, is not a regular file, or is larger than `limit` (checked before reading)."""
    try:
        return read_capped(path, limit, refuse_larger=True)
    except RefusedFile as exc:
        raise error(f"{shown}: {exc.strerror}") from exc
    except OSError as exc:
        raise error(f"{shown}: cannot read: {exc.strerror or exc}") from exc
