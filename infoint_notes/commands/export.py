"""`infoint export contacts`."""

from __future__ import annotations

import click

from ..core.model import Contact
from ..formats.contacts import export_csv, export_json
from ..formats.vcard import export_vcards
from ..rules.listing import select
from ..rules.query import parse_query
from .app import App, now_option, pass_app
from .output import echo_document


@click.group("export")
def export_command() -> None:
    """Write your contacts out, to stdout, for a spreadsheet or an address book.

    Example:

    \b
        infoint export contacts --format vcard > contacts.vcf
    """


@export_command.command("contacts")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "json", "vcard"]),
    default="csv",
    show_default=True,
    help="csv: one row per contact; json: fields and body; vcard: vCard 4.0.",
)
@click.option(
    "--where",
    multiple=True,
    metavar="EXPR",
    help="Only contacts matching EXPR, as in `infoint list` (repeatable; all must match).",
)
@now_option
@pass_app
def export_contacts_command(
    app: App, output_format: str, where: tuple[str, ...], now_text: str | None
) -> None:
    """Every contact with every field, to stdout.

    vCard 4.0 carries the referral in RELATED and infoint's own fields in X-INFOINT-*
    properties, so exporting and importing again loses nothing; so does JSON.

    Example:

    \b
        infoint export contacts --format csv > contacts.csv
        infoint export contacts --format json | jq '.[].fields.name'
        infoint export contacts --format vcard --where stage=interviewed
    """
    index = app.index()
    contacts = index.contacts
    if where:
        now = app.now(now_text)
        query = parse_query(where, app.config.zone, index.resolver.resolve_one, now)
        rows = select(index, "contact", query, now)
        contacts = tuple(row.note for row in rows if isinstance(row.note, Contact))
    if output_format == "csv":
        text = export_csv(contacts)
    elif output_format == "json":
        text = export_json(contacts, index.root)
    else:
        referrers = {}
        for contact in contacts:
            referrer = index.referrer_of(contact)
            if referrer is not None:
                referrers[contact.path] = referrer.id
        text = export_vcards(contacts, referrers, index.root)
    echo_document(text)
