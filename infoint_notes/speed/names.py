"""Every note's id, kind, name and aliases, straight from the parse cache (SPEC 4.18).

Shell completion asks on every keypress, so it cannot parse the vault: it reads what
the last command stored in `.infoint/cache.sqlite` (`speed.store` keeps each note's
names in a column of their own), read-only and without importing the parsers, and falls
back to the file names when there is no usable cache. Notes added since the last command
are missing until the next one runs: the price of answering in milliseconds, for what is
only a convenience.
"""

from __future__ import annotations

import marshal
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.vault import CACHE_DIR
from .cachedir import open_cache_folder
from .store import CACHE_FILE, SCHEMA_VERSION

if TYPE_CHECKING:
    from ..core.model import ParsedNote


@dataclass(frozen=True, slots=True)
class NoteName:
    """What a command-line argument may call a note."""

    id: str
    #: `type:` of its front matter (`contact`, `interview`, ...); None for a plain note.
    kind: str | None
    name: str | None
    aliases: tuple[str, ...] = ()


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _aliases(value: object) -> tuple[str, ...]:
    """The texts of an `aliases:` value as notes read it: one text or a list of them.
    Anything else (`aliases: 5`, a mapping, a date) names nothing: validate reports it."""
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else ()
    return tuple(text for item in items if (text := _text(item)))


def encode_names(parsed: ParsedNote) -> bytes:
    """What completion needs of a note, stored beside its record in the cache: reading
    these for 10,000 notes takes a few milliseconds, decoding the records fifty."""
    front = parsed.front_matter or {}
    kind = front.get("type")
    return marshal.dumps(
        (
            parsed.id,
            kind if isinstance(kind, str) else None,
            _text(front.get("name")),
            _aliases(front.get("aliases")),
        )
    )


def _decode(blob: bytes) -> NoteName:
    ident, kind, name, aliases = marshal.loads(blob)
    return NoteName(ident, kind, name, aliases)


def _from_cache(root: Path) -> list[NoteName] | None:
    import sqlite3  # only completion and a cached command need it

    folder = open_cache_folder(root)
    if folder is None:
        return None
    with folder:
        if not folder.plain_or_absent(CACHE_FILE) or not folder.still_here():
            return None
        database = (folder.path / CACHE_FILE).absolute()
        if not database.is_file():
            return None
        try:
            # Read-only: completion never creates, repairs or locks out the cache.
            connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=0.2)
        except sqlite3.Error:
            return None
        try:
            if connection.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                return None
            rows = connection.execute("SELECT names FROM notes").fetchall()
        except sqlite3.Error:
            return None
        finally:
            connection.close()
    try:
        return [_decode(blob) for (blob,) in rows]
    except Exception:  # a damaged or foreign record: the file names will do
        return None


def _from_file_names(root: Path) -> list[NoteName]:
    """Ids alone, from a walk of file names (no file is opened)."""
    found: list[NoteName] = []
    for folder, subfolders, files in os.walk(root):
        # Hidden folders (.git, .obsidian, our own) and the templates hold no notes.
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".")
            and not (folder == os.fspath(root) and name.lower() == "templates")
        )
        found.extend(
            NoteName(name[:-3], None, None) for name in sorted(files) if name.endswith(".md")
        )
    return found


def note_names(root: Path) -> list[NoteName]:
    """The vault's notes as the cache knows them; file names when it knows none."""
    cached = _from_cache(root) if (root / CACHE_DIR).is_dir() else None
    return cached if cached is not None else _from_file_names(root)
