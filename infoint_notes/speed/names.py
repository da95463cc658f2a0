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
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.keys import NAMED_KINDS, target_key
from ..core.vault import CACHE_DIR
from .cachedir import open_cache_folder
from .store import CACHE_FILE, SCHEMA_VERSION

if TYPE_CHECKING:
    from ..core.model import ParsedNote


@dataclass(slots=True)
class NoteName:
    """What a command-line argument may call a note. (Not frozen: completion builds one
    per note on every keypress, and a frozen dataclass is built four times slower.)"""

    id: str
    #: `type:` of its front matter (`contact`, `interview`, ...); None for a plain note.
    kind: str | None
    name: str | None
    aliases: tuple[str, ...] = ()
    #: Vault-relative, with `/`: what tells apart notes that share a file name.
    path: str = ""


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


def _decode(path: str, blob: bytes) -> NoteName:
    ident, kind, name, aliases = marshal.loads(blob)
    return NoteName(ident, kind, name, aliases, path)


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
            rows = connection.execute("SELECT path, names FROM notes").fetchall()
        except sqlite3.Error:
            return None
        finally:
            connection.close()
    try:
        return [_decode(path, blob) for path, blob in rows]
    except Exception:  # a damaged or foreign record: the file names will do
        return None


def _from_file_names(root: Path) -> list[NoteName]:
    """Ids alone, from a walk of file names (no file is opened)."""
    found: list[NoteName] = []
    for folder, subfolders, files in os.walk(root):
        where = Path(folder).relative_to(root).as_posix()
        inside = "" if where == "." else f"{where}/"
        # Hidden folders (.git, .obsidian, our own) and the templates hold no notes.
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".")
            and not (folder == os.fspath(root) and name.lower() == "templates")
        )
        found.extend(
            NoteName(name[:-3], None, None, (), inside + name)
            for name in sorted(files)
            if name.endswith(".md")
        )
    return found


def note_names(root: Path) -> list[NoteName]:
    """The vault's notes as the cache knows them; file names when it knows none."""
    cached = _from_cache(root) if (root / CACHE_DIR).is_dir() else None
    return cached if cached is not None else _from_file_names(root)


def _shortest_unique(note: NoteName, namesakes: Sequence[NoteName]) -> str:
    """The id of a note whose file name others share (SPEC 2): its shortest path suffix
    that none of theirs ends with, else its whole path, without `.md`, as written."""
    shown = note.path[:-3].split("/") if note.path.lower().endswith(".md") else [note.id]
    others = [f"/{target_key(other.path)}" for other in namesakes if other is not note]
    for size in range(2, len(shown)):
        suffix = "/".join(shown[-size:])
        if not any(other.endswith(f"/{target_key(suffix)}") for other in others):
            return suffix
    return "/".join(shown)


def _ids(
    notes: Sequence[NoteName], kinds: Collection[str]
) -> tuple[dict[str, str], dict[str, list[NoteName]]]:
    """The id to type for each note of `kinds` (any kind when none), by path: its file
    name, unless other notes of those kinds share it, then its shortest unique path
    suffix. And the notes by file name: where a word is looked up first."""
    namesakes: dict[str, list[NoteName]] = {}
    for note in notes:
        namesakes.setdefault(target_key(note.id), []).append(note)
    ids: dict[str, str] = {}
    for group in namesakes.values():
        if len(group) == 1:  # almost every note: no list to build
            if not kinds or group[0].kind in kinds:
                ids[group[0].path] = group[0].id
            continue
        wanted = [note for note in group if not kinds or note.kind in kinds]
        for note in wanted:
            ids[note.path] = note.id if len(wanted) == 1 else _shortest_unique(note, group)
    return ids, namesakes


def _by_name(
    notes: Sequence[NoteName], keys: set[str]
) -> tuple[dict[str, list[NoteName]], dict[str, list[NoteName]]]:
    """The contacts and organizations with each of `keys` as their name, and as an alias."""
    # A text can only have one of the keys if it starts as one does: for ASCII text (most
    # of it) that is a cheap test, which saves normalising every name of 10,000 notes.
    firsts = {key[:1] for key in keys}

    def add(table: dict[str, list[NoteName]], text: str, note: NoteName) -> None:
        if text.isascii() and text[:1].lower() not in firsts and not text[:1].isspace():
            return
        key = target_key(text)
        if key in keys and note not in table.get(key, ()):
            table.setdefault(key, []).append(note)

    names: dict[str, list[NoteName]] = {}
    aliases: dict[str, list[NoteName]] = {}
    for note in notes:
        if note.kind in NAMED_KINDS:
            if note.name:
                add(names, note.name, note)
            for alias in note.aliases:
                add(aliases, alias, note)
    return names, aliases


@dataclass(frozen=True, slots=True)
class Offer:
    """A word an argument accepts, and the one note it names."""

    word: str
    note: NoteName
    #: The note's id to type: its file name, or a path suffix when that is shared.
    id: str


def accepted_words(
    notes: Sequence[NoteName], kinds: Collection[str], typed: str, names: bool = True
) -> list[Offer]:
    """The words starting with `typed` (case-insensitively) that an argument of `kinds`
    (any note when none) accepts, each with the one note it names, as `VaultIndex.find`
    settles it: a file name (or path suffix) first, then a name, then an alias, then the
    kind. Every note of `kinds` has its id (SPEC 2: a path suffix when its file name is
    shared); with `names`, a contact's or organization's name and aliases too, when no
    other note has them (two contacts called Sam Lee: the command would refuse it)."""
    prefix = typed.casefold()
    ids, namesakes = _ids(notes, kinds)
    found = [
        Offer(ids[note.path], note, ids[note.path])
        for note in notes
        if note.path in ids and ids[note.path].casefold().startswith(prefix)
    ]
    if not names:
        return found
    wanted = [
        (word, note)
        for note in notes
        if note.kind in NAMED_KINDS and note.path in ids
        for word in dict.fromkeys((note.name, *note.aliases))
        if word and word.casefold().startswith(prefix)
    ]
    keyed = {word: target_key(word) for word, _ in wanted}
    by_name, by_alias = _by_name(notes, set(keyed.values()) - namesakes.keys())
    for word, note in wanted:
        key = keyed[word]
        # A file name comes first: `Contoso` is contoso.md, whoever else is called so.
        matches = namesakes.get(key) or by_name.get(key) or by_alias.get(key) or []
        if kinds:
            matches = [match for match in matches if match.kind in kinds]
        if len(matches) == 1 and matches[0] is note:
            found.append(Offer(word, note, ids[note.path]))
    return found
