"""A note's outgoing links and backlinks (SPEC 4.6), from front matter and body."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .index import VaultIndex
from .model import Note

# Same rule as validate's check_links: `[[cv.pdf]]`, `![[photo.png]]` are files, not notes.
_ATTACHMENT = re.compile(r"\.(?!md\Z)[A-Za-z0-9]{1,5}\Z")

RESOLVED = "resolved"
AMBIGUOUS = "ambiguous"
MISSING = "missing"


@dataclass(frozen=True, slots=True)
class LinkUse:
    """One link as written somewhere, and what it points to."""

    source: str  #: path of the note it is written in
    line: int
    column: int
    field: str | None  #: front-matter key; None for a link in the body
    target: str  #: as written (without `[[ ]]`, heading or label)
    to: tuple[str, ...]  #: paths of the notes it resolves to (several when ambiguous)

    @property
    def status(self) -> str:
        return RESOLVED if len(self.to) == 1 else AMBIGUOUS if self.to else MISSING

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.source, self.line, self.column, self.target)


def _uses(index: VaultIndex, note: Note) -> Iterator[LinkUse]:
    """Every link a note writes. Front-matter values not written as `[[...]]` count only
    when they name a note (a plain `organization: Tailspin Toys` is just text), except
    in `contact`, `referred_by` and `thanks`, which are always links."""
    for link in note.field_links:
        found = tuple(other.path for other in index.resolver.resolve(link.target))
        if found or link.wikilink or link.field in ("contact", "referred_by", "thanks"):
            yield LinkUse(note.path, link.line, link.column, link.field, link.target, found)
    for body in note.parsed.body.links:
        found = tuple(other.path for other in index.resolver.resolve(body.target))
        if found or not _ATTACHMENT.search(body.target):
            yield LinkUse(note.path, body.line, body.column, None, body.target, found)


def outgoing(index: VaultIndex, note: Note) -> list[LinkUse]:
    """The links written in `note`, in file order."""
    return sorted(_uses(index, note), key=LinkUse.sort_key)


def backlinks(index: VaultIndex, note: Note) -> list[LinkUse]:
    """Links anywhere in the vault (this note included) that point at `note`, by path
    and position. An ambiguous link that could mean it counts too."""
    found = [use for other in index.notes for use in _uses(index, other) if note.path in use.to]
    return sorted(found, key=LinkUse.sort_key)
