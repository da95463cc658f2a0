"""Where the cursor is in a note's text: front matter key or value, list item, an open
`[[`, or a link. Pure functions of the lines (0-based line, column in characters)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.body import WIKILINK, split_target
from ..core.model import LinkRef, Note
from ..core.parse import front_matter_bounds

#: A top-level front-matter key and the column after its colon.
_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?=[ \t]|\Z)")
_PARTIAL_KEY = re.compile(r"[A-Za-z_][\w-]*\Z|\Z")
_ITEM = re.compile(r"[ \t]*-[ \t]+(?:name[ \t]*:[ \t]*)?")


@dataclass(frozen=True, slots=True)
class Spot:
    """What is being typed at the cursor."""

    #: "key" (a front-matter key), "value" (of `field`), "link" (after `[[` in the
    #: body), or "" (nothing we complete).
    what: str
    #: The front-matter key whose value (or list item) holds the cursor.
    field: str = ""
    #: Column where the text being replaced starts (the typed prefix).
    start: int = 0
    #: The typed prefix, from `start` to the cursor.
    prefix: str = ""


def front_matter_lines(lines: list[str]) -> range:
    """0-based line numbers inside the front matter (between the `---` lines)."""
    bounds = front_matter_bounds(lines)
    if bounds is None:
        return range(0)
    closing = bounds[1] if bounds[1] >= 0 else len(lines)
    return range(1, closing)


def _owning_key(lines: list[str], line: int) -> str:
    """The top-level key a (nested or list) line belongs to."""
    for number in range(line, 0, -1):
        match = _KEY.match(lines[number])
        if match:
            return match.group(1)
    return ""


def spot_at(lines: list[str], line: int, column: int) -> Spot:
    """What completion may offer at (line, column)."""
    if line >= len(lines):
        return Spot("")
    text = lines[line][:column]
    if line in front_matter_lines(lines):
        return _front_matter_spot(lines, line, text)
    opened = text.rfind("[[")
    if opened >= 0 and "]]" not in text[opened:]:
        return Spot("link", start=opened + 2, prefix=text[opened + 2 :])
    return Spot("")


def _front_matter_spot(lines: list[str], line: int, text: str) -> Spot:
    if text[:1] not in (" ", "\t", "-"):
        key = _KEY.match(text)
        if key is None:
            partial = _PARTIAL_KEY.search(text)
            if partial is None or partial.start() != 0:
                return Spot("")
            return Spot("key", start=0, prefix=text)
        rest = text[key.end() :]
        start = key.end() + len(rest) - len(rest.lstrip())
        return Spot("value", key.group(1), start, text[start:])
    item = _ITEM.match(text)
    if item is None:
        return Spot("")
    return Spot("value", _owning_key(lines, line), item.end(), text[item.end() :])


@dataclass(frozen=True, slots=True)
class LinkSpan:
    """A link written in a note, and where it is on its line."""

    target: str
    line: int  # 0-based
    start: int
    end: int
    #: The front-matter field it is written in; "" for the body.
    field: str = ""


def _value_end(line: str, start: int) -> int:
    """Where a front-matter value that starts at `start` ends (before a comment)."""
    comment = line.find(" #", start)
    end = comment if comment >= 0 else len(line)
    return len(line[:end].rstrip())


def _column(link: LinkRef) -> int:
    return link.column


def links_on_line(note: Note, lines: list[str], line: int) -> list[LinkSpan]:
    """The links of `note` written on 0-based `line`, with their spans."""
    if line >= len(lines):
        return []
    text = lines[line]
    found = []
    # Items of a flow list share the line: each ends where the next begins.
    fields = sorted((link for link in note.field_links if link.line == line + 1), key=_column)
    for position, link in enumerate(fields):
        start = link.column - 1
        end = _value_end(text, start)
        if position + 1 < len(fields):
            end = min(end, fields[position + 1].column - 2)
        found.append(LinkSpan(link.target, line, start, end, link.field))
    body = {(link.line, link.column) for link in note.parsed.body.links}
    for match in WIKILINK.finditer(text):
        if (line + 1, match.start() + 1) in body:
            target = split_target(match.group(2))[0]
            found.append(LinkSpan(target, line, match.start(), match.end()))
    return found


def link_at(note: Note, lines: list[str], line: int, column: int) -> LinkSpan | None:
    """The link under the cursor, if any."""
    for span in links_on_line(note, lines, line):
        if span.start <= column <= span.end:
            return span
    return None
