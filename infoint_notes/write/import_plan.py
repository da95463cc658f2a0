"""Who in an import file is new, what their notes are called, and where their links
point (SPEC 4.11). Pure: nothing here reads or writes a file.

A person of the file is someone the vault (or an earlier row of the file) already has
when, in this order:

1. they share an email address (any of `email` and `other_emails`) or a LinkedIn URL;
2. the file's exported id or vCard UID names that contact (its note id, or the UID
   `export` derives from it), and the two agree: the same name, and the same
   organization where both have one;
3. they have the same name, with the same organization where both have one, unless
   their LinkedIn URLs differ, or they are told apart by the file itself: two cards with
   different UIDs, or two exported contacts with different ids, are two people of the
   same name (the vault that exported them had two notes).

Such a person is skipped and counted, so importing a file twice adds nothing. A new
person's note takes the id it was exported with when that is free (the export of a
vault imported into an empty one gives back the same notes under the same ids);
otherwise, and for people without one, the slug of their name, numbered `-2`, `-3` when
taken. An exported id that is taken (by another person, or any other note) is reported,
and links to it from the same file (`referred_by: "[[sam-lee]]"`, vCard `RELATED`)
follow the person to the note they get.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from ..core.identity import OrganizationKey, linkedin_key, plain_organization_key, vcard_uid
from ..core.model import Contact, Note
from ..core.parse import normalise_key
from ..core.schema import KINDS, Value
from ..core.slug import reserved, slugify, unique_name
from ..formats.contacts import ContactRecord, ReadResult, email_address


@dataclass(frozen=True, slots=True)
class PlannedImport:
    """What an import will do: the records to create and the ones it skips."""

    create: tuple[ContactRecord, ...]
    #: (record, the existing note path or "line N of the same file") of duplicates.
    skipped: tuple[tuple[ContactRecord, str], ...]
    invalid: tuple[tuple[int, str], ...] = ()
    #: The file's encoding when it was not UTF-8.
    read_as: str | None = None
    #: Normalised exported id or UID of a skipped record -> the person it is: a note id
    #: of the vault, or a record created (for links from the records created).
    existing: dict[str, str | ContactRecord] = field(default_factory=dict)


@dataclass(eq=False, slots=True)
class _Person:
    """Someone the import has met: a contact of the vault, or a row of the file."""

    where: str  # the note's path, or "line N of the same file"
    name: str  # normalised
    organization: str | None  # its organization key
    linkedin: str | None  # its LinkedIn key
    note_id: str | None  # the vault's note id (None for a row of the file)
    record: ContactRecord | None = None
    #: The exported id or UID of the row of this file that is this person.
    told: str | None = None


def _emails(values: Iterable[Any]) -> list[str]:
    found: list[str] = []
    for value in values:
        items = value if isinstance(value, (list, tuple)) else [value]
        found.extend(item.strip().lower() for item in items if isinstance(item, str))
    return [item for item in found if item]


def _told(record: ContactRecord) -> str | None:
    """What tells this row's person from others of the same name in the same file."""
    if record.id:
        return "id:" + normalise_key(record.id)
    return "uid:" + record.uid if record.uid else None


