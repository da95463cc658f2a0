"""`infoint import linkedin|vcard|json`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..core.errors import WriteRefused
from ..core.identity import organization_keys
from ..formats.contacts import ReadResult, read_json_contacts
from ..formats.linkedin import read_linkedin_csv
from ..formats.text import plural
from ..formats.vcard import read_vcards
from ..write.atomic import Created, create_notes
from ..write.import_plan import plan_import
from ..write.importing import prepare_import
from .app import App, now_option, pass_app
from .output import echo

if TYPE_CHECKING:
    from ..write.create import NewNote

#: Above this many notes, and on a terminal, the import shows a progress bar.
_PROGRESS_FROM = 50


def _run_import(
    app: App, file: str, reader: Callable[[Path], ReadResult], dry_run: bool, now_text: str | None
) -> None:
    index = app.index()
    now = app.now(now_text)
    plan = plan_import(index.contacts, reader(Path(file)), organization_keys(index))
    result = prepare_import(index, now, plan)
    created = Created([], [])  # a dry run writes nothing
    if dry_run:
        for _, new in result.create:
            echo(f"would create {new.rel}")
        count = len(result.create)
    else:
        created = _write_notes(app, [new for _, new in result.create])
        for rel in created.written:
            echo(f"created {rel}")
        count = len(created.written)
    for why in created.taken:
        echo(f"not written: {why}", err=True)
    # One list in the file's line order, as a compiler reports: the reader of a long
    # report walks the file once.
    said = [
        *((record.line, f"note: {record.name}: {note}") for record, note in result.notes),
        *(
            (record.line, f"skipped {record.name}: same person as {why}")
            for record, why in result.skipped
        ),
        *((line, f"invalid: {why}") for line, why in result.invalid),
    ]
    for line, text in sorted(said, key=lambda item: item[0]):
        echo(f"{file}:{line}: {text}", err=True)
    verb = "would create" if dry_run else "created"
    lines = [str(line) for line, _ in result.invalid]
    where = f" ({'line' if len(lines) == 1 else 'lines'} {', '.join(lines)})" if lines else ""
    encoding = f"; read as {result.read_as}" if result.read_as else ""
    echo(
        f"{verb} {plural(count, 'contact')}, skipped "
        f"{plural(len(result.skipped), 'duplicate')}, {len(result.invalid)} invalid{where}"
        f"{encoding}",
        err=True,
    )
    if created.stopped is not None:
        left = len(result.create) - count - len(created.taken)
        raise WriteRefused(
            f"{created.stopped}; {plural(left, 'contact')} not imported (once that is fixed, "
            "import the file again: the contacts already imported are skipped)"
        )
    if created.taken:
        raise SystemExit(1)


def _write_notes(app: App, notes: list[NewNote]) -> Created:
    """Write the new notes, with a progress bar for many on a terminal."""
    show_bar = len(notes) >= _PROGRESS_FROM and sys.stderr.isatty()
    with click.progressbar(notes, label="importing", file=sys.stderr, hidden=not show_bar) as bar:
        return create_notes(app.root, ((new.rel, new.text) for new in bar))


def _import_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--dry-run", is_flag=True, help="Show what would be written; write nothing."
    )(command)
    # Not click.Path(dir_okay=False): the reader refuses folders, devices and FIFOs
    # itself, in one line like every other unusable file.
    command = click.argument("file")(command)
    return now_option(command)


@click.group("import")
def import_command() -> None:
    """Add contacts from LinkedIn, an address book (vCard) or an infoint JSON export.

    Each new person becomes a prospect contact made from your contact template, exactly
    as `infoint new contact` makes it. People the vault already has (same email,
    LinkedIn URL, exported id or vCard UID, or the same name with the same organization
    where both have one) are skipped and counted, so importing the same file twice adds
    nothing. A row or card that cannot be read is reported with its line; the rest
    import.

    Example:

    \b
        infoint import linkedin ~/Downloads/Connections.csv --dry-run
        infoint import vcard contacts.vcf
    """


@import_command.command("linkedin")
@_import_options
@pass_app
def import_linkedin(app: App, file: str, dry_run: bool, now_text: str | None) -> None:
    """LinkedIn's data export, Connections.csv.

    Get it from LinkedIn: Settings, Data privacy, Get a copy of your data, Connections.
    Each row becomes a contact with `source: linkedin`, their organization, title,
    LinkedIn URL, email when shared, and the date you connected (`connected_on`).
    Every vintage reads, also saved again by a spreadsheet (`;` or tabs, Windows-1252
    or UTF-16).

    Example:

    \b
        infoint import linkedin Connections.csv --dry-run
        infoint import linkedin Connections.csv
    """
    _run_import(app, file, read_linkedin_csv, dry_run, now_text)


@import_command.command("vcard")
@_import_options
@pass_app
def import_vcard(app: App, file: str, dry_run: bool, now_text: str | None) -> None:
    """A vCard 2.1, 3.0 or 4.0 file (one or many cards), as address books export them.

    Every EMAIL and TEL is kept (the preferred one in email/phone, the others in
    other_emails/other_phones), URLs (linkedin, websites), BDAY (birthday) and the
    preferred ADR (address; its city in location).

    Example:

    \b
        infoint import vcard contacts.vcf
    """
    _run_import(app, file, read_vcards, dry_run, now_text)


@import_command.command("json")
@_import_options
@pass_app
def import_json(app: App, file: str, dry_run: bool, now_text: str | None) -> None:
    """The output of `infoint export contacts --format json` (fields and bodies).

    Example:

    \b
        infoint export contacts --format json > all.json
        infoint --vault other-vault import json all.json
    """
    _run_import(app, file, read_json_contacts, dry_run, now_text)
