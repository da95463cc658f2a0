"""Everything infoint prints goes through here, so no note can drive the terminal (SPEC 5).

A name from a vCard, a LinkedIn row or a shared vault may hold ESC (`\\x1b[2J` clears
the screen, `\\x1b]0;...\\a` retitles the window, `\\x1b]8;;url\\a` makes a link), C1
controls (`\\x9b` is CSI on some terminals), bidirectional overrides that show text
reversed, or a newline that forges an output line (a GitHub Actions `::error` in a CI
log). Each is printed escaped, as Python writes it: `\\x1b`, `\\x9b`, `\\u202e`, `\\n`.

Commands hand over *lines*: each one is escaped whole, so a newline inside a value is
escaped too, and only the joins between lines are real line breaks. Our own colour is
a `Styled` part of a line, applied after escaping. Formats a library writes with their
own line structure (CSV, vCard, iCalendar, message drafts) go out as a *document*: every
line break is kept (LF, or CRLF), everything else escaped; their renderers encode or
escape a value's newlines themselves. JSON is escaped by `jsontext`.

The escaping itself is `safetext` (no Click there: the core's format writers use it).
Click itself is imported by the functions that use it: the agenda answered before Click
is loaded (`quick.py`) prints JSON through here too.
A test (`tests/hostile/test_output_safety.py`) checks that no other module prints.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from ..formats.safetext import printable, printable_document
from ..formats.styled import Line, Styled, wrap_line

#: How much text `echo_lines` gathers before writing it.
_CHUNK_CHARS = 8192


def render_line(line: Line) -> str:
    """One line as printed: escaped, then coloured."""
    if isinstance(line, str):
        return printable(line)
    return "".join(_render_part(part) for part in line)


def _render_part(part: str | Styled) -> str:
    if isinstance(part, str):
        return printable(part)
    text = printable(part.text)
    if part.fg is None and not part.bold and not part.dim:
        return text
    import click

    return click.style(text, fg=part.fg, bold=part.bold or None, dim=part.dim or None)


def plain_line(line: Line) -> str:
    """The text of a line without colour (escaped as printed)."""
    if isinstance(line, str):
        return printable(line)
    return "".join(printable(part if isinstance(part, str) else part.text) for part in line)


def echo(line: Line = "", err: bool = False) -> None:
    """Print one line (stdout, or stderr for messages and summaries)."""
    import click

    click.echo(render_line(line), err=err)


def terminal_width() -> int | None:
    """The width of the terminal stdout is, or None when it is a pipe or a file: what
    a script reads is never wrapped."""
    stream = sys.stdout
    if stream is None or not stream.isatty():
        return None
    # Imported here: shutil brings bz2, lzma and fnmatch (1.5 ms), which only text for a
    # terminal needs; `agenda --json`, the most common run, never reaches this line.
    import shutil

    return shutil.get_terminal_size().columns


def _wrapped(lines: Iterable[Line]) -> Iterator[Line]:
    width = terminal_width()
    if width is None:
        yield from lines
        return
    for line in lines:
        # Escaped first: `\x1b` takes four columns on screen, and breaks count columns.
        yield from wrap_line(_escaped(line), width)


def _escaped(line: Line) -> Line:
    if isinstance(line, str):
        return printable(line)
    return tuple(
        printable(part)
        if isinstance(part, str)
        else Styled(printable(part.text), part.fg, part.bold, part.dim)
        for part in line
    )


def echo_lines(lines: Iterable[Line], err: bool = False, wrap: bool = False) -> None:
    """Print lines, each escaped whole; nothing at all when there are none. Written a
    few kilobytes at a time, as a buffered stream would: a reader that leaves early
    (`| head`) stops the command at the next write, not after the last line. `wrap`:
    text for people, broken between words to the terminal's width (SPEC 4.3)."""
    import click

    chunk: list[str] = []
    size = 0
    for line in _wrapped(lines) if wrap and not err else lines:
        text = render_line(line)
        chunk.append(text)
        size += len(text) + 1
        if size >= _CHUNK_CHARS:
            click.echo("\n".join(chunk), err=err)
            chunk, size = [], 0
    if chunk:
        click.echo("\n".join(chunk), err=err)


def rendered_lines(lines: Iterable[Line]) -> str:
    """Lines as `echo_lines` prints them (escaped, coloured), to print later with
    `echo_rendered`: a remembered answer is printed as it was."""
    return "\n".join(map(render_line, lines))


def echo_rendered(text: str) -> None:
    """Text `rendered_lines` or `jsontext` made, as `echo_lines` and `echo_json` print it
    (colour left out where Click leaves it out)."""
    import click

    click.echo(text)


def echo_document(text: str) -> None:
    """Print a document whose line breaks are its format's (CSV, vCard, a draft)."""
    import click

    click.echo(printable_document(text), nl=False)


def echo_document_bytes(data: bytes) -> None:
    """A UTF-8 document as bytes, as written (iCalendar's CRLF line ends)."""
    import click

    text = data.decode("utf-8", "surrogateescape")
    click.echo(printable_document(text).encode("utf-8", "surrogateescape"), nl=False)


def echo_json(value: Any) -> None:
    """JSON, laid out and escaped by `jsontext`."""
    import click

    from ..formats.jsontext import json_text

    click.echo(json_text(value))


def echo_json_text(text: str) -> None:
    """JSON already encoded by `jsontext` (the agenda's): it has escaped every control
    character, so there is nothing for Click to strip."""
    echo_as_is(text)


def echo_as_is(text: str) -> None:
    """Text that holds no control character (its maker made sure), written as
    `click.echo` writes it (then flushed), without importing Click."""
    stream = sys.stdout
    if stream is None:  # started with stdout closed (`>&-`): as click.echo, nothing
        return
    stream.write(text + "\n")
    stream.flush()


def silence_stdout() -> None:
    """The reader of stdout left (`infoint agenda | head`): what is still buffered, and
    anything printed later, goes nowhere instead of failing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def internal_error(exc: BaseException) -> str:
    """The one line an unexpected failure is reported as (exit 2)."""
    return (
        f"internal error: {type(exc).__name__}: {exc} "
        "(set INFOINT_DEBUG=1 for details, and please report it)"
    )
