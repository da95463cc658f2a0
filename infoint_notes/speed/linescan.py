"""The line scanner: a body's links, headings and interview sections, read line by line.

Most notes use no HTML, escapes, block quotes or code beyond a fence at the margin or a
code span within a line; for them reading lines is several times faster than
markdown-it-py (`core/body.py`, the reference). Anything the line scanner does not model
exactly makes it give up (None), and the reference scanner answers instead. What the
sections mean comes from `core/sections.py`, as for the reference. A property test holds
the two scanners to the same output.
"""

from __future__ import annotations

import re
from typing import Any

from ..core.body import WIKILINK, body_link, scan_markdown
from ..core.model import BodyLink, BodyScan
from ..core.sections import Heading, SectionReader

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*\Z")
_BULLET = re.compile(r"( {0,3})([-*+])( +)(\S.*)?\Z")
_ORDERED = re.compile(r"( {0,3})([0-9]{1,9})([.)])( +)(\S.*)?\Z")
# Anything the line scanner does not model: escapes, HTML, entities, inline links,
# link reference definitions, block quotes, setext underlines and thematic breaks (and
# code, but for code spans that open and close on one line: see `_code_spans`).
# Written to open with one set of characters, so that the search skips other text at C
# speed (alternatives with different openings are tried one by one at every character).
_FAST_BAIL = re.compile(r"[\\<\t&\]~](?:(?<=[\\<\t])|(?<=&)[#A-Za-z]|(?<=\])\(|(?<=~)~~)")
_BACKTICKS = re.compile(r"`+")
_REFERENCE = re.compile(r"\[[^\]]*\]:")
_BAIL_LINE = re.compile(
    r" {0,3}(?:>|\[[^\]]*\]:|(?:[-=_*] *){2,}\Z|(?:-+|=+) *\Z|(?:[-*+]|[0-9]{1,9}[.)]) *\Z)"
)
_BAIL_FIRST = frozenset(">[-=_*+0123456789")
_DIGITS = frozenset("0123456789")
_MARKER_START = re.compile(r"(?:[-*+]|[0-9]{1,9}[.)])(?: |\Z)")
_MARKER_FIRST = frozenset("-*+0123456789")
# A marker and spaces, then a blank that is not a space (a no-break space, a form feed).
_ODD_MARKER = re.compile(r" {0,3}(?:[-*+]|[0-9]{1,9}[.)]) +\s")
# A bullet item at the margin, one space after its marker, whose text starts with
# nothing `_item_start` looks twice at (a blank, a marker, a heading, a quote, a link
# definition, a digit) and is no thematic break: most items. Its text is group 1, at
# column 3.
_PLAIN_BULLET = re.compile(r"[-*+] (?![-=_*+#>0-9\s]|\[[^\]]*\]:)(.+)\Z")


# A line of a simple body: blank, an ATX heading of plain text (no `#`, no blank at
# either end), a plain bullet item at the margin, or a paragraph line opening with none
# of the characters that could make it anything else (a blank, `#`, a marker, a quote,
# a link definition, a thematic break or setext underline, HTML, code).
_SIMPLE_LINE = (
    r"(?:#{1,6} [^\s#](?:[^#\n]*[^\s#])?"
    r"|[-*+] (?![-=_*+#>0-9\s]|\[[^\]]*\]:)[^\n]+"
    r"|[^\s#>\[\-=_*+0-9<`][^\n]*)?"
)
# A body made of such lines only (most notes): `_scan_simple` reads it in a few steps
# a line. (Without bail-out characters or backticks: the caller checks that.)
_SIMPLE_BODY = re.compile(rf"{_SIMPLE_LINE}(?:\n{_SIMPLE_LINE})*\Z")


def scan_body(lines: list[str], first_line: int) -> BodyScan:
    """Scan body lines (without line endings); `first_line` is the file line of lines[0]."""
    # One search over the whole body decides for most notes that no line needs the
    # per-line bail-out search (a comment's lines are a subset, so this is safe).
    text = "\n".join(lines)
    bail, code = _FAST_BAIL.search(text) is not None, "`" in text
    fast = scan_lines(lines, first_line, bail, code, text)
    return fast if fast is not None else scan_markdown(lines, first_line)


