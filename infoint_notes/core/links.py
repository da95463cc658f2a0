"""Wikilink resolution (SPEC 2.1): a note id, then a note's `name`, then its `aliases`.

Comparison is case-insensitive and whitespace-normalised after Unicode NFC, as ids are.
A target with `/` is a vault-relative path (Obsidian writes those for clashing names).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable

from .model import Note
from .parse import normalise_key


def target_key(target: str) -> str:
    target = target.strip()
    if target.lower().endswith(".md"):
        target = target[:-3]
    return normalise_key(target)


def note_keys(note: Note) -> set[str]:
    """Every key under which the resolver finds `note`: a link whose `target_key` is none
    of them never means this note."""
    keys = {normalise_key(note.id), normalise_key(note.path[:-3])}
    keys.update(normalise_key(text) for text in (note.name or "", *note.aliases))
    return keys


class LinkResolver:
    """Looks notes up by id, path, name and alias."""

    def __init__(self, notes: Iterable[Note]) -> None:
        by_id: dict[str, list[Note]] = defaultdict(list)
        by_path: dict[str, list[Note]] = defaultdict(list)
        by_name: dict[str, list[Note]] = defaultdict(list)
        by_alias: dict[str, list[Note]] = defaultdict(list)
        for note in notes:
            by_id[normalise_key(note.id)].append(note)
            by_path[normalise_key(note.path[:-3])].append(note)
            if note.name:
                by_name[normalise_key(note.name)].append(note)
            for alias in dict.fromkeys(normalise_key(alias) for alias in note.aliases):
                by_alias[alias].append(note)
        # Answers are built once per key, not per lookup: 10,000 notes sharing a name,
        # each linking to it, made validate copy a 10,000-note list 40,000 times (18 s).
        self.by_id = _frozen(by_id)
        self.by_path = _frozen(by_path)
        self.by_name = _frozen(by_name)
        self.by_alias = _frozen(by_alias)
        self._members: dict[str, set[int]] = {}

    def replacing(self, old: Note | None, new: Note | None) -> LinkResolver:
        """A copy that finds `new` where this one found `old` (None: a note added or
        removed), as a resolver built afresh would; notes sharing a key stay in path
        order. Costs the size of the tables touched, not a pass over every note: what
        the language server does on each keystroke."""
        copy = LinkResolver.__new__(LinkResolver)
        tables = [self.by_id, self.by_path, self.by_name, self.by_alias]
        old_keys = _table_keys(old)
        new_keys = _table_keys(new)
        for position, table in enumerate(tables):
            if not old_keys[position] and not new_keys[position]:
                continue
            table = tables[position] = dict(table)
            for key in old_keys[position]:
                kept = tuple(note for note in table.get(key, ()) if note is not old)
                if kept:
                    table[key] = kept
                else:
                    table.pop(key, None)
            for key in new_keys[position]:
                found = list(table.get(key, ()))
                bisect.insort(found, new, key=lambda note: note.path)
                table[key] = tuple(found)
        copy.by_id, copy.by_path, copy.by_name, copy.by_alias = tables
        copy._members = {}
        return copy

    def resolve(self, target: str) -> tuple[Note, ...]:
        """Every note the target could mean, from the first rule that finds any."""
        key = target_key(target)
        if not key:
            return ()
        tables = (self.by_path,) if "/" in key else (self.by_id, self.by_name, self.by_alias)
        for table in tables:
            found = table.get(key)
            if found:
                return found
        return ()

    def resolves_to(self, target: str, note: Note) -> bool:
        """Whether `note` is among what `target` means; O(1) however many it means."""
        key = target_key(target)
        members = self._members.get(key)
        if members is None:
            members = self._members[key] = {id(found) for found in self.resolve(target)}
        return id(note) in members

    def resolve_one(self, target: str) -> Note | None:
        """The one note the target means, or None when none or several match."""
        found = self.resolve(target)
        return found[0] if len(found) == 1 else None


def _table_keys(note: Note | None) -> tuple[set[str], set[str], set[str], set[str]]:
    """The keys under which each table (id, path, name, alias) holds `note`."""
    if note is None:
        return set(), set(), set(), set()
    name = {normalise_key(note.name)} if note.name else set()
    aliases = {normalise_key(alias) for alias in note.aliases}
    return {normalise_key(note.id)}, {normalise_key(note.path[:-3])}, name, aliases


def _frozen(table: dict[str, list[Note]]) -> dict[str, tuple[Note, ...]]:
    return {key: tuple(dict.fromkeys(notes)) for key, notes in table.items()}
