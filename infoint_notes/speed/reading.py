"""Reading and parsing one note file, with the fast body and front-matter readers: what
`parsing` does for many files (in helpers, with records for the store) and an update
after an edit does for a few (without the store, its records or SQLite)."""

from __future__ import annotations

from pathlib import Path

from ..core.files import MAX_NOTE_BYTES, read_capped
from ..core.model import ERROR, Diagnostic, ParsedNote
from ..core.parse import note_id, parse_note
from ..core.vault import NoteFile
from .frontscan import read_front_matter
from .linescan import scan_body


def read_note_bytes(path: str | Path, size: int | None = None) -> bytes:
    """The first MAX_NOTE_BYTES + 1 bytes of a note (see `files.read_capped`)."""
    return read_capped(path, MAX_NOTE_BYTES, size)


def read_and_parse(rel: str, path: str | Path, size: int | None = None) -> tuple[ParsedNote, bool]:
    """Read and parse one note -> (result, whether the result may be cached).

    A file we cannot open is an `unreadable` note that is not cached: fixing its
    permissions changes neither its mtime nor its size.
    """
    try:
        raw = read_note_bytes(path, size)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        problem = Diagnostic(rel, 1, 1, ERROR, "unreadable", f"cannot read file: {reason}")
        return ParsedNote(rel, note_id(rel), None, diagnostics=(problem,)), False
    return parse_note(rel, raw, scan_body, read_front_matter), True


def read_note_file(file: NoteFile) -> ParsedNote:
    """Read and parse one note the walk found; a file we cannot read is `unreadable`."""
    return read_and_parse(file.rel, file.path, file.size)[0]
