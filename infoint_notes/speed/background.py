"""Caches written after the answer is out (issue 19): a run that computed everything
forks a child to remember it (the parse records, the agenda memo and its structure, the
printed answer) and ends as soon as it has printed.

On a first run of a large vault that is a fifth of the time the user waits: at 10,000
notes, ~0.25 s of writing and of building the structure an update reads, out of ~1.2 s.
`git gc --auto` detaches the same way. The child:

- holds `finishing.lock` in the cache folder until it ends (taken as this process
  ends, to fork it: a command still printing holds nothing, so a slow reader or a loop
  running infoint on each line keeps no other run waiting); every later process waits
  for it before it first opens the folder (`cachedir.open_cache_folder`), so a run
  right after this one finds what it wrote (and tests need no sleeps);
- leaves the process group and the terminal (`setsid`), with stdin, stdout and stderr
  on /dev/null and no other file of ours open: a reader of our output (`infoint
  agenda --json | jq`, a test's pipe) sees its end when this process ends, not when
  the child does;
- ends by `os._exit`, whatever happens (`parsing.fork_child`); if it dies, nothing is
  half written (every cache file is replaced atomically, the store is a transaction):
  the next run computes again.

Only the console script forks so (`allow`, from `cli.main`): a program that imports the
CLI (tests, `CliRunner`) gets its caches written before the command returns, as does a
vault too small for forking to pay, a system without fork, and a run whose cache folder
another child is still finishing.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

#: Whether work may outlive this process (`allow`). This module imports nothing else
#: until it forks: every command line sets it.
_ALLOWED = [False]
#: Work left for the child forked as this process ends (`leave`), with its vault.
_LEFT: list[tuple[Callable[[], object], Path]] = []

#: Fewer notes than this: the caches are written before the command returns (the
#: child costs a fork, and the writing is short).
DETACH_MIN_NOTES = 2_000


def allow() -> None:
    """This process ends as soon as its command does (the console script), by `leave`:
    work given to `finish` may outlive it."""
    _ALLOWED[0] = True


def leave() -> None:
    """This process is about to end (its output flushed): fork the child that does the
    work left to it. Forked last, so that this process writes nothing more to memory
    the child shares (each page written then would be copied)."""
    if not _LEFT:
        return
    from .parsing import fork_child

    while _LEFT:
        work, root = _LEFT.pop()
        _KEPT.append(work)
        lock = _hold_finishing(root)
        if lock is None:  # another run's child took it since `finish`
            work()
            continue
        try:
            fork_child(partial(_finishing, work, lock))
        except OSError:
            work()
        finally:
            os.close(lock)  # the child holds it until it ends


#: The work forked, kept until this process ends: freeing what it holds (the vault's
#: notes, a million objects at 10,000 notes) would cost a cold run a fortieth.
_KEPT: list[object] = []


def finish(root: Path, work: Callable[[], object], notes: int) -> None:
    """Run `work` (writing the caches of the vault at `root`, of `notes` notes): in a
    child that outlives this process where that is allowed and pays, else here."""
    from .parsing import can_fork

    if not (_ALLOWED[0] and notes >= DETACH_MIN_NOTES and can_fork(notes)):
        work()
        return
    lock = _hold_finishing(root)
    if lock is None:  # no cache folder, or another run's child is finishing it
        work()
        return
    # Not held while this run prints: a reader that is slow, or that runs infoint
    # itself before reading on (`infoint agenda | while read ...; do infoint ...`),
    # would keep every other run waiting, or wait for itself. Taken again to fork.
    os.close(lock)
    _LEFT.append((work, root))


def _hold_finishing(root: Path) -> int | None:
    """`CacheFolder.hold_finishing` of the vault at `root` (None: no cache folder)."""
    from .cachedir import open_cache_folder

    folder = open_cache_folder(root, create=True)  # (a first run has not made it)
    if folder is None:
        return None
    with folder:
        return folder.hold_finishing()


def _finishing(work: Callable[[], object], lock: int) -> int:
    """In the child: away from the terminal and from every file our caller has open
    (a pipe it was given stays open until its last holder ends) but the `lock`, then
    `work`."""
    from .cachedir import finishing_here

    finishing_here()
    gc.disable()  # it ends in a moment: a collection of the parent's heap is wasted
    with contextlib.suppress(OSError):
        os.setsid()
    if lock <= 2:  # our caller had two of its standard streams closed: keep it apart
        import fcntl

        lock = fcntl.fcntl(lock, fcntl.F_DUPFD_CLOEXEC, 3)
    try:
        null = os.open(os.devnull, os.O_RDWR)
        for stream in (0, 1, 2):
            os.dup2(null, stream)
    except OSError:  # no /dev/null here (a bare sandbox): no stdio at all then
        os.closerange(0, 3)
    os.closerange(3, lock)
    os.closerange(lock + 1, _open_max())
    work()
    return 0


def _open_max() -> int:
    try:
        return max(os.sysconf("SC_OPEN_MAX"), 1024)
    except (ValueError, OSError):
        return 65536
