"""A memo of the agenda: `<vault>/.infoint/agenda.memo`.

Asking for the agenda again while no note changed is the most common run of all (a
shell prompt, a cron job, a status bar). Those runs answer from the items the last run
computed, without reading a cache record or typing a note: the walk and its one stat
per file are all the vault work left.

The memo holds the full, unfiltered item list of one moment with what it depends on:

- the vault's state: every note's path, `mtime_ns`, size, inode and change time, as
  the walk saw them;
- the bytes of `infoint.yaml`, where the local zone and the zone rules come from (TZ,
  PYTHONTZPATH, /etc/localtime, the zone's tzdata file), the Python version, and the
  installed `holidays` library when the config may name a country (business days);
- the code that computes it (each module's modification time and size);
- the window of time it holds for: from the moment it was computed to the first instant
  at which the clock flips a decision of the rules (an interview becoming `done`, one
  entering its preparation window: each rule says when through `agenda.Clock.decide`).
  Inside the window only each item's `overdue` changes, and that is recomputed on every
  read, by `agenda.overdue_at`; the selection is `agenda.Shown`'s.

Its columns are `AgendaItem`'s fields (and each item's `--json` text around `overdue`,
written by `jsontext.RecordJSON`): a field added to the item is remembered with it.

A note read unsettled (young enough to change unseen within its timestamp's
granularity, or unreadable: the cache's own rules) has its state marked so that no walk
matches it: the next run reads it again. Files are written atomically, with a
checksum. Anything unexpected is a miss, never an error; deleting them costs one full
computation.

Beside the memo: `agenda.structure`, what `incremental` needs to bring the items up to
date after an edit, and `agenda.delta`, what such an update changed (the items of some
units replaced, the vault's new state), so that an edit does not write the memo whole
again. Both name the memo they belong to (its token); a full computation replaces all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from ..rules.agenda import compute_agenda
from .answers import digests_of, store_inputs
from .memo_answers import AgendaAnswer, ComputedAnswer
from .memo_columns import CODED_FIELDS, DUE, UNKNOWN, write_memo
from .memo_key import MemoKey, memo_key, note_paths, scan_key
from .memo_read import load_memo
from .vault_view import Vault

if UNKNOWN:  # a new kind of field: say how it is kept, here
    raise TypeError(f"the agenda memo cannot keep AgendaItem.{', '.join(UNKNOWN)}")


assert DUE in CODED_FIELDS


def agenda_at(
    vault: Vault, clock: Callable[[tzinfo], datetime], key: MemoKey | None = None
) -> AgendaAnswer:
    """Every agenda item, as `agenda.build_agenda` gives them, at `clock(zone)` (the
    moment in the vault's zone).

    From the memo when nothing changed: then neither infoint.yaml nor any note is
    parsed. When only some notes changed, the memo is brought up to date by
    recomputing the items of the units they touch (`incremental.update_agenda`). Else
    everything is computed, and remembered. `key`: the vault's state, when the caller
    has it already (`scan_key` of `vault.scan()` and its config bytes)."""
    if not vault.use_cache:
        return _computed(vault, clock, None)
    if key is None:
        key = scan_key(vault.scan(), vault.config_bytes())
    return _remembered(vault, clock, key) or _computed(vault, clock, key)


def _remembered(
    vault: Vault, clock: Callable[[tzinfo], datetime], key: MemoKey
) -> AgendaAnswer | None:
    """The memo's answer for a vault whose state is `key`, brought up to date after an
    edit; None when everything must be computed."""
    memo = load_memo(vault.root)
    if memo is None:
        return None
    if memo.key == key:
        recalled = memo.recall(clock)
        if recalled is not None:
            recalled.remembered = memo.key, memo.until
            return recalled
    if memo.key.head == key.head and memo.key.others == key.others:
        from .incremental import update_agenda  # here: only an edit needs it

        return update_agenda(vault, memo, key, clock)
    return None


def _computed(
    vault: Vault, clock: Callable[[tzinfo], datetime], key: MemoKey | None
) -> AgendaAnswer:
    """The agenda computed from every note; to be remembered under `key` (None: not)
    by the answer's `pending` work, which the caller runs once it has answered."""
    # Imported here: a remembered agenda never loads notes.
    from ..core.parse import facts_digest_of
    from ..core.vault import NoteRules, VaultFiles, excluding
    from .loader import load
    from .unit_facts import structure_of

    config = vault.config
    now = clock(config.zone)
    found = excluding(VaultFiles(vault.files(), vault.others()), NoteRules(exclude=config.exclude))
    loaded = load(
        vault.root,
        config,
        found.notes,
        cache=key is not None,
        whole_vault=True,
        attachments=found.others,
        defer_store=True,  # (`written` is asked by `remember`)
    )
    vault.use_index(loaded.index)
    index = loaded.index
    agenda = compute_agenda(index, now)
    answer: AgendaAnswer = ComputedAnswer(agenda.items, now)
    if key is None:
        return answer

    def remember() -> tuple[MemoKey, float] | None:
        if not loaded.stats.written:
            return None
        stored_key = key
        if loaded.unsettled:
            unsettled = memo_key(vault.files(), b"", unsettled=loaded.unsettled)
            stored_key = key._replace(states=unsettled.states)
        items = agenda.items
        structure = structure_of(index, items)
        if write_memo(vault.root, stored_key, config, now, agenda.valid_until, items, structure):
            facts = {note.path: facts_digest_of(note.parsed) for note in index.notes}
            paths = note_paths(stored_key.states).split("\0")
            store_inputs(vault.root, stored_key.states, digests_of(paths, facts))
            return stored_key, agenda.valid_until
        return None

    answer.pending = remember
    return answer
