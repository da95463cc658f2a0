"""`infoint targets`: the target-employer list (SPEC 4.20)."""

from __future__ import annotations

import click

from ..formats.text import plural, table
from ..rules.targets import target_list
from .app import App, json_option, now_option, pass_app
from .output import echo, echo_json, echo_lines


def _score(value: int | None) -> str:
    return "-" if value is None else str(value)


@click.command("targets")
@json_option
@now_option
@pass_app
def targets_command(app: App, as_json: bool, now_text: str | None) -> None:
    """Your target employers, best first, each with the next step ("The 2-Hour Job
    Search": its LAMP list).

    Every organization (organization notes, and the names contacts write in
    `organization`), ranked by motivation, then posting (0-3, set on the organization
    note), then advocacy (active contacts there, alumni counted twice), then name.

    Example:

    \b
        infoint targets
        infoint new organization Contoso --motivation 3 --posting 2
        infoint targets --json
    """
    index = app.index()
    rows = target_list(index, app.now(now_text))
    if as_json:
        echo_json([row.to_dict() for row in rows])
        return
    if rows:
        headers = [
            "ORGANIZATION",
            "MOTIVATION",
            "POSTING",
            "CONTACTS",
            "ALUMNI",
            "INTERVIEWS",
            "NEXT STEP",
        ]
        cells = [
            [
                row.group.name,
                _score(row.motivation),
                _score(row.posting),
                str(row.contacts),
                str(row.alumni),
                str(row.interviews),
                row.next_step,
            ]
            for row in rows
        ]
        echo_lines(table(headers, cells))
    hint = "" if rows else " (add one: infoint new organization NAME --motivation 3)"
    echo(plural(len(rows), "organization") + hint, err=True)