def _code_spans(line: str) -> list[tuple[int, int]] | None:
    """The code spans of one line, as (start, end) offsets, read left to right as
    markdown-it reads them: a wikilink that starts first is one token (backticks inside
    it are text), a backtick string opens a span that the next string of the same
    length closes (CommonMark 6.1). None when the line scanner cannot model the line: a
    backtick string nothing closes on this line (literal, or a span going on to the next
    line) or an indented fence (a line opening with three backticks after blanks, which
    may belong to a list item; `scan_lines` models fences at the margin)."""
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


class _NotModelled(Exception):
    """A line the line scanner does not model: the reference scanner answers."""


def _modelled_spans(line: str) -> list[tuple[int, int]]:
    """`_code_spans` of a line holding a backtick; _NotModelled when it has none."""
    spans = _code_spans(line)
    if spans is None:
        raise _NotModelled
    return spans


def scan_lines(
    lines: list[str],
    first_line: int,
    check_bail: bool = True,
    check_code: bool = True,
    text: str | None = None,
) -> BodyScan | None:
    """What `scan_markdown` says of these lines, or None when a line holds anything not
    modelled here. `check_bail` / `check_code`: whether some line may hold a bail-out
    character or a backtick (False: the caller searched the whole body and found none).
    `text`: the lines joined with newlines, when the caller has it."""
    if text is None:
        text = "\n".join(lines)
    if check_bail:
        check_bail = _FAST_BAIL.search(text) is not None
    if check_code:
        check_code = "`" in text
    try:
        if not check_bail and not check_code and _SIMPLE_BODY.match(text):
            return _scan_simple(lines, first_line)
        return _scan(lines, first_line, check_bail, check_code)
    except _NotModelled:
        return None


def _scan_simple(lines: list[str], first_line: int) -> BodyScan:
    """`_scan` of a simple body (`_SIMPLE_BODY`): each line is blank, a heading, a plain
    bullet item or a paragraph line, so each is told by its first character."""
    links: list[BodyLink] = []
    headings: list[Heading] = []
    sections = SectionReader()
    item: list[Any] | None = None  # as in `_scan`
    for number, line in enumerate(lines, first_line):
        if not line:
            if item is not None:
                sections.item(*item)
                item = None
            continue
        first = line[0]
        if first == "#":
            if item is not None:
                sections.item(*item)
                item = None
            level = line.index(" ")
            text = line[level + 1 :]
            headings.append((level, text, number))
            sections.heading(level, text)
        elif first in "-*+":
            if item is not None:
                sections.item(*item)
            item = [line[2:], number, 3]
        elif item is not None:
            item[0] += "\n" + line
        if "[[" in line:
            links.extend(_links_outside(line, None, number))
    if item is not None:
        sections.item(*item)
    return sections.scan(links, headings, lines, first_line)


