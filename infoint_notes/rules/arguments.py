"""Interviews named by their contact on the command line (SPEC 4.9).

`infoint log done priya-natarajan`, `draft thank-you priya-natarajan`: where an
INTERVIEW is expected, a contact works too. Which of their interviews it means depends
on what the command does: one that has happened (`thank-you`, `done`, `no-show`) means
their latest interview that has started; one that has not (`cancel`, `reschedule`)
their next planned one.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from ..core.derive import has_started
from ..core.errors import UsageError
from ..core.friendly import friendly
from ..core.index import VaultIndex
from ..core.model import Contact, Interview


class Pick(Enum):
    """Which of a contact's interviews a command means."""

    #: The latest that has started: what a thank-you, `done` or `no-show` is about.
    STARTED = "started"
    #: The next planned one: what `cancel` or `reschedule` changes.
    NEXT = "next"


def find_interview(index: VaultIndex, text: str, now: datetime, pick: Pick) -> Interview:
    """The interview `text` names: an interview (id, path), or a contact (id, name,
    alias), then the one of theirs `pick` says. UsageError, naming what to type instead,
    when there is none (or, as for any argument, when several notes match)."""
    note = index.find(text, ("interview", "contact"))
    if isinstance(note, Interview):
        return note
    assert isinstance(note, Contact)
    return interview_of(index, note, now, pick)


def interview_of(index: VaultIndex, contact: Contact, now: datetime, pick: Pick) -> Interview:
    """The contact's interview that `pick` means (see `find_interview`)."""
    interviews = [iv for iv in index.interviews_of(contact) if iv.start is not None]
    if not interviews:
        raise UsageError(
            f"{contact.title} ({contact.path}) has no interview yet; "
            f"create one: infoint new interview {contact.id} --date T"
        )
    started = [iv for iv in interviews if has_started(iv, now)]
    if pick is Pick.STARTED:
        # None has started: their next one, so that the command says it has not started
        # yet (and how to record it anyway) rather than that there is none.
        return started[-1] if started else interviews[0]
    planned = [iv for iv in interviews if index.status_of(iv, now) == "planned"]
    upcoming = [iv for iv in planned if not has_started(iv, now)]
    if upcoming:
        return upcoming[0]
    if planned:  # planned, but its time has passed: still the one to move or call off
        return planned[-1]
    latest = interviews[-1]
    assert latest.start is not None
    raise UsageError(
        f"{contact.title} has no planned interview (the latest, {latest.id}, was on "
        f"{friendly(latest.start)}, {index.status_of(latest, now)}); name the interview "
        "to change it"
    )
