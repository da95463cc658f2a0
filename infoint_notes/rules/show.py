"""One note in full for `infoint show` (SPEC 4.4): its fields, stage, interviews,
referral chain, whom it led to, and its agenda items. Pure, like the agenda."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..core import dates
from ..core.index import VaultIndex
from ..core.model import Contact, Interview, Milestone, Note, Organization, When
from ..core.organizations import OrganizationLookup
from .agenda import AgendaItem, build_agenda, referral_contact, referral_pending
from .tiara import tiara_counts


@dataclass(frozen=True, slots=True)
class PersonRef:
    """A contact, or a referral that has no note yet (id and path None)."""

    name: str
    id: str | None
    path: str | None
    #: The contact's stage, where a listing shows it.
    stage: str | None = None

    def to_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"id": self.id, "name": self.name, "path": self.path}
        if self.stage is not None:
            found["stage"] = self.stage
        return found


@dataclass(frozen=True, slots=True)
class InterviewRow:
    id: str
    path: str
    date: When | None
    status: str
    #: The interviewed contact's id (None when the link resolves to no contact).
    contact: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "date": dates.format_when(self.date) if self.date is not None else None,
            "status": self.status,
            "contact": self.contact,
        }


@dataclass(frozen=True, slots=True)
class ReferredRow:
    """Someone this contact (or interview) led to."""

    person: PersonRef
    #: The interview whose `referrals` name them; None when only `referred_by` says so.
    via: str | None
    pending: bool

    def to_dict(self) -> dict[str, Any]:
        return {**self.person.to_dict(), "via": self.via, "pending": self.pending}


@dataclass(frozen=True, slots=True)
class NoteView:
    """Everything `infoint show` prints about one note."""

    note: Note
    #: A contact's stage (SPEC 3.1); None for other kinds.
    stage: str | None = None
    #: An interview's status; None for other kinds.
    status: str | None = None
    #: An interview's contact.
    contact: PersonRef | None = None
    interviews: tuple[InterviewRow, ...] = ()
    #: Who referred the contact, then who referred them, ... up to the first contact.
    referral_chain: tuple[PersonRef, ...] = ()
    referred: tuple[ReferredRow, ...] = ()
    #: An organization's contacts, or the people a milestone thanks.
    contacts: tuple[PersonRef, ...] = ()
    agenda: tuple[AgendaItem, ...] = ()
    #: An interview's prepared questions per TIARA kind (`tiara.tiara_counts`).
    tiara: dict[str, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        note = self.note
        return {
            "id": note.id,
            "path": note.path,
            "kind": note.kind,
            "name": note.title,
            "fields": note.data,
            "stage": self.stage,
            "status": self.status,
            "contact": self.contact.to_dict() if self.contact else None,
            "interviews": [row.to_dict() for row in self.interviews],
            "referral_chain": [person.to_dict() for person in self.referral_chain],
            "referred": [row.to_dict() for row in self.referred],
            "contacts": [person.to_dict() for person in self.contacts],
            "agenda": [item.to_dict() for item in self.agenda],
            "tiara": self.tiara,
        }


def _person(contact: Contact, stage: str | None = None) -> PersonRef:
    return PersonRef(contact.title, contact.id, contact.path, stage)


class _Viewer:
    def __init__(
        self, index: VaultIndex, now: datetime, agenda: Sequence[AgendaItem] | None
    ) -> None:
        self.index = index
        self.now = now
        self.agenda = build_agenda(index, now) if agenda is None else agenda

    def rows(self, interviews: list[Interview]) -> tuple[InterviewRow, ...]:
        def row(interview: Interview) -> InterviewRow:
            contact = self.index.contact_of(interview)
            return InterviewRow(
                interview.id,
                interview.path,
                interview.start,
                self.index.status_of(interview, self.now),
                contact.id if contact else None,
            )

        def key(row: InterviewRow) -> tuple[Any, ...]:
            when = dates.sort_key(row.date) if row.date is not None else (datetime.max.date(),)
            return (when, row.path)

        return tuple(sorted((row(interview) for interview in interviews), key=key))

    def referrals_of(self, interview: Interview) -> list[ReferredRow]:
        found = []
        for referral in interview.referrals:
            person = referral_contact(self.index, referral)
            ref = _person(person) if person else PersonRef(referral.name, None, None)
            found.append(ReferredRow(ref, interview.id, referral_pending(self.index, person)))
        return found

    def chain(self, contact: Contact | None) -> tuple[PersonRef, ...]:
        if contact is None:
            return ()
        return tuple(_person(person) for person in self.index.referral_chain(contact))

    def items(self, notes: set[str], contacts: set[str]) -> tuple[AgendaItem, ...]:
        return tuple(item for item in self.agenda if item.note in notes or item.contact in contacts)

    def contact(self, contact: Contact) -> NoteView:
        interviews = self.index.interviews_of(contact)
        referred = [row for interview in interviews for row in self.referrals_of(interview)]
        named = {row.person.id for row in referred if row.person.id}
        for other in self.index.contacts:
            if other.id not in named and self.index.referrer_of(other) is contact:
                referred.append(
                    ReferredRow(_person(other), None, referral_pending(self.index, other))
                )
        return NoteView(
            contact,
            stage=self.index.stage_of(contact, self.now),
            interviews=self.rows(interviews),
            referral_chain=self.chain(contact),
            referred=tuple(referred),
            agenda=self.items(
                {contact.path, *(interview.path for interview in interviews)}, {contact.id}
            ),
        )

    def interview(self, interview: Interview) -> NoteView:
        contact = self.index.contact_of(interview)
        who = None
        if contact is not None:
            who = _person(contact, self.index.stage_of(contact, self.now))
        elif interview.contact is not None:
            who = PersonRef(interview.contact.target, None, None)
        return NoteView(
            interview,
            status=self.index.status_of(interview, self.now),
            contact=who,
            referral_chain=self.chain(contact),
            referred=tuple(self.referrals_of(interview)),
            agenda=self.items({interview.path}, set()),
            tiara=tiara_counts(question.text for question in interview.questions),
        )

    def organization(self, organization: Organization) -> NoteView:
        # By name too, legal suffixes aside ("Fabrikam, Inc." is "Fabrikam", SPEC 3.3),
        # as `orgs` and `targets` group them.
        lookup = OrganizationLookup(self.index)
        members = [
            contact
            for contact in self.index.contacts
            if lookup.find(contact.organization, contact.path) is organization
        ]
        interviews = [
            interview for member in members for interview in self.index.interviews_of(member)
        ]
        return NoteView(
            organization,
            interviews=self.rows(interviews),
            contacts=tuple(
                _person(member, self.index.stage_of(member, self.now)) for member in members
            ),
            agenda=self.items({organization.path}, {member.id for member in members}),
        )

    def milestone(self, milestone: Milestone) -> NoteView:
        thanked = [self.index.resolve_contact(link.target) for link in milestone.thanks]
        return NoteView(
            milestone,
            contacts=tuple(
                _person(person, self.index.stage_of(person, self.now))
                for person in thanked
                if person is not None
            ),
            agenda=self.items({milestone.path}, set()),
        )


def view_note(
    index: VaultIndex, note: Note, now: datetime, agenda: Sequence[AgendaItem] | None = None
) -> NoteView:
    """What `infoint show` says about `note` at `now`. `agenda`: the vault's agenda at
    `now` when the caller has it already (the language server keeps it per index)."""
    viewer = _Viewer(index, now, agenda)
    if isinstance(note, Contact):
        return viewer.contact(note)
    if isinstance(note, Interview):
        return viewer.interview(note)
    if isinstance(note, Organization):
        return viewer.organization(note)
    if isinstance(note, Milestone):
        return viewer.milestone(note)
    return NoteView(note, agenda=viewer.items({note.path}, set()))