def _scan(lines: list[str], first_line: int, check_bail: bool, check_code: bool) -> BodyScan:
    links: list[BodyLink] = []
    headings: list[Heading] = []
    sections = SectionReader()
    # The list item whose first paragraph is still open: [text, line, column]. The
    # section reader decides what it means when the paragraph ends.
    item: list[Any] | None = None
    in_paragraph = in_comment = False
    # What opened the last list item (another kind of marker starts another list).
    last_kind: Any = None
    # The backtick count of the open fenced code block (0: none). Only fences opening
    # at the margin are modelled: they cannot belong to a list item.
    fence = 0
    # Bound methods as locals: this loop runs for every body line of every note.
    bail_search = _FAST_BAIL.search
    bail_line = _BAIL_LINE.match
    plain_bullet = _PLAIN_BULLET.match

    for number, line in enumerate(lines, first_line):
        if fence:
            fence = 0 if _closes_fence(line, fence) else fence
            continue  # code: no links, headings or items in it
        if in_comment:
            in_comment = "-->" not in line
            continue
        stripped = line.lstrip(" ")
        if not stripped or stripped.isspace():  # the same test as `not stripped.strip()`
            if item is not None:
                sections.item(*item)
            item, in_paragraph = None, False
            continue
        indent = len(line) - len(stripped)
        # Each test below can only pass when the first non-blank character fits, so a
        # one-character test skips most of them on ordinary prose lines.
        first = stripped[0]
        if first in "-*+" and not indent and (bullet := plain_bullet(line)) is not None:
            # What the tests below find for such an item, in one match.
            if check_bail and bail_search(line):
                raise _NotModelled
            spans = _modelled_spans(line) if check_code and "`" in line else None
            if item is not None:
                sections.item(*item)
            item, in_paragraph, last_kind = [bullet.group(1), number, 3], True, "bullet"
            if "[[" in line:
                links.extend(_links_outside(line, spans, number))
            continue
        if first == "`" and not indent and stripped.startswith("```"):
            fence = _fence_opened(stripped)
            _end(sections, item)
            item, in_paragraph, last_kind = None, False, None
            continue
        if first == "<" and indent <= 3 and stripped.startswith("<!--"):
            if indent:
                raise _NotModelled  # it may belong to a list item's content
            _end(sections, item)
            item, in_paragraph = None, False
            in_comment = "-->" not in stripped[4:]
            continue
        if (
            indent >= 4
            or (check_bail and bail_search(line))
            or (first in _BAIL_FIRST and bail_line(line))
        ):
            raise _NotModelled
        spans = _modelled_spans(line) if check_code and "`" in line else None
        heading = _ATX.match(line) if first == "#" else None
        if heading:
            _end(sections, item)
            item, in_paragraph, last_kind = None, False, None
            level, text = len(heading.group(1)), heading.group(2) or ""
            if "#" in text or text != text.strip():
                # Closing-sequence corner cases, and blanks other than space and tab
                # (markdown-it strips those too): not modelled.
                raise _NotModelled
            headings.append((level, text, number))
            sections.heading(level, text)
        else:
            started = (
                _item_start(line, first, in_paragraph, last_kind)
                if first in _MARKER_FIRST
                else None
            )
            if started is not None:
                _end(sections, item)
                content, last_kind = started
                item = [content, number, line.index(content) + 1]
            elif item is not None:
                item[0] += "\n" + stripped
            else:
                last_kind = None
            in_paragraph = True
        if "[[" in line:
            links.extend(_links_outside(line, spans, number))
    _end(sections, item)
    return sections.scan(links, headings, lines, first_line)


def _end(sections: SectionReader, item: list[Any] | None) -> None:
    """The open item's first paragraph ended: tell the section reader about it."""
    if item is not None:
        sections.item(*item)


def _closes_fence(line: str, fence: int) -> bool:
    """Whether `line` closes a fence of `fence` backticks."""
    stripped = line.lstrip(" ")
    run = len(stripped) - len(stripped.lstrip("`"))
    return len(line) - len(stripped) <= 3 and run >= fence and not stripped[run:].strip(" \t")


def _fence_opened(stripped: str) -> int:
    """The backtick count of the fence this line (at the margin) opens."""
    run = len(stripped) - len(stripped.lstrip("`"))
    if "`" in stripped[run:]:
        raise _NotModelled  # not a fence but a paragraph opening with a code span
    return run


def _item_start(line: str, first: str, in_paragraph: bool, last_kind: Any) -> Any:
    """(the text after the marker, the marker's kind) when `line` starts a list item."""
    bullet = _BULLET.match(line) if first in "-*+" else None
    ordered = None if bullet or first not in _DIGITS else _ORDERED.match(line)
    marker = bullet or ordered
    if not marker:
        if _ODD_MARKER.match(line):
            raise _NotModelled  # markdown-it reads `- \xa0x` as an item of `x`
        return None
    content = marker.group(marker.lastindex or 0)
    if content is None or content[0] in "#>" or _REFERENCE.match(content):
        raise _NotModelled  # a heading, quote or link definition inside the item
    if content[0] in _MARKER_FIRST and _MARKER_START.match(content):
        raise _NotModelled  # a list inside the item
    if len(marker.group(3 if bullet else 4)) >= 5:
        raise _NotModelled  # `-     x` is indented code inside the item
    kind = ("ordered", marker.group(1), marker.group(3)) if ordered else "bullet"
    if ordered and in_paragraph and ordered.group(2) != "1" and kind != last_kind:
        raise _NotModelled  # only `1.` may start a list inside a paragraph
    return content, kind


def _links_outside(line: str, spans: list[tuple[int, int]] | None, number: int) -> list[BodyLink]:
    """The wikilinks of one line that are not inside a code span."""
    found = []
    span = 0  # spans and links both run left to right: one pass over each
    for match in WIKILINK.finditer(line):
        at = match.start()
        while spans and span < len(spans) and spans[span][1] <= at:
            span += 1
        if spans and span < len(spans) and spans[span][0] <= at:
            continue  # inside a code span: not a link
        link = body_link(match, number, at + 1)
        if link is not None:
            found.append(link)
    return found
