"""`infoint import linkedin|vcard|json`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..core.errors import WriteRefused
from ..formats.text import plural
from .app import App, now_option, pass_app
from .output import echo

#: Above this many notes, and on a terminal, the import shows a progress bar.
_PROGRESS_FROM = 50


def _run_import(
    app: App, file: str, reader: Callable[[Path], Any], dry_run: bool, now_text: str | None
) -> None:
    from ..core.identity import organization_keys
    from ..formats.contacts import plan_import
    from ..write.importing import prepare_import

    index = app.index()
    now = app.now(now_text)
    plan = plan_import(index.contacts, reader(Path(file)), organization_keys(index))
    result = prepare_import(index, now, plan)
    refused: list[str] = []
    stopped = None
    if dry_run:
        for _, new in result.create:
            echo(f"would create {new.rel}")
        created = len(result.create)
    else:
        written, refused, stopped = _write_notes(app, [new for _, new in result.create])
        for new in written:
            echo(f"created {new.rel}")
        created = len(written)
    for why in refused:
        echo(f"not written: {why}", err=True)
    for record, why in result.skipped:
        echo(f"{file}:{record.line}: skipped {record.name}: same person as {why}", err=True)
    for line, why in result.invalid:
        echo(f"{file}:{line}: invalid: {why}", err=True)
    verb = "would create" if dry_run else "created"
    lines = [str(line) for line, _ in result.invalid]
    where = f" ({'line' if len(lines) == 1 else 'lines'} {', '.join(lines)})" if lines else ""
    echo(
        f"{verb} {plural(created, 'contact')}, skipped "
        f"{plural(len(result.skipped), 'duplicate')}, {len(result.invalid)} invalid{where}",
        err=True,
    )
    if stopped is not None:
        left = len(result.create) - created - len(refused)
        raise WriteRefused(
            f"{stopped}; {plural(left, 'contact')} not imported (once that is fixed, import "
            "the file again: the contacts already imported are skipped)"
        )
    if refused:
        raise SystemExit(1)


def _write_notes(app: App, notes: list[Any]) -> tuple[list[Any], list[str], WriteRefused | None]:
    """Write the new notes: (written, why each refused one was, what stopped the rest).
    A note whose place was taken meanwhile is left out; any other refusal (a folder
    that cannot be written) would refuse every note, so it stops the import."""
    from ..write.atomic import AlreadyExists, create_note

    written: list[Any] = []
    refused: list[str] = []
    show_bar = len(notes) >= _PROGRESS_FROM and sys.stderr.isatty()
    with click.progressbar(notes, label="importing", file=sys.stderr, hidden=not show_bar) as bar:
        for new in bar:
            try:
                create_note(app.root / new.rel, app.root, new.text.encode("utf-8"))
            except AlreadyExists as exc:
                refused.append(str(exc))
                continue
            except WriteRefused as exc:
                return written, refused, exc
            written.append(new)
    return written, refused, None


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
    LinkedIn URL, or name and organization) are skipped and counted, so importing the
    same file twice adds nothing.

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

    Example:

    \b
        infoint import linkedin Connections.csv --dry-run
        infoint import linkedin Connections.csv
    """
    from ..formats.contacts import read_linkedin_csv

    _run_import(app, file, read_linkedin_csv, dry_run, now_text)


@import_command.command("vcard")
@_import_options
@pass_app
def import_vcard(app: App, file: str, dry_run: bool, now_text: str | None) -> None:
    """A vCard 3.0 or 4.0 file (one or many cards), e.g. exported from an address book.

    Example:

    \b
        infoint import vcard contacts.vcf
    """
    from ..formats.contacts import read_vcards

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
    from ..formats.contacts import read_json_contacts

    _run_import(app, file, read_json_contacts, dry_run, now_text)
