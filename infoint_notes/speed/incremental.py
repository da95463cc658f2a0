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
(`Structure.readers`).

**Notes added, removed, renamed.** A rename is a removal and an addition. The
resolver's tables gain or lose the note, and the notes whose links or names are looked
up under one of its keys (`note_keys`; the backlinks are kept per key, `Facts.targets`)
are read again as if edited: a link that meant nothing may mean the new note, one that
meant the removed note means another or none. An organization note added or removed
also regroups the contacts whose organization names it (`Structure.organization`).
Milestones (every unit reads them) and a file name two notes share (their ids depend on
each other) are followed by a full computation.

A change to a note of the shared context, to a note's kind, name or aliases (how links
resolve), to the vault's other files (attachments), and any change of infoint.yaml, make
the caller compute everything: those are rare, and correctness is simpler there.

**What is kept.** For every note its `Facts` (kind, id, name, aliases, unit, the units
its referrals mean, its organization keys, what colleagues read of it), the tables the
closures are read from (each unit's notes, who suggested each unit, each organization
key's contacts, the resolver's tables) and where each unit's items are in the memo;
all in `Tables` of buckets, so that a run reads only the entries it needs. The rules
are not written twice: a rule added to `rules/agenda.py` is computed here by
construction, and the law test (`tests/test_incremental.py`) compares the answer after
random edits with one computed from scratch, so a rule that reads something a closure
lacks shows up there."""

from __future__ import annotations

import dataclasses
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo
from itertools import compress
from pathlib import Path

from ..core.config import Config
from ..core.index import VaultIndex
from ..core.links import file_entry, note_keys
from ..core.model import Note, ParsedNote
from ..core.notes import build_note
from ..core.parse import facts_digest_of
from ..core.vault import NoteFile, NoteRules
from ..rules.agenda import AgendaItem, compute_agenda
from . import reading
from .answers import patch_inputs
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
from .memo_key import FileChanges, MemoKey, file_changes, memo_key
from .memo_read import StoredMemo, cuts_among, kept_places, place_before, sorted_rows
from .unit_facts import CUT, MAX_CHANGED, MAX_CLOSURE, PLACES, Facts, facts_of, units_of
from .unit_structure import Damaged, Structure
from .vault_view import Vault


def _stub(facts: Facts | None, path: str) -> Note:
    """A note outside the index: found by links (as a file of its kind, under its name
    and aliases: a note removed is taken out of the resolver's tables by them), never
    read."""
    if facts is None:
        return file_entry(path)
    parsed = ParsedNote(path, facts.id, None)
    return Note(path, facts.id, facts.kind, parsed, name=facts.name, aliases=facts.aliases)


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
                raise Damaged(path)
            note, readable = reading.read_and_parse(file.rel, file.path, file.size)
            if not readable or file.mtime_ns + RACY_NS > started_ns:
                self.unsettled.add(path)
            parsed.append(note)
        return _typed(parsed, self.structure, self.config.zone)

    def changed_units(
        self, changed: list[NoteFile], added: list[NoteFile], removed: list[str]
    ) -> tuple[set[str], dict[str, Note]] | None:
        """The units whose items the changed, added and removed notes may change, and
        the notes read to tell (as they are now); None when the change reaches beyond
        units (see the module)."""
        rules = NoteRules(exclude=self.config.exclude)
        if any(rules.is_excluded(path) for path in (*removed, *(file.rel for file in added))):
            return None  # a file to links, not a note: not followed here
        structure = self.structure
        forgotten = self._forget(removed)
        if forgotten is None:
            return None
        units, moved = forgotten
        new_notes = self._load(file.rel for file in added)
        entered = self._enter(new_notes)
        if entered is None:
            return None
        paths = [file.rel for file in changed if not rules.is_excluded(file.rel)]
        fresh = {note.path for note in new_notes}
        paths += sorted((moved | entered) - fresh - set(paths))
        if len(paths) + len(fresh) + len(removed) > MAX_CHANGED:
            return None
        before = {}
        for path in paths:
            old = structure.facts(path)
            if old is None or path in structure.context:
                return None
            before[path] = old
        notes = {note.path: note for note in (*self._load(paths), *new_notes)}
        index = _partial_index(self.vault.root, self.config, structure, notes.values())
        for path, note in notes.items():
            new = facts_of(index, note, structure.organizations_named)
            if path in fresh:
                structure.replace(path, None, new)
                units |= structure.readers(new)
                continue
            old = before[path]
            if not old.resolves_like(new):
                return None
            # Colleagues read a contact's roster, and whether it has interviews.
            seen = (old.roster, old.organizations, old.unit)
            colleagues = seen != (new.roster, new.organizations, new.unit)
            units |= structure.readers(old, colleagues)
            structure.replace(path, old, new)
            units |= structure.readers(new, colleagues)
        return units, notes

    def _forget(self, removed: list[str]) -> tuple[set[str], set[str]] | None:
        """Take the removed notes out of the tables: (the units that read them, the
        notes whose texts may mean another note now); None when that reaches beyond
        units."""
        structure = self.structure
        units: set[str] = set()
        keys: set[str] = set()  # links under these keys may mean another note now
        regrouped: set[str] = set()  # contacts whose organization named one of them
        for path in removed:
            old = structure.facts(path)
            if old is None or path in structure.context or old.kind in _VAULT_WIDE:
                return None
            gone = _stub(old, path)
            if structure.namesakes(gone):
                return None  # their ids change with it
            units |= structure.readers(old)
            keys |= note_keys(gone)
            if old.kind == "organization":
                regrouped |= structure.organization(gone, add=False)
            structure.replace(path, old, None)
            structure.file(gone, add=False)
        return units, structure.backlinkers(keys) | regrouped

    def _enter(self, notes: list[Note]) -> set[str] | None:
        """Put the added notes in the resolver's tables: the notes whose texts may mean
        them now; None when that reaches beyond units."""
        structure = self.structure
        keys: set[str] = set()
        regrouped: set[str] = set()
        for note in notes:
            if note.kind in _VAULT_WIDE or structure.namesakes(note):
                return None
            keys |= note_keys(note)
            if note.kind == "organization":
                regrouped |= structure.organization(note, add=True)
            structure.file(note, add=True)
        return structure.backlinkers(keys) | regrouped

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


#: Kinds whose notes every unit may read (milestones: the news to share): one added or
#: removed is followed by a full computation.
_VAULT_WIDE = frozenset({"milestone"})


#: A delta of more items than this (and than a sixteenth of the memo's), or one that
#: changes more than a quarter of the structure's buckets (and more than 16): everything is computed
#: again and the memo written whole (reading a delta costs each run a little).
DELTA_ITEMS = 256


def update_agenda(
    vault: Vault, memo: StoredMemo, key: MemoKey, clock: Callable[[tzinfo], datetime]
) -> AgendaAnswer | None:
    """The memo's agenda brought up to date for notes changed since (`key` says how
    the vault is now), remembered again (as a delta beside the memo); None when the
    caller should compute everything: too many notes changed, added or removed, a
    change beyond units, a memo without structure or past its window, a delta grown
    large."""
    stored = memo.structure()
    if stored is None:
        return None
    changes = file_changes(memo.key.states, key.states)
    zone = memo.zone()
    if changes is None or zone is None or _count(changes) > MAX_CHANGED:
        return None
    now = clock(zone)
    if not memo.holds_at(now):
        return None
    files = vault.files()
    try:
        before = memo.delta.buckets if memo.delta is not None else {}
        update = _Update(vault, Structure(stored, before))
        found = update.changed_units(
            [files[place] for place in changes.changed],
            [files[place] for place in changes.added],
            changes.removed,
        )
        if found is None:
            return None
        units, notes = found
        computed = update.compute(units, notes, now)
        if computed is None:
            return None
        until, items, item_units = computed
        delta = _next_delta(memo, update.structure, units, items, item_units, zone)
    except Damaged:
        return None
    if delta is None:
        return None
    tables = update.structure.tables
    if update.unsettled:
        key = key._replace(states=memo_key(files, b"", unsettled=update.unsettled).states)
    delta = delta._replace(
        states=key.states,
        since=now.timestamp(),
        until=min(memo.until, until),
        buckets=tables.changed(),
    )
    read = {files[place].rel for place in (*changes.changed, *changes.added)}
    facts = {path: facts_digest_of(note.parsed) for path, note in notes.items() if path in read}
    patch_inputs(vault.root, memo.key.states, key.states, facts)
    grown = row_count(delta.rows) > max(DELTA_ITEMS, memo.stored // 8)
    if grown or sum(map(len, delta.buckets.values())) > max(64, len(tables) // 4):
        answer = _folded(vault, memo, key, delta, update.structure, now)
    else:
        store_delta(vault.root, delta)
        answer = memo.answer_at(now, delta)
    if answer is not None:
        answer.remembered = key, delta.until
    return answer


def _count(changes: FileChanges) -> int:
    return len(changes.changed) + len(changes.added) + len(changes.removed)


def _folded(
    vault: Vault, memo: StoredMemo, key: MemoKey, delta: Delta, structure: Structure, now: datetime
) -> AgendaAnswer | None:
    """The memo written whole again with its delta applied (and no delta): a delta is
    read by every run, so it is kept small. Costs the items, not the notes."""
    rows = memo.stored_rows()
    if rows is None:
        return None
    places = structure.tables.table(PLACES)
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
    structure.tables.replace(PLACES, {unit: tuple(found) for unit, found in folded.items()})
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
        return Delta(memo.token, b"", 0.0, 0.0, (), [], added, [], {})
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
        earlier[CUT] = [place_before(kept, cut, memo.stored) for cut in compress(old.cuts, still)]
        merged = sorted_rows([earlier, {**added, CUT: cuts}], zone)
        if merged is None:
            return None
        cuts = merged.pop(CUT)
        added = merged
    return Delta(memo.token, b"", 0.0, 0.0, tuple(sorted(dropped)), gone, added, cuts, {})
