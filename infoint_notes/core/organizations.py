"""Which organization note a text means (SPEC 4.15): a link, else an organization note's
id, name or alias, compared normalised. The graph, `orgs`, `list` and the same-person
check (`validate`, `import`, `new`) all name employers this one way."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from .model import Contact, Organization
from .parse import normalise_key

if TYPE_CHECKING:
    from .index import VaultIndex


class OrganizationLookup:
    """Finds the organization note a text means: by link resolution, else by id, name
    or alias among organization notes only (so a person named like a company never
    hides it)."""

    def __init__(self, index: VaultIndex) -> None:
        self.index = index
        self.by_key: dict[str, list[Organization]] = defaultdict(list)
        for org in index.organizations:
            for text in (org.id, org.name or "", *org.aliases):
                key = normalise_key(text)
                found = self.by_key[key]
                # An organization's own texts come one after another: checking the last
                # entry is enough (searching the list made 10,000 namesakes quadratic).
                if key and (not found or found[-1] is not org):
                    found.append(org)

    def find(self, text: str | None, source: str | None = None) -> Organization | None:
        """The organization `text` means, written in the note at `source`."""
        if not text:
            return None
        found = [
            n for n in self.index.resolver.resolve(text, source) if isinstance(n, Organization)
        ]
        if len(found) != 1:
            found = self.by_key.get(normalise_key(text), [])
        return found[0] if len(found) == 1 else None

    def name_of(self, contact: Contact) -> str | None:
        """The contact's organization as people say it: the note's name when it has one."""
        org = self.find(contact.organization, contact.path)
        return org.title if org is not None else contact.organization
