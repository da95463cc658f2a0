"""LinkedIn's Connections.csv, of every vintage (SPEC 4.11).

What LinkedIn has written over the years, and what a spreadsheet makes of it when the
user opens and saves it again:

- a few note lines before the header row (since 2020), or none;
- columns `First Name, Last Name, URL, Email Address, Company, Position, Connected On`,
  without `URL` in older exports, `E-mail Address` in some;
- `Connected On` as `30 May 2024`, `23-Apr-23`, `1/8/18, 6:14 PM` or ISO
  (`2024-05-30`, `2024-05-30 00:00:00` from a spreadsheet): always read as a date;
- a member URN (`urn:li:member:123`) where the email is hidden: not an email;
- saved again: `;` or tab between cells (spreadsheets of many locales), Windows-1252
  or UTF-16 (`importfile` reads those).

Which column fills which field is declared in `core/schema.py` (`Field.linkedin`).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

from ..core.parse import split_lines
from ..core.schema import KINDS
from .contacts import ContactRecord, ReadResult, email_address
from .importfile import ImportFailure, read_import_text

#: The header of LinkedIn's Connections.csv as LinkedIn writes it, for messages. The
#: schema's `linkedin` columns say which field each is read into (a test checks both
#: name the same columns).
LINKEDIN_COLUMNS = (
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
)
#: Other spellings of a column (lowercase) that some vintages use.
_ALIASES = {"e-mail address": "Email Address", "email": "Email Address"}
_DELIMITERS = (",", ";", "\t")

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?\Z")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{2}|\d{4})\Z")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})\Z")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:,? .*)?\Z")


def _year(text: str) -> int:
    """`23` is 2023 (LinkedIn began in 2003; nobody connected in 1923)."""
    year = int(text)
    return year + 2000 if year < 100 else year


def _date(year: int, month: int | None, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat() if month else None
    except ValueError:
        return None


def connected_on(text: str) -> str:
    """`Connected On` as an ISO date; a value in no style LinkedIn used stays as it is.
    Slashed dates are month first, as LinkedIn writes them (`1/8/18` is 8 January)."""
    text = text.strip()
    if found := _ISO.match(text):
        parsed = _date(int(found[1]), int(found[2]), int(found[3]))
    elif found := _DAY_MONTH_YEAR.match(text):
        parsed = _date(_year(found[3]), _MONTHS.get(found[2].lower()), int(found[1]))
    elif found := _MONTH_DAY_YEAR.match(text):
        parsed = _date(int(found[3]), _MONTHS.get(found[1].lower()), int(found[2]))
    elif found := _SLASHED.match(text):
        parsed = _date(_year(found[3]), int(found[1]), int(found[2]))
    else:
        parsed = None
    return parsed or text


def _column(cell: str) -> str:
    """A header cell as LinkedIn's own name for the column (`E-mail Address` too)."""
    plain = " ".join(cell.split()).lower()
    for column in LINKEDIN_COLUMNS:
        if column.lower() == plain:
            return column
    return _ALIASES.get(plain, cell.strip())


def _header(lines: list[str]) -> tuple[int, str] | None:
    """(index, delimiter) of the header row: the first line whose cells, split by one
    of the delimiters spreadsheets use, include First Name and Last Name."""
    for number, line in enumerate(lines):
        lowered = line.lower()
        if "first name" not in lowered or "last name" not in lowered:
            continue
        for delimiter in _DELIMITERS:
            cells = {_column(cell) for cell in next(csv.reader([line], delimiter=delimiter))}
            if {"First Name", "Last Name"} <= cells:
                return number, delimiter
    return None


def read_linkedin_csv(path: Path) -> ReadResult:
    """LinkedIn's Connections.csv: perhaps a few note lines, then the header row, then
    people."""
    source = read_import_text(path)
    lines = split_lines(source.text)
    found = _header(lines)
    if found is None:
        raise ImportFailure(
            f"{path}: no header row with 'First Name' and 'Last Name' (columns "
            f"{', '.join(LINKEDIN_COLUMNS)}); is this LinkedIn's Connections.csv?"
        )
    start, delimiter = found
    rows = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=delimiter, strict=True)
    records: list[ContactRecord] = []
    invalid: list[tuple[int, str]] = []
    try:
        header = [_column(cell) for cell in next(rows)]
        for row in rows:
            line = start + rows.line_num
            cells = [cell.strip() for cell in row]
            if not any(cells):
                continue
            person = _person(dict(zip(header, cells, strict=False)), line)
            if isinstance(person, str):
                invalid.append((line, person))
            else:
                records.append(person)
    except csv.Error as exc:
        raise ImportFailure(f"{path}:{start + rows.line_num}: not valid CSV: {exc}") from exc
    return ReadResult(tuple(records), tuple(invalid), source.read_as)


def _person(values: dict[str, str], line: int) -> ContactRecord | str:
    """The row's person, or why it has none."""
    name = " ".join(part for part in (values.get("First Name"), values.get("Last Name")) if part)
    if not name:
        return "no first or last name"
    fields: dict[str, Any] = {"type": "contact", "name": name}
    notes = []
    for field in KINDS["contact"].fields:
        cell = values.get(field.linkedin or "")
        if not cell:
            continue
        if field.key == "email" and email_address(cell) is None:
            # LinkedIn writes its member id where the email is hidden: not worth a word.
            if not cell.lower().startswith("urn:li:"):
                notes.append(f"{cell!r} is not an email address; left out")
            continue
        fields[field.key] = connected_on(cell) if field.value.dated else cell
    fields["source"] = "linkedin"
    return ContactRecord(line, fields, notes=tuple(notes))
