"""The `infoint` console script: the one place that exits.

`main` first offers the command line to `commands.quick` (a JSON agenda answered without
importing Click), then runs the Click group (`commands.root.cli`). `cli` and `COMMANDS`
are found here too (as tests and tools import them), loaded on first use.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

from .commands.output import echo, echo_as_is, silence_stdout

if TYPE_CHECKING:
    from .commands.root import COMMANDS as COMMANDS
    from .commands.root import cli as cli


def __getattr__(name: str) -> Any:
    if name in ("cli", "COMMANDS"):
        from .commands import root

        return getattr(root, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _tolerant_streams() -> None:
    """A file name that is not valid UTF-8 reaches our text as surrogate escapes, and a
    stream may not encode every character (`PYTHONIOENCODING=latin-1`). Such characters
    are printed escaped (`\\udce9`) instead of failing the command. On a UTF-8 stream
    (the default) only such file names are escaped, and in JSON output the escape reads
    back as the same name; on another encoding JSON may not parse, as its characters
    cannot be written as they are."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            with contextlib.suppress(Exception):
                stream.reconfigure(errors="backslashreplace")


def main() -> None:
    """Console entry point."""
    _fewer_collections()
    _tolerant_streams()
    _may_finish_later()
    try:
        answered = _quick(sys.argv[1:])
        if answered is not None:
            raise SystemExit(answered)
        from .commands.root import cli

        cli(prog_name="infoint")
    except KeyboardInterrupt:  # Ctrl-C while `quick` ran: as Click's commands end
        echo("", err=True)
        _hard_exit(130, interrupted=True)
    except BrokenPipeError:  # the reader left (`| head`): the caches are written still
        silence_stdout()
        _leave_work()
        sys.exit(0)
    except SystemExit as done:
        if _observed():
            raise
        # Still in the handler, whose traceback keeps what the command built alive (a
        # vault index is a million objects at 10,000 notes): leaving without freeing
        # them one by one saves more time than printing the agenda takes. mypy ends
        # the same way. Every file we write is closed by then; only stdio is buffered.
        _hard_exit(done.code)


def _fewer_collections() -> None:
    """A command builds hundreds of thousands of objects that live until it ends, and
    few reference cycles: the cyclic collector, run every 700 allocations by default,
    walks the young ones again and again for nothing. Every 100,000 (as mypy does) makes
    a first run of 10,000 notes 3% faster; a full collection still comes every 10
    million allocations in the long-running commands (`watch`, `lsp`)."""
    gc.set_threshold(100_000, 10, 10)


def _may_finish_later() -> None:
    """This process ends when its command does: caches may be written after it by a
    child (`speed.background`), unless a tool watching this run wants it whole."""
    if not _observed():
        from .speed.background import allow

        allow()


def _leave_work() -> None:
    """Fork the child that writes what the command left to it (`speed.background`)."""
    background = sys.modules.get("infoint_notes.speed.background")
    if background is not None:
        with contextlib.suppress(Exception):
            background.leave()


def _quick(argv: list[str]) -> int | None:
    """The answer of `commands.quick` or `commands.quick_complete`, for a command line
    that may be one they answer: they are not even imported otherwise."""
    if any(name.endswith("_COMPLETE") for name in os.environ):
        if not _writes_utf8(sys.stdout):
            return None  # Click writes names beyond ASCII its own way (UTF-8 bytes)
        from .commands.quick_complete import quick_completion

        printed = quick_completion(os.environ)
        if printed is None:
            return None
        echo_as_is(printed)
        return 0
    if "agenda" not in argv:
        return None
    from .commands.quick import quick_agenda

    return quick_agenda(argv)


def _writes_utf8(stream: object) -> bool:
    """Whether text written to `stream` arrives as UTF-8, as Click writes a completion
    (8.5 encodes it; earlier versions write to such a stream as it is)."""
    encoding = getattr(stream, "encoding", None)
    try:
        return encoding is not None and codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def _observed() -> bool:
    """Whether a profiler, debugger or coverage tool watches this run: they write their
    reports when the interpreter ends normally (or in atexit handlers)."""
    if sys.gettrace() is not None or sys.getprofile() is not None:
        return True
    monitoring = getattr(sys, "monitoring", None)  # Python 3.12+ tools (coverage)
    return monitoring is not None and any(
        monitoring.get_tool(tool) is not None for tool in range(6)
    )


def _hard_exit(code: object, interrupted: bool = False) -> NoReturn:
    """`sys.exit(code)` without the interpreter's clean-up: flush stdio, then _exit
    (first leaving the caches to a child, unless the user `interrupted` us)."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # as the interpreter does with sys.exit("message")
        with contextlib.suppress(Exception):
            echo(str(code), err=True)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        # A reader gone (`| head`) or a closed stream: nothing more can be said anyway.
        with contextlib.suppress(Exception):
            stream.flush()
    if not interrupted:
        _leave_work()
    os._exit(status & 0xFF)
