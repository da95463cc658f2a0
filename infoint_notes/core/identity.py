"""When two contacts are the same person: same email, LinkedIn URL, or name and
organization, compared normalised. `validate` (duplicate-contact) and `import` (skip
existing people) must agree, so both use this."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import organizations
from .model import Contact
from .organizations import OrganizationLookup
from .parse import normalise_key

if TYPE_CHECKING:
    from .index import VaultIndex

#: A namespace for stable vCard UIDs derived from note ids.
_UID_NAMESPACE = uuid.UUID("5b0d4f4e-2f1c-4a53-9a57-6f1e2d7a9c11")
_URL_PREFIX = re.compile(r"^(?:https?://)?(?:[a-z]{2,3}\.)?(?:www\.)?")


def linkedin_key(url: str) -> str:
    """`https://www.linkedin.com/in/jane/?x=1` and `linkedin.com/in/jane` are the same."""
    url = url.strip().lower().split("?", 1)[0].rstrip("/")
    return _URL_PREFIX.sub("", url)


def plain_organization_key(organization: str) -> str:
    """An organization as written, compared as `organization_key` does (`[[x]]` counts as
    `x`; "Fabrikam, Inc." as "Fabrikam")."""
    org = organization.strip()
    if org.startswith("[[") and org.endswith("]]"):
        org = org[2:-2].split("|", 1)[0]
    return organizations.organization_key(org)


OrganizationKey = Callable[[str], str]


def organization_keys(index: VaultIndex) -> OrganizationKey:
    """Organization text -> one key per organization: a link, the note's id, its name
    and its aliases all give the note's key, so `[[northwind]]` and `Northwind Traders`
    are the same employer. The organization notes are read at the first call."""
    lookups: list[OrganizationLookup] = []

    def key(organization: str) -> str:
        if not lookups:
            lookups.append(OrganizationLookup(index))
        plain = plain_organization_key(organization)
        note = lookups[0].find(organization.strip().removeprefix("[[").removesuffix("]]"))
        return f"note:{normalise_key(note.id)}" if note is not None else plain

    return key


def identity_keys(
    name: Any,
    organization: Any,
    email: Any,
    linkedin: Any,
    organization_key: OrganizationKey = plain_organization_key,
) -> list[tuple[str, str]]:
    """(field, normalised value) pairs that identify a person."""
    keys = []
    if isinstance(email, str) and email.strip():
        keys.append(("email", email.strip().lower()))
    if isinstance(linkedin, str) and linkedin.strip():
        keys.append(("linkedin", linkedin_key(linkedin)))
    named = isinstance(name, str) and name.strip()
    if named and isinstance(organization, str) and plain_organization_key(organization):
        keys.append(("name", f"{normalise_key(name)}|{organization_key(organization)}"))
    return keys


def contact_keys(
    contact: Contact, organization_key: OrganizationKey = plain_organization_key
) -> list[tuple[str, str]]:
    return identity_keys(
        contact.name, contact.organization, contact.email, contact.linkedin, organization_key
    )


#: How a message names each kind of identity key.
KEY_WORDS = {"email": "email", "linkedin": "LinkedIn URL", "name": "name and organization"}


def same_person(index: VaultIndex, contact: Contact) -> tuple[Contact, str] | None:
    """A contact of the vault who is `contact` (a new one), and the field that says so
    (`email`, `linkedin` or `name`); None when nobody is."""
    organization_key = organization_keys(index)
    wanted = dict(contact_keys(contact, organization_key))
    for other in index.contacts:
        for field, value in contact_keys(other, organization_key):
            if wanted.get(field) == value:
                return other, field
    return None


def vcard_uid(note_id: str) -> str:
    """The vCard UID of a note: the same for the same id (compared normalised), so an
    exported card names its note in every export, and import knows it again."""
    return f"urn:uuid:{uuid.uuid5(_UID_NAMESPACE, normalise_key(note_id))}"
