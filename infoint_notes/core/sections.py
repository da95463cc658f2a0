"""The sections of a note's body that mean something to infoint (SPEC 3.2): where an
interview's preparation tasks, prepared questions and reflection are written.

Both body scanners (markdown-it in `body.py`, the line scanner in `speed/linescan.py`)
only report what they see, headings and the first paragraph of each list item, to a
`SectionReader`. Which heading opens which section, what an item of it means, and when a
reflection counts as written are decided here, once. A new section of items is one entry
of `ITEM_SECTIONS` (and its field in `BodyScan`); the cache's codec follows by itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .model import BodyLink, BodyScan, ListEntry

_TASK = re.compile(r"\[([ xX])\](?:[ \t]+|\Z)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|<%.*?%>", re.S)

#: The heading (lower-cased) of the section whose text `reflection_written` is about.
REFLECTION = "reflection"

#: (level, text, line) of a heading, as `BodyScan.headings` holds them.
Heading = tuple[int, str, int]


def _normalise(text: str) -> str:
    return " ".join(text.split())


def task_entry(text: str, line: int, column: int) -> ListEntry | None:
    """A preparation item counts when it is a task (`[ ]` or `[x]`)."""
    task = _TASK.match(text) if text.startswith("[") else None
    if task is None:
        return None
    return ListEntry(_normalise(text[task.end() :]), line, column, task.group(1) != " ")


def question_entry(text: str, line: int, column: int) -> ListEntry | None:
    """Any item with text is a question (a task box in front of it is dropped)."""
    task = _TASK.match(text) if text.startswith("[") else None
    text = _normalise(text[task.end() :] if task else text)
    return ListEntry(text, line, column) if text else None


@dataclass(frozen=True, slots=True)
class ItemSection:
    """A `## Heading` section whose list items infoint reads."""

    #: The `BodyScan` field its entries go to.
    field: str
    #: What one item (the text of its first paragraph, where it starts) means, if anything.
    entry: Callable[[str, int, int], ListEntry | None]


#: Each section that collects list items, by its heading lower-cased.
ITEM_SECTIONS: dict[str, ItemSection] = {
    "preparation": ItemSection("tasks", task_entry),
    "questions": ItemSection("questions", question_entry),
}


def heading_name(text: str) -> str:
    """How a section heading is recognised: case and surrounding blanks do not matter."""
    return text.strip().lower()


class SectionReader:
    """Follows a scan from heading to heading and keeps the entries of the sections that
    collect items. A level-2 heading opens a section (or leaves every section, if it
    names none); deeper headings stay inside it; a level-1 heading leaves it."""

    __slots__ = ("_entries", "_section")

    def __init__(self) -> None:
        self._section: ItemSection | None = None
        self._entries: dict[str, list[ListEntry]] = {
            section.field: [] for section in ITEM_SECTIONS.values()
        }

    def heading(self, level: int, text: str) -> None:
        if level == 2:
            self._section = ITEM_SECTIONS.get(heading_name(text))
        elif level < 2:
            self._section = None

    @property
    def collecting(self) -> bool:
        """Whether a list item here would be read (scanners skip the work otherwise)."""
        return self._section is not None

    def item(self, text: str, line: int, column: int) -> None:
        """A list item whose first paragraph is `text`, starting at (line, column)."""
        section = self._section
        if section is not None:
            entry = section.entry(text, line, column)
            if entry is not None:
                self._entries[section.field].append(entry)

    def scan(
        self, links: list[BodyLink], headings: list[Heading], lines: list[str], first_line: int
    ) -> BodyScan:
        """What a scanner returns, from what it found."""
        entries = {field: tuple(found) for field, found in self._entries.items()}
        return BodyScan(
            links=tuple(links),
            headings=tuple(headings),
            reflection_written=reflection_written(lines, headings, first_line),
            **entries,
        )


def reflection_written(lines: list[str], headings: Sequence[Heading], first: int) -> bool | None:
    """Whether `## Reflection` holds text beyond comments and template placeholders (None:
    there is no such section).

    One backward pass: each section ends where the next heading of level 1 or 2 starts
    (looking ahead from every heading made 70,000 `## Reflection` lines take 18 s)."""
    written: bool | None = None
    end = len(lines) + first
    for level, text, line in reversed(headings):
        if level == 2 and heading_name(text) == REFLECTION and not written:
            section = "\n".join(lines[line - first + 1 : end - first])
            section = _PLACEHOLDER.sub("", _COMMENT.sub("", section))
            written = bool(section.strip())
        if level <= 2:
            end = line
    return written
