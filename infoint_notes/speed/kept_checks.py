"""What `validate` finds in a vault that changes a few notes at a time, kept current
without checking every note again: the language server's buffers (`lsp.live`) and the
saves `infoint watch` sees (`live.watch`) share it.

Each note's own problems (`note_problems`) are kept until the note changes, until a
note's `link_identity` changes anywhere (every link may then resolve anew), until the
clock reaches the moment they change (`steady_until`: a thank-you date stops being in
the future), or until `now` is given in another zone (whose days start at other
moments). Each of `VAULT_CHECKS` is kept until a change touches what it reads
(`_READS`). The answer is always `validate`'s: tests compare the two after random edits.

The index given is followed by identity: `VaultIndex.replacing` keeps every note it did
not replace, so the notes that changed are those that are not the same objects.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime, tzinfo

from ..core.index import VaultIndex
from ..core.model import Contact, Diagnostic, Note
from ..rules.validate import (
    VAULT_CHECKS,
    Check,
    check_config,
    check_duplicate_contacts,
    check_ids,
    check_referral_cycles,
    note_problems,
    reuse_suggestions,
    steady_until,
)

#: More changed notes than this in one step: every note is checked again (following
#: them one by one would cost more).
MAX_FOLLOWED = 64


def link_identity(note: Note | None) -> Hashable:
    """What other notes' links and the resolver see of a note: when this is unchanged,
    every link of the vault resolves as before and "did you mean" has the same ids and
    names to offer."""
    if note is None:
        return None
    return (note.kind, note.path, note.id, note.name, note.aliases)


def _positions(note: Note, *keys: str) -> tuple[tuple[int, int], ...]:
    return tuple(note.line_of(key) for key in keys)


def _duplicate_contact_inputs(note: Note | None) -> Hashable:
    if not isinstance(note, Contact):
        return None
    fields = (note.name, note.organization, note.email, note.linkedin)
    return (*fields, _positions(note, "email", "linkedin", "name"))


def _referral_inputs(note: Note | None) -> Hashable:
    if not isinstance(note, Contact):
        return None
    target = note.referred_by.target if note.referred_by else None
    return (target, _positions(note, "referred_by"))


def _nothing(note: Note | None) -> Hashable:
    return None


#: For each of `VAULT_CHECKS`, what it reads of a note besides its `link_identity` (a
#: change of which re-runs every check). A check missing here is re-run on every change:
#: slower, never wrong.
_READS: dict[Check, Callable[[Note | None], Hashable]] = {
    check_config: _nothing,
    check_ids: _nothing,
    check_duplicate_contacts: _duplicate_contact_inputs,
    check_referral_cycles: _referral_inputs,
}


def _reads(check: Check, note: Note | None) -> Hashable:
    reads = _READS.get(check)
    return note if reads is None else reads(note)


class KeptChecks:
    """validate's diagnostics of the index last given, kept part by part."""

    def __init__(self, index: VaultIndex) -> None:
        self.index = index
        #: Per path: (note, the zone of `now`, checked at, valid until, its own problems);
        #: emptied whenever a note's `link_identity` changes (every link may resolve anew).
        self._own: dict[str, tuple[Note, tzinfo | None, float, float, list[Diagnostic]]] = {}
        self._vault: dict[Check, dict[str, list[Diagnostic]] | None] = dict.fromkeys(VAULT_CHECKS)

    def follow(self, index: VaultIndex) -> None:
        """The vault is `index` now. Another config or other files, or many changed
        notes: everything is checked again; else what the changes touch."""
        earlier = self.index
        if index is earlier:
            return
        self.index = index
        if index.config is not earlier.config or index.attachments != earlier.attachments:
            self._forget_all()
            return
        changes = _changed(earlier, index)
        if changes is None:
            self._forget_all()
            return
        identities_kept = True
        for old, new in changes:
            identities_kept = identities_kept and link_identity(old) == link_identity(new)
            if new is None and old is not None:
                self._own.pop(old.path, None)  # a note gone is not held on to
            for check in VAULT_CHECKS:
                if _reads(check, old) != _reads(check, new):
                    self._vault[check] = None
        if identities_kept:
            reuse_suggestions(index, earlier)
        else:
            self._forget_all()

    def problems_of(self, path: str, now: datetime) -> list[Diagnostic]:
        """What `validate` says about the note at `path` at `now`, sorted."""
        note = self.index.by_path.get(path)
        if note is None:
            return []
        found = [*self._own_problems(note, now)]
        for check in VAULT_CHECKS:
            found.extend(self._vault_results(check).get(path, ()))
        return sorted(set(found), key=Diagnostic.sort_key)

    def problems(self, now: datetime) -> set[Diagnostic]:
        """Every diagnostic `validate` finds in the vault at `now` (unsorted)."""
        found: set[Diagnostic] = set()
        for note in self.index.notes:
            found.update(self._own_problems(note, now))
        for check in VAULT_CHECKS:
            for problems in self._vault_results(check).values():
                found.update(problems)
        return found

    def _own_problems(self, note: Note, now: datetime) -> list[Diagnostic]:
        moment, zone = now.timestamp(), now.tzinfo
        kept = self._own.get(note.path)
        if kept is not None:
            same, kept_zone, since, until, problems = kept
            # A day is compared with the day of `now` in now's zone: `until` holds in the
            # zone it was worked out in (in Kiritimati the 30th starts 19 hours earlier).
            if same is note and kept_zone == zone and since <= moment < until:
                return problems
        problems = note_problems(self.index, note, now)
        until = steady_until((note,), now)
        self._own[note.path] = (note, zone, moment, until, problems)
        return problems

    def _forget_all(self) -> None:
        self._own = {}
        self._vault = dict.fromkeys(VAULT_CHECKS)

    def _vault_results(self, check: Check) -> dict[str, list[Diagnostic]]:
        found = self._vault.get(check)
        if found is None:
            found = {}
            for problem in check(self.index):
                found.setdefault(problem.path, []).append(problem)
            self._vault[check] = found
        return found


def _changed(
    earlier: VaultIndex, index: VaultIndex
) -> list[tuple[Note | None, Note | None]] | None:
    """(old, new) of each note that is not the same object in both (None: absent); None
    when more than MAX_FOLLOWED changed."""
    before, after = earlier.by_path, index.by_path
    changes: list[tuple[Note | None, Note | None]] = []
    added = 0
    for path, note in after.items():
        old = before.get(path)
        if old is not note:
            added += old is None
            changes.append((old, note))
            if len(changes) > MAX_FOLLOWED:
                return None
    if len(before) > len(after) - added:  # some notes are gone
        changes.extend((old, None) for path, old in before.items() if path not in after)
    return changes if len(changes) <= MAX_FOLLOWED else None
