"""The agenda after an edit: only the items of the units the changed notes touch are
computed again (issue 19).

**Units.** Every agenda item belongs to one unit (`unit_of`): the contact it names (its
`contact` field), else the name it is about (its subject, slugged: a pending referral,
an interview whose contact link reaches no contact note). So a contact's unit holds the
items of its interviews (thank-you, reflect, prepare, interview), its own (follow-up,
keep in touch, try another), the news to share with it, and the referral to contact
it, whoever suggested it.

**What a unit reads.** Its items are computed by the rules themselves (`compute_agenda`),
run on an index of a few notes (`VaultIndex.over`) whose links still resolve as in the
whole vault: the resolver's tables are kept, key by key, beside the memo. The index
holds the unit's *closure*, everything its items may depend on (`Structure.closure`):

- its own notes (the contact and the interviews whose `contact` means it);
- the interviews whose referrals mean it, with their contacts (a referral item names
  everyone who suggested the person);
- the contacts sharing its organization, with their interviews, and the organization
  notes its organization may mean (`try-another` names colleagues not asked yet);
- the vault-wide context of the news to share: every milestone, the contacts they thank
  and those contacts' referral chains (`shared_context`).

The units an edit touches are those whose closure holds the note before or after it
(`Structure.readers`). A change to a note of the shared context, to a note's kind, name
or aliases (how links resolve), or to the set of files (added, removed or renamed
notes, attachments), and any change of infoint.yaml, make the caller compute
everything: those are rare, and correctness is simpler there.

**What is kept.** For every note its `Facts` (kind, id, name, aliases, unit, the units
its referrals mean, its organization keys, what colleagues read of it), the tables the
closures are read from (each unit's notes, who suggested each unit, each organization
key's contacts, the resolver's tables) and where each unit's items are in the memo;
all in `Tables` of buckets, so that a run reads only the entries it needs. The rules
are not written twice: a rule added to `rules/agenda.py` is computed here by
construction, and the law test (`tests/test_incremental.py`) compares the answer after
random edits with one computed from scratch, so a rule that reads something a closure
lacks shows up there.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, tzinfo
from itertools import compress
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple

from ..core.config import Config
from ..core.index import VaultIndex
from ..core.links import LinkResolver, file_entry
from ..core.model import Contact, Interview, Note, Organization, ParsedNote
from ..core.notes import build_note
from ..core.organizations import organization_key
from ..core.slug import slugify
from ..core.vault import NoteFile, NoteRules
from ..rules.agenda import AgendaItem, compute_agenda
from . import reading
from .agenda_memo import Vault
from .buckets import Buckets, Tables
from .cachedir import RACY_NS
from .memo_answers import AgendaAnswer, answer_rows
from .memo_columns import (
    UNIT,
    Delta,
    Patch,
    item_rows,
    pack_rows,
    row_count,
    store_delta,
    store_packed,
)
from .memo_key import MemoKey, changed_files, memo_key
from .memo_read import StoredMemo, cuts_among, kept_places, place_before, sorted_rows
from .memory import paused_gc

#: The resolver's tables and the names of their stored copies.
_RESOLVER_TABLES: tuple[tuple[str, str], ...] = (
    ("by_path", "p"),
    ("by_id", "i"),
    ("by_suffix", "s"),
    ("by_name", "n"),
    ("by_alias", "a"),
)
#: A column of a delta's rows while they are merged: each item's place (`Delta.cuts`).
_CUT = "cut"
#: The other tables: a note's facts, a unit's notes, the interviews whose referrals
#: mean a contact (or name), the contacts of an organization key.
_FACTS, _MEMBERS, _REFERRERS, _COLLEAGUES = "f", "m", "r", "o"
#: And the places of a unit's items in the memo (as written whole: a delta does not
#: change them).
_PLACES = "u"
#: And the organization notes by the `organization_key` of their id, name and aliases.
_NAMED = "k"
#: More changed notes than this: computing everything is as quick.
MAX_CHANGED = 64
#: A closure of more notes than this (or than a tenth of the vault): the same.
MAX_CLOSURE = 2_000


class Facts(NamedTuple):
    """What the incremental agenda knows of a note without reading it."""

    kind: str
    #: Its id in the whole vault (a file name shared by several notes makes it longer).
    id: str
    name: str | None
    aliases: tuple[str, ...]
    #: The unit it belongs to (a contact or an interview); None for other kinds.
    unit: str | None
    #: An interview's referrals: the paths of the contacts they mean.
    referrals: tuple[str, ...]
    #: A contact's organization keys; an organization note's own key.
    organizations: tuple[str, ...]
    #: What the items of a contact's colleagues read of it (`try-another` names the
    #: active colleagues not asked yet, alumni first, at the organization as written):
    #: while it stays the same, an edit of the contact changes no colleague's items.
    roster: tuple[Any, ...] = ()

    def resolves_like(self, other: Facts) -> bool:
        """Whether links resolve the same with either (the path being the same)."""
        return (self.kind, self.name, self.aliases) == (other.kind, other.name, other.aliases)


def _contact_path(index: VaultIndex, target: str | None, source: str | None) -> str | None:
    """The contact note `target` means, written at `source` (as `VaultIndex.
    resolve_contact`, from a kind so that notes outside a closure count too)."""
    if not target:
        return None
    note = index.resolver.resolve_one(target, source)
    return note.path if note is not None and note.kind == "contact" else None


#: Organization notes by the `organization_key` of their id, name and aliases.
OrganizationsNamed = Callable[[str], Iterable[str]]


def _organization_keys(
    index: VaultIndex, contact: Contact, named: OrganizationsNamed
) -> tuple[str, ...]:
    """Every key under which colleagues of `contact` are found: its organization as
    written (`organization_key`), and each organization note the text may mean (by
    link, id, name or alias: every note any reading of it may pick)."""
    text = contact.organization
    if not text:
        return ()
    # Resolved from the note's folder: the same text in the same folder means the same.
    memo = index.derived(_organization_memo)
    folder = contact.path.rpartition("/")[0]
    found = memo.get((text, folder))
    if found is None:
        key = organization_key(text)
        meant = index.resolver.resolve(text, contact.path)
        notes = [note.path for note in meant if note.kind == "organization"]
        keys = {"t:" + key, *("n:" + path for path in (*notes, *named(key)))}
        found = memo[text, folder] = tuple(sorted(keys))
    return found


def _organization_memo(index: VaultIndex) -> dict[tuple[str, str], tuple[str, ...]]:
    return {}


def _organization_names(organization: Organization) -> set[str]:
    """The keys `OrganizationLookup` finds an organization note under."""
    texts = (organization.id, organization.name or "", *organization.aliases)
    return {key for key in map(organization_key, texts) if key}


def _name_unit(name: str) -> str:
    """The unit of items about someone without a contact note: by the slug of the name
    (a pending referral's, an interview's contact link that reaches no contact)."""
    return "name:" + slugify(name)


def facts_of(
    index: VaultIndex,
    note: Note,
    named: OrganizationsNamed,
    contacts: Mapping[str, str] | None = None,
) -> Facts:
    """The note's facts, its links resolved in `index`; `named(key)`: the paths of the
    organization notes an `organization_key` names; `contacts`: each interview's
    contact, when known already (by path)."""
    unit: str | None = None
    referrals: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    roster: tuple[Any, ...] = ()
    if isinstance(note, Interview):
        target = note.contact.target if note.contact else None
        if contacts is not None:
            unit = contacts.get(note.path)
        else:
            unit = _contact_path(index, target, note.path)
        unit = unit or _name_unit(target or note.id)
        meant = {
            _contact_path(index, referral.link.target if referral.link else referral.name, None)
            or _name_unit(referral.name)
            for referral in note.referrals
        }
        referrals = tuple(sorted(meant))
    elif isinstance(note, Contact):
        unit = note.path
        organizations = _organization_keys(index, note, named)
        roster = (note.status, note.requested is None, note.source, note.organization)
    elif isinstance(note, Organization):
        organizations = ("n:" + note.path,)
    return Facts(
        note.kind, note.id, note.name, tuple(note.aliases), unit, referrals, organizations, roster
    )


def unit_of(item: AgendaItem, contacts_by_id: Mapping[str, str]) -> str | None:
    """The unit of an item: that of its contact, else that of the name it is about
    (its subject); None when its contact is not among `contacts_by_id`."""
    if item.contact is not None:
        return contacts_by_id.get(item.contact)
    return _name_unit(item.subject)


def units_of(index: VaultIndex, items: Iterable[AgendaItem]) -> list[str | None]:
    contacts_by_id = {contact.id: contact.path for contact in index.contacts}
    return [unit_of(item, contacts_by_id) for item in items]


def shared_context(index: VaultIndex) -> tuple[str, ...]:
    """The notes every unit may read: the milestones, whom they thank and everyone in
    those people's referral chains (`share-news` says who helped)."""
    found = set()
    for milestone in index.milestones:
        found.add(milestone.path)
        for link in milestone.thanks:
            person = index.resolve_contact(link.target)
            if person is not None:
                found.add(person.path)
                found.update(above.path for above in index.referral_chain(person))
    return tuple(sorted(found))


