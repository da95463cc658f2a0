"""Code actions (SPEC 4.19): `validate --fix`'s fixes, "create contact note" for a
broken link or a pending referral, "mark thank-you sent today".

Every action is worked out on the buffer's text, as the editor has it, with the write
modules the commands use (`fix`, `record`, `create`); the editor applies the edit, so
unsaved text is never lost and the change can be undone there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ..core.errors import UsageError, WriteRefused
from ..core.identity import same_person
from ..core.index import VaultIndex
from ..core.links import note_keys, target_key
from ..core.model import Contact, Interview, Note
from ..core.schema import CONTACT_LINK_FIELDS
from ..rules.agenda import AgendaItem
from ..write.create import (
    NewNote,
    check_new_note,
    contact_link,
    new_contact,
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
    note: Note,
    text: str,
    agenda: Callable[[], list[AgendaItem]],
    now: datetime,
    index: VaultIndex,
) -> TextChange | None:
    """The edit that marks an interview's due thank-you as sent today."""
    if not isinstance(note, Interview) or note.thank_you_sent is not None:
        return None  # (asked before the agenda, which costs a pass over the vault)
    if not any(item.kind == "thank-you" and item.note == note.path for item in agenda()):
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


def missing_contact(index: VaultIndex, span: LinkSpan) -> str | None:
    """The target of a link that should be a contact and is no note: a broken link in
    the body or in a contact link field, or a referral that has no note yet."""
    if span.field not in ("", *CONTACT_LINK_FIELDS, "referrals"):
        return None
    return None if index.resolver.resolve(span.target) else span.target


def plan_contact(index: VaultIndex, note: Note, target: str, now: datetime) -> NewContact | None:
    """The contact note a missing target asks for, as `infoint new contact` makes it
    from the vault's template, when the link then resolves to it and it is nobody the
    vault has. (Whether it brings new problems is `refusal`'s slower question.)"""
    fields = _referral_fields(index, note, target) if isinstance(note, Interview) else []
    try:
        new = new_contact(index, now, _name_for(target), fields)
    except (UsageError, WriteRefused):
        return None  # a template that cannot make it; `new` says why
    typed = typed_note(index, new)
    if target_key(target) not in note_keys(typed) or (
        isinstance(typed, Contact) and same_person(index, typed) is not None
    ):
        return None
    return NewContact(f"infoint: create contact note {new.rel}", new)


def refusal(index: VaultIndex, new: NewContact, now: datetime) -> str | None:
    """Why `infoint new` would refuse to write the note (the problems it would bring),
    or None. Validates the vault twice: asked only once the action is chosen."""
    problems = check_new_note(index, new.note, now)
    if not problems:
        return None
    return "; ".join(f"{p.path}:{p.line}: {p.code}: {p.message}" for p in problems)
