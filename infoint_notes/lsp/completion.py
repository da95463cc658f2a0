"""Completion (SPEC 4.19): notes after `[[` and in link fields, field names and
allowed values in front matter, `today` in date fields."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from lsprotocol import types

from ..core.index import VaultIndex
from ..core.model import Contact, Interview, Milestone, Note
from ..core.organizations import OrganizationLookup
from ..core.parse import normalise_key
from ..formats.safetext import printable
from .convert import Lines
from .fields import allowed_values, fields_of, is_date_field, link_kind
from .text import Spot, front_matter_lines, spot_at

#: At most this many notes are offered at once; typing more asks again.
MAX_ITEMS = 50
_TYPE_LINE = re.compile(r"type[ \t]*:[ \t]*['\"]?([a-z]+)")
_KEY_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:")
#: After the cursor: what the editor closed for us (`]]`, a quote), replaced too.
_CLOSED_LINK = re.compile(r"\]{0,2}")
_CLOSED_VALUE = re.compile(r"\]{0,2}['\"]?")


def describe(index: VaultIndex, note: Note, now: datetime) -> str:
    """kind · stage · organization (for a contact), as completion and hover show it."""
    parts = [note.kind]
    if isinstance(note, Contact):
        parts.append(index.stage_of(note, now))
        # As `orgs` and `show` name it: "Fabrikam" for a contact who wrote "Fabrikam, Inc."
        shown = index.derived(OrganizationLookup).name_of(note)
        if shown:
            parts.append(shown)
    elif isinstance(note, Interview):
        contact = index.contact_of(note)
        if note.start is not None:
            parts.append(note.start.isoformat()[:16].replace("T", " "))
        if contact is not None:
            parts.append(contact.title)
    elif isinstance(note, Milestone) and note.date is not None:
        parts.append(note.date.isoformat()[:10])
    return printable(" · ".join(parts))


def _kind_of(note: Note | None, lines: list[str]) -> str:
    """The note's kind; while the front matter does not parse, its `type:` line."""
    if note is not None and note.kind != "plain":
        return note.kind
    for line in front_matter_lines(lines):
        match = _TYPE_LINE.match(lines[line])
        if match:
            return match.group(1)
    return "plain"


def complete(
    index: VaultIndex, note: Note | None, lines: Lines, line: int, column: int, now: datetime
) -> types.CompletionList | None:
    """What to offer at (line, column) of `note`'s buffer."""
    spot = spot_at(lines.lines, line, column)
    if not spot.what:
        return None
    kind = _kind_of(note, lines.lines)
    closed = _CLOSED_LINK if spot.what == "link" else _CLOSED_VALUE
    rest = closed.match(lines.lines[line], column)
    end = rest.end() if rest else column
    if spot.what == "link":
        return _links(index, spot, lines, line, end, "", now)
    if spot.what == "key":
        return _keys(kind, spot, lines, line, column)
    target_kind = link_kind(kind, spot.field)
    if target_kind is not None:
        return _links(index, spot, lines, line, end, target_kind, now)
    values = allowed_values(kind, spot.field)
    if values:
        return _values(values, spot, lines, line, column)
    if is_date_field(kind, spot.field):
        today = now.date().isoformat()
        item = types.CompletionItem(
            label="today",
            kind=types.CompletionItemKind.Value,
            detail=today,
            filter_text=f"today {today}",
            text_edit=types.TextEdit(range=lines.range(line, spot.start, column), new_text=today),
        )
        return types.CompletionList(is_incomplete=False, items=[item])
    return None


def _keys(kind: str, spot: Spot, lines: Lines, line: int, column: int) -> types.CompletionList:
    present = set()
    for number in front_matter_lines(lines.lines):
        match = _KEY_LINE.match(lines.lines[number])
        if match and number != line:
            present.add(match.group(1))
    fields = fields_of(kind)
    items = [
        types.CompletionItem(
            label=field,
            kind=types.CompletionItemKind.Property,
            sort_text=f"{position:03d}",
            text_edit=types.TextEdit(
                range=lines.range(line, spot.start, column), new_text=f"{field}: "
            ),
        )
        for position, field in enumerate(fields)
        if field not in present and field.startswith(spot.prefix)
    ]
    return types.CompletionList(is_incomplete=False, items=items)


def _values(
    values: tuple[str, ...], spot: Spot, lines: Lines, line: int, column: int
) -> types.CompletionList:
    typed = spot.prefix.strip("'\"")
    items = [
        types.CompletionItem(
            label=value,
            kind=types.CompletionItemKind.EnumMember,
            sort_text=f"{position:03d}",
            text_edit=types.TextEdit(range=lines.range(line, spot.start, column), new_text=value),
        )
        for position, value in enumerate(values)
        if value.startswith(typed)
    ]
    return types.CompletionList(is_incomplete=False, items=items)


def _names(note: Note) -> Iterator[str]:
    """The texts a note is found by: its id, its name, its aliases."""
    seen = set()
    for text in (note.id, note.name, *note.aliases):
        if text and normalise_key(text) not in seen:
            seen.add(normalise_key(text))
            yield text


def _links(
    index: VaultIndex, spot: Spot, lines: Lines, line: int, end: int, kind: str, now: datetime
) -> types.CompletionList:
    """Notes whose id, name or alias holds what is typed, the link written as the place
    wants it: `id]]` after `[[` in the body, `"[[id]]"` (quoted) in a field."""
    opening = re.match(r"['\"]?(?:\[\[)?", spot.prefix)
    lead = opening.group() if opening else ""
    query = normalise_key(spot.prefix[len(lead) :])
    found: list[tuple[tuple[int, str], str, Note]] = []
    for note in index.contacts if kind == "contact" else index.notes:
        if kind and note.kind != kind:
            continue
        for text in _names(note):
            key = normalise_key(text)
            if query in key:
                found.append(((0 if key.startswith(query) else 1, key), text, note))
    found.sort(key=lambda entry: entry[0])
    items: list[types.CompletionItem] = []
    for _, text, note in found[:MAX_ITEMS]:
        link = f"{note.id}]]" if spot.what == "link" else f'"[[{note.id}]]"'
        items.append(
            types.CompletionItem(
                label=printable(text),
                kind=types.CompletionItemKind.Reference,
                detail=describe(index, note, now),
                documentation=printable(note.path),
                filter_text=lead + text,
                sort_text=f"{len(items):03d}",
                text_edit=types.TextEdit(range=lines.range(line, spot.start, end), new_text=link),
            )
        )
    return types.CompletionList(is_incomplete=len(found) > MAX_ITEMS, items=items)
