"""Hover, go to definition and references (SPEC 4.19): what a link or a contact is,
where it leads, and who links to it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime

from ..core.index import VaultIndex
from ..core.model import Contact, Interview, Note
from ..formats.safetext import printable
from ..rules.agenda import AgendaItem, moment_text, select
from ..rules.note_links import LinkUse, backlinks
from ..rules.show import view_note
from .completion import describe
from .text import LinkSpan, front_matter_lines, link_at, links_on_line

_MARKDOWN = re.compile(r"([\\`*_\[\]<>])")


def _md(text: str) -> str:
    """User text in Markdown: shown as written, never as formatting or controls."""
    return _MARKDOWN.sub(r"\\\1", printable(text))


def target_of(
    index: VaultIndex, note: Note | None, lines: list[str], line: int, column: int
) -> tuple[LinkSpan | None, tuple[Note, ...]]:
    """The link under the cursor and the notes it means; without a link, a contact's
    own front matter means the contact."""
    if note is None:
        return None, ()
    span = link_at(note, lines, line, column)
    if span is not None:
        return span, index.resolver.resolve(span.target)
    if isinstance(note, Contact) and line in front_matter_lines(lines):
        return None, (note,)
    return None, ()


def hover_text(
    index: VaultIndex,
    span: LinkSpan | None,
    found: Sequence[Note],
    agenda: Sequence[AgendaItem],
    now: datetime,
) -> str | None:
    """Markdown about what the cursor is on."""
    if len(found) == 1:
        return card(index, found[0], agenda, now)
    if found:
        paths = "\n".join(f"- {_md(note.path)}" for note in found)
        return f"**{_md(span.target if span else '')}** could mean:\n\n{paths}"
    if span is None:
        return None
    if span.field == "referrals":
        return f"**{_md(span.target)}**: a referral with no contact note yet (pending)"
    return f"**{_md(span.target)}**: no note of the vault has this id, name or alias"


def card(index: VaultIndex, note: Note, agenda: Sequence[AgendaItem], now: datetime) -> str:
    """Stage, organization, last interview, who referred them, what is due."""
    view = view_note(index, note, now, agenda)
    lines = [f"**{_md(note.title)}** · {_md(describe(index, note, now))}", ""]
    if isinstance(note, Contact):
        held = [row for row in view.interviews if row.status == "done"]
        if held:
            last = held[-1]
            when = moment_text(last.date) if last.date is not None else "no date"
            lines.append(f"- Last interview: {when} ({_md(last.path)})")
        else:
            lines.append("- Last interview: none yet")
        if view.referral_chain:
            chain = " ← ".join(_md(person.name) for person in view.referral_chain)
            lines.append(f"- Referred by: {chain}")
    elif isinstance(note, Interview) and view.status:
        lines.append(f"- Status: {view.status}")
        if view.contact is not None:
            lines.append(f"- With: {_md(view.contact.name)}")
    due = select(view.agenda, now)
    if due:
        lines.append("- Due:")
        for item in due:
            late = " (overdue)" if item.overdue else ""
            lines.append(f"  - {item.kind} {moment_text(item.due)}{late}: {_md(item.text)}")
    elif note.kind in ("contact", "interview"):
        lines.append("- Nothing due")
    lines.append(f"\n{_md(note.path)}")
    return "\n".join(lines)


def references(
    index: VaultIndex, found: Sequence[Note], lines_of: Callable[[str], list[str]]
) -> list[tuple[str, LinkSpan]]:
    """Every link that means one of `found` (backlinks), with where it is written."""
    places = []
    for note in found:
        for use in backlinks(index, note):
            places.append((use.source, _span_of(index, use, lines_of(use.source))))
    return places


def _span_of(index: VaultIndex, use: LinkUse, lines: list[str]) -> LinkSpan:
    source = index.by_path.get(use.source)
    line = use.line - 1
    if source is not None:
        for span in links_on_line(source, lines, line):
            if span.start == use.column - 1:
                return span
    return LinkSpan(use.target, line, use.column - 1, use.column - 1)
