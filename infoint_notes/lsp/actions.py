"""Code actions (SPEC 4.19): `validate --fix`'s fixes, "create contact note" for a
broken link or a pending referral, "mark thank-you sent today".

Every action is worked out on the buffer's text, as the editor has it, with the write
modules the commands use (`fix`, `record`, `create`); the editor applies the edit, so
unsaved text is never lost and the change can be undone there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from ..core.errors import UsageError, WriteRefused
from ..core.index import VaultIndex
from ..core.links import note_keys, target_key
from ..core.model import Interview, Note
from ..core.notes import CONTACT_LINK_FIELDS
from ..rules.agenda import AgendaItem, referral_contact, referral_pending
from ..write.create import (
    NewNote,
    check_new_note,
    contact_link,
    new_contact,
    same_person,
    typed_note,
)
from ..write.edit import Change, edit_text
from ..write.fix import Fix, plan_fixes
from ..write.record import log_entry
from .text import LinkSpan

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+\Z")


@dataclass(frozen=True, slots=True)
class TextChange:
    """Replace the buffer's text by `text`."""

    title: str
    text: str
    #: `quickfix`, or `source.fixAll` for all of a note's fixes at once.
    kind: str = "quickfix"
    #: The 1-based line it is about (diagnostics on that line are what it fixes).
    line: int = 0


def _edited(text: str, changes: list[Change]) -> str | None:
    try:
        return edit_text(text, changes)
    except (WriteRefused, ValueError):
        return None  # the edit module refuses what it cannot do cleanly


def fixes(note: Note, text: str) -> list[TextChange]:
    """The `validate --fix` fixes of the buffer, one by one, and all together."""
    planned: list[Fix] = plan_fixes([note], lambda path: text.encode("utf-8", "surrogatepass"))
    found = []
    for fix in planned:
        edited = _edited(text, [fix.change])
        if edited is not None:
            found.append(TextChange(f"infoint: {fix.message}", edited, line=fix.line))
    if len(found) > 1:
        edited = _edited(text, [fix.change for fix in planned])
        if edited is not None:
            found.append(TextChange("infoint: apply every safe fix", edited, "source.fixAll"))
    return found


def thank_you_today(
    note: Note, text: str, agenda: list[AgendaItem], now: datetime, index: VaultIndex
) -> TextChange | None:
    """ "Mark thank-you sent today" on an interview whose thank-you is due."""
    if not isinstance(note, Interview):
        return None
    if not any(item.kind == "thank-you" and item.note == note.path for item in agenda):
        return None
    today = now.astimezone(index.config.zone).date()
    try:
        entry = log_entry("thank-you", note, today, None, index.config.zone)
    except UsageError:
        return None  # before the interview started: not due after all
    edited = _edited(text, list(entry.changes))
    if edited is None:
        return None
    return TextChange(f"infoint: mark thank-you sent today ({today.isoformat()})", edited)


@dataclass(frozen=True, slots=True)
class NewContact:
    """A contact note to create, as `infoint new contact` would write it."""

    title: str
    note: NewNote


def _name_for(target: str) -> str:
    """The person a link names: `sam-lee` is Sam Lee (the slug gives back `sam-lee`)."""
    if _SLUG.match(target):
        return " ".join(part.capitalize() for part in target.split("-"))
    return " ".join(target.split())


def _referral_fields(
    index: VaultIndex, interview: Interview, target: str
) -> list[tuple[str, object]]:
    """What the interview says about the referral: who suggested them, where they work,
    whether the name may be used."""
    for referral in interview.referrals:
        if referral.link is None or target_key(referral.link.target) != target_key(target):
            continue
        interviewee = index.contact_of(interview)
        return [
            ("organization", referral.organization),
            ("source", "referral"),
            ("referred_by", contact_link(interviewee) if interviewee else None),
            ("referrer_ok", referral.may_use_name),
        ]
    return []


def missing_contacts(index: VaultIndex, note: Note, spans: list[LinkSpan]) -> Iterator[str]:
    """Targets under the cursor that should be a contact and are no note: a broken link
    in the body or a contact link field, or a pending referral."""
    for span in spans:
        if index.resolver.resolve(span.target):
            continue
        if span.field in ("", *CONTACT_LINK_FIELDS, "referrals"):
            yield span.target
    if isinstance(note, Interview):
        for referral in note.referrals:
            if referral.link is None:
                continue
            on_line = any(span.line == referral.line - 1 for span in spans)
            pending = referral_pending(index, referral_contact(index, referral))
            if on_line and pending and not index.resolver.resolve(referral.link.target):
                yield referral.link.target


def create_contact(index: VaultIndex, note: Note, target: str, now: datetime) -> NewContact | None:
    """The contact note a missing target asks for, made from the vault's template, when
    `infoint new contact` would write it (the link then resolves to it, it is nobody the
    vault has, and it brings no error)."""
    fields = _referral_fields(index, note, target) if isinstance(note, Interview) else []
    try:
        new = new_contact(index, now, _name_for(target), fields)
    except (UsageError, WriteRefused):
        return None  # a template that cannot make it; `new` says why
    typed = typed_note(index, new)
    if target_key(target) not in note_keys(typed) or same_person(index, typed) is not None:
        return None
    if any(problem.severity == "error" for problem in check_new_note(index, new, now)):
        return None
    return NewContact(f"infoint: create contact note {new.rel}", new)
