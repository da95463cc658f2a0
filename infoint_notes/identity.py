"""When two contacts are the same person: same email, LinkedIn URL, or name and
organization, compared normalised. `validate` (duplicate-contact) and `import` (skip
existing people) must agree, so both use this."""

from __future__ import annotations

import re
from typing import Any

from .model import Contact
from .parse import normalise_key

_URL_PREFIX = re.compile(r"^(?:https?://)?(?:[a-z]{2,3}\.)?(?:www\.)?")


def linkedin_key(url: str) -> str:
    """`https://www.linkedin.com/in/jane/?x=1` and `linkedin.com/in/jane` are the same."""
    url = url.strip().lower().split("?", 1)[0].rstrip("/")
    return _URL_PREFIX.sub("", url)


def identity_keys(name: Any, organization: Any, email: Any, linkedin: Any) -> list[tuple[str, str]]:
    """(field, normalised value) pairs that identify a person."""
    keys = []
    if isinstance(email, str) and email.strip():
        keys.append(("email", email.strip().lower()))
    if isinstance(linkedin, str) and linkedin.strip():
        keys.append(("linkedin", linkedin_key(linkedin)))
    if isinstance(name, str) and name.strip() and isinstance(organization, str):
        org = organization.strip()
        if org.startswith("[[") and org.endswith("]]"):
            org = org[2:-2].split("|", 1)[0]
        if org.strip():
            keys.append(("name", f"{normalise_key(name)}|{normalise_key(org)}"))
    return keys


def contact_keys(contact: Contact) -> list[tuple[str, str]]:
    return identity_keys(contact.name, contact.organization, contact.email, contact.linkedin)
