"""The vault in memory: every note parsed and typed, with lookups between them.

Built from notes already parsed (`build_index`) or typed (`VaultIndex`); where they come
from (the files, the cache, helper processes) is the business of the layers above.
"""

from __future__ import annotations

import bisect
import copy
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from functools import cached_property
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

from . import dates
from .config import Config
from .derive import contact_stage, interview_status
from .errors import UsageError
from .links import LinkResolver
from .model import Contact, Interview, Milestone, Note, Organization, ParsedNote
from .notes import build_note
from .suggest import did_you_mean, not_of_kind, unread_front_matter
from .vault import NoteRules, note_rules, walk_vault

T = TypeVar("T")


def _with_ids(notes: list[Note], shared: dict[str, str]) -> list[Note] | None:
    """`notes` with the ids `shared` gives (the file name for the others), or None when
    every note has its id already. A note built for another index may have another."""
    renamed = None
    for position, note in enumerate(notes):
        wanted = shared.get(note.path, note.parsed.id)
        if note.id != wanted:
            renamed = renamed or list(notes)
            renamed[position] = replace(note, id=wanted)
    return renamed


class VaultIndex:
    """All notes of a vault, typed and linked."""

    def __init__(
        self,
        root: Path,
        config: Config,
        notes: list[Note],
        attachments: Iterable[str] | None = None,
    ) -> None:
        """`attachments`: the vault's other files, which links may reach (SPEC 2.1);
        None: those the walk of `root` finds (an index built from another's notes)."""
        self.root = root
        self.config = config
        if attachments is None:
            attachments = walk_vault(root, self.rules).others if root is not None else ()
        self.attachments = tuple(attachments)
        ordered = sorted(notes, key=lambda note: note.path)
        self.resolver = LinkResolver(ordered, self.attachments)
        # Notes sharing a file name are known by their shortest unique path suffix
        # (SPEC 2). A note keeps the id it was built with otherwise, and only a vault
        # where names clash builds the resolver twice.
        renamed = _with_ids(ordered, self.resolver.shared_ids())
        if renamed is not None:
            ordered = renamed
            self.resolver = LinkResolver(ordered, self.attachments)
        self.notes = tuple(ordered)
        self.by_path = {note.path: note for note in self.notes}
        self._derived: dict[Callable[[VaultIndex], Any], Any] = {}

    @classmethod
    def over(
        cls, root: Path, config: Config, notes: Iterable[Note], resolver: LinkResolver
    ) -> VaultIndex:
        """An index of some notes of a larger vault, whose links resolve with that
        vault's `resolver`; the notes carry the ids they have there."""
        index = cls.__new__(cls)
        index.root, index.config, index.attachments = root, config, ()
        index.resolver = resolver
        index.notes = tuple(sorted(notes, key=lambda note: note.path))
        index.by_path = {note.path: note for note in index.notes}
        index._derived = {}
        return index

    def replacing(self, changes: Mapping[str, Note | None]) -> VaultIndex:
        """This index with the note at each path of `changes` replaced by the note given
        (added if there was none; None: removed), equal to an index built afresh from
        the notes it then holds, at the
        cost of the notes changed (the resolver's tables touched, namesakes renamed), not
        of the vault: what `infoint lsp` does on each keystroke and `infoint watch` after
        each save."""
        changed = copy.copy(self)
        # What the index worked out from its notes goes; it is worked out again when asked.
        for name in list(vars(changed)):
            if isinstance(getattr(type(changed), name, None), cached_property):
                del vars(changed)[name]
        changed._derived = {}
        notes = list(self.notes)
        by_path = dict(self.by_path)
        resolver = self.resolver
        paths = set()
        for path, new in changes.items():
            old = by_path.get(path)
            if old is None and new is None:
                continue
            at = bisect.bisect_left(notes, path, key=attrgetter("path"))
            if old is not None:
                del notes[at]
                del by_path[path]
            if new is not None:
                notes.insert(at, new)
                by_path[path] = new
            resolver = resolver.replacing(old, new)
            paths.add(path)
        changed.notes, changed.by_path, changed.resolver = tuple(notes), by_path, resolver
        changed._rename_namesakes(paths)
        return changed

    def _rename_namesakes(self, paths: set[str]) -> None:
        """Give the notes sharing a file name with `paths` the ids a fresh index would:
        adding `people/jane-doe.md` beside `contacts/jane-doe.md` renames both (SPEC 2)."""
        for path in sorted(paths):
            for member, wanted in self.resolver.ids_sharing_name(path).items():
                note = self.by_path.get(member)
                if note is None or note.id == wanted:
                    continue
                renamed = replace(note, id=wanted)
                notes = list(self.notes)
                notes[bisect.bisect_left(notes, member, key=attrgetter("path"))] = renamed
                self.notes = tuple(notes)
                self.by_path[member] = renamed
                self.resolver = self.resolver.replacing(note, renamed)

    @cached_property
    def rules(self) -> NoteRules:
        """Which files of the vault are notes."""
        return note_rules(self.root, self.config.exclude)

    @cached_property
    def contacts(self) -> tuple[Contact, ...]:
        return tuple(note for note in self.notes if isinstance(note, Contact))

    @cached_property
    def interviews(self) -> tuple[Interview, ...]:
        return tuple(note for note in self.notes if isinstance(note, Interview))

    @cached_property
    def organizations(self) -> tuple[Organization, ...]:
        return tuple(note for note in self.notes if isinstance(note, Organization))

    @cached_property
    def milestones(self) -> tuple[Milestone, ...]:
        return tuple(note for note in self.notes if isinstance(note, Milestone))

    def resolve_contact(self, target: str | None, source: str | None = None) -> Contact | None:
        """The contact `target` means, written in the note at `source`."""
        if not target:
            return None
        note = self.resolver.resolve_one(target, source)
        return note if isinstance(note, Contact) else None

    def contact_of(self, interview: Interview) -> Contact | None:
        target = interview.contact.target if interview.contact else None
        return self.resolve_contact(target, interview.path)

    def referrer_of(self, contact: Contact) -> Contact | None:
        target = contact.referred_by.target if contact.referred_by else None
        return self.resolve_contact(target, contact.path)

    def organization_of(self, contact: Contact) -> Organization | None:
        if not contact.organization:
            return None
        note = self.resolver.resolve_one(contact.organization, contact.path)
        return note if isinstance(note, Organization) else None

    @cached_property
    def _interviews_by_contact(self) -> dict[str, list[Interview]]:
        found: dict[str, list[Interview]] = defaultdict(list)
        for interview in self.interviews:
            contact = self.contact_of(interview)
            if contact is not None:
                found[contact.path].append(interview)
        for interviews in found.values():
            interviews.sort(
                key=lambda iv: (
                    dates.sort_key(iv.start) if iv.start else (datetime.max.date(), 0, 0.0),
                    iv.path,
                )
            )
        return found

    def interviews_of(self, contact: Contact) -> list[Interview]:
        """The contact's interviews, earliest first."""
        return self._interviews_by_contact.get(contact.path, [])

    def status_of(self, interview: Interview, now: datetime) -> str:
        return interview_status(interview, now, self.config)

    def stage_of(self, contact: Contact, now: datetime) -> str:
        statuses = [self.status_of(iv, now) for iv in self.interviews_of(contact)]
        return contact_stage(contact.status, statuses, contact.requested is not None)

    def derived(self, make: Callable[[VaultIndex], T]) -> T:
        """`make(self)`, computed once for this index: where the rules keep what they
        derive from the whole vault and share between them (referral chains)."""
        if make not in self._derived:
            self._derived[make] = make(self)
        found: T = self._derived[make]
        return found

    def referral_chain(self, contact: Contact) -> list[Contact]:
        """Who referred this contact, then who referred them, ... (stops at a loop)."""
        chain: list[Contact] = []
        seen = {contact.path}
        current = self.referrer_of(contact)
        while current is not None and current.path not in seen:
            chain.append(current)
            seen.add(current.path)
            current = self.referrer_of(current)
        return chain

    def _vault_relative(self, text: str) -> str:
        """An absolute path, or one starting `./` or `../` (from the current folder), as a
        vault-relative path; any other text is returned as it is."""
        if not (os.path.isabs(text) or text.startswith(("./", "../", ".\\", "..\\"))):
            return text
        absolute = Path(os.path.abspath(os.path.expanduser(text)))
        for candidate in (absolute, absolute.resolve()):
            try:
                return candidate.relative_to(self.root).as_posix()
            except ValueError:
                continue
        raise UsageError(f"{text} is outside the vault ({self.root})")

    def find(self, text: str, kinds: tuple[str, ...] = ()) -> Note:
        """A note named on the command line: path, id, name or alias. UsageError if not
        one. Unlike a link, a name that several notes share is not settled by folder
        or length: the user is shown their paths and picks one."""
        candidate = self._vault_relative(text.strip()).replace("\\", "/")
        if candidate in self.by_path:
            found: tuple[Note, ...] = (self.by_path[candidate],)
        elif candidate + ".md" in self.by_path:
            found = (self.by_path[candidate + ".md"],)
        else:
            found = self.resolver.candidates(candidate)
        other = found
        if kinds:
            found = tuple(note for note in found if note.kind in kinds)
        what = " or ".join(kinds) if kinds else "note"
        if not found:
            if other:  # `log request 2026-11-19-jane`: the right name, the wrong kind
                raise UsageError(f"no {what} matches {text!r}: {not_of_kind(other[0], what)}")
            # A note whose front matter did not load may be the one meant, whatever its kind.
            wanted = (
                note
                for note in self.notes
                if not kinds or note.kind in kinds or unread_front_matter(note)
            )
            raise UsageError(f"no {what} matches {text!r}{did_you_mean(wanted, text)}")
        if len(found) > 1:
            names = ", ".join(note.path for note in found[:10])
            more = f" and {len(found) - 10:,} more" if len(found) > 10 else ""
            raise UsageError(f"{text!r} matches several notes: {names}{more}; give the path")
        return found[0]


def build_index(
    root: Path,
    config: Config,
    parsed: Iterable[ParsedNote],
    attachments: Iterable[str] | None = None,
) -> VaultIndex:
    """The index of these parsed notes, typed with the config's zone."""
    zone = config.zone
    return VaultIndex(root, config, [build_note(note, zone) for note in parsed], attachments)
