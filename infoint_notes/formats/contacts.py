"""Contacts in and out (SPEC 4.11): the records every reader gives, JSON, CSV.

Readers turn a file into `ContactRecord`s (front-matter fields plus an optional body)
and never write: LinkedIn's Connections.csv in `linkedin`, vCard in `vcard`, infoint's
own JSON export here. `write/import_plan.py` decides which records are new and what
their notes are called.

Round trips are exact: every front-matter field of a contact survives export -> import
(JSON and vCard), and so does its id (JSON `id`; vCard `UID` and `X-INFOINT--ID`), so
every link still points at the same person. Which field goes to which CSV column, vCard
property and LinkedIn column is declared in `core/schema.py`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..core.files import MAX_NOTE_BYTES, read_capped
from ..core.model import Contact
from ..core.parse import decode
from ..core.schema import KINDS
from .importfile import ImportFailure, read_import_text
from .jsontext import encode_json, json_text
from .safetext import printable


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """One person read from an import file."""

    line: int  # where the person starts in the file, for messages
    fields: dict[str, Any]  # front-matter fields in the order they should be written
    body: str | None = None  # the note's body, when the file carries one
    #: The note id it had in the vault that exported it (JSON `id`, vCard
    #: `X-INFOINT--ID`): the new note's id when that is free.
    id: str | None = None
    #: Its vCard UID.
    uid: str | None = None
    #: The UID of the card who referred it (`RELATED;TYPE=contact`, as export writes).
    referrer_uid: str | None = None
    #: What the file holds for this person that the note leaves out, and why.
    notes: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return str(self.fields.get("name") or "")


@dataclass(frozen=True, slots=True)
class ReadResult:
    records: tuple[ContactRecord, ...]
    #: (line, reason) of rows that cannot become a contact.
    invalid: tuple[tuple[int, str], ...] = ()
    #: The file's encoding when it was not UTF-8, for the import summary.
    read_as: str | None = None


_EMAIL = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]+\Z")


def email_address(text: str) -> str | None:
    """`text` as an email address (a `mailto:` dropped), or None when it is none."""
    text = text.strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    return text if _EMAIL.match(text) else None


# --- JSON --------------------------------------------------------------------------------


def read_json_contacts(path: Path) -> ReadResult:
    """The output of `infoint export contacts --format json`."""
    source = read_import_text(path)
    try:
        data = json.loads(source.text)
    except ValueError as exc:
        line = getattr(exc, "lineno", 1)
        raise ImportFailure(f"{path}:{line}: not valid JSON: {exc}") from exc
    except RecursionError as exc:  # json recurses once per `[` or `{`
        raise ImportFailure(f"{path}: not valid JSON: nested too deeply") from exc
    if not isinstance(data, list):
        raise ImportFailure(
            f"{path}: expected a list of contacts, as 'export --format json' writes"
        )
    records, invalid = [], []
    for number, item in enumerate(data, 1):
        fields = item.get("fields") if isinstance(item, dict) else None
        if not isinstance(fields, dict) or not str(fields.get("name") or "").strip():
            invalid.append((number, f"item {number} has no fields.name"))
            continue
        fields = {"type": "contact", **{k: v for k, v in fields.items() if k != "type"}}
        body = item.get("body") if isinstance(item.get("body"), str) else None
        exported = item.get("id") if isinstance(item.get("id"), str) else None
        records.append(ContactRecord(number, fields, body, id=exported or None))
    return ReadResult(tuple(records), tuple(invalid), source.read_as)


# --- export ------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Front-matter values as JSON-ready data (dates as ISO strings)."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def exported_fields(contact: Contact) -> dict[str, Any]:
    return {key: _plain(value) for key, value in contact.data.items()}


def exported_body(contact: Contact, root: Path | None) -> str | None:
    if root is None:
        return None
    from ..core.parse import front_matter_bounds, split_lines

    try:
        text, _ = decode(read_capped(root / contact.path, MAX_NOTE_BYTES))
    except OSError:
        return None
    if text is None:
        return None
    lines = split_lines(text)
    bounds = front_matter_bounds(lines)
    start = bounds[1] + 1 if bounds and bounds[1] > 0 else 0
    body = "\n".join(lines[start:]).strip("\n")
    return body or None


def export_json(contacts: Sequence[Contact], root: Path | None = None) -> str:
    items = [
        {"id": c.id, "path": c.path, "fields": exported_fields(c), "body": exported_body(c, root)}
        for c in contacts
    ]
    return json_text(items) + "\n"


#: A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV
#: injection"): `=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)`.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """A cell a spreadsheet shows as the text it is: a leading `'` before what would
    start a formula (a phone number `+1 555 0100` too, as OWASP advises), and control
    characters escaped as in the terminal, so one contact is one line."""
    if value.startswith(_FORMULA_START):
        value = "'" + value
    return printable(value)


def export_csv(contacts: Sequence[Contact]) -> str:
    """One row per contact; lists joined with `; `, mappings as JSON; every cell made
    safe by `csv_cell`."""
    standard = [field.key for field in KINDS["contact"].fields if field.csv]
    extra = sorted({key for c in contacts for key in c.data} - set(standard) - {"type"})
    columns = ["id", "path", *standard, *extra]
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow([csv_cell(column) for column in columns])
    for contact in contacts:
        fields = exported_fields(contact)
        row = [contact.id, contact.path]
        for column in columns[2:]:
            value = fields.get(column)
            if isinstance(value, list) and all(not isinstance(v, (list, dict)) for v in value):
                value = "; ".join("" if v is None else str(v) for v in value)
            elif isinstance(value, (list, dict)):
                value = encode_json(value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            row.append("" if value is None else str(value))
        writer.writerow([csv_cell(cell) for cell in row])
    return output.getvalue()
