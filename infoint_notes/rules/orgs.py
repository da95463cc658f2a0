"""Organizations as the user's network covers them (SPEC 4.15).

An organization is an organization note, or a name that contacts write in `organization`
without a note. A contact belongs to an organization note when its `organization` links
to it, or names it by id, name or alias; other values group by their `organization_key`,
so `Tailspin Toys`, `tailspin toys` and `Tailspin Toys, Inc.` are one organization.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from ..core import dates
from ..core.derive import STAGES
from ..core.errors import UsageError
from ..core.index import VaultIndex
from ..core.model import Contact, Organization, When
from ..core.organizations import OrganizationLookup, organization_key
from ..core.parse import normalise_key
from .graph import ReferralGraph


@dataclass(frozen=True, slots=True)
class OrgGroup:
    """One organization and the contacts who work there."""

    key: str  #: the note's path, or the `organization_key` of an organization without a note
    name: str
    note: Organization | None
    contacts: tuple[Contact, ...]  #: by name

    def matches(self, text: str) -> bool:
        """Whether the user means this organization by `text` (id, name, alias)."""
        wanted = organization_key(text)
        names = [self.name]
        if self.note is not None:
            names += [self.note.id, self.note.path[:-3], *self.note.aliases]
        return any(organization_key(name) == wanted for name in names)


def group_organizations(index: VaultIndex) -> list[OrgGroup]:
    """Every organization note, plus every organization name contacts use without one."""
    lookup = OrganizationLookup(index)
    members: dict[str, list[Contact]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    # Colleagues write the same text in the same folder, which means the same: looked up
    # once (a link is resolved from the note's folder, and from nothing else of it).
    keys: dict[tuple[str, str], str] = {}
    for contact in index.contacts:
        if not contact.organization:
            continue
        written = (contact.organization, contact.path.rpartition("/")[0])
        key = keys.get(written)
        if key is None:
            org = lookup.find(contact.organization, contact.path)
            key = keys[written] = (
                org.path if org is not None else organization_key(contact.organization)
            )
        members[key].append(contact)
        spellings[key][" ".join(contact.organization.split())] += 1
    groups = []
    for org in index.organizations:
        groups.append(OrgGroup(org.path, org.title, org, _by_name(members.pop(org.path, []))))
    for key, contacts in members.items():
        # Most used spelling; ties to the shortest ("Fabrikam" over "Fabrikam, Inc."), then
        # the alphabetically first, so output is stable.
        name = min(spellings[key].items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0]
        groups.append(OrgGroup(key, name, None, _by_name(contacts)))
    return groups


def _by_name(contacts: list[Contact]) -> tuple[Contact, ...]:
    return tuple(sorted(contacts, key=lambda c: (normalise_key(c.title), c.path)))


@dataclass(frozen=True, slots=True)
class Coverage:
    """How well the network covers one organization."""

    group: OrgGroup
    by_stage: dict[str, int]  #: non-zero counts, in stage order
    interviews_done: int
    last_interview: When | None


def coverage(index: VaultIndex, now: datetime) -> list[Coverage]:
    """Per organization, most interviews first, then by name."""
    rows = []
    for group in group_organizations(index):
        stages = Counter(index.stage_of(contact, now) for contact in group.contacts)
        done = [
            iv.start
            for contact in group.contacts
            for iv in index.interviews_of(contact)
            if iv.start is not None and index.status_of(iv, now) == "done"
        ]
        rows.append(
            Coverage(
                group,
                {stage: stages[stage] for stage in STAGES if stages[stage]},
                len(done),
                max(done, key=dates.sort_key) if done else None,
            )
        )
    rows.sort(key=lambda row: (-row.interviews_done, normalise_key(row.group.name), row.group.key))
    return rows


def find_group(groups: list[OrgGroup], text: str) -> OrgGroup:
    """The organization the user named; UsageError naming the candidates otherwise."""
    found = [group for group in groups if group.matches(text)]
    if not found:
        # A part of the name is a friendly second chance: `orgs north` -> Northwind.
        wanted = normalise_key(text)
        found = [group for group in groups if wanted in normalise_key(group.name)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise UsageError(f"no organization matches {text!r}; see 'infoint orgs' for the list")
    names = ", ".join(sorted(group.name for group in found))
    raise UsageError(f"{text!r} matches several organizations: {names}")


@dataclass(frozen=True, slots=True)
class Person:
    """Someone at an organization: a contact, or a referral without a note."""

    id: str  #: note id, or `pending:<slug>`
    name: str
    title: str | None
    stage: str  #: the contact's stage, or `pending` for a referral without a note
    last_interview: When | None
    referred_by: tuple[str, ...]  #: node ids of who referred them


def people_at(
    index: VaultIndex, group: OrgGroup, graph: ReferralGraph, now: datetime
) -> list[Person]:
    """Who do I know here: the group's contacts, then referrals without a note whose
    `organization` names it, each with who referred them."""
    people = []
    for contact in group.contacts:
        node = graph.node(contact.id) if contact.id in graph else None
        people.append(
            Person(
                contact.id,
                contact.title,
                contact.job_title,
                index.stage_of(contact, now),
                node.last_interview if node else None,
                graph.parents(contact.id),
            )
        )
    lookup = OrganizationLookup(index)
    for node in graph.nodes:
        if node.has_note or not node.organization:
            continue
        org = lookup.find(node.organization)
        key = org.path if org is not None else organization_key(node.organization)
        if key == group.key:
            people.append(Person(node.id, node.name, None, "pending", None, graph.parents(node.id)))
    return people
