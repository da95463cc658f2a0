"""The stored structure an edit reads (`Structure`): the tables a unit's closure is
looked up from, read key by key from buckets, and the resolver's tables, so that links
in an index of a few notes resolve as in the whole vault."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ..core.links import LinkResolver, table_keys
from ..core.model import Note
from .buckets import Buckets, Tables
from .unit_facts import (
    BACKLINKS,
    COLLEAGUES,
    FACTS,
    MEMBERS,
    NAMED,
    PLACES,
    REFERRERS,
    RESOLVER_TABLES,
    Facts,
    organization_names,
    unpacked,
)


class Damaged(Exception):
    """The structure is not what this code wrote: compute everything instead."""


class _StoredTable(Mapping[str, tuple[Note, ...]]):
    """One of the resolver's tables, read from the buckets key by key."""

    def __init__(self, buckets: Buckets, note_at: Callable[[str], Note]) -> None:
        self._buckets, self._note_at = buckets, note_at
        self._found: dict[str, tuple[Note, ...] | None] = {}

    def _lookup(self, key: str) -> tuple[Note, ...] | None:
        if key not in self._found:
            paths = unpacked(_read(self._buckets, key))
            self._found[key] = tuple(map(self._note_at, paths)) if paths else None
        return self._found[key]

    def get(self, key: str, default: Any = None) -> Any:
        found = self._lookup(key)
        return default if found is None else found

    def __getitem__(self, key: str) -> tuple[Note, ...]:
        found = self._lookup(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._lookup(key) is not None

    def __iter__(self) -> Iterator[str]:
        raise TypeError("a stored table is read key by key")

    def __len__(self) -> int:
        raise TypeError("a stored table is read key by key")


def _read(buckets: Buckets, key: str) -> Any:
    try:
        return buckets.get(key)
    except (TypeError, ValueError, EOFError) as exc:
        raise Damaged from exc


class Structure:
    """The tables of the memo, read and changed entry by entry."""

    def __init__(self, stored: Any, changed: dict[str, dict[int, bytes]] | None = None) -> None:
        """The structure as the memo stores it, with the buckets a delta `changed`."""
        try:
            blobs, context = stored
            self.tables = Tables(blobs, changed)
            self.context = frozenset(context)
            self._facts, self._places = self.tables.table(FACTS), self.tables.table(PLACES)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise Damaged from exc

    def facts(self, path: str) -> Facts | None:
        found = _read(self._facts, path)
        try:
            return None if found is None else Facts(*found)
        except TypeError as exc:
            raise Damaged from exc

    def _paths(self, table: str, key: str) -> tuple[str, ...]:
        return unpacked(_read(self.tables.table(table), key))

    def members(self, unit: str) -> tuple[str, ...]:
        return self._paths(MEMBERS, unit)

    def organizations_named(self, key: str) -> tuple[str, ...]:
        return self._paths(NAMED, key)

    def places(self, unit: str) -> tuple[int, ...]:
        """Where the unit's items are in the memo."""
        found = _read(self._places, unit)
        return () if found is None else tuple(found)

    def resolver(self, note_at: Callable[[str], Note]) -> LinkResolver:
        """The whole vault's resolver, answering with `note_at(path)`."""
        tables = [_StoredTable(self.tables.table(letter), note_at) for _, letter in RESOLVER_TABLES]
        return LinkResolver.from_tables(*tables)

    def _colleague_units(self, facts: Facts) -> set[str]:
        found = set()
        for key in facts.organizations:
            for path in self._paths(COLLEAGUES, key):
                other = self.facts(path)
                if other is not None and other.unit is not None:
                    found.add(other.unit)
        return found

    def readers(self, facts: Facts, colleagues: bool = True) -> set[str]:
        """The units whose closure holds a note with these facts (those of its
        colleagues only with `colleagues`)."""
        if facts.kind == "organization":
            return self._colleague_units(facts)
        if facts.unit is None:
            return set()
        # Its own unit; the people its referrals mean (their items name who suggested
        # them); and for a contact, those its interviews suggest (the same).
        found = {facts.unit, *facts.referrals}
        if facts.kind == "contact":
            for member in self.members(facts.unit):
                interview = self.facts(member)
                if interview is not None:
                    found.update(interview.referrals)
            if colleagues:
                found |= self._colleague_units(facts)
        elif colleagues:
            head = self.facts(facts.unit)
            if head is not None and head.kind == "contact":
                found |= self._colleague_units(head)
        return found

    def _move(self, table: str, key: str, path: str, add: bool) -> None:
        paths = set(self._paths(table, key))
        if add:
            paths.add(path)
        else:
            paths.discard(path)
        buckets = self.tables.table(table)
        if paths:
            ordered = sorted(paths)
            buckets[key] = ordered[0] if len(ordered) == 1 else tuple(ordered)
        else:
            buckets.pop(key)

    def replace(self, path: str, old: Facts | None, new: Facts | None) -> None:
        """The note at `path` now has the facts `new` (it had `old`; None: the note was
        added, or removed)."""
        old_unit = old.unit if old is not None else None
        new_unit = new.unit if new is not None else None
        if old_unit != new_unit:
            if old_unit is not None:
                self._move(MEMBERS, old_unit, path, add=False)
            if new_unit is not None:
                self._move(MEMBERS, new_unit, path, add=True)
        self._move_keys(REFERRERS, path, _keys(old, "referrals"), _keys(new, "referrals"))
        self._move_keys(BACKLINKS, path, _keys(old, "targets"), _keys(new, "targets"))
        # Only contacts are listed as colleagues (an organization note has a key too).
        self._move_keys(
            COLLEAGUES,
            path,
            _keys(old, "organizations", "contact"),
            _keys(new, "organizations", "contact"),
        )
        if new is None:
            self._facts.pop(path)
        else:
            self._facts[path] = tuple(new)

    def _move_keys(self, table: str, path: str, before: set[str], after: set[str]) -> None:
        for key in before - after:
            self._move(table, key, path, add=False)
        for key in after - before:
            self._move(table, key, path, add=True)

    def file(self, note: Note, add: bool) -> None:
        """The resolver's tables find `note` (`add`), or no longer do."""
        for (_, letter), keys in zip(RESOLVER_TABLES, table_keys(note), strict=True):
            for key in keys:
                self._move(letter, key, note.path, add)

    def organization(self, note: Note, add: bool) -> set[str]:
        """The organization note `note` is found under its names (`add`), or no longer
        is; the contacts whose organization may mean it, before or after (by its names,
        or as they meant it): their facts name it."""
        names = organization_names(note)
        for key in names:
            self._move(NAMED, key, note.path, add)
        found = set(self._paths(COLLEAGUES, "n:" + note.path))
        for key in names:
            found.update(self._paths(COLLEAGUES, "t:" + key))
        return found

    def namesakes(self, note: Note) -> tuple[str, ...]:
        """The paths of the other notes and files with the file name of `note` (whose
        ids depend on one another: SPEC 2)."""
        name_key = table_keys(note)[1][0]
        found = self._paths(RESOLVER_TABLES[1][1], name_key)
        return tuple(path for path in found if path != note.path)

    def backlinkers(self, keys: Iterable[str]) -> set[str]:
        """The notes whose texts are looked up under any of `keys`."""
        return {path for key in keys for path in self._paths(BACKLINKS, key)}

    def closure(self, units: Iterable[str]) -> set[str]:
        """The notes the items of `units` may depend on (see the module's docstring)."""
        found = set(self.context)
        for unit in units:
            found.update(self.members(unit))
            # Whoever suggested this person, and the contact of that interview.
            for interview in self._paths(REFERRERS, unit):
                found.add(interview)
                facts = self.facts(interview)
                if facts is not None and facts.unit is not None:
                    head = self.facts(facts.unit)
                    if head is not None:
                        found.add(facts.unit)
            head = self.facts(unit)
            if head is not None and head.kind == "contact":
                for key in head.organizations:
                    if key.startswith("n:"):
                        found.add(key[2:])
                    for colleague in self._paths(COLLEAGUES, key):
                        found.update(self.members(colleague))
        return found


def _keys(facts: Facts | None, field: str, kind: str | None = None) -> set[str]:
    """The keys `facts` (None: none) list in `field`; none unless of `kind`, if given."""
    if facts is None or (kind is not None and facts.kind != kind):
        return set()
    return set(getattr(facts, field))