class _People:
    """Everyone met so far, by each thing that identifies them."""

    def __init__(self, organization_key: OrganizationKey) -> None:
        self.organization_key = organization_key
        self.by_key: dict[tuple[str, str], _Person] = {}
        self.by_id: dict[str, _Person] = {}
        self.by_uid: dict[str, _Person] = {}
        self.by_name: dict[str, list[_Person]] = {}

    def _organization(self, value: Any) -> str | None:
        text = value if isinstance(value, str) else ""
        return self.organization_key(text) if text.strip() else None

    def add_contact(self, contact: Contact) -> None:
        person = _Person(
            contact.path,
            normalise_key(contact.name or ""),
            self._organization(contact.organization),
            linkedin_key(contact.linkedin) if contact.linkedin else None,
            contact.id,
        )
        emails = _emails([contact.email, contact.typed.get("other_emails", ())])
        self._index(person, emails, [vcard_uid(contact.id)], [contact.id])

    def _index(self, person: _Person, emails: list[str], uids: list[str], ids: list[str]) -> None:
        for email in emails:
            self.by_key.setdefault(("email", email), person)
        if person.linkedin:
            self.by_key.setdefault(("linkedin", person.linkedin), person)
        for uid in uids:
            self.by_uid.setdefault(uid, person)
        for note_id in ids:
            self.by_id.setdefault(normalise_key(note_id), person)
        if person.name and person not in self.by_name.get(person.name, ()):
            self.by_name.setdefault(person.name, []).append(person)

    def meet(self, record: ContactRecord) -> _Person | None:
        """The person `record` already is, if any; either way, from now on `record`'s
        keys lead to that person (so a later row sharing only one of them matches)."""
        fields = record.fields
        emails = _emails([fields.get("email"), fields.get("other_emails")])
        emails = [email for email in emails if email_address(email)]
        linkedin = fields.get("linkedin")
        new = _Person(
            f"line {record.line} of the same file",
            normalise_key(record.name),
            self._organization(fields.get("organization")),
            linkedin_key(linkedin) if isinstance(linkedin, str) and linkedin.strip() else None,
            None,
            record,
            _told(record),
        )
        found = self._same(new, emails, record)
        person = found or new
        if found is not None and found.told is None:
            found.told = new.told
        self._index(
            person,
            emails,
            [record.uid] if record.uid else [],
            [record.id] if record.id else [],
        )
        return found

    def _same(self, new: _Person, emails: list[str], record: ContactRecord) -> _Person | None:
        keys = [("email", email) for email in emails]
        if new.linkedin:
            keys.append(("linkedin", new.linkedin))
        for key in keys:
            if key in self.by_key:
                return self.by_key[key]
        named = [
            self.by_uid.get(record.uid or ""),
            self.by_id.get(normalise_key(record.id)) if record.id else None,
        ]
        for person in named:
            if person is not None and person.name == new.name and self._agree(person, new):
                return person
        for person in self.by_name.get(new.name, ()):
            if not self._agree(person, new):
                continue
            if person.linkedin and new.linkedin and person.linkedin != new.linkedin:
                continue
            if person.told and new.told and person.told != new.told:
                continue
            return person
        return None

    @staticmethod
    def _agree(one: _Person, other: _Person) -> bool:
        """The same organization, where both have one."""
        return (
            one.organization is None
            or other.organization is None
            or (one.organization == other.organization)
        )


def plan_import(
    contacts: Iterable[Contact],
    result: ReadResult,
    organization_key: OrganizationKey = plain_organization_key,
) -> PlannedImport:
    """Split records into new ones and duplicates (of the vault or of an earlier row).
    `organization_key` says when two organization texts are the same employer."""
    people = _People(organization_key)
    for contact in contacts:
        people.add_contact(contact)
    create: list[ContactRecord] = []
    skipped: list[tuple[ContactRecord, str]] = []
    existing: dict[str, str | ContactRecord] = {}
    for record in result.records:
        found = people.meet(record)
        if found is None:
            create.append(record)
            continue
        skipped.append((record, found.where))
        person = found.note_id or found.record
        for told in (record.id and normalise_key(record.id), record.uid):
            if told and person is not None:
                existing[told] = person
    return PlannedImport(tuple(create), tuple(skipped), result.invalid, result.read_as, existing)


# --- names and links ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NamedRecord:
    """A record to create, with its note's file name (without `.md`)."""

    record: ContactRecord
    name: str
    #: Said about it in the import report (an exported id it could not keep).
    notes: tuple[str, ...] = ()


