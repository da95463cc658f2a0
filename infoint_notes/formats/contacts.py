"""Contacts in and out (SPEC 4.11): LinkedIn's Connections.csv, vCard 3.0/4.0, JSON, CSV.

Reading turns a file into `ContactRecord`s (front-matter fields plus an optional body)
and never writes; `plan_import` decides which records are new and which duplicate a
contact the vault already has. vCard goes through `vobject` (a maintained parser that
handles folding, escapes, both versions and several cards per file).

Round trips are exact: every front-matter field of a contact survives export -> import,
standard vCard properties carrying what vCard knows and `X-INFOINT-*` the rest (values
as JSON, so a number stays a number and a list stays a list). Which field goes to which
CSV column, vCard property and LinkedIn column is declared in `core/schema.py`; this
module knows how each vCard property is written and read (`_PROPERTIES`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..core.errors import UsageError
from ..core.files import MAX_NOTE_BYTES, read_capped
from ..core.identity import (
    OrganizationKey,
    contact_keys,
    identity_keys,
    plain_organization_key,
)
from ..core.model import Contact
from ..core.parse import decode, normalise_key, read_text_file
from ..core.schema import KINDS
from .jsontext import encode_json, json_text
from .safetext import printable

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
#: A namespace for stable vCard UIDs derived from note ids.
_UID_NAMESPACE = uuid.UUID("5b0d4f4e-2f1c-4a53-9a57-6f1e2d7a9c11")
#: Keys that map one to one onto property names (`keep_in_touch_days` <->
#: X-INFOINT-KEEP-IN-TOUCH-DAYS); any other key goes in a property that no such key can
#: produce, with the key itself as a parameter.
_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*\Z")
_OTHER_KEY = "X-INFOINT--KEY"


class ImportFailure(UsageError):
    """The import file cannot be used at all (exit 2); nothing is written."""


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """One person read from an import file."""

    line: int  # where the person starts in the file, for messages
    fields: dict[str, Any]  # front-matter fields in the order they should be written
    body: str | None = None  # the note's body, when the file carries one

    @property
    def name(self) -> str:
        return str(self.fields.get("name") or "")


@dataclass(frozen=True, slots=True)
class ReadResult:
    records: tuple[ContactRecord, ...]
    #: (line, reason) of rows that cannot become a contact.
    invalid: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class PlannedImport:
    """What an import will do: the records to create and the ones it skips."""

    create: tuple[ContactRecord, ...]
    #: (record, the existing note path or "an earlier row") of duplicates.
    skipped: tuple[tuple[ContactRecord, str], ...]
    invalid: tuple[tuple[int, str], ...] = ()


#: Import files may be far larger than a note: LinkedIn exports of thousands of rows.
MAX_IMPORT_BYTES = 64 * 1024 * 1024


def _read_text(path: Path) -> str:
    return read_text_file(path, str(path), MAX_IMPORT_BYTES, ImportFailure)[0]


# --- LinkedIn ----------------------------------------------------------------------------


def _linkedin_date(text: str) -> str:
    """LinkedIn writes `15 Jan 2024` (older exports `1/15/24`); keep anything else as is."""
    for pattern in ("%d %b %Y", "%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date().isoformat()
        except ValueError:
            continue
    return text.strip()


def read_linkedin_csv(path: Path) -> ReadResult:
    """LinkedIn's Connections.csv: a few note lines, then the header row, then people."""
    text = _read_text(path)
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    columns = [field for field in KINDS["contact"].fields if field.linkedin]
    records: list[ContactRecord] = []
    invalid: list[tuple[int, str]] = []
    try:
        for row in rows:
            line = rows.line_num
            cells = [cell.strip() for cell in row]
            if header is None:
                if "First Name" in cells and "Last Name" in cells:
                    header = cells
                continue
            if not any(cells):
                continue
            values = dict(zip(header, cells, strict=False))
            name = " ".join(
                part for part in (values.get("First Name"), values.get("Last Name")) if part
            )
            if not name:
                invalid.append((line, "no first or last name"))
                continue
            fields: dict[str, Any] = {"type": "contact", "name": name}
            for field in columns:
                cell = values.get(field.linkedin or "")
                if cell:
                    fields[field.key] = _linkedin_date(cell) if field.value.dated else cell
            fields["source"] = "linkedin"
            records.append(ContactRecord(line, fields))
    except csv.Error as exc:
        raise ImportFailure(f"{path}:{rows.line_num}: not valid CSV: {exc}") from exc
    if header is None:
        raise ImportFailure(
            f"{path}: no header row with 'First Name' and 'Last Name' (columns "
            f"{', '.join(LINKEDIN_COLUMNS)}); is this LinkedIn's Connections.csv?"
        )
    return ReadResult(tuple(records), tuple(invalid))


