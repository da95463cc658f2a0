"""`infoint validate --fix`: the safe, mechanical fixes (SPEC 4.2).

Only two, both of which keep the value the user meant and change one scalar's quoting:
an unquoted wikilink in a link field (`referred_by: [[jane]]`, YAML's nested list) is
quoted, and a phone number YAML read as a number is quoted with the digits exactly as
written in the file (the number itself has lost its leading zeros).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from ..core.errors import WriteRefused
from ..core.files import MAX_NOTE_BYTES, read_capped
from ..core.model import Contact, Note
from ..core.notes import unquoted_link
from ..core.parse import decode, split_lines
from ..core.schema import CONTACT
from ..core.yamlread import resolve_plain
from .atomic import FirstRead
from .edit import Change, Quoted, set_item, set_key, update_note
from .frontlines import plain_end


@dataclass(frozen=True, slots=True)
class Fix:
    """One change `--fix` makes, and how to report it."""

    path: str
    line: int
    message: str
    change: Change

    def report(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _nested_link(value: Any) -> str | None:
    """The text of `[[x]]` when YAML read it as a list in a list, else None."""
    inner = unquoted_link(value)
    return None if inner is None else f"[[{inner}]]"


def _link_fixes(note: Note) -> list[Fix]:
    fixes = []
    fields = dict.fromkeys(link.field for link in note.field_links if link.unquoted)
    for field in fields:
        value = note.data.get(field)
        position = note.parsed.positions.get(field)
        if position is None:
            continue
        link = _nested_link(value)
        message = f"quoted wikilink in {field}"
        if link is not None:
            change = set_key(field, Quoted(link))
            fixes.append(Fix(note.path, position.value_line, message, change))
            continue
        if not isinstance(value, list):
            continue
        for index, item in enumerate(value):
            link = _nested_link(item)
            if link is not None and index < len(position.items):
                line = position.items[index][0]
                fixes.append(Fix(note.path, line, message, set_item(field, index, Quoted(link))))
    return fixes


#: The contact fields that hold phone numbers (vCard's TEL), whose digits --fix quotes.
PHONE_KEYS = tuple(field.key for field in CONTACT.fields if field.vcard == "TEL")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _written_number(lines: list[str], line: int, column: int, value: Any) -> str | None:
    """The digits of the plain scalar at (line, column), as written in the file, when they
    are that very number; None for anything else (never guess)."""
    if not 1 <= line <= len(lines):
        return None
    text = lines[line - 1]
    written = text[column - 1 : plain_end(text, column - 1)]
    if not written or written[0] in "\"'[{" or repr(resolve_plain(written)) != repr(value):
        return None
    return written


def _phone_fixes(note: Note, lines: list[str]) -> list[Fix]:
    """A phone number YAML read as a number, in `phone` or as an item of `other_phones`,
    quoted with the digits (leading zeros, `+`) exactly as written."""
    fixes = []
    for key in PHONE_KEYS:
        value = note.data.get(key)
        position = note.parsed.positions.get(key)
        if position is None:
            continue
        message = f"quoted phone number in {key}"
        if _is_number(value):
            text = _written_number(lines, position.value_line, position.value_column, value)
            if text is not None:
                fixes.append(
                    Fix(note.path, position.value_line, message, set_key(key, Quoted(text)))
                )
            continue
        if not isinstance(value, list):
            continue
        for index, item in enumerate(value):
            if not _is_number(item) or index >= len(position.items):
                continue
            line, column = position.items[index]
            text = _written_number(lines, line, column, item)
            if text is not None:
                fixes.append(Fix(note.path, line, message, set_item(key, index, Quoted(text))))
    return fixes


def _has_number(value: Any) -> bool:
    return _is_number(value) or (isinstance(value, list) and any(map(_is_number, value)))


def plan_fixes(notes: Iterable[Note], read: Callable[[str], bytes]) -> list[Fix]:
    """The fixes for `notes`; `read(path)` gives a note's bytes (for the phone digits)."""
    fixes: list[Fix] = []
    for note in notes:
        fixes.extend(_link_fixes(note))
        if isinstance(note, Contact) and any(_has_number(note.data.get(k)) for k in PHONE_KEYS):
            text, _ = decode(read(note.path))
            fixes.extend(_phone_fixes(note, split_lines(text) if text else []))
    return sorted(fixes, key=lambda fix: (fix.path, fix.line))


@dataclass(frozen=True, slots=True)
class NoteFixed:
    """The fixes of one note, and how writing them went."""

    path: str
    fixes: tuple[Fix, ...]
    #: Why the note was left as it was (it changed since it was read, it cannot be
    #: written); None when the fixes are in the file.
    refused: str | None = None
    #: What the user should hear about the write (a hard link, an owner not kept).
    warnings: tuple[str, ...] = ()


def fix_notes(
    root: Path, notes: Iterable[Note], first_read: Callable[[str], FirstRead]
) -> list[NoteFixed]:
    """Make the safe fixes of `notes`, one note at a time, in path order. A note that
    cannot be written is reported and left as it was; the others are still fixed.
    `first_read(path)` says how the note was when the command read it."""
    done = []
    fixes = plan_fixes(notes, lambda rel: _read(root / rel))
    for path, group in groupby(fixes, key=lambda fix: fix.path):
        planned = tuple(group)
        try:
            written = update_note(
                root / path, root, [fix.change for fix in planned], first_read(path)
            )
        except (WriteRefused, OSError) as exc:
            done.append(NoteFixed(path, planned, refused=str(exc)))
            continue
        done.append(NoteFixed(path, planned, warnings=written.warnings if written else ()))
    return done


def _read(path: Path) -> bytes:
    try:
        return read_capped(path, MAX_NOTE_BYTES)  # a larger note is `decode`d as such
    except OSError:
        return b""  # gone since it was indexed: nothing to fix
