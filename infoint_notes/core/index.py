"""The vault in memory: every note parsed and typed, with lookups between them.

Built from notes already parsed (`build_index`) or typed (`VaultIndex`); where they come
from (the files, the cache, helper processes) is the business of the layers above.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from . import dates
from .config import Config
from .derive import contact_stage, interview_status
from .errors import UsageError
from .links import LinkResolver
from .model import Contact, Interview, Milestone, Note, Organization, ParsedNote
from .notes import build_note

T = TypeVar("T")


class VaultIndex:
    """All notes of a vault, typed and linked."""

    def __init__(self, root: Path, config: Config, notes: list[Note]) -> None:
        self.root = root
        self.config = config
        self.notes = tuple(sorted(notes, key=lambda note: note.path))
        self.resolver = LinkResolver(self.notes)
        self.by_path = {note.path: note for note in self.notes}
        self._derived: dict[Callable[[VaultIndex], Any], Any] = {}

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

    def resolve_contact(self, target: str | None) -> Contact | None:
        if not target:
            return None
        note = self.resolver.resolve_one(target)
        return note if isinstance(note, Contact) else None

    def contact_of(self, interview: Interview) -> Contact | None:
        return self.resolve_contact(interview.contact.target if interview.contact else None)

    def referrer_of(self, contact: Contact) -> Contact | None:
        return self.resolve_contact(contact.referred_by.target if contact.referred_by else None)

    def organization_of(self, contact: Contact) -> Organization | None:
        if not contact.organization:
            return None
        note = self.resolver.resolve_one(contact.organization)
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
        """A note named on the command line: path, id, name or alias. UsageError if not one."""
        candidate = self._vault_relative(text.strip()).replace("\\", "/")
        if candidate in self.by_path:
            found: tuple[Note, ...] = (self.by_path[candidate],)
        elif candidate + ".md" in self.by_path:
            found = (self.by_path[candidate + ".md"],)
        else:
            found = self.resolver.resolve(candidate)
        if kinds:
            found = tuple(note for note in found if note.kind in kinds)
        what = " or ".join(kinds) if kinds else "note"
        if not found:
            raise UsageError(f"no {what} matches {text!r}")
        if len(found) > 1:
            names = ", ".join(note.path for note in found)
            raise UsageError(f"{text!r} matches several notes: {names}; give the path")
        return found[0]


def build_index(root: Path, config: Config, parsed: Iterable[ParsedNote]) -> VaultIndex:
    """The index of these parsed notes, typed with the config's zone."""
    zone = config.zone
    return VaultIndex(root, config, [build_note(note, zone) for note in parsed])
