"""One agenda item (SPEC 4.3): its fields are its shape everywhere (`--json`, the
calendar, the agenda memo's columns)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from ..core import dates

if TYPE_CHECKING:
    from ..core.model import When

#: Every kind, in the order SPEC 4.3 lists them; items due at the same moment sort so.
KINDS = (
    "thank-you",
    "reflect",
    "contact-referral",
    "follow-up-request",
    "try-another",
    "prepare",
    "interview",
    "share-news",
    "keep-in-touch",
)
_KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}


@dataclass(slots=True, unsafe_hash=True)
class AgendaItem:
    """One thing to do, with when it is due. Never changed once built; not declared
    frozen only because a frozen dataclass is built four times slower, and a remembered
    agenda builds tens of thousands of them (`watch` hashes them).

    Its fields are its shape everywhere: `to_dict` (the `--json` object) and the agenda
    memo's columns are derived from them."""

    kind: str
    #: A date for date-only inputs, else an aware date-time in the vault's zone.
    due: When
    #: Whether `due` is past at the moment the agenda is for (`is_overdue`): the one
    #: field that changes with the clock alone.
    overdue: bool
    #: The note to open (vault-relative path).
    note: str
    #: The contact's id; None for a referral that has no note yet.
    contact: str | None
    text: str
    #: What the item is about inside its note (a contact id, or a referral's name).
    #: With kind and note it names the item across runs, whatever its due or text.
    #: Not shown to users.
    subject: str = field(metadata={"shown": False})

    def sort_key(self) -> tuple[Any, ...]:
        """SPEC 4.3: due, then kind in the table's order, then note, then text."""
        return (dates.sort_key(self.due), _KIND_RANK[self.kind], self.note, self.text)

    @property
    def uid(self) -> str:
        """A calendar UID that stays the same for the same item across runs."""
        import hashlib  # here, as below: `agenda --json` never needs them

        from ..core.parse import normalise_key

        identity = "\x00".join((self.kind, self.note, normalise_key(self.subject)))
        return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32] + "@infoint"

    def to_dict(self) -> dict[str, Any]:
        """The `--json` object (SPEC 4.3): every shown field in order, the due as ISO text."""
        found = dict(zip(SHOWN_FIELDS, _shown_values(self), strict=True))
        found["due"] = dates.format_when(self.due)
        return found


#: The fields `to_dict` holds, in order: exactly the keys of SPEC 4.3.
SHOWN_FIELDS = tuple(
    item_field.name for item_field in fields(AgendaItem) if item_field.metadata.get("shown", True)
)
_shown_values = attrgetter(*SHOWN_FIELDS)