# --- vCard -------------------------------------------------------------------------------


def _x_name(key: str) -> str:
    return "X-INFOINT-" + key.upper().replace("_", "-")


def _first(card: Any, name: str) -> Any:
    items = card.contents.get(name)
    return items[0] if items else None


def _card_fields(card: Any, names_by_uid: dict[str, str]) -> tuple[dict[str, Any], str | None]:
    fields: dict[str, Any] = {"type": "contact"}
    keys = _vcard_keys()
    for name, carrier in _PROPERTIES.items():
        value = carrier.read(card) if name in keys else None
        if value is not None:
            fields[keys[name]] = value
    related = _first(card, "related")
    if related is not None and str(related.value) in names_by_uid:
        fields["referred_by"] = names_by_uid[str(related.value)]
    for key, items in sorted(card.contents.items()):
        if not key.startswith("x-infoint-"):
            continue
        prop = items[0]
        original = prop.params.get("X-KEY", [None])[0]
        field_name = original or key[len("x-infoint-") :].replace("-", "_")
        try:
            fields[field_name] = json.loads(str(prop.value))
        except ValueError:
            fields[field_name] = str(prop.value)
    note = _first(card, "note")
    body = str(note.value) if note is not None and str(note.value).strip() else None
    return fields, body


def read_vcards(path: Path) -> ReadResult:
    """Every card of a vCard 3.0 or 4.0 file."""
    import vobject

    text = _read_text(path)
    try:
        cards = list(vobject.readComponents(text, validate=False))
    except Exception as exc:  # vobject raises ParseError, but also ValueError on odd input
        line = getattr(exc, "lineNumber", None)
        where = f"{path}:{line}" if line else str(path)
        raise ImportFailure(f"{where}: not a valid vCard file: {exc}") from exc
    starts = [
        number
        for number, line in enumerate(text.splitlines(), 1)
        if line.strip().upper() == "BEGIN:VCARD"
    ]
    names_by_uid = {}
    for card in cards:
        uid, formatted = _first(card, "uid"), _first(card, "fn")
        if uid is not None and formatted is not None:
            names_by_uid[str(uid.value)] = str(formatted.value).strip()
    records, invalid = [], []
    for number, card in enumerate(cards):
        line = starts[number] if number < len(starts) else 1
        if card.name.upper() != "VCARD":
            invalid.append((line, f"a {card.name} is not a contact card"))
            continue
        try:
            fields, body = _card_fields(card, names_by_uid)
        except Exception as exc:  # one odd card must not stop the rest
            invalid.append((line, f"cannot read this card: {exc}"))
            continue
        if not fields.get("name"):
            invalid.append((line, "card has no name (FN or N)"))
            continue
        records.append(ContactRecord(line, fields, body))
    return ReadResult(tuple(records), tuple(invalid))


# --- JSON --------------------------------------------------------------------------------


def read_json_contacts(path: Path) -> ReadResult:
    """The output of `infoint export contacts --format json`."""
    text = _read_text(path)
    try:
        data = json.loads(text)
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
        records.append(ContactRecord(number, fields, body))
    return ReadResult(tuple(records), tuple(invalid))


# --- de-duplication ----------------------------------------------------------------------


