"""The events of `infoint log` (SPEC 4.9): one table, for the commands and the writes.

`commands/log.py` makes a command of each (its argument, `--date` and `--via` follow from
the event's field in `core/schema.py`); `record.py` writes them. Kept apart from
`record.py` so that `infoint log --help` does not load the front-matter editor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.schema import Field, NoteKind


@dataclass(frozen=True, slots=True)
class Event:
    """One `infoint log` event: the note it is about and the field it records."""

    name: str
    #: The kind of note it is about.
    kind: str
    #: The front-matter key it writes.
    key: str
    #: The command's help: what it records.
    summary: str
    example: str
    #: For a choice: the value written (`done` -> `status: done`).
    value: str | None = None
    #: A choice also set, from the option `--via` (`request` -> `request_via`).
    via: str | None = None
    #: `--via` is optional and only said, not written: the note has no field for it
    #: (`follow-up`; SPEC 3.1 keeps the dates of follow-ups only).
    via_said: bool = False
    #: Which interview a contact named in its place means (`rules.arguments.Pick`):
    #: `started` (the latest that has started) or `next` (the next planned one).
    pick: str | None = None
    #: Refused for an interview that has not started yet, unless `--force` (SPEC 4.9).
    needs_start: bool = False
    #: Other keys set to fixed values (`reschedule` -> `status: planned`).
    also: tuple[tuple[str, str], ...] = ()
    #: `--date` must be given (`reschedule`: there is no default new date).
    date_required: bool = False
    #: It happens once: a different date already in its key is replaced only with
    #: `--force` (a thank-you sent, a request made, an answer received).
    once: bool = False

    @property
    def forceable(self) -> bool:
        """Whether `--force` may override a refusal: an interview not started yet, a date
        already recorded, or a held conversation's `status: done`."""
        sets_status = self.key == "status" or any(key == "status" for key, _ in self.also)
        return self.needs_start or self.once or sets_status

    @property
    def argument_kinds(self) -> tuple[str, ...]:
        """The kinds of note its argument names: a contact stands for their interview."""
        return ("interview", "contact") if self.pick is not None else (self.kind,)

    @property
    def field(self) -> Field:
        return self._note_kind().field(self.key)

    @property
    def dated(self) -> bool:
        """Whether it records a moment (`--date`, default now)."""
        return self.field.value.dated

    @property
    def via_field(self) -> Field | None:
        return self._note_kind().field(self.via) if self.via else None

    def _note_kind(self) -> NoteKind:
        # The schema imports every note class: completing `log done pri` needs none.
        from ..core.schema import KINDS

        return KINDS[self.kind]


_EVENTS = (
    Event(
        "thank-you",
        "interview",
        "thank_you_sent",
        "Set thank_you_sent of INTERVIEW (the thank-you is due within 24 hours).",
        "infoint log thank-you 2026-11-20-jane-doe --date 2026-11-20T18:30",
        pick="started",
        needs_start=True,
        once=True,
    ),
    Event(
        "request",
        "contact",
        "requested",
        "Set requested and request_via of CONTACT: you asked them for a conversation.",
        "infoint log request jane-doe --via email",
        via="request_via",
        once=True,
    ),
    Event(
        "response",
        "contact",
        "responded",
        "Set responded of CONTACT: they answered your request.",
        "infoint log response jane-doe",
        once=True,
    ),
    Event(
        "follow-up",
        "contact",
        "followed_up",
        "Append a date to followed_up of CONTACT: you followed up on a request that had no"
        " answer (a call, a second email). requested stays as it was.",
        "infoint log follow-up jane-doe --via phone",
        via="request_via",
        via_said=True,
    ),
    Event(
        "update",
        "contact",
        "updates",
        "Append a date to updates of CONTACT: you sent them news of your progress.",
        "infoint log update jane-doe",
    ),
    Event(
        "done",
        "interview",
        "status",
        "Set status: done on INTERVIEW.",
        "infoint log done 2026-11-20-jane-doe",
        value="done",
        pick="started",
        needs_start=True,
    ),
    Event(
        "no-show",
        "interview",
        "status",
        "Set status: no-show on INTERVIEW: they did not come (it gives no agenda items).",
        "infoint log no-show 2026-11-20-jane-doe",
        value="no-show",
        pick="started",
        needs_start=True,
    ),
    Event(
        "cancel",
        "interview",
        "status",
        "Set status: cancelled on INTERVIEW.",
        "infoint log cancel 2026-12-02-sam-lee",
        value="cancelled",
        pick="next",
    ),
    Event(
        "reschedule",
        "interview",
        "date",
        "Set date (to --date) and status: planned on INTERVIEW: it moved.",
        'infoint log reschedule sam-lee --date "friday 2pm"',
        pick="next",
        also=(("status", "planned"),),
        date_required=True,
    ),
)
#: Every event by name, in the order `log --help` lists them.
EVENTS: dict[str, Event] = {event.name: event for event in _EVENTS}
