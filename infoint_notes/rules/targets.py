"""The target-employer list (SPEC 4.20): Steve Dalton's LAMP list from "The 2-Hour Job
Search", kept from the notes.

Every organization the vault knows (organization notes, and the names contacts write in
`organization`, grouped as `orgs` groups them) is ranked by

1. `motivation` (0-3, from the organization note; unscored ones after every score),
2. `posting` (0-3, likewise),
3. advocacy: its active contacts, alumni counted twice (alumni answer most often),
4. name.

Each row says the next step, from the furthest stage anyone there has reached:
"keep in touch" once someone was interviewed; "talk with X on DATE" when a conversation
is planned; "follow up with X" when a request is out (the longest-waiting first); "ask
X for a conversation" when there are only prospects (alumni first, then by name); and
"find a contact" when nobody active works there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..core import dates
from ..core.index import VaultIndex
from ..core.model import Contact
from ..core.parse import normalise_key
from .orgs import OrgGroup, group_organizations

#: The `--json` keys, in order (SPEC 4.20).
TARGET_KEYS = ("organization", "motivation", "posting", "contacts", "alumni", "interviews")


@dataclass(frozen=True, slots=True)
class Target:
    """One organization on the list."""

    group: OrgGroup
    motivation: int | None
    posting: int | None
    #: Active contacts who work there.
    contacts: int
    #: Those of them found through your school's alumni (`source: alumni`).
    alumni: int
    #: Done interviews with people there.
    interviews: int
    next_step: str

    @property
    def advocacy(self) -> int:
        """Active contacts there, alumni counted twice."""
        return self.contacts + self.alumni

    def sort_key(self) -> tuple[Any, ...]:
        return (
            -_score(self.motivation),
            -_score(self.posting),
            -self.advocacy,
            normalise_key(self.group.name),
            self.group.key,
        )

    def to_dict(self) -> dict[str, Any]:
        """The `--json` object: exactly SPEC 4.20's keys."""
        values = (
            self.group.name,
            self.motivation,
            self.posting,
            self.contacts,
            self.alumni,
            self.interviews,
        )
        return {**dict(zip(TARGET_KEYS, values, strict=True)), "next_step": self.next_step}


def _score(value: int | None) -> int:
    """A score for ranking: an unscored organization comes after a 0."""
    return -1 if value is None else value


def _alumni_first(contacts: Sequence[Contact]) -> list[Contact]:
    """Alumni first, then by name (`contacts` are by name already; the sort is stable)."""
    return sorted(contacts, key=lambda contact: contact.source != "alumni")


def next_step(index: VaultIndex, active: Sequence[Contact], now: datetime) -> str:
    """What to do about an organization whose active contacts are `active` (by name)."""
    by_stage: dict[str, list[Contact]] = {}
    for contact in active:
        by_stage.setdefault(index.stage_of(contact, now), []).append(contact)
    if "interviewed" in by_stage:
        return "keep in touch"
    if "scheduled" in by_stage:
        planned = [
            (interview.start, contact)
            for contact in by_stage["scheduled"]
            for interview in index.interviews_of(contact)
            if interview.start is not None and index.status_of(interview, now) == "planned"
        ]
        if planned:  # else only interviews without a date, which validate reports
            start, contact = min(planned, key=lambda pair: dates.sort_key(pair[0]))
            return f"talk with {contact.title} on {dates.day_of(start).isoformat()}"
    if "requested" in by_stage:
        waiting = min(
            by_stage["requested"],
            key=lambda contact: dates.sort_key(contact.requested),  # type: ignore[arg-type]
        )
        return f"follow up with {waiting.title}"
    if "prospect" in by_stage:
        return f"ask {_alumni_first(by_stage['prospect'])[0].title} for a conversation"
    return "find a contact"


def target_list(index: VaultIndex, now: datetime) -> list[Target]:
    """Every organization the vault knows, best target first."""
    rows = []
    for group in group_organizations(index):
        active = [contact for contact in group.contacts if contact.status == "active"]
        done = sum(
            1
            for contact in group.contacts
            for interview in index.interviews_of(contact)
            if interview.start is not None and index.status_of(interview, now) == "done"
        )
        note = group.note
        rows.append(
            Target(
                group,
                note.motivation if note is not None else None,
                note.posting if note is not None else None,
                len(active),
                sum(1 for contact in active if contact.source == "alumni"),
                done,
                next_step(index, active, now),
            )
        )
    return sorted(rows, key=Target.sort_key)
