"""One piece of work done by a forked child while this process goes on (Linux).

A full `validate` checks every note (this process) and, for its state, builds what a
check after an edit reads (the resolver's tables, each note's digest): that does not
depend on the findings, so a child builds it from the same index meanwhile, on the other
core (`validate_memo`). (A first agenda no longer does: its caches are written after the
answer, `background`; beside a child, this process's work slows down, as every page it
writes is copied.) Its result comes back marshalled through an anonymous file;
anything that goes wrong (no fork here, the child failing or killed) is None, and the
caller does the work itself. As with the parsing helpers (`parsing`), the child leaves
by `os._exit` whatever happens (`parsing.fork_child`)."""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
from collections.abc import Callable
from typing import Any

from .parsing import can_fork, fork_child, scratch_file


class Forked:
    """`work()` running in a child, if forking pays for `size` notes here. Used as a
    context manager, so that the child is stopped if the caller fails meanwhile."""

    def __init__(self, work: Callable[[], Any], size: int) -> None:
        self._pid = -1
        self._fd = -1
        if not can_fork(size):
            return
        try:
            self._fd = scratch_file()
        except OSError:
            return
        fd = self._fd

        def child() -> int:
            view = memoryview(marshal.dumps(work()))
            while view:
                view = view[os.write(fd, view) :]
            return 0

        def register(pid: int) -> None:
            self._pid = pid

        try:
            fork_child(child, register)
        except OSError:
            self._close()

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exc: object) -> None:
        """Leaving the block: a child whose result was not taken is stopped."""
        self.cancel()

    def result(self) -> Any:
        """What `work()` returned in the child (waits for it); None if there is none."""
        if self._pid < 0:
            return None
        try:
            _, status = os.waitpid(self._pid, 0)
            self._pid = -1
            if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
                return None
            size = os.fstat(self._fd).st_size
            data = os.pread(self._fd, size, 0)
            return marshal.loads(data) if len(data) == size else None
        except (OSError, ValueError, EOFError, TypeError):
            return None
        finally:
            self._close()

    def cancel(self) -> None:
        """The result is not wanted: the child is stopped and reaped."""
        if self._pid >= 0:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            self._pid = -1
        self._close()

    def _close(self) -> None:
        if self._fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = -1