#: Characters no note name may hold: path separators, and what Windows and Obsidian refuse.
_UNSAFE = re.compile(r'[/\\:*?"<>|#^\[\]\x00-\x1f\x7f]')


def _as_file_name(note_id: str) -> str | None:
    """An exported id as a file name, when it is a safe one (`sam-lee-2`, `José Núñez`)."""
    name = unicodedata.normalize("NFC", note_id.strip())
    if not name or name != note_id or _UNSAFE.search(name) or name.startswith("."):
        return None
    if name.endswith((".", " ")) or len(name.encode("utf-8")) > 200 or reserved(name):
        return None
    return name


def name_notes(plan: PlannedImport, taken: set[str], holders: dict[str, str]) -> list[NamedRecord]:
    """The file name of each new note: its exported id when free, else the slug of its
    name, numbered when taken. `taken` holds the names in use (normalised; the new ones
    are added); `holders` maps a normalised id in use to the note's path, for messages.
    Links between the records follow the people (`relink`)."""
    named: dict[int, NamedRecord] = {}
    # Records with an exported id first: they keep it even when a row without one, of
    # the same name, comes earlier in the file.
    order = sorted(range(len(plan.create)), key=lambda n: plan.create[n].id is None)
    for number in order:
        record = plan.create[number]
        wanted = _as_file_name(record.id) if record.id else None
        base = wanted or slugify(record.name, "contact")
        name = unique_name(base, taken)
        notes = []
        if record.id and name != record.id:
            holder = holders.get(normalise_key(record.id))
            why = f"is taken by {holder}" if holder and wanted else "is no safe file name"
            notes.append(f"its id {record.id!r} {why}; its note is contacts/{name}.md")
        taken.add(normalise_key(name))
        holders.setdefault(normalise_key(name), f"line {record.line} of the same file")
        named[number] = NamedRecord(record, name, tuple(notes))
    return relink(plan, [named[number] for number in range(len(plan.create))])


def relink(plan: PlannedImport, named: list[NamedRecord]) -> list[NamedRecord]:
    """The records with their link fields pointing at the notes the people they name
    now have: `[[sam-lee]]` for the exported `sam-lee` that became `sam-lee-3`, or that
    is the vault's `samuel-lee`; and a card's `RELATED;TYPE=contact` as `referred_by`."""
    names = {id(item.record): item.name for item in named}
    moved = {
        told: person if isinstance(person, str) else names[id(person)]
        for told, person in plan.existing.items()
        if isinstance(person, str) or id(person) in names
    }
    for item in named:
        for told in (item.record.id and normalise_key(item.record.id), item.record.uid):
            if told:
                moved[told] = item.name
    links = [
        declared.key
        for declared in KINDS["contact"].fields
        if declared.value in (Value.LINK, Value.LINKS)
    ]
    result = []
    for item in named:
        fields = dict(item.record.fields)
        for key in links:
            if key in fields:
                fields[key] = _relinked(fields[key], moved)
        referrer = item.record.referrer_uid
        if "referred_by" not in fields and referrer and referrer in moved:
            fields["referred_by"] = f"[[{moved[referrer]}]]"
        result.append(replace(item, record=replace(item.record, fields=fields)))
    return result


_WIKILINK = re.compile(r"\[\[([^\]|#]+)([^\]]*)\]\]\Z")


def _relinked(value: Any, moved: dict[str, str]) -> Any:
    if isinstance(value, list):
        return [_relinked(item, moved) for item in value]
    if not isinstance(value, str):
        return value
    link = _WIKILINK.match(value.strip())
    target = link[1] if link else value
    new = moved.get(normalise_key(target))
    if new is None or normalise_key(new) == normalise_key(target):
        return value
    return f"[[{new}{link[2]}]]" if link else new


def holders_of(notes: Iterable[Note]) -> dict[str, str]:
    """Normalised note id -> path, for `name_notes`' messages."""
    return {normalise_key(note.id): note.path for note in notes}
