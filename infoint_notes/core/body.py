"""The body of a note: wikilinks (outside code) and headings, and through
`sections.SectionReader` the interview sections. This is the reference scanner, on
markdown-it-py: it knows code spans, fences, HTML blocks and every CommonMark corner.
(`speed/linescan.py` answers for most notes faster and defers to this one on anything
it does not model; a property test holds the two to the same output.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from typing import Any

from .model import BodyLink, BodyScan
from .sections import Heading, SectionReader

WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]+?)\]\]")

#: A body scanner: (body lines without line endings, file line of lines[0]) -> BodyScan.
BodyScanner = Callable[[list[str], int], BodyScan]


def split_target(inner: str) -> tuple[str, str | None, str | None]:
    """`target#heading|label` -> (target, heading, label), whitespace-trimmed. `\\|` is
    the pipe as a Markdown table cell must write it (Obsidian reads it so anywhere)."""
    label = None
    if "|" in inner:
        inner, label = inner.split("|", 1)
        label = label.strip()
        inner = inner.removesuffix("\\")
    heading = None
    if "#" in inner:
        inner, heading = inner.split("#", 1)
        heading = heading.strip()
    return inner.strip(), heading, label


def body_link(match: re.Match[str], line: int, column: int) -> BodyLink | None:
    """The link a WIKILINK match at (line, column) stands for (None: `[[#heading]]`)."""
    target, heading, label = split_target(match.group(2))
    if not target:  # [[#heading]] points into the note itself
        return None
    return BodyLink(target, line, column, heading, label, bool(match.group(1)))


# --- the markdown-it scanner -----------------------------------------------------------


def _wikilink_rule(state: Any, silent: bool) -> bool:
    """Inline rule: `[[...]]` and `![[...]]` are one token, so code spans exclude them."""
    match = WIKILINK.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.content = match.group(0)
        token.meta = {"offset": state.pos}
    state.pos = match.end()
    return True


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt  # only notes the fast scanner cannot read need it

    md = MarkdownIt("commonmark")
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    return md


def _inline_links(
    token: Any, lines: list[str], first_line: int, first_row: int = 0
) -> list[BodyLink]:
    """Wikilinks of one inline token, placed on their source line and column; `first_row`:
    the row of `lines` that the parsed text started at.

    Rows, line starts and line ends are found walking forward once, and each line is
    located in its source line once: per link they made one long paragraph or line
    quadratic (100,000 quoted lines with a link each took 14 s)."""
    found: list[BodyLink] = []
    start = (token.map[0] if token.map else 0) + first_row
    src = token.content
    searched_from: dict[int, int] = {}
    row, counted_to, line_start = start, 0, 0
    placed = -1, 0, ""  # (line start, where its content sits in the source line, content)
    for child in token.children or ():
        if child.type != "wikilink":
            continue
        offset = child.meta["offset"]
        newlines = src.count("\n", counted_to, offset)
        if newlines:
            row += newlines
            line_start = src.rfind("\n", counted_to, offset) + 1
        counted_to = offset
        match = WIKILINK.match(child.content)
        if match is None or row >= len(lines):
            continue
        # The token's line is the source line less its markers and indentation (and, on
        # the last line, trailing blanks): where it sits in the source line, plus the
        # link's offset in it, is the column. (Searching the link's text instead would
        # find the same text in a code span before it.)
        if placed[0] != line_start:
            line_end = src.find("\n", line_start)
            content = src[line_start : len(src) if line_end < 0 else line_end]
            placed = line_start, lines[row].rfind(content), content
        base = placed[1]
        if base >= 0:
            column = base + offset - line_start
        else:  # tabs expanded by the parser: the content is not in the line as written
            column = max(lines[row].find(child.content, searched_from.get(row, 0)), 0)
        searched_from[row] = column + len(child.content)
        link = body_link(match, first_line + row, column + 1)
        if link is not None:
            found.append(link)
    return found


def scan_markdown(lines: list[str], first_line: int) -> BodyScan:
    """The reference scanner, on markdown-it-py."""
    tokens = _markdown().parse("\n".join(lines))
    links: list[BodyLink] = []
    headings: list[Heading] = []
    sections = SectionReader()
    # [level of a list_item_open, whether its first block is still to come]
    items: list[list[Any]] = []
    for index, token in enumerate(tokens):
        if token.type == "list_item_open":
            items.append([token.level, True])
            continue
        if token.type == "list_item_close":
            items.pop()
            continue
        if token.type == "heading_open":
            level = int(token.tag[1])
            text = tokens[index + 1].content
            headings.append((level, text, first_line + token.map[0]))
            sections.heading(level, text)
        if items and items[-1][1] and token.nesting >= 0 and token.level == items[-1][0] + 1:
            items[-1][1] = False
            if token.type == "paragraph_open" and sections.collecting:
                inline = tokens[index + 1]
                row = inline.map[0]
                column = lines[row].find(inline.content.split("\n", 1)[0]) + 1
                sections.item(inline.content, first_line + row, max(column, 1))
        if token.type == "inline":
            links.extend(_inline_links(token, lines, first_line))
    if any(_dropped(tokens, index) for index in range(len(tokens) - 1)):
        links.extend(_deep_links(tokens, lines, first_line))
        links.sort(key=lambda link: (link.line, link.column))
    return sections.scan(links, headings, lines, first_line)


# --- below markdown-it's nesting limit ------------------------------------------------

#: What opens a container, as each line may start with it: a block quote marker, or a
#: list marker followed by a blank (or the line's end), and the blanks around them.
_CONTAINER_PREFIX = re.compile(r"\A(?:[ \t]*(?:>|(?:[-+*]|[0-9]{1,9}[.)])(?=[ \t]|\Z)))*[ \t]*")
_CONTAINERS = frozenset(("blockquote_open", "list_item_open"))


def _dropped(tokens: list[Any], index: int) -> bool:
    """Whether tokens[index] opens a container whose content markdown-it left out: it
    stops at `maxNesting` levels (20: ten nested lists, twenty `>`) and emits the
    container empty, so a link deeper down would vanish without a trace."""
    token = tokens[index]
    return (
        token.type in _CONTAINERS
        and token.level >= _markdown().options.maxNesting - 1
        and tokens[index + 1].nesting == -1
        and token.map is not None
    )


def _deep_links(tokens: list[Any], lines: list[str], first_line: int) -> list[BodyLink]:
    """The links of the lines markdown-it left out, parsed again flat (`_flatten`): one
    more parse per left-out container, no recursion, linear in the lines."""
    found: list[BodyLink] = []
    for index in range(len(tokens) - 1):
        if not _dropped(tokens, index):
            continue
        flat, source, rows = _flatten(lines, *tokens[index].map)
        for token in _markdown().parse("\n".join(flat)):
            if token.type == "inline":
                for link in _inline_links(token, source, 0):
                    found.append(replace(link, line=first_line + rows[link.line]))
    return found


def _flatten(lines: list[str], start: int, end: int) -> tuple[list[str], list[str], list[int]]:
    """Lines start..end without their container markers, to parse at one level: (the
    text, the source line each text line stands for, its index in `lines`).

    Deeper than markdown-it nests, a line is read as the text after its markers. A line
    that opens a list item, or has another number of `>` than the line before, starts a
    new block, as it would at any depth: each block is quoted once (`> `) and ended by a
    blank line, which closes a code fence left open in it. Code spans and fences within
    a block are still code."""
    flat: list[str] = []
    source: list[str] = []
    rows: list[int] = []
    quotes = -1
    for row in range(start, end):
        line = lines[row]
        cut = _CONTAINER_PREFIX.match(line).end()  # type: ignore[union-attr]
        markers = line[:cut]
        new_item = markers.strip(" \t>") != ""
        if flat and (new_item or markers.count(">") != quotes):
            flat.append("")
            source.append("")
            rows.append(row)
        quotes = markers.count(">")
        flat.append("> " + line[cut:])
        source.append(line)
        rows.append(row)
    return flat, source, rows
