"""`infoint orgs`."""

from __future__ import annotations

import click

from ..core.dates import format_when
from ..formats.text import plural, short_when, table
from .app import App, json_option, now_option, pass_app
from .complete import notes
from .output import echo, echo_json, echo_lines
from .quick_complete import NOTE_ARGUMENTS


def _stages_text(by_stage: dict[str, int]) -> str:
    return ", ".join(f"{count} {stage}" for stage, count in by_stage.items())


def _iso(value) -> str | None:
    return format_when(value) if value is not None else None


def _show_coverage(rows, as_json: bool) -> None:
    if as_json:
        echo_json(
            [
                {
                    "name": row.group.name,
                    "note": row.group.note.path if row.group.note else None,
                    "contacts": len(row.group.contacts),
                    "stages": row.by_stage,
                    "interviews_done": row.interviews_done,
                    "last_interview": _iso(row.last_interview),
                }
                for row in rows
            ]
        )
    elif rows:
        cells = [
            [
                row.group.name,
                str(len(row.group.contacts)),
                _stages_text(row.by_stage),
                str(row.interviews_done),
                short_when(row.last_interview),
            ]
            for row in rows
        ]
        headers = ["ORGANIZATION", "CONTACTS", "STAGES", "INTERVIEWS", "LAST INTERVIEW"]
        echo_lines(table(headers, cells))
    echo(plural(len(rows), "organization"), err=True)


def _show_people(group, people, graph, as_json: bool) -> None:
    def referrer_names(person) -> str:
        return ", ".join(graph.node(node_id).name for node_id in person.referred_by)

    if as_json:
        echo_json(
            {
                "name": group.name,
                "note": group.note.path if group.note else None,
                "people": [
                    {
                        "id": person.id,
                        "name": person.name,
                        "title": person.title,
                        "stage": person.stage,
                        "last_interview": _iso(person.last_interview),
                        "referred_by": list(person.referred_by),
                    }
                    for person in people
                ],
            }
        )
        return
    where = f" ({group.note.path})" if group.note else ""
    lines = [f"{group.name}{where}"]
    if people:
        cells = [
            [
                person.name,
                person.title or "",
                person.stage,
                short_when(person.last_interview),
                referrer_names(person),
            ]
            for person in people
        ]
        headers = ["NAME", "TITLE", "STAGE", "LAST INTERVIEW", "REFERRED BY"]
        lines += table(headers, cells)
    else:
        lines.append("nobody yet: no contact names this organization")
    echo_lines(lines)


@click.command("orgs")
@click.argument("name", required=False, shell_complete=notes(*NOTE_ARGUMENTS["orgs"]))
@json_option
@now_option
@pass_app
def orgs_command(app: App, name: str | None, as_json: bool, now_text: str | None) -> None:
    """Organizations your network reaches, or who you know at one of them.

    Without NAME: each organization (organization notes, and the names contacts write
    in `organization`) with its contacts by stage, interviews done and the last one,
    most interviews first. With NAME (name, id or alias): its people, their stage and
    last interview, who referred them, and referrals there you have no note for yet.

    Example:

    \b
        infoint orgs
        infoint orgs contoso
        infoint orgs "Northwind Traders" --json
    """
    # Imported here: completing an argument loads the command, never the rules.
    from ..rules.graph import build_graph
    from ..rules.orgs import coverage, find_group, group_organizations, people_at

    index = app.index()
    now = app.now(now_text)
    if name is None:
        _show_coverage(coverage(index, now), as_json)
        return
    group = find_group(group_organizations(index), name)
    graph = build_graph(index, now)
    _show_people(group, people_at(index, group, graph, now), graph, as_json)
