"""`infoint show ID`: one contact, interview or organization in full."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import click

from ..core.model import Interview
from ..formats.styled import Line, Styled
from ..rules.agenda import moment_text
from ..rules.show import NoteView, PersonRef, view_note
from .agenda import item_lines
from .app import App, json_option, now_option, pass_app
from .output import echo_json, echo_lines


def _value_text(value: Any) -> str:
    """A front-matter value on one line, as a person would write it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_value_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_value_text(item)}" for key, item in value.items())
    return str(value)


def _person_text(person: PersonRef) -> str:
    stage = f", {person.stage}" if person.stage else ""
    where = f" ({person.path}{stage})" if person.path else f" (no note yet{stage})"
    return person.name + where


def view_lines(view: NoteView, now: datetime) -> list[Line]:
    """The text of `infoint show`: header, fields, then one block per relation."""
    note = view.note
    title = note.title
    if isinstance(note, Interview) and note.name is None and view.contact is not None:
        start = f" on {moment_text(note.start)}" if note.start is not None else ""
        title = f"Conversation with {view.contact.name}{start}"
    facts = [note.kind, *(fact for fact in (view.stage, view.status) if fact), note.path]
    lines: list[Line] = [(Styled(title, bold=True),), " · ".join(facts), ""]
    for key, value in note.data.items():
        if key != "type":
            lines.append(f"  {key}: {_value_text(value)}")

    def section(heading: str, rows: Sequence[Line]) -> None:
        if rows:
            lines.extend(["", heading, *rows])

    if view.contact is not None:
        section("Contact:", [f"  {_person_text(view.contact)}"])
    if view.referral_chain:
        # Shown from the first contact down, the way the introductions happened.
        names = [person.name for person in reversed(view.referral_chain)]
        subject = view.contact.name if view.contact else note.title
        section("Referral chain:", [f"  {' → '.join([*names, subject])}"])
    interviews = []
    for row in view.interviews:
        when = moment_text(row.date) if row.date is not None else "(no date)"
        interviews.append(f"  {when:<16}  {row.status:<9}  {row.path}")
    section("Interviews:", interviews)
    section(
        "Referred you to:",
        [
            f"  {_person_text(row.person)}: {'pending' if row.pending else 'contacted'}"
            + (f", via {row.via}" if row.via else ", by their referred_by")
            for row in view.referred
        ],
    )
    if view.tiara is not None:
        counts = ", ".join(f"{kind} {count}" for kind, count in view.tiara.items())
        section("Questions by TIARA kind:", [f"  {counts}"])
    heading = "Thanks:" if note.kind == "milestone" else "Contacts:"
    section(heading, [f"  {_person_text(person)}" for person in view.contacts])
    agenda = [line for item in view.agenda for line in item_lines(item, now)]
    section("Agenda:", agenda or ["  nothing to do"])
    return lines


@click.command("show")
@click.argument("note_id", metavar="ID")
@now_option
@json_option
@pass_app
def show_command(app: App, note_id: str, now_text: str | None, as_json: bool) -> None:
    """Everything about one contact, interview or organization: its fields, stage,
    interviews, who referred them (up to the first contact), whom they referred, and
    what is due.

    ID is a note id, a name, an alias or a vault-relative path.

    Example:

    \b
        infoint show jane-doe
        infoint show "Jane Doe" --json
    """
    index = app.index()
    now = app.now(now_text)
    view = view_note(index, index.find(note_id), now)
    if as_json:
        echo_json(view.to_dict())
        return
    echo_lines(view_lines(view, now), wrap=True)
