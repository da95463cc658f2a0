"""`infoint links`."""

from __future__ import annotations

import click

from .app import App, json_option, pass_app
from .complete import notes
from .output import echo_json, echo_lines
from .quick_complete import NOTE_ARGUMENTS


def _where(use) -> str:
    return use.field if use.field is not None else "body"


def _points_to(use) -> str:
    if use.status == "resolved":
        return use.to[0]
    if use.status == "ambiguous":
        return "ambiguous: " + ", ".join(use.to)
    return "pending referral, no note" if use.field == "referrals" else "no note"


def _indented(lines: list[str]) -> list[str]:
    return [f"  {line}" for line in lines]


@click.command("links")
@click.argument("note_id", metavar="ID", shell_complete=notes(*NOTE_ARGUMENTS["links"]))
@json_option
@pass_app
def links_command(app: App, note_id: str, as_json: bool) -> None:
    """Outgoing links and backlinks of a note, from front matter and body.

    Each link shows where it is written (line:column, and the front-matter field or
    "body") and the note it resolves to. ID is a note id, name, alias or path.

    Example:

    \b
        infoint links maria-chen
        infoint links contoso --json
    """
    # Imported here: completing an argument loads the command, never the rules.
    from ..formats.text import table
    from ..rules.note_links import backlinks, outgoing

    index = app.index()
    note = index.find(note_id)
    out = outgoing(index, note)
    back = backlinks(index, note)
    if as_json:
        echo_json(
            {
                "note": note.path,
                "outgoing": [
                    {
                        "line": use.line,
                        "column": use.column,
                        "field": use.field,
                        "target": use.target,
                        "to": use.to[0] if use.status == "resolved" else None,
                        "status": use.status,
                    }
                    for use in out
                ],
                "backlinks": [
                    {
                        "path": use.source,
                        "line": use.line,
                        "column": use.column,
                        "field": use.field,
                        "target": use.target,
                    }
                    for use in back
                ],
            }
        )
        return
    lines = [f"{note.title} ({note.path})", "", f"links to ({len(out)}):"]
    if out:
        rows = [[f"{u.line}:{u.column}", _where(u), u.target, _points_to(u)] for u in out]
        lines += _indented(table(["LINE", "WHERE", "TARGET", "NOTE"], rows))
    lines += ["", f"linked from ({len(back)}):"]
    if back:
        rows = [[f"{u.source}:{u.line}:{u.column}", _where(u), u.target] for u in back]
        lines += _indented(table(["FROM", "WHERE", "AS"], rows))
    echo_lines(lines)
