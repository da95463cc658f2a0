"""A line of output as the renderers build it: plain text, or parts some of which are in
our colour. `commands/output.py` escapes and prints it; nothing here prints."""

from __future__ import annotations


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
