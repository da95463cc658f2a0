"""A note's outgoing links and backlinks (SPEC 4.6), from front matter and body."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..core.index import VaultIndex
from ..core.model import Note

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
    notes: tuple[Note, ...]  #: the notes it resolves to (several when ambiguous)

    @property
    def to(self) -> tuple[str, ...]:
        """Paths of the notes it resolves to (made when asked: a link that matches
        10,000 namesakes is listed among backlinks without its 10,000 paths)."""
        return tuple(note.path for note in self.notes)

    @property
    def status(self) -> str:
        return RESOLVED if len(self.notes) == 1 else AMBIGUOUS if self.notes else MISSING

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.source, self.line, self.column, self.target)


def _uses(index: VaultIndex, note: Note, to: Note | None = None) -> Iterator[LinkUse]:
    """Every link a note writes (only those that may mean `to`, if given), resolved from
    the note's folder. Front-matter values not written as `[[...]]` count only when they
    name a note (a plain `organization: Tailspin Toys` is just text), except in
    `contact`, `referred_by` and `thanks`, which are always links."""
    resolver = index.resolver
    source = note.path
    for link in note.field_links:
        if to is not None and not resolver.resolves_to(link.target, to, source):
            continue
        found = resolver.resolve(link.target, source)
        if found or link.wikilink or link.field in ("contact", "referred_by", "thanks"):
            yield LinkUse(note.path, link.line, link.column, link.field, link.target, found)
    for body in note.parsed.body.links:
        if to is not None and not resolver.resolves_to(body.target, to, source):
            continue
        found = resolver.resolve(body.target, source)
        yield LinkUse(note.path, body.line, body.column, None, body.target, found)


def outgoing(index: VaultIndex, note: Note) -> list[LinkUse]:
    """The links written in `note`, in file order."""
    return sorted(_uses(index, note), key=LinkUse.sort_key)


def backlinks(index: VaultIndex, note: Note) -> list[LinkUse]:
    """Links anywhere in the vault (this note included) that point at `note`, by path
    and position. An ambiguous link that could mean it counts too."""
    found = [use for other in index.notes for use in _uses(index, other, note)]
    return sorted(found, key=LinkUse.sort_key)
