"""Which organization note a text means (SPEC 3.3, 4.15): a link, else an organization
note's id, name or alias, compared as `organization_key` says ("Fabrikam, Inc." is
"Fabrikam"). The graph, `orgs`, `list` and the same-person check (`validate`, `import`,
`new`) all name employers this one way."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING

from .model import Contact, Organization
from .parse import normalise_key

if TYPE_CHECKING:
    from .index import VaultIndex


#: Punctuation that joins words ("Procter & Gamble", "Hewlett-Packard"): a space.
_JOINERS = re.compile(r"[&+/\\\-–—_]+")
_PUNCTUATION = re.compile(r"[^\w\s]+")


@lru_cache(maxsize=65536)
def organization_key(text: str) -> str:
    """How organization names compare: letter case, punctuation and legal suffixes do not
    make another organization ("Fabrikam, Inc.", "FABRIKAM INC" and "Fabrikam" are one).
    Suffixes are those `cleanco` knows, in every country's form (Ltd, GmbH, S.A., K.K.)."""
    name = " ".join(text.split())
    for _ in range(3):  # "Fabrikam Inc, Ltd": one suffix at a time
        shorter = _without_suffix(name)
        if shorter == name:
            break
        name = shorter
    return normalise_key(_PUNCTUATION.sub("", _JOINERS.sub(" ", name)))


def _without_suffix(name: str) -> str:
    """`name` without its last legal suffix, compared as cleanco compares them (accents,
    case, dots and commas ignored); a name that is nothing but a suffix ("Inc.") stays."""
    clean = _cleanco()
    if not (name[-1:].isalnum() or name[-1:] in "._"):  # else no tail to strip (\w or .)
        name = clean.strip_tail(name)
    parts = name.split()
    # Most names end in no suffix: one word to compare tells.
    if len(parts) < 2 or _compared(parts[-1]) not in _suffixes():
        return name
    compared = [clean.strip_punct(part) for part in clean.normalized(name).split()]
    if len(compared) != len(parts):
        return name
    for size, term in _suffixes().get(compared[-1], ()):
        if size < len(parts) and tuple(compared[-size:]) == term:
            return clean.strip_tail(" ".join(parts[:-size]))
    return name


def _compared(word: str) -> str:
    """One word as cleanco compares it (`strip_punct(normalized(word))`). Its
    `normalized` looks at every character in Python (5 us a word, a third of a first
    `agenda`'s organization grouping at 10,000 notes); for ASCII it is `casefold`."""
    clean = _cleanco()
    return clean.strip_punct(word.casefold() if word.isascii() else clean.normalized(word))


@lru_cache(maxsize=1)
def _cleanco() -> ModuleType:
    # Imported once, here: a warm `agenda` never compares organizations. (An import
    # statement in each call costs more than the comparison: its names are looked up
    # in Python, 1-2 us each time.)
    import cleanco.clean

    return cleanco.clean


@lru_cache(maxsize=1)
def _suffixes() -> dict[str, list[tuple[int, tuple[str, ...]]]]:
    """cleanco's legal suffixes by their last word, longest first. (cleanco's `basename`
    tries all of them on every name: 30 µs a name, a tenth of `validate` at 10,000 notes.)"""
    by_last: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
    for size, parts in _cleanco().prepare_default_terms():  # longest first
        by_last[parts[-1]].append((size, tuple(parts)))
    return dict(by_last)


class OrganizationLookup:
    """Finds the organization note a text means: by link resolution, else by id, name
    or alias among organization notes only (so a person named like a company never
    hides it)."""

    def __init__(self, index: VaultIndex) -> None:
        self.index = index
        self.by_key: dict[str, list[Organization]] = defaultdict(list)
        for org in index.organizations:
            for text in (org.id, org.name or "", *org.aliases):
                key = organization_key(text)
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
            found = self.by_key.get(organization_key(text), [])
        return found[0] if len(found) == 1 else None

    def name_of(self, contact: Contact) -> str | None:
        """The contact's organization as people say it: the note's name when it has one."""
        org = self.find(contact.organization, contact.path)
        return org.title if org is not None else contact.organization
