"""infoint's positions (1-based line and column, in characters) and text as LSP wants
them: 0-based, columns in the client's code units (UTF-16 unless it chose another)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from ..core.model import ERROR, INFO, WARNING, Diagnostic

_SEVERITY = {
    ERROR: types.DiagnosticSeverity.Error,
    WARNING: types.DiagnosticSeverity.Warning,
    INFO: types.DiagnosticSeverity.Information,
}
_LINE_BREAK = re.compile(r"\r\n?|\n")


class Lines:
    """A document's lines, for positions in the client's units."""

    def __init__(self, lines: Sequence[str], codec: PositionCodec) -> None:
        self.lines = list(lines)
        self.codec = codec
        #: Per non-ASCII line: the client's units before each character (a note with
        #: thousands of links on one line asks for thousands of positions on it).
        self._units: dict[int, list[int]] = {}

    def _units_before(self, line: int, column: int) -> int:
        text = self.lines[line]
        if text.isascii():
            return min(column, len(text))
        units = self._units.get(line)
        if units is None:
            units = [0]
            for char in text:
                units.append(units[-1] + self.codec.client_num_units(char))
            self._units[line] = units
        return units[min(column, len(text))]

    def position(self, line: int, column: int) -> types.Position:
        """0-based line and character column -> the client's position."""
        if line >= len(self.lines):
            return types.Position(line=len(self.lines), character=0)
        return types.Position(line=line, character=self._units_before(line, column))

    def range(self, line: int, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(line, start), end=self.position(line, end))

    def column(self, position: types.Position) -> tuple[int, int]:
        """The client's position -> 0-based line and character column."""
        if position.line >= len(self.lines):
            return len(self.lines), 0
        text = self.lines[position.line]
        units = 0
        for index, char in enumerate(text):
            if units >= position.character:
                return position.line, index
            units += self.codec.client_num_units(char)
        return position.line, len(text)

    def line_end(self, line: int) -> int:
        return len(self.lines[line].rstrip()) if line < len(self.lines) else 0


def _end(text: str, start: int) -> int:
    """Where what a diagnostic points at ends: a link's `]]`, else the line's end."""
    if text.startswith(("[[", "![["), start):
        close = text.find("]]", start)
        if close >= 0:
            return close + 2
    return max(len(text.rstrip()), start)


def diagnostic(problem: Diagnostic, lines: Lines) -> types.Diagnostic:
    """A validate diagnostic, marking what it points at (a link, else up to the end of
    its line)."""
    line = max(problem.line - 1, 0)
    start = max(problem.column - 1, 0)
    end = _end(lines.lines[line], start) if line < len(lines.lines) else start
    return types.Diagnostic(
        range=lines.range(line, start, end),
        message=problem.message,
        severity=_SEVERITY.get(problem.severity, types.DiagnosticSeverity.Warning),
        code=problem.code,
        source="infoint",
    )


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    line = 0
    start = 0
    for match in _LINE_BREAK.finditer(text, 0, offset):
        if match.end() > offset:
            break
        line += 1
        start = match.end()
    return line, offset - start


def text_edit(old: str, new: str, lines: Lines) -> types.TextEdit | None:
    """The one edit that turns `old` into `new`: what lies between their common start
    and their common end (so a quoted value changes by its two quotes)."""
    if old == new:
        return None
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    # Never split a CRLF: a position between CR and LF is on no line.
    while prefix and old[prefix - 1] == "\r":
        prefix -= 1
    while suffix and old[len(old) - suffix - 1] == "\r" and old[len(old) - suffix] == "\n":
        suffix -= 1
    start = _offset_position(old, prefix)
    end = _offset_position(old, len(old) - suffix)
    return types.TextEdit(
        range=types.Range(start=lines.position(*start), end=lines.position(*end)),
        new_text=new[prefix : len(new) - suffix],
    )
