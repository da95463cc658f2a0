"""The body of a note: wikilinks (outside code), headings, and the interview sections.

Two scanners give the same answer. `markdown-it-py` is the reference: it knows code
spans, fences, HTML blocks and every CommonMark corner. Most notes use none of those, and
for them a line scanner is several times faster; it gives up (returns None) on anything
it does not model exactly, and the markdown-it scanner takes over. A property test holds
the two to the same output.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from .model import BodyLink, BodyScan, ListEntry

WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]+?)\]\]")
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*\Z")
_BULLET = re.compile(r"( {0,3})([-*+])( +)(\S.*)?\Z")
_ORDERED = re.compile(r"( {0,3})([0-9]{1,9})([.)])( +)(\S.*)?\Z")
_TASK = re.compile(r"\[([ xX])\](?:[ \t]+|\Z)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|<%.*?%>", re.S)
# Anything the line scanner does not model: escapes, HTML, entities, inline links,
# link reference definitions, block quotes, setext underlines and thematic breaks (and
# code, but for code spans that open and close on one line: see `_code_spans`).
_FAST_BAIL = re.compile(r"[\\<]|&[#A-Za-z]|\]\(|~~~|\t")
_BACKTICKS = re.compile(r"`+")
_REFERENCE = re.compile(r"\[[^\]]*\]:")
_BAIL_LINE = re.compile(
    r" {0,3}(?:>|\[[^\]]*\]:|(?:[-=_*] *){2,}\Z|(?:-+|=+) *\Z|(?:[-*+]|[0-9]{1,9}[.)]) *\Z)"
)
_BAIL_FIRST = frozenset(">[-=_*+0123456789")
_DIGITS = frozenset("0123456789")
_MARKER_START = re.compile(r"(?:[-*+]|[0-9]{1,9}[.)])(?: |\Z)")
_MARKER_FIRST = frozenset("-*+0123456789")

SECTION_PREPARATION = "preparation"
SECTION_QUESTIONS = "questions"
SECTION_REFLECTION = "reflection"


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


def _link(match: re.Match[str], line: int, column: int) -> BodyLink | None:
    target, heading, label = split_target(match.group(2))
    if not target:  # [[#heading]] points into the note itself
        return None
    return BodyLink(target, line, column, heading, label, bool(match.group(1)))


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _entry(section: str | None, text: str, line: int, column: int) -> ListEntry | None:
    if section == SECTION_PREPARATION:
        task = _TASK.match(text) if text.startswith("[") else None
        if task:
            return ListEntry(_normalise(text[task.end() :]), line, column, task.group(1) != " ")
        return None
    if section == SECTION_QUESTIONS:
        task = _TASK.match(text) if text.startswith("[") else None
        text = _normalise(text[task.end() :] if task else text)
        return ListEntry(text, line, column) if text else None
    return None


def _section_of(level: int, text: str, current: str | None) -> str | None:
    if level == 2:
        name = text.strip().lower()
        if name in (SECTION_PREPARATION, SECTION_QUESTIONS, SECTION_REFLECTION):
            return name
        return None
    return None if level < 2 else current


def _reflection_written(
    lines: list[str], headings: Sequence[tuple[int, str, int]], first: int
) -> bool | None:
    """Whether `## Reflection` holds text beyond comments and template placeholders.

    One backward pass: each section ends where the next heading of level 1 or 2 starts
    (looking ahead from every heading made 70,000 `## Reflection` lines take 18 s)."""
    written: bool | None = None
    end = len(lines) + first
    for level, text, line in reversed(headings):
        if level == 2 and text.strip().lower() == SECTION_REFLECTION and not written:
            section = "\n".join(lines[line - first + 1 : end - first])
            section = _PLACEHOLDER.sub("", _COMMENT.sub("", section))
            written = bool(section.strip())
        if level <= 2:
            end = line
    return written


def _scan_result(
    links: list[BodyLink],
    headings: list[tuple[int, str, int]],
    entries: dict[str, list[ListEntry]],
    lines: list[str],
    first_line: int,
) -> BodyScan:
    """What both scanners return, from what they found."""
    return BodyScan(
        links=tuple(links),
        headings=tuple(headings),
        tasks=tuple(entries[SECTION_PREPARATION]),
        questions=tuple(entries[SECTION_QUESTIONS]),
        reflection_written=_reflection_written(lines, headings, first_line),
    )


def _code_spans(line: str) -> list[tuple[int, int]] | None:
    """The code spans of one line, as (start, end) offsets, read left to right as
    markdown-it reads them: a wikilink that starts first is one token (backticks inside
    it are text), a backtick string opens a span that the next string of the same
    length closes (CommonMark 6.1). None when the line scanner cannot model the line: a
    backtick string nothing closes on this line (literal, or a span going on to the next
    line) or an indented fence (a line opening with three backticks after blanks, which
    may belong to a list item; `_scan_fast` models fences at the margin)."""
    if line.lstrip(" ").startswith("```"):
        return None
    spans: list[tuple[int, int]] = []
    position = 0
    while True:
        tick = line.find("`", position)
        if tick < 0:
            return spans
        link = line.find("[[", position, tick)
        if link >= 0:
            start = link - 1 if link > position and line[link - 1] == "!" else link
            match = WIKILINK.match(line, start)
            position = match.end() if match else link + 1
            continue
        run = _BACKTICKS.match(line, tick)
        assert run is not None
        closer = _BACKTICKS.search(line, run.end())
        while closer is not None and len(closer.group()) != len(run.group()):
            closer = _BACKTICKS.search(line, closer.end())
        if closer is None:
            return None
        spans.append((tick, closer.end()))
        position = closer.end()


def scan_body(lines: list[str], first_line: int) -> BodyScan:
    """Scan body lines (without line endings); `first_line` is the file line of lines[0]."""
    # One search over the whole body decides for most notes that no line needs the
    # per-line bail-out search (a comment's lines are a subset, so this is safe).
    text = "\n".join(lines)
    fast = _scan_fast(lines, first_line, _FAST_BAIL.search(text) is not None, "`" in text)
    return fast if fast is not None else scan_markdown(lines, first_line)


# --- the line scanner ------------------------------------------------------------------


def _add_entry(entries: dict[str, list[ListEntry]], section: str, item: list[Any]) -> None:
    """Record a finished list item of a section that collects items."""
    entry = _entry(section, item[0], item[1], item[2])
    if entry is not None:
        entries[section].append(entry)


def _scan_fast(
    lines: list[str], first_line: int, check_bail: bool = True, check_code: bool = True
) -> BodyScan | None:
    links: list[BodyLink] = []
    headings: list[tuple[int, str, int]] = []
    entries: dict[str, list[ListEntry]] = {SECTION_PREPARATION: [], SECTION_QUESTIONS: []}
    section: str | None = None
    in_comment = False
    # The list item whose first paragraph is still open: [text, line, column]. It becomes
    # an entry only under a section that collects items (a key of `entries`).
    item: list[Any] | None = None
    in_paragraph = False
    last_kind: Any = None
    # Bound methods as locals: this loop runs for every body line of every note.
    bail_search = _FAST_BAIL.search
    bail_line = _BAIL_LINE.match

    # The backtick count of the open fenced code block (0: none). Only fences opening
    # at the margin are modelled: they cannot belong to a list item.
    fence = 0

    for number, line in enumerate(lines, first_line):
        if fence:
            stripped = line.lstrip(" ")
            run = len(stripped) - len(stripped.lstrip("`"))
            if len(line) - len(stripped) <= 3 and run >= fence and not stripped[run:].strip(" \t"):
                fence = 0  # the closing fence
            continue  # code: no links, headings or items in it
        if in_comment:
            if "-->" in line:
                in_comment = False
            continue
        stripped = line.lstrip(" ")
        if not stripped or stripped.isspace():  # the same test as `not stripped.strip()`
            if item is not None and section in entries:
                _add_entry(entries, section, item)
            item = None
            in_paragraph = False
            continue
        indent = len(line) - len(stripped)
        # Each test below can only pass when the first non-blank character fits, so a
        # one-character test skips most of them on ordinary prose lines.
        first = stripped[0]
        if first == "`" and not indent and stripped.startswith("```"):
            run = len(stripped) - len(stripped.lstrip("`"))
            if "`" in stripped[run:]:
                return None  # not a fence but a paragraph opening with a code span
            if item is not None and section in entries:
                _add_entry(entries, section, item)
            item = None
            in_paragraph = False
            last_kind = None
            fence = run
            continue
        if first == "<" and indent <= 3 and stripped.startswith("<!--"):
            if indent:
                return None  # it may belong to a list item's content: not modelled
            if item is not None and section in entries:
                _add_entry(entries, section, item)
            item = None
            in_paragraph = False
            in_comment = "-->" not in stripped[4:]
            continue
        if (
            indent >= 4
            or (check_bail and bail_search(line))
            or (first in _BAIL_FIRST and bail_line(line))
        ):
            return None
        spans = None
        if check_code and "`" in line:
            spans = _code_spans(line)
            if spans is None:
                return None
        heading = _ATX.match(line) if first == "#" else None
        if heading:
            if item is not None and section in entries:
                _add_entry(entries, section, item)
            item = None
            in_paragraph = False
            level, text = len(heading.group(1)), heading.group(2) or ""
            if "#" in text or text != text.strip():
                # Closing-sequence corner cases, and blanks other than space and tab
                # (markdown-it strips those too): not modelled.
                return None
            headings.append((level, text, number))
            section = _section_of(level, text, section)
            last_kind = None
        else:
            bullet = _BULLET.match(line) if first in "-*+" else None
            ordered = None if bullet or first not in _DIGITS else _ORDERED.match(line)
            marker = bullet or ordered
            if marker:
                content = marker.group(marker.lastindex or 0)
                if content is None or content[0] in "#>" or _REFERENCE.match(content):
                    return None  # a heading, quote or link definition inside the item
                if content[0] in _MARKER_FIRST and _MARKER_START.match(content):
                    return None
                if len(marker.group(3 if bullet else 4)) >= 5:
                    return None  # `-     x` is indented code inside the item
                kind = ("ordered", marker.group(1), marker.group(3)) if ordered else "bullet"
                if ordered and in_paragraph and ordered.group(2) != "1" and kind != last_kind:
                    return None  # only `1.` may start a list inside a paragraph: not modelled
                last_kind = kind
                if item is not None and section in entries:
                    _add_entry(entries, section, item)
                item = [content, number, line.index(content) + 1]
            elif item is not None:
                item[0] += "\n" + stripped
            else:
                last_kind = None
            in_paragraph = True
        if "[[" in line:
            span = 0  # spans and links both run left to right: one pass over each
            for match in WIKILINK.finditer(line):
                at = match.start()
                while spans and span < len(spans) and spans[span][1] <= at:
                    span += 1
                if spans and span < len(spans) and spans[span][0] <= at:
                    continue  # inside a code span: not a link
                link = _link(match, number, at + 1)
                if link is not None:
                    links.append(link)
    if item is not None and section in entries:
        _add_entry(entries, section, item)
    return _scan_result(links, headings, entries, lines, first_line)


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
        link = _link(match, first_line + row, column + 1)
        if link is not None:
            found.append(link)
    return found


def scan_markdown(lines: list[str], first_line: int) -> BodyScan:
    """The reference scanner, on markdown-it-py."""
    tokens = _markdown().parse("\n".join(lines))
    links: list[BodyLink] = []
    headings: list[tuple[int, str, int]] = []
    entries: dict[str, list[ListEntry]] = {SECTION_PREPARATION: [], SECTION_QUESTIONS: []}
    section: str | None = None
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
            section = _section_of(level, text, section)
        if items and items[-1][1] and token.nesting >= 0 and token.level == items[-1][0] + 1:
            items[-1][1] = False
            if token.type == "paragraph_open" and section in entries:
                inline = tokens[index + 1]
                row = inline.map[0]
                column = lines[row].find(inline.content.split("\n", 1)[0]) + 1
                entry = _entry(section, inline.content, first_line + row, max(column, 1))
                if entry is not None:
                    entries[section].append(entry)
        if token.type == "inline":
            links.extend(_inline_links(token, lines, first_line))
    if any(_dropped(tokens, index) for index in range(len(tokens) - 1)):
        links.extend(_deep_links(tokens, lines, first_line))
        links.sort(key=lambda link: (link.line, link.column))
    return _scan_result(links, headings, entries, lines, first_line)


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
