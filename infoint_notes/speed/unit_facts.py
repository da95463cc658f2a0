"""What the incremental agenda (`incremental`) knows of each note without reading it:
its `Facts` (kind, id, names, unit, the units its referrals mean, its organization
keys), each agenda item's unit, and the structure a full computation stores for the
next edit (`structure_of`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from operator import attrgetter
from typing import Any, NamedTuple

from ..core.index import VaultIndex
from ..core.links import relative_key, target_key
from ..core.model import Contact, Interview, Note, Organization
from ..core.organizations import organization_key
from ..core.slug import slugify
from ..rules.agenda import AgendaItem
from .buckets import Tables
from .memory import paused_gc

#: The resolver's tables and the names of their stored copies.
RESOLVER_TABLES: tuple[tuple[str, str], ...] = (
    ("by_path", "p"),
    ("by_id", "i"),
    ("by_suffix", "s"),
    ("by_name", "n"),
    ("by_alias", "a"),
)

#: The other tables: a note's facts, a unit's notes, the interviews whose referrals
#: mean a contact (or name), the contacts of an organization key.
FACTS, MEMBERS, REFERRERS, COLLEAGUES = "f", "m", "r", "o"


#: A column of a delta's rows while they are merged: each item's place (`Delta.cuts`).
CUT = "cut"


#: And the places of a unit's items in the memo (as written whole: a delta does not
#: change them).
PLACES = "u"


#: And the organization notes by the `organization_key` of their id, name and aliases.
NAMED = "k"


#: And the notes whose texts are looked up under each key (`Facts.targets`): those a
#: note added or removed under that key may change.
BACKLINKS = "b"


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
    #: active colleagues not asked yet, alumni first, at the organization as written,
    #: grouped by the organization notes its text resolves to): while it stays the
    #: same, an edit of the contact changes no colleague's items.
    roster: tuple[Any, ...] = ()
    #: The keys its links and names are looked up under (`lookup_keys`).
    targets: tuple[str, ...] = ()

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
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every key under which colleagues of `contact` are found: its organization as
    written (`organization_key`), and each organization note the text may mean (by
    link, id, name or alias: every note any reading of it may pick); and the notes
    its link resolves to, which pick the one it is grouped under (a note added that
    takes the link leaves the keys as they were, and groups it by name)."""
    text = contact.organization
    if not text:
        return (), ()
    # Resolved from the note's folder: the same text in the same folder means the same.
    memo = index.derived(_organization_memo)
    folder = contact.path.rpartition("/")[0]
    found = memo.get((text, folder))
    if found is None:
        key = organization_key(text)
        meant = index.resolver.resolve(text, contact.path)
        notes = tuple(note.path for note in meant if note.kind == "organization")
        keys = {"t:" + key, *("n:" + path for path in (*notes, *named(key)))}
        found = memo[text, folder] = (tuple(sorted(keys)), notes)
    return found


def _organization_memo(
    index: VaultIndex,
) -> dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]]:
    return {}


def organization_names(organization: Note) -> set[str]:
    """The keys `OrganizationLookup` finds an organization note under."""
    texts = (organization.id, organization.name or "", *organization.aliases)
    return {key for key in map(organization_key, texts) if key}


def lookup_keys(note: Note) -> tuple[str, ...]:
    """Every key the resolver is asked under for a text of `note` (a link in a field or
    the body, an organization, a referral's organization; a relative link as the path
    it reaches from the note's folder, and from the vault's root: the rules resolve
    referrals and a milestone's thanks from no note): a note added or removed under
    none of them means nothing new to it."""
    texts = [link.target for link in note.field_links]
    texts += [link.target for link in note.parsed.body.links]
    if isinstance(note, Contact) and note.organization:
        texts.append(note.organization)
    if isinstance(note, Interview):
        texts += [referral.organization for referral in note.referrals if referral.organization]
    keys = set(map(_target_key, texts))
    for key in [key for key in keys if key in (".", "..") or key.startswith(("./", "../"))]:
        keys.discard(key)
        keys.update((relative_key(key, note.path) or "", relative_key(key, None) or ""))
    keys.discard("")
    return tuple(sorted(keys))


#: `target_key`, remembered: notes link to the same few people over and over.
_target_key = lru_cache(maxsize=65536)(target_key)


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
        organizations, linked = _organization_keys(index, note, named)
        roster = (note.status, note.requested is None, note.source, note.organization, linked)
    elif isinstance(note, Organization):
        organizations = ("n:" + note.path,)
    return Facts(
        note.kind,
        note.id,
        note.name,
        tuple(note.aliases),
        unit,
        referrals,
        organizations,
        roster,
        lookup_keys(note),
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
    return with_places(structure_apart_from_items(index), index, items)


def structure_apart_from_items(index: VaultIndex) -> Any:
    """The structure but the items' places (which need the items); marshallable."""
    with paused_gc():
        named: dict[str, list[str]] = defaultdict(list)
        for organization in index.organizations:
            for key in organization_names(organization):
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
        backlinks: dict[str, list[str]] = defaultdict(list)
        for path, found in facts.items():
            for key in found.targets:
                backlinks[key].append(path)
            if found.unit is not None:
                members[found.unit].append(path)
            for person in found.referrals:
                referrers[person].append(path)
            if found.kind == "contact":
                for key in found.organizations:
                    colleagues[key].append(path)
        tables: dict[str, dict[str, Any]] = {
            FACTS: {path: tuple(found) for path, found in facts.items()},
            MEMBERS: _packed(members),
            REFERRERS: _packed(referrers),
            COLLEAGUES: _packed(colleagues),
            NAMED: _packed(named),
            BACKLINKS: _packed(backlinks),
        }
        path_of = attrgetter("path")
        for name, letter in RESOLVER_TABLES:
            tables[letter] = {
                key: notes[0].path if len(notes) == 1 else tuple(map(path_of, notes))
                for key, notes in getattr(index.resolver, name).items()
            }
        return Tables.build(tables).stored(), shared_context(index)


def with_places(apart: Any, index: VaultIndex, items: Sequence[AgendaItem]) -> Any:
    """The structure: `structure_apart_from_items` with each item's place by unit."""
    stored, context = apart
    places: dict[str, list[int]] = defaultdict(list)
    for place, unit in enumerate(units_of(index, items)):
        places[str(unit)].append(place)
    table = {unit: tuple(found) for unit, found in places.items()}
    return {**stored, **Tables.build({PLACES: table}).stored()}, context


def _packed(table: dict[str, list[str]]) -> dict[str, str | tuple[str, ...]]:
    """Lists of paths as stored: one path as itself (most are), several as a tuple."""
    return {key: paths[0] if len(paths) == 1 else tuple(paths) for key, paths in table.items()}


def unpacked(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)