def plan_import(
    existing: Iterable[Contact],
    result: ReadResult,
    organization_key: OrganizationKey = plain_organization_key,
) -> PlannedImport:
    """Split records into new ones and duplicates (of the vault or of an earlier row).
    `organization_key` says when two organization texts are the same employer."""
    known: dict[tuple[str, str], str] = {}
    for contact in existing:
        for key in contact_keys(contact, organization_key):
            known.setdefault(key, contact.path)
    create: list[ContactRecord] = []
    skipped: list[tuple[ContactRecord, str]] = []
    for record in result.records:
        fields = record.fields
        keys = identity_keys(
            fields.get("name"),
            fields.get("organization"),
            fields.get("email"),
            fields.get("linkedin"),
            organization_key,
        )
        match = next((known[key] for key in keys if key in known), None)
        # A row is the same person under every key it has, so a later row that shares
        # only its LinkedIn URL still matches the note the earlier row matched.
        for key in keys:
            known.setdefault(key, match or f"line {record.line} of the same file")
        if match is not None:
            skipped.append((record, match))
        else:
            create.append(record)
    return PlannedImport(tuple(create), tuple(skipped), result.invalid)


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


def _fields(contact: Contact) -> dict[str, Any]:
    return {key: _plain(value) for key, value in contact.data.items()}


def _body(contact: Contact, root: Path | None) -> str | None:
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
        {"id": c.id, "path": c.path, "fields": _fields(c), "body": _body(c, root)} for c in contacts
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
        fields = _fields(contact)
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


def vcard_uid(note_id: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_UID_NAMESPACE, normalise_key(note_id))}"


def export_vcards(
    contacts: Sequence[Contact], referrers: dict[str, str], root: Path | None = None
) -> str:
    """vCard 4.0. `referrers` maps a contact's path to its referrer's id (for RELATED).

    vCard text holds no control characters (RFC 6350): standard properties show them
    escaped, as the terminal does, and such a field is also written exactly in its
    `X-INFOINT-*` property (JSON escapes), which import prefers."""
    import vobject

    keys = _vcard_keys()
    standard = {key: name for name, key in keys.items()}
    cards = []
    for contact in contacts:
        exact = _fields(contact)
        fields = {key: _visible(value) for key, value in exact.items()}
        card = vobject.vCard()
        card.add("version").value = "4.0"
        card.add("uid").value = vcard_uid(contact.id)
        for name, carrier in _PROPERTIES.items():
            if name in keys:
                carrier.write(card, fields.get(keys[name]), contact.id)
        if contact.path in referrers:
            related = card.add("related")
            related.value = vcard_uid(referrers[contact.path])
            related.params["TYPE"] = ["contact"]
        for key, value in exact.items():
            carried = _PROPERTIES[standard[key]] if key in standard else None
            if key == "type" or (carried and carried.fits(value) and fields[key] == value):
                continue
            if _SNAKE.match(key):
                prop = card.add(_x_name(key))
            else:
                prop = card.add(_OTHER_KEY)
                prop.params["X-KEY"] = [key]
            prop.value = encode_json(value)
        body = _body(contact, root)
        if body:
            # NOTE keeps the body's lines (vCard writes a newline as `\n`).
            card.add("note").value = "\n".join(printable(line) for line in body.split("\n"))
        cards.append(card.serialize())
    return "".join(cards)


