"""`infoint show ID`: one contact, interview or organization in full."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from ..formats.styled import Line, Styled
from .app import App, json_option, now_option, pass_app
from .complete import notes
from .output import echo_json, echo_lines
from .quick_complete import NOTE_ARGUMENTS

if TYPE_CHECKING:
    from ..core.model import Note
    from ..rules.show import NoteView, PersonRef


def _value_text(value: Any) -> str:
    """A front-matter value on one line, as a person would write it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_value_text(item) for item in value if not _empty(item))
    if isinstance(value, dict):
        return ", ".join(
            f"{key}: {_value_text(item)}" for key, item in value.items() if not _empty(item)
        )
    return str(value)


def _empty(value: Any) -> bool:
    """Nothing worth a line: null, blank text, an empty list or mapping (or only such)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return all(_empty(item) for item in value)
    if isinstance(value, dict):
        return all(_empty(item) for item in value.values())
    return False


def _referral_text(referral: Any, interviewee: str) -> str:
    """One referral as a sentence: `Alex Romero (Fabrikam): runs a research team; do not
    mention Sam Lee's name`."""
    if not isinstance(referral, dict) or _empty(referral.get("name")):
        return _value_text(referral)
    text = _value_text(referral["name"])
    organization = referral.get("organization")
    if not _empty(organization):
        text += f" ({_value_text(organization)})"
    notes = [] if _empty(referral.get("note")) else [_value_text(referral["note"])]
    may = referral.get("may_use_name")
    if may is True:
        notes.append(f"you may mention {interviewee}'s name")
    elif may is False:
        notes.append(f"do not mention {interviewee}'s name")
    known = ("name", "organization", "note", "may_use_name")
    notes.extend(
        f"{key}: {_value_text(item)}"
        for key, item in referral.items()
        if key not in known and not _empty(item)
    )
    return text + (": " + "; ".join(notes) if notes else "")


def field_lines(note: Note, interviewee: str) -> list[Line]:
    """The note's fields, empty ones left out; a list or mapping one item per line, an
    interview's referrals one person per line (SPEC 4.4)."""
    lines: list[Line] = []
    for key, value in note.data.items():
        if key == "type" or _empty(value):
            continue
        if isinstance(value, list):
            lines.append(f"  {key}:")
            for item in value:
                if not _empty(item):
                    text = _referral_text(item, interviewee) if key == "referrals" else None
                    lines.append(f"    - {text or _value_text(item)}")
        elif isinstance(value, dict):
            lines.append(f"  {key}:")
            shown = ((name, item) for name, item in value.items() if not _empty(item))
            lines.extend(f"    {name}: {_value_text(item)}" for name, item in shown)
        else:
            lines.append(f"  {key}: {_value_text(value)}")
    return lines


def _person_text(person: PersonRef) -> str:
    stage = f", {person.stage}" if person.stage else ""
    where = f" ({person.path}{stage})" if person.path else f" (no note yet{stage})"
    return person.name + where


def view_lines(view: NoteView, now: datetime) -> list[Line]:
    """The text of `infoint show`: header, fields, then one block per relation."""
    # Imported here, as in `show_command`: completing an ID must not load the rules.
    from ..core.model import Interview
    from ..formats.text import diagnostic_text
    from ..rules.agenda import moment_text
    from .agenda import item_lines

    note = view.note
    title = note.title
    if isinstance(note, Interview) and note.name is None and view.contact is not None:
        start = f" on {moment_text(note.start)}" if note.start is not None else ""
        title = f"Conversation with {view.contact.name}{start}"
    facts = [note.kind, *(fact for fact in (view.stage, view.status) if fact), note.path]
    lines: list[Line] = [(Styled(title, bold=True),), " · ".join(facts), ""]
    interviewee = view.contact.name if view.contact is not None else "the interviewee"
    lines.extend(field_lines(note, interviewee))

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
    # A note whose front matter did not load shows as plain and empty: say why, so the
    # empty view is not taken for the note's content.
    errors = [problem for problem in note.parsed.diagnostics if problem.severity == "error"]
    section("Problems (infoint validate):", [f"  {diagnostic_text(p)}" for p in errors])
    return lines


@click.command("show")
@click.argument("note_id", metavar="ID", shell_complete=notes(*NOTE_ARGUMENTS["show"]))
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
    from ..rules.show import view_note

    index = app.index()
    now = app.now(now_text)
    view = view_note(index, index.find(note_id), now)
    if as_json:
        echo_json(view.to_dict())
        return
    echo_lines(view_lines(view, now), wrap=True)
