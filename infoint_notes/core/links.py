"""Wikilink resolution (SPEC 2.1): as Obsidian resolves a link, then infoint's extension.

A target is a vault path (with or without `.md`; `./` and `../` from the linking note's
folder), a path suffix or a bare file name, compared case-insensitively and
whitespace-normalised after Unicode NFC, as ids are. Obsidian's order: an exact vault
path wins; else, among the notes and other files whose path ends with the target, the
one in the linking note's folder, then the shortest path (two of the same length: the
link is ambiguous). Only a target that reaches no file at all is looked up among
contacts' and organizations' names, then their aliases.

Every answer is a dictionary lookup: each file is filed under each of its path
suffixes once, and the shortest candidates of a suffix are worked out once.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping

from .keys import NAMED_KINDS as NAMED_KINDS
from .keys import normalise_key
from .keys import target_key as target_key
from .model import Note, ParsedNote
from .parse import note_id

#: The kind of a file a link may reach that is not a note: an attachment (`.png`,
#: `.pdf`, `.canvas`), or Markdown in a template folder or excluded by the config.
FILE_KIND = "file"


def file_entry(path: str) -> Note:
    """A file that is not a note, as the resolver holds it (`kind` is FILE_KIND)."""
    identifier = note_id(path)
    return Note(path, identifier, FILE_KIND, ParsedNote(path, identifier, None))


def note_keys(note: Note) -> set[str]:
    """Every key under which the resolver finds `note`: a link whose `target_key` is none
    of them never means this note (a relative `./x` aside)."""
    parts = target_key(note.path).split("/")
    keys = {"/".join(parts[start:]) for start in range(len(parts))}
    if note.kind in NAMED_KINDS:
        keys.update(normalise_key(text) for text in (note.name or "", *note.aliases))
    return keys


def _folder_key(source: str | None) -> str:
    """The normalised folder of a vault-relative path (`""` at the root)."""
    if not source or "/" not in source:
        return ""
    return normalise_key(source.rsplit("/", 1)[0])


def relative_key(key: str, source: str | None) -> str | None:
    """`./x` or `../x` from the folder of `source`, as a vault path key; None when it
    climbs out of the vault."""
    folder = _folder_key(source)
    parts = folder.split("/") if folder else []
    for part in key.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


class LinkResolver:
    """Looks notes (and the vault's other files) up as links name them."""

    def __init__(self, notes: Iterable[Note], files: Iterable[str] = ()) -> None:
        by_path: dict[str, list[Note]] = defaultdict(list)
        by_id: dict[str, list[Note]] = defaultdict(list)
        by_suffix: dict[str, list[Note]] = defaultdict(list)
        by_name: dict[str, list[Note]] = defaultdict(list)
        by_alias: dict[str, list[Note]] = defaultdict(list)
        # In path order (notes and files are each sorted already: a merge of two runs),
        # so that namesakes are listed as `replacing` keeps them.
        entries = sorted([*notes, *(file_entry(path) for path in files)], key=_path)
        for note in entries:
            path_keys, id_keys, suffixes, names, aliases = table_keys(note)
            by_path[path_keys[0]].append(note)  # one path and one file name per note
            by_id[id_keys[0]].append(note)
            for keys, table in ((suffixes, by_suffix), (names, by_name), (aliases, by_alias)):
                for key in keys:
                    table[key].append(note)
        # Answers are built once per key, not per lookup: 10,000 notes sharing a name,
        # each linking to it, made validate copy a 10,000-note list 40,000 times (18 s).
        # (Mappings: a resolver for part of a vault reads them from elsewhere, key by key.)
        self.by_path: Mapping[str, tuple[Note, ...]] = _frozen(by_path)
        self.by_id: Mapping[str, tuple[Note, ...]] = _frozen(by_id)
        self.by_suffix: Mapping[str, tuple[Note, ...]] = _frozen(by_suffix)
        self.by_name: Mapping[str, tuple[Note, ...]] = _frozen(by_name)
        self.by_alias: Mapping[str, tuple[Note, ...]] = _frozen(by_alias)
        self._shortest: dict[str, tuple[Note, ...]] = {}
        self._members: dict[tuple[str, str], set[int]] = {}

    @classmethod
    def from_tables(cls, *tables: Mapping[str, tuple[Note, ...]]) -> LinkResolver:
        """A resolver whose tables (by path, file name, longer path suffix, name, alias:
        each key's notes, in path order) were built elsewhere: as a resolver built from
        the same notes would hold them."""
        resolver = cls.__new__(cls)
        resolver.by_path, resolver.by_id, resolver.by_suffix, resolver.by_name = tables[:4]
        resolver.by_alias = tables[4]
        resolver._shortest = {}
        resolver._members = {}
        return resolver

    def replacing(self, old: Note | None, new: Note | None) -> LinkResolver:
        """A copy that finds `new` where this one found `old` (None: a note added or
        removed), as a resolver built afresh would; notes sharing a key stay in path
        order. Costs the size of the tables touched, not a pass over every note: what
        the language server does on each keystroke. (Ids of `new`'s namesakes may
        change with it: `shared_ids` says which.)"""
        copy = LinkResolver.__new__(LinkResolver)
        names = ("by_path", "by_id", "by_suffix", "by_name", "by_alias")
        tables = [getattr(self, name) for name in names]
        old_keys = table_keys(old)
        new_keys = table_keys(new)
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
                bisect.insort(found, new, key=_path)
                table[key] = tuple(found)
        for name, table in zip(names, tables, strict=True):
            setattr(copy, name, table)
        copy._shortest = {}
        copy._members = {}
        return copy

    def _files(self, key: str) -> tuple[Note, ...] | None:
        """The notes and files whose path ends with `key` (part by part)."""
        return (self.by_suffix if "/" in key else self.by_id).get(key)

    def resolve(self, target: str, source: str | None = None) -> tuple[Note, ...]:
        """What `target`, written in the note at `source` (None: from the vault's root,
        as on the command line), means: one note or file, several when the rules cannot
        choose, none when it reaches nothing."""
        key = target_key(target)
        if not key:
            return ()
        if key in (".", "..") or key.startswith(("./", "../")):
            joined = relative_key(key, source)
            return self.by_path.get(joined, ()) if joined else ()
        exact = self.by_path.get(key)
        if exact:
            return exact
        found = self._files(key)
        if found:
            return found if len(found) == 1 else self._choose(key, found, source)
        return self.by_name.get(key) or self.by_alias.get(key) or ()

    def _choose(self, key: str, found: tuple[Note, ...], source: str | None) -> tuple[Note, ...]:
        """Of several files ending with `key`: the one beside `source`, else the
        shortest paths (worked out once per key)."""
        folder = _folder_key(source)
        if folder:
            beside = f"{folder}/{key.rsplit('/', 1)[-1]}"
            if beside.endswith("/" + key):
                here = self.by_path.get(beside)
                if here:
                    return here
        shortest = self._shortest.get(key)
        if shortest is None:
            length = min(len(note.path) for note in found)
            shortest = tuple(note for note in found if len(note.path) == length)
            self._shortest[key] = shortest
        return shortest

    def candidates(self, target: str) -> tuple[Note, ...]:
        """Every note or file `target` may name, without Obsidian's choice among them:
        what a command-line argument must name exactly one of."""
        key = target_key(target)
        if not key:
            return ()
        return (
            self.by_path.get(key)
            or self._files(key)
            or self.by_name.get(key)
            or self.by_alias.get(key)
            or ()
        )

    def resolves_to(self, target: str, note: Note, source: str | None = None) -> bool:
        """Whether `note` is among what `target` means; O(1) however many it means."""
        memo = (target_key(target), _folder_key(source))
        members = self._members.get(memo)
        if members is None:
            members = self._members[memo] = {id(found) for found in self.resolve(target, source)}
        return id(note) in members

    def resolve_one(self, target: str, source: str | None = None) -> Note | None:
        """The one note the target means, or None when none or several match."""
        found = self.resolve(target, source)
        return found[0] if len(found) == 1 else None

    def shared_ids(self) -> dict[str, str]:
        """The id of each note or file whose file name another shares (SPEC 2): its
        shortest path suffix that no other path ends with, else its whole path (without
        `.md`, as written), by path. Linear: every suffix's count is a table size."""
        ids: dict[str, str] = {}
        for group in self.by_id.values():
            if len(group) < 2:
                continue
            for note in group:
                ids[note.path] = self._shortest_unique(note)
        return ids

    def ids_sharing_name(self, path: str) -> dict[str, str]:
        """The id each note or file with the file name of `path` should have, by path:
        what `shared_ids` gives for that one name (the file name itself when alone)."""
        key = target_key(path)
        group = self.by_id.get(key[key.rfind("/") + 1 :], ())
        if len(group) < 2:
            return {note.path: note.parsed.id for note in group}
        return {note.path: self._shortest_unique(note) for note in group}

    def _shortest_unique(self, note: Note) -> str:
        written = note.path[:-3] if note.path.lower().endswith(".md") else note.path
        shown = written.split("/")
        parts = target_key(note.path).split("/")
        if len(parts) == len(shown):
            for size in range(2, len(parts)):
                if len(self.by_suffix.get("/".join(parts[-size:]), ())) == 1:
                    return "/".join(shown[-size:])
        return written


def _path(note: Note) -> str:
    return note.path


_Keys = tuple[list[str], list[str], list[str], list[str], list[str]]


def table_keys(note: Note | None) -> _Keys:
    """The keys under which each table (path, file name, longer suffixes, name, alias)
    holds `note` (`LinkResolver`'s order): a path is a few parts deep, so this is short."""
    if note is None:
        return [], [], [], [], []
    key = target_key(note.path)
    slash = key.rfind("/")
    suffixes = []
    while slash > 0:  # `b/c`, then `a/b/c` of `a/b/c`
        slash = key.rfind("/", 0, slash)
        suffixes.append(key[slash + 1 :])
    names: list[str] = []
    aliases: list[str] = []
    if note.kind in NAMED_KINDS:
        names = [normalise_key(note.name)] if note.name else []
        aliases = list(dict.fromkeys(normalise_key(alias) for alias in note.aliases))
    return [key], [key[key.rfind("/") + 1 :]], suffixes, names, aliases


def _frozen(table: dict[str, list[Note]]) -> dict[str, tuple[Note, ...]]:
    return {
        key: (notes[0],) if len(notes) == 1 else tuple(dict.fromkeys(notes))
        for key, notes in table.items()
    }