def _visible(value: Any) -> Any:
    """A field value with control characters shown escaped (lists item by item)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_visible(item) for item in value]
    return value


# --- vCard properties -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Property:
    """How a standard vCard property carries a contact field."""

    #: The card -> the field's value, or None when the card has none.
    read: Callable[[Any], Any]
    #: Adds the property for a value (control characters already escaped), if it has one.
    write: Callable[[Any, Any, str], None]
    #: Whether the property carries this exact value as it is (else the value also goes
    #: to `X-INFOINT-<KEY>`, which import prefers).
    fits: Callable[[Any], bool]


def _vcard_keys() -> dict[str, str]:
    """vCard property -> the contact field it carries (`core/schema.py`)."""
    return {field.vcard: field.key for field in KINDS["contact"].fields if field.vcard}


def _text_of(card: Any, name: str) -> str | None:
    prop = _first(card, name)
    text = str(prop.value).strip() if prop is not None else ""
    return text or None


def _read_name(card: Any) -> str | None:
    name = _text_of(card, "fn") or ""
    if not name and _first(card, "n") is not None:
        parts = _first(card, "n").value
        name = " ".join(p for p in (parts.given, parts.additional, parts.family) if p).strip()
    return name or None


def _write_name(card: Any, value: Any, note_id: str) -> None:
    import vobject

    name = str(value or printable(note_id))  # a card must have an FN
    card.add("fn").value = name
    given, _, family = name.rpartition(" ") if " " in name else ("", "", name)
    card.add("n").value = vobject.vcard.Name(family=family, given=given)


def _read_list(name: str) -> Callable[[Any], Any]:
    def read(card: Any) -> list[str] | None:
        prop = _first(card, name)
        if prop is None:
            return None
        value = prop.value if isinstance(prop.value, list) else [prop.value]
        return [str(item).strip() for item in value if str(item).strip()]

    return read


def _read_nickname(card: Any) -> list[str] | None:
    text = _text_of(card, "nickname")
    return [a.strip() for a in text.split(",") if a.strip()] if text else None


def _write_list(name: str, joined: bool = False) -> Callable[[Any, Any, str], None]:
    def write(card: Any, value: Any, note_id: str) -> None:
        if isinstance(value, list) and value:
            items = [str(item) for item in value]
            card.add(name).value = ",".join(items) if joined else items

    return write


def _read_org(card: Any) -> str | None:
    org = _first(card, "org")
    if org is None:
        return None
    value = org.value if isinstance(org.value, list) else [org.value]
    return value[0] if value and value[0] else None


def _write_text(name: str, shape: Callable[[str], Any] = str) -> Callable[[Any, Any, str], None]:
    def write(card: Any, value: Any, note_id: str) -> None:
        if isinstance(value, str) and value:
            card.add(name).value = shape(value)

    return write


def _text_reader(name: str) -> Callable[[Any], str | None]:
    return lambda card: _text_of(card, name)


def _read_tel(card: Any) -> str | None:
    text = _text_of(card, "tel")
    return re.sub(r"^tel:", "", text) if text else None


def _read_linkedin_url(card: Any) -> str | None:
    for url in card.contents.get("url", []):
        if "linkedin.com" in str(url.value).lower():
            return str(url.value).strip()
    return None


def _read_city(card: Any) -> str | None:
    adr = _first(card, "adr")
    city = getattr(adr.value, "city", None) if adr is not None else None
    return city or None


def _address(city: str) -> Any:
    import vobject

    return vobject.vcard.Address(city=city)


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_word_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v and "," not in v for v in value)


#: Standard properties, in the order import reads them (which orders a new note's keys).
_PROPERTIES: dict[str, _Property] = {
    "FN": _Property(_read_name, _write_name, _is_text),
    "NICKNAME": _Property(_read_nickname, _write_list("nickname", joined=True), _is_word_list),
    "ORG": _Property(_read_org, _write_text("org", lambda text: [text]), _is_text),
    "TITLE": _Property(_text_reader("title"), _write_text("title"), _is_text),
    "EMAIL": _Property(_text_reader("email"), _write_text("email"), _is_text),
    "TEL": _Property(
        _read_tel,
        _write_text("tel"),
        lambda value: isinstance(value, str) and not value.startswith("tel:"),
    ),
    "URL": _Property(
        _read_linkedin_url,
        _write_text("url"),
        lambda value: isinstance(value, str) and "linkedin.com" in value.lower(),
    ),
    "ADR": _Property(
        _read_city,
        _write_text("adr", _address),
        lambda value: isinstance(value, str) and ";" not in value,
    ),
    "CATEGORIES": _Property(_read_list("categories"), _write_list("categories"), _is_word_list),
}
