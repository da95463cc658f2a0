"""The front matter as lines: where each top-level key's value sits, read with
infoint's own YAML reader, so an edit touches those lines and no others."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.errors import WriteRefused
from ..core.yamlread import load_front_matter


class EditError(WriteRefused):
    """The change cannot be made without touching more of the file than it should."""


#: A line ends at LF, CRLF or a lone CR, as for the reader (parse.split_lines, YAML and
#: markdown-it): splitting otherwise would put the front matter's lines out of step with
#: the positions the reader gives.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str) -> list[str]:
    """Lines with their endings."""
    return _LINE.findall(text)


def line_end(line: str) -> str:
    if line.endswith("\r\n"):
        return "\r\n"
    return line[-1] if line.endswith(("\n", "\r")) else ""


def without_end(line: str) -> str:
    return line[: len(line) - len(line_end(line))]


KEY_LINE = re.compile(r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"][^#]*?)[ \t]*:(?=[ \t]|\Z)""")
ITEM = re.compile(r"( *)-( +)")


@dataclass(frozen=True, slots=True)
class Span:
    """Where a top-level key sits in the front-matter lines (0-based, end exclusive)."""

    start: int
    end: int  # after the value's last line; trailing comments/blank lines excluded
    value_start: int  # line of the value's first character
    value_column: int  # 0-based column of the value's first character
    items: tuple[tuple[int, int], ...]  # (line, column) of each item of a list value


class Front:
    """The front-matter lines (without endings) as infoint's reader sees them."""

    def __init__(self, content: list[str]) -> None:
        self.content = content
        result = load_front_matter("\n".join(content), 1)
        if result.problems or result.data is None:
            problem = result.problems[0] if result.problems else None
            where = f" (line {problem.line + 1}: {problem.message})" if problem else ""
            raise EditError(f"its front matter has errors{where}; run 'infoint validate'")
        self.data = result.data
        self.spans: dict[str, Span] = {}
        starts = sorted((pos.line - 1, key) for key, pos in result.positions.items())
        for number, (start, key) in enumerate(starts):
            end = starts[number + 1][0] if number + 1 < len(starts) else len(content)
            while end > start + 1 and is_trivia(content[end - 1]):
                end -= 1
            pos = result.positions[key]
            items = tuple((line - 1, column - 1) for line, column in pos.items)
            self.spans[key] = Span(start, end, pos.value_line - 1, pos.value_column - 1, items)


def is_trivia(line: str) -> bool:
    """A blank line or a comment at column 0: between keys, not part of a value."""
    return not line.strip() or line.startswith("#")


def comment_start(text: str, start: int) -> int:
    """Index of a ` #` comment in `text` after `start` (quotes respected), else len(text)."""
    if text.find("#", start) < 0:
        return len(text)
    quote = ""
    index = start
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'" and (index == start or text[index - 1] in " \t[{,"):
            quote = char
        elif char == "#" and index > 0 and text[index - 1] in " \t":
            return index
        index += 1
    return len(text)


def flow_end(text: str, start: int) -> int:
    """Index just after the flow collection that opens at `text[start]` (`[` or `{`)."""
    depth = 0
    quote = ""
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            if char == quote and (quote == "'" or text[index - 1] != "\\"):
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return index + 1
    raise CannotEdit


def plain_end(text: str, start: int) -> int:
    """Index just after the one-line plain scalar at `text[start]`: an item of a flow list
    (`[0049, x]`) ends at the next `,`, `]` or `}`, any other at the line's end; both
    before a comment and trailing blanks. A multi-line scalar is not one: callers read
    back what they wrote."""
    end = comment_start(text, start)
    if text[:start].rstrip().endswith(("[", ",")):
        end = min([end, *(at for char in ",]}" if (at := text.find(char, start, end)) >= 0)])
    return start + len(text[start:end].rstrip())


class CannotEdit(Exception):
    """This way of editing does not handle the case; try the next one."""