def structure_of(index: VaultIndex, items: Sequence[AgendaItem]) -> Any:
    """What `update_agenda` needs to bring the items up to date (as the memo stores
    it), each item's place among them kept by its unit."""
    with paused_gc():
        named: dict[str, list[str]] = defaultdict(list)
        for organization in index.organizations:
            for key in _organization_names(organization):
                named[key].append(organization.path)
        contacts = {
            interview.path: contact.path
            for contact in index.contacts
            for interview in index.interviews_of(contact)
        }

        def named_key(key: str) -> Iterable[str]:
            return named.get(key, ())

        facts = {note.path: facts_of(index, note, named_key, contacts) for note in index.notes}
        members: dict[str, list[str]] = defaultdict(list)
        referrers: dict[str, list[str]] = defaultdict(list)
        colleagues: dict[str, list[str]] = defaultdict(list)
        for path, found in facts.items():
            if found.unit is not None:
                members[found.unit].append(path)
            for person in found.referrals:
                referrers[person].append(path)
            if found.kind == "contact":
                for key in found.organizations:
                    colleagues[key].append(path)
        places: dict[str, list[int]] = defaultdict(list)
        for place, unit in enumerate(units_of(index, items)):
            places[str(unit)].append(place)
        tables: dict[str, dict[str, Any]] = {
            _FACTS: {path: tuple(found) for path, found in facts.items()},
            _MEMBERS: _packed(members),
            _REFERRERS: _packed(referrers),
            _COLLEAGUES: _packed(colleagues),
            _NAMED: _packed(named),
            _PLACES: {unit: tuple(found) for unit, found in places.items()},
        }
        path_of = attrgetter("path")
        for name, letter in _RESOLVER_TABLES:
            tables[letter] = {
                key: notes[0].path if len(notes) == 1 else tuple(map(path_of, notes))
                for key, notes in getattr(index.resolver, name).items()
            }
        return Tables.build(tables).stored(), shared_context(index)


