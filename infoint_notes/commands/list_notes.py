"""`infoint list`."""

from __future__ import annotations

import click

from ..core.derive import STAGES
from ..core.errors import UsageError
from ..core.identity import organization_keys
from ..core.organizations import OrganizationLookup
from ..formats.text import plural, short_when, table
from ..rules.listing import KINDS, note_json, select
from ..rules.query import parse_query
from .app import App, json_option, now_option, pass_app
from .output import echo, echo_json, echo_lines


def _cells(index, lookup, row) -> list[str]:
    """The table columns of one row, by kind."""
    note = row.note
    if note.kind == "contact":
        return [
            note.id,
            note.title,
            lookup.name_of(note) or "",
            row.derived["stage"],
            short_when(row.derived["last_interview"]),
        ]
    if note.kind == "interview":
        contact = index.contact_of(note)
        who = contact.title if contact else (note.contact.target if note.contact else "")
        return [
            short_when(note.start),
            who,
            row.derived["status"],
            short_when(note.thank_you_sent),
            str(len(note.referrals)) if note.referrals else "",
            note.id,
        ]
    if note.kind == "organization":
        return [note.id, note.title, note.career_field or "", note.location or ""]
    return [short_when(note.date), note.summary or "", note.id]


_HEADERS = {
    "contact": ["ID", "NAME", "ORGANIZATION", "STAGE", "LAST INTERVIEW"],
    "interview": ["DATE", "CONTACT", "STATUS", "THANK-YOU", "REFERRALS", "ID"],
    "organization": ["ID", "NAME", "FIELD", "LOCATION"],
    "milestone": ["DATE", "SUMMARY", "ID"],
}


@click.command("list")
@click.argument(
    "kind",
    type=click.Choice(["contacts", "interviews", "organizations", "milestones"]),
    default="contacts",
)
@click.option(
    "--where",
    "where",
    metavar="EXPR",
    multiple=True,
    help="Filter: field=value, field!=value, field~text, field>value, field<value, "
    "field?, !field. Repeat to combine (all must hold).",
)
@click.option(
    "--stage",
    "stages",
    type=click.Choice(STAGES),
    multiple=True,
    help="Contacts at this stage (repeat for any of several).",
)
@click.option("--tag", "tags", metavar="T", multiple=True, help="Notes with this tag (repeatable).")
@click.option(
    "--sort",
    "sort",
    metavar="FIELD",
    help="Sort by a field (front matter, or id, name, stage, status, last_interview, "
    "response_days); -FIELD for descending.",
)
@json_option
@now_option
@pass_app
def list_command(
    app: App,
    kind: str,
    where: tuple[str, ...],
    stages: tuple[str, ...],
    tags: tuple[str, ...],
    sort: str | None,
    as_json: bool,
    now_text: str | None,
) -> None:
    """List notes of one kind (default: contacts), filtered on any front-matter field.

    Text comparisons ignore case; a list field matches when one item does; links match
    by the note they point to (organization=contoso finds "[[contoso]]" and "Contoso").
    > and < compare dates (a date against a date-time by day) and numbers.

    Example:

    \b
        infoint list --stage interviewed
        infoint list contacts --where organization=contoso --where 'requested>2026-11-01'
        infoint list contacts --where tags=alumni --where '!responded' --sort requested
        infoint list interviews --where '!thank_you_sent' --json
    """
    note_kind = KINDS[kind]
    if stages and note_kind != "contact":
        raise UsageError("--stage applies to contacts only")
    if sort is not None and not sort.lstrip("-"):
        raise UsageError("--sort needs a field name, e.g. --sort name or --sort -requested")
    index = app.index()
    now = app.now(now_text)
    query = parse_query(
        where, app.config.zone, index.resolver.resolve_one, now, organization_keys(index)
    )
    rows = select(index, note_kind, query, now, stages, tags, sort)
    if as_json:
        echo_json([note_json(row) for row in rows])
    elif rows:
        lookup = OrganizationLookup(index)
        cells = [_cells(index, lookup, row) for row in rows]
        echo_lines(table(_HEADERS[note_kind], cells))
    echo(plural(len(rows), note_kind), err=True)
