"""A line of output as the renderers build it: plain text, or parts some of which are in
our colour. `commands/output.py` escapes and prints it; nothing here prints."""

from __future__ import annotations

import re

#: A word, as lines are broken: anything between spaces.
_WORD = re.compile(r"\S+")


class Styled:
    """Part of a line in our colour (dropped with --no-color, NO_COLOR or no terminal).
    (A plain class: a dataclass costs a millisecond to define, on every run.)"""

    __slots__ = ("bold", "dim", "fg", "text")

    def __init__(
        self, text: str, fg: str | None = None, bold: bool = False, dim: bool = False
    ) -> None:
        self.text, self.fg, self.bold, self.dim = text, fg, bold, dim


#: A line: plain text, or parts some of which are styled.
Line = str | tuple[str | Styled, ...]


def _parts(line: Line) -> tuple[str | Styled, ...]:
    return (line,) if isinstance(line, str) else line


def _slice(parts: tuple[str | Styled, ...], start: int, end: int) -> tuple[str | Styled, ...]:
    """The characters [start, end) of a line's text, each part keeping its style."""
    found: list[str | Styled] = []
    offset = 0
    for part in parts:
        text = part if isinstance(part, str) else part.text
        low, high = max(start - offset, 0), min(end - offset, len(text))
        if low < high:
            piece = text[low:high]
            found.append(
                piece if isinstance(part, str) else Styled(piece, part.fg, part.bold, part.dim)
            )
        offset += len(text)
    return tuple(found)


def wrap_line(line: Line, width: int) -> list[Line]:
    """`line` broken between words so each piece fits `width` columns, continuation
    lines indented two spaces past the line's own indent (under the text of a `- `
    item). A word longer than the width (a path, a URL) is kept whole, not cut."""
    parts = _parts(line)
    text = "".join(part if isinstance(part, str) else part.text for part in parts)
    if len(text) <= width:
        return [line]
    indent = " " * (len(text) - len(text.lstrip(" ")) + 2)
    pieces: list[Line] = []
    start = line_end = 0
    room = width
    for word in _WORD.finditer(text):
        if word.end() - start > room and line_end > start:
            pieces.append(_slice(parts, start, line_end))
            start, room = word.start(), max(width - len(indent), 1)
        line_end = word.end()
    pieces.append(_slice(parts, start, line_end))
    continued: list[Line] = [(indent, *piece) for piece in pieces[1:]]
    return [pieces[0], *continued]