def _packed(table: dict[str, list[str]]) -> dict[str, str | tuple[str, ...]]:
    """Lists of paths as stored: one path as itself (most are), several as a tuple."""
    return {key: paths[0] if len(paths) == 1 else tuple(paths) for key, paths in table.items()}


def _unpacked(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


# --- the stored structure ---------------------------------------------------------------


class _Damaged(Exception):
    """The structure is not what this code wrote: compute everything instead."""


class _StoredTable(Mapping[str, tuple[Note, ...]]):
    """One of the resolver's tables, read from the buckets key by key."""

    def __init__(self, buckets: Buckets, note_at: Callable[[str], Note]) -> None:
        self._buckets, self._note_at = buckets, note_at
        self._found: dict[str, tuple[Note, ...] | None] = {}

    def _lookup(self, key: str) -> tuple[Note, ...] | None:
        if key not in self._found:
            paths = _unpacked(_read(self._buckets, key))
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
        raise _Damaged from exc


class Structure:
    """The tables of the memo, read and changed entry by entry."""

    def __init__(self, stored: Any, changed: dict[str, dict[int, bytes]] | None = None) -> None:
        """The structure as the memo stores it, with the buckets a delta `changed`."""
        try:
            blobs, context = stored
            self.tables = Tables(blobs, changed)
            self.context = frozenset(context)
            self._facts, self._places = self.tables.table(_FACTS), self.tables.table(_PLACES)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise _Damaged from exc

    def facts(self, path: str) -> Facts | None:
        found = _read(self._facts, path)
        try:
            return None if found is None else Facts(*found)
        except TypeError as exc:
            raise _Damaged from exc

    def _paths(self, table: str, key: str) -> tuple[str, ...]:
        return _unpacked(_read(self.tables.table(table), key))

    def members(self, unit: str) -> tuple[str, ...]:
        return self._paths(_MEMBERS, unit)

    def organizations_named(self, key: str) -> tuple[str, ...]:
        return self._paths(_NAMED, key)

    def places(self, unit: str) -> tuple[int, ...]:
        """Where the unit's items are in the memo."""
        found = _read(self._places, unit)
        return () if found is None else tuple(found)

    def resolver(self, note_at: Callable[[str], Note]) -> LinkResolver:
        """The whole vault's resolver, answering with `note_at(path)`."""
        tables = [
            _StoredTable(self.tables.table(letter), note_at) for _, letter in _RESOLVER_TABLES
        ]
        return LinkResolver.from_tables(*tables)

    def _colleague_units(self, facts: Facts) -> set[str]:
        found = set()
        for key in facts.organizations:
            for path in self._paths(_COLLEAGUES, key):
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

    def replace(self, path: str, old: Facts, new: Facts) -> None:
        """The note at `path` now has the facts `new` (it had `old`)."""
        if old.unit != new.unit:
            if old.unit is not None:
                self._move(_MEMBERS, old.unit, path, add=False)
            if new.unit is not None:
                self._move(_MEMBERS, new.unit, path, add=True)
        for person in set(old.referrals) - set(new.referrals):
            self._move(_REFERRERS, person, path, add=False)
        for person in set(new.referrals) - set(old.referrals):
            self._move(_REFERRERS, person, path, add=True)
        if new.kind == "contact":
            for key in set(old.organizations) - set(new.organizations):
                self._move(_COLLEAGUES, key, path, add=False)
            for key in set(new.organizations) - set(old.organizations):
                self._move(_COLLEAGUES, key, path, add=True)
        self._facts[path] = tuple(new)

    def closure(self, units: Iterable[str]) -> set[str]:
        """The notes the items of `units` may depend on (see the module's docstring)."""
        found = set(self.context)
        for unit in units:
            found.update(self.members(unit))
            # Whoever suggested this person, and the contact of that interview.
            for interview in self._paths(_REFERRERS, unit):
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
                    for colleague in self._paths(_COLLEAGUES, key):
                        found.update(self.members(colleague))
        return found


# --- bringing the agenda up to date ------------------------------------------------------


def _stub(facts: Facts | None, path: str) -> Note:
    """A note outside the index: found by links (as a file of its kind), never read."""
    if facts is None:
        return file_entry(path)
    return Note(path, facts.id, facts.kind, ParsedNote(path, facts.id, None), name=facts.name)


def _partial_index(
    root: Path, config: Config, structure: Structure, notes: Iterable[Note]
) -> VaultIndex:
    """An index of `notes` whose links resolve as in the whole vault; notes outside it
    are files of their kind to the rules, found but never read."""
    inside = {note.path: note for note in notes}
    stubs: dict[str, Note] = {}

    def note_at(path: str) -> Note:
        found = inside.get(path) or stubs.get(path)
        if found is None:
            found = stubs[path] = _stub(structure.facts(path), path)
        return found

    return VaultIndex.over(root, config, inside.values(), structure.resolver(note_at))


def _typed(parsed: Iterable[ParsedNote], structure: Structure, zone: tzinfo) -> list[Note]:
    """The typed notes, each with its id in the whole vault."""
    found = []
    for one in parsed:
        note = build_note(one, zone)
        facts = structure.facts(note.path)
        if facts is not None and facts.id != note.id:
            note = dataclasses.replace(note, id=facts.id)
        found.append(note)
    return found


class _Update:
    """One run's update of the memo: what changed, and the units to compute again."""

    def __init__(self, vault: Vault, structure: Structure) -> None:
        self.vault, self.structure = vault, structure
        self.config = vault.config
        self.files = {file.rel: file for file in vault.files()}
        self.unsettled: set[str] = set()

    def _load(self, paths: Iterable[str]) -> list[Note]:
        """The notes at `paths`, read from their files: a few notes are read and parsed
        in less time than opening the store takes (and its records are left as they
        are: the next run that reads every note reads these again)."""
        started_ns = time.time_ns()  # before any read: a file changed after this is racy
        parsed = []
        for path in sorted(paths):
            file = self.files.get(path)
            if file is None:  # the structure names a note the vault does not hold
                raise _Damaged(path)
            note, readable = reading.read_and_parse(file.rel, file.path, file.size)
            if not readable or file.mtime_ns + RACY_NS > started_ns:
                self.unsettled.add(path)
            parsed.append(note)
        return _typed(parsed, self.structure, self.config.zone)

    def changed_units(self, changed: list[NoteFile]) -> tuple[set[str], dict[str, Note]] | None:
        """The units whose items the changed notes may change, and those notes as they
        are now; None when the change reaches beyond units (see the module)."""
        rules = NoteRules(exclude=self.config.exclude)
        paths = [file.rel for file in changed if not rules.is_excluded(file.rel)]
        before = {}
        for path in paths:
            old = self.structure.facts(path)
            if old is None or path in self.structure.context:
                return None
            before[path] = old
        notes = {note.path: note for note in self._load(paths)}
        index = _partial_index(self.vault.root, self.config, self.structure, notes.values())
        units: set[str] = set()
        for path, note in notes.items():
            old, new = before[path], facts_of(index, note, self.structure.organizations_named)
            if not old.resolves_like(new):
                return None
            # Colleagues read a contact's roster, and whether it has interviews.
            seen = (old.roster, old.organizations, old.unit)
            colleagues = seen != (new.roster, new.organizations, new.unit)
            units |= self.structure.readers(old, colleagues)
            self.structure.replace(path, old, new)
            units |= self.structure.readers(new, colleagues)
        return units, notes

    def compute(
        self, units: set[str], changed: dict[str, Note], now: datetime
    ) -> tuple[float, list[AgendaItem], list[str]] | None:
        """The items of `units` at `now`, each one's unit, and until when they hold;
        None when their closure is too large to pay."""
        if not units:
            return math.inf, [], []
        closure = self.structure.closure(units)
        if len(closure) > min(MAX_CLOSURE, max(100, len(self.files) // 10)):
            return None
        notes = [changed[path] for path in closure if path in changed]
        notes += self._load(path for path in closure if path not in changed)
        index = _partial_index(self.vault.root, self.config, self.structure, notes)
        agenda = compute_agenda(index, now)
        units_here = units_of(index, agenda.items)
        kept: list[tuple[AgendaItem, str]] = [
            (item, unit)
            for item, unit in zip(agenda.items, units_here, strict=True)
            if unit is not None and unit in units
        ]
        return agenda.valid_until, [item for item, _ in kept], [unit for _, unit in kept]


#: A delta of more items than this (and than a sixteenth of the memo's), or one that
#: changes more than a quarter of the structure's buckets (and more than 16): everything is computed
#: again and the memo written whole (reading a delta costs each run a little).
DELTA_ITEMS = 256


def update_agenda(
    vault: Vault, memo: StoredMemo, key: MemoKey, clock: Callable[[tzinfo], datetime]
) -> AgendaAnswer | None:
    """The memo's agenda brought up to date for notes changed since (`key` says how
    the vault is now), remembered again (as a delta beside the memo); None when the
    caller should compute everything: notes added, removed or renamed, too many
    changed, a change beyond units, a memo without structure or past its window, a
    delta grown large."""
    stored = memo.structure()
    if stored is None:
        return None
    changed = changed_files(memo.key.states, key.states)
    zone = memo.zone()
    if changed is None or len(changed) > MAX_CHANGED or zone is None:
        return None
    now = clock(zone)
    if not memo.holds_at(now):
        return None
    files = vault.files()
    try:
        before = memo.delta.buckets if memo.delta is not None else {}
        update = _Update(vault, Structure(stored, before))
        found = update.changed_units([files[place] for place in changed])
        if found is None:
            return None
        units, notes = found
        computed = update.compute(units, notes, now)
        if computed is None:
            return None
        until, items, item_units = computed
        delta = _next_delta(memo, update.structure, units, items, item_units, zone)
    except _Damaged:
        return None
    if delta is None:
        return None
    tables = update.structure.tables
    if update.unsettled:
        key = memo_key(files, b"", unsettled=update.unsettled)
    delta = delta._replace(
        states=key.states,
        since=now.timestamp(),
        until=min(memo.until, until),
        buckets=tables.changed(),
    )
    grown = row_count(delta.rows) > max(DELTA_ITEMS, memo.stored // 8)
    if grown or sum(map(len, delta.buckets.values())) > max(64, len(tables) // 4):
        return _folded(vault, memo, key, delta, update.structure, now)
    store_delta(vault.root, delta)
    return memo.answer_at(now, delta)


def _folded(
    vault: Vault, memo: StoredMemo, key: MemoKey, delta: Delta, structure: Structure, now: datetime
) -> AgendaAnswer | None:
    """The memo written whole again with its delta applied (and no delta): a delta is
    read by every run, so it is kept small. Costs the items, not the notes."""
    rows = memo.stored_rows()
    if rows is None:
        return None
    places = structure.tables.table(_PLACES)
    units: list[str | None] = [None] * memo.stored
    for unit, found in places.items():
        for place in found:
            units[place] = unit
    if None in units:
        return None
    rows[UNIT] = units
    patch = Patch(memo.stored, delta.gone, delta.cuts, delta.rows)
    rows = {name: patch.column(name, column) for name, column in rows.items()}
    packed = pack_rows(rows)
    if packed is None:
        return None
    folded: dict[str, list[int]] = defaultdict(list)
    for place, unit in enumerate(rows[UNIT]):
        folded[unit].append(place)
    structure.tables.replace(_PLACES, {unit: tuple(found) for unit, found in folded.items()})
    stored = (structure.tables.stored(), tuple(sorted(structure.context)))
    count = row_count(rows)
    config = vault.config
    store_packed(vault.root, key, config, now, delta.until, count, packed, stored)
    return answer_rows(now, rows, packed)


def _next_delta(
    memo: StoredMemo,
    structure: Structure,
    units: set[str],
    items: list[AgendaItem],
    item_units: list[str],
    zone: tzinfo,
) -> Delta | None:
    """The memo's delta with the items of `units` replaced by `items` (the parts the
    caller fills in left empty); None when the items cannot be placed for certain."""
    old = memo.delta
    added = item_rows(items, zone, item_units)
    if added is None:
        return None
    if not units:
        if old is not None:
            return old
        return Delta(memo.token, "", 0.0, 0.0, (), [], added, [], {})
    dropped = set(units)
    if old is not None:
        dropped.update(old.dropped)
    gone = sorted(place for unit in dropped for place in structure.places(unit))
    kept = kept_places(memo.stored, gone)
    cuts = cuts_among(memo, kept, added, zone)
    if cuts is None:
        return None
    if old is not None:
        # The items added before stay where they were placed: before the same stored
        # item, or the first one kept after it when that one is left out now.
        still = [unit not in units for unit in old.rows[UNIT]]
        earlier = {name: list(compress(column, still)) for name, column in old.rows.items()}
        earlier[_CUT] = [place_before(kept, cut, memo.stored) for cut in compress(old.cuts, still)]
        merged = sorted_rows([earlier, {**added, _CUT: cuts}], zone)
        if merged is None:
            return None
        cuts = merged.pop(_CUT)
        added = merged
    return Delta(memo.token, "", 0.0, 0.0, tuple(sorted(dropped)), gone, added, cuts, {})
