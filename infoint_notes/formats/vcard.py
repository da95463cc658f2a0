"""vCard in and out (SPEC 4.11): 2.1, 3.0 and 4.0 as address books write them.

Reading is our own: a file is read card by card, so a card that cannot be read is
reported with the line it is on and the others import. vobject, which writes our
export, reads too little of what address books write: vCard 2.1's quoted-printable
values (Android, Outlook) break across lines its parser refuses, a `CHARSET` is not
applied, an unescaped comma ends a value (`TITLE:Director, Research` is `Director`),
and its line numbers count its own unfolded text. So lines are unfolded here (folding
and quoted-printable soft breaks), each value decoded (quoted-printable and `CHARSET`,
against the bytes the file held), and properties read by RFC 6350's escapes (which
2.1's values also follow, as far as they go).

Which property carries which field is declared in `core/schema.py` (`Field.vcard`);
`_PROPERTIES` says how each is read and written. Every EMAIL and TEL is kept (the
preferred first: `PREF`, or `TYPE=pref`), every URL (the LinkedIn one in `linkedin`),
the preferred ADR (city in `location`, the whole address in `address`), BDAY.

Export writes vCard 4.0 (vobject). What a standard property cannot give back exactly
also goes, as JSON, into `X-INFOINT-<KEY>`, which import prefers: export reads each
card back to find out. Each card carries the note's id (`X-INFOINT--ID`, and the
`UID` derived from it), and a referral is `RELATED;TYPE=contact` with the referrer's
UID, so an import of the export gives every note its id and every link its person.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..core.identity import vcard_uid
from ..core.model import Contact
from ..core.names import parse_name
from ..core.parse import split_lines
from ..core.schema import KINDS
from .contacts import ContactRecord, ReadResult, email_address, exported_body, exported_fields
from .importfile import ImportFailure, ImportText, read_import_text
from .jsontext import encode_json
from .safetext import printable
from .vcard_lines import Card, Unreadable, read_card, split_cards, unescape

_PREFIX = "X-INFOINT-"
#: Keys that map one to one onto property names (`keep_in_touch_days` <->
#: X-INFOINT-KEEP-IN-TOUCH-DAYS); any other key goes in a property that no such key can
#: produce, with the key itself as a parameter.
_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*\Z")
_OTHER_KEY = "X-INFOINT--KEY"
#: The note's id; `--` keeps it apart from every field's property.
_ID = "X-INFOINT--ID"


# --- reading -----------------------------------------------------------------------------


def read_vcards(path: Path) -> ReadResult:
    """Every card of a vCard 2.1, 3.0 or 4.0 file."""
    source = read_import_text(path)
    cards, invalid = split_cards(split_lines(source.text))
    if not cards and not invalid:
        raise ImportFailure(f"{path}: no vCard in it (no BEGIN:VCARD line)")
    records = []
    for start, lines in cards:
        try:
            card = read_card(start, lines, source)
        except Unreadable as exc:
            invalid.append((exc.line, f"cannot read this card: {exc.reason}"))
            continue
        record = _record(card)
        if record is None:
            invalid.append((start, "card has no name (FN or N)"))
        else:
            records.append(record)
    return ReadResult(tuple(records), tuple(sorted(invalid)), source.read_as)


def _standard_fields(card: Card, notes: list[str]) -> dict[str, Any]:
    """The fields the card's standard properties give, in the schema's order."""
    read = {name: carrier.read(card, notes) for name, carrier in _PROPERTIES.items()}
    fields: dict[str, Any] = {}
    for declared in KINDS["contact"].fields:
        value = read.get(declared.vcard or "", {}).get(declared.key)
        if value not in (None, "", []):
            fields[declared.key] = value
    return fields


def _record(card: Card) -> ContactRecord | None:
    """The card's person; None when it has no name."""
    import json

    notes: list[str] = []
    standard = _standard_fields(card, notes)
    fields: dict[str, Any] = {"type": "contact", **standard}
    note_id = None
    for line in sorted(card.lines, key=lambda line: line.name):
        if not line.name.startswith(_PREFIX):
            continue
        try:
            value = json.loads(unescape(line.value))
        except (ValueError, RecursionError):  # json recurses once per `[`
            value = unescape(line.value)
        if line.name == _ID:
            note_id = value if isinstance(value, str) and value else None
            continue
        key = line.params.get("X-KEY", [None])[0] if line.name == _OTHER_KEY else None
        fields[key or line.name[len(_PREFIX) :].lower().replace("-", "_")] = value
    # The exact name export wrote may be only white space ("\r"); its FN still names it.
    if not standard.get("name") and not str(fields.get("name") or "").strip():
        return None
    note, uid = card.first("NOTE"), card.first("UID")
    body = unescape(note.value).strip("\n") if note is not None else ""
    return ContactRecord(
        card.start,
        {key: value for key, value in fields.items() if value is not None},
        body or None,
        id=note_id,
        uid=(uid.text() if uid is not None else "") or None,
        referrer_uid=_referrer(card),
        notes=tuple(notes),
    )


def _referrer(card: Card) -> str | None:
    """The UID in the referral that export writes (`RELATED;TYPE=contact`); a family or
    any other relation is no referral."""
    for line in card.all("RELATED"):
        if "contact" in line.types() and line.text():
            return line.text()
    return None


# --- export ------------------------------------------------------------------------------


def export_vcards(
    contacts: Sequence[Contact], referrers: dict[str, str], root: Path | None = None
) -> str:
    """vCard 4.0. `referrers` maps a contact's path to its referrer's id (for RELATED).

    vCard text holds no control characters (RFC 6350): standard properties show them
    escaped, as the terminal does, and such a field is also written exactly in its
    `X-INFOINT-*` property (JSON escapes), which import prefers."""
    return "".join(_export_card(c, referrers.get(c.path), root) for c in contacts)


def _export_card(contact: Contact, referrer: str | None, root: Path | None) -> str:
    import vobject

    exact = exported_fields(contact)
    visible = {key: _visible(value) for key, value in exact.items()}
    card = vobject.vCard()
    card.add("version").value = "4.0"
    card.add("uid").value = vcard_uid(contact.id)
    for carrier in _PROPERTIES.values():
        carrier.write(card, visible, contact.id)
    # What the standard properties give back: a field they change also goes exactly
    # in X-INFOINT-<KEY>; one they give that the contact does not have, as null.
    back = _read_back(card)
    card.add(_ID).value = encode_json(contact.id)
    if referrer is not None:
        related = card.add("related")
        related.value = vcard_uid(referrer)
        related.params["TYPE"] = ["contact"]
    carried = {declared.key for declared in KINDS["contact"].fields if declared.vcard}
    for key in [*exact, *(key for key in back if key not in exact)]:
        if key == "type" or (key in carried and _same(back.get(key), exact.get(key))):
            continue
        if _same(exact.get(key), None) and _same(back.get(key), None):
            continue  # an empty field (`phone:`) says nothing: import leaves it empty too
        if key == "name" and key not in exact:
            continue  # a card must have a name: the note's id stands in
        prop = card.add(_PREFIX + key.upper().replace("_", "-")) if _SNAKE.match(key) else None
        if prop is None:
            prop = card.add(_OTHER_KEY)
            prop.params["X-KEY"] = [key]
        prop.value = encode_json(exact.get(key))
    body = _note_text(exported_body(contact, root))
    if body:
        # NOTE keeps the body's lines (vCard writes a newline as `\n`).
        card.add("note").value = "\n".join(printable(line) for line in body.split("\n"))
    return card.serialize()


_COMMENTS = re.compile(r"<!--.*?-->|%%.*?%%", re.S)
_HEADING = re.compile(r"#{1,6}(?:\s.*)?")


def _note_text(body: str | None) -> str | None:
    """The body as an address book's NOTE: without comments (the template's prompts,
    Obsidian's `%% private %%`), and none at all when only headings are left."""
    if not body:
        return None
    lines = _COMMENTS.sub("", body).split("\n")
    if all(not line.strip() or _HEADING.fullmatch(line.strip()) for line in lines):
        return None
    text = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", "\n".join(line.rstrip() for line in lines))
    return text.strip("\n")


def _read_back(card: Any) -> dict[str, Any]:
    """The fields import would read from the standard properties of `card`."""
    (start, lines), *_ = split_cards(split_lines(card.serialize()))[0]
    return _standard_fields(read_card(start, lines, ImportText("")), [])


def _same(one: Any, other: Any) -> bool:
    """Equal, or both nothing (absent, empty text or an empty list)."""
    return one == other or (one in (None, "", []) and other in (None, "", []))


def _visible(value: Any) -> Any:
    """A field value with control characters shown escaped (lists item by item)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_visible(item) for item in value]
    return value


# --- the standard properties -------------------------------------------------------------


_Reader = Callable[[Card, list[str]], dict[str, Any]]
_Writer = Callable[[Any, dict[str, Any], str], None]


@dataclass(frozen=True, slots=True)
class _Property:
    """How a standard vCard property carries the contact fields the schema gives it."""

    #: The card -> {field key: value} (None or empty when the card has none); what the
    #: card holds that no field can, in words for the import report, to `notes`.
    read: _Reader
    #: Adds the property (once, several times, or not at all) for the contact's fields
    #: (control characters already escaped).
    write: _Writer


def _read_name(card: Card, notes: list[str]) -> dict[str, Any]:
    formatted = card.first("FN")
    name = formatted.text() if formatted is not None else ""
    structured = card.first("N")
    if not name and structured is not None:
        parts = [*structured.parts(), "", "", ""]
        name = " ".join(p.strip() for p in (parts[1], parts[2], parts[0]) if p.strip())
    return {"name": " ".join(name.split()) or None}


def _write_name(card: Any, fields: dict[str, Any], note_id: str) -> None:
    import vobject

    name = fields.get("name")
    # A card needs a name: the note's id stands in for none, or one of white space only.
    name = name if isinstance(name, str) and name.strip() else printable(note_id)
    card.add("fn").value = name
    parts = parse_name(name)
    card.add("n").value = vobject.vcard.Name(
        family=parts.last,
        given=parts.first,
        additional=parts.middle,
        prefix=parts.title,
        suffix=parts.suffix,
    )


def _texts(value: Any) -> list[str]:
    """A field's value as the texts a property may carry ([] for anything else)."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list) and all(isinstance(item, str) and item for item in value):
        return list(value)
    return []


def _read_aliases(card: Card, notes: list[str]) -> dict[str, Any]:
    aliases = [item for line in card.all("NICKNAME") for item in line.items() if item]
    return {"aliases": aliases}


def _write_aliases(card: Any, fields: dict[str, Any], note_id: str) -> None:
    for alias in _texts(fields.get("aliases")):
        card.add("nickname").value = alias


def _read_organization(card: Card, notes: list[str]) -> dict[str, Any]:
    org = card.first("ORG")
    return {"organization": org.parts()[0].strip() if org is not None else None}


def _write_organization(card: Any, fields: dict[str, Any], note_id: str) -> None:
    for organization in _texts(fields.get("organization"))[:1]:
        card.add("org").value = [organization]


def _read_title(card: Card, notes: list[str]) -> dict[str, Any]:
    title = card.first("TITLE")
    return {"title": title.text() if title is not None else None}


def _write_title(card: Any, fields: dict[str, Any], note_id: str) -> None:
    for title in _texts(fields.get("title"))[:1]:
        card.add("title").value = title


_RFC6868 = re.compile(r"\^([n'^])")


def _read_address(card: Card, notes: list[str]) -> dict[str, Any]:
    """The preferred ADR: its city is `location`; the whole of it (its LABEL, else its
    parts joined by commas) is `address` when it says more than the city."""
    adr = card.first("ADR")
    if adr is None:
        return {}
    parts = [part.strip() for part in [*adr.parts(), *[""] * 7][:7]]
    city = parts[3]
    label = adr.params.get("LABEL", [""])[0]
    label = _RFC6868.sub(lambda m: {"n": "\n", "'": '"', "^": "^"}[m[1]], label)
    pieces = (
        label.splitlines() if label.strip() else [p for part in parts for p in part.split("\n")]
    )
    address = ", ".join(piece.strip() for piece in pieces if piece.strip())
    return {"location": city or None, "address": address if address != city else None}


def _write_address(card: Any, fields: dict[str, Any], note_id: str) -> None:
    import vobject

    city = _texts(fields.get("location"))[:1]
    address = _texts(fields.get("address"))[:1]
    if not city and not address:
        return
    adr = card.add("adr")
    adr.value = vobject.vcard.Address(city=city[0] if city else "")
    if address and not any(char in address[0] for char in '"^\n'):
        adr.params["LABEL"] = address


def _preferred_and_rest(
    name: str, first: str, rest: str, value: Callable[[str], str | None], kind: str = ""
) -> _Reader:
    """A reader for a property a person may have many of (EMAIL, TEL): the preferred
    value in `first`, the others in `rest`, each once, as `value` reads them (None:
    not `kind`, left out and said)."""

    def read(card: Card, notes: list[str]) -> dict[str, Any]:
        found: list[str] = []
        for line in card.all(name):
            text = line.text()
            kept = value(text) if text else None
            if kept is None:
                if text:
                    notes.append(f"{name} {text!r} is not {kind}; left out")
                continue
            if kept.casefold() not in {item.casefold() for item in found}:
                found.append(kept)
        return {first: found[0] if found else None, rest: found[1:]}

    return read


def _write_preferred_and_rest(
    name: str, first: str, rest: str, keep: Callable[[str], object] = bool
) -> _Writer:
    """Writes `first` (`PREF=1` when there are more), then each of `rest`: those that
    `keep` accepts (import would read the others otherwise)."""

    def write(card: Any, fields: dict[str, Any], note_id: str) -> None:
        wanted = [*_texts(fields.get(first))[:1], *_texts(fields.get(rest))]
        values = [value for value in wanted if keep(value)]
        for number, value in enumerate(values):
            prop = card.add(name.lower())
            prop.value = value
            if number == 0 and len(values) > 1:
                prop.params["PREF"] = ["1"]

    return write


def _phone(text: str) -> str:
    return text[4:] if text[:4].lower() == "tel:" else text


def _read_urls(card: Card, notes: list[str]) -> dict[str, Any]:
    urls = list(dict.fromkeys(line.text() for line in card.all("URL") if line.text()))
    linkedin = next((url for url in urls if "linkedin.com" in url.lower()), None)
    return {"linkedin": linkedin, "websites": [url for url in urls if url != linkedin]}


def _write_urls(card: Any, fields: dict[str, Any], note_id: str) -> None:
    linkedin = [url for url in _texts(fields.get("linkedin"))[:1] if "linkedin.com" in url.lower()]
    for url in dict.fromkeys([*linkedin, *_texts(fields.get("websites"))]):
        card.add("url").value = url


_BIRTHDAY = re.compile(r"(\d{4}|--)-?(\d{2})-?(\d{2})(?:T.*)?\Z")


def _read_birthday(card: Card, notes: list[str]) -> dict[str, Any]:
    line = card.first("BDAY")
    text = line.text() if line is not None else ""
    if line is None or not text:
        return {}
    found = _BIRTHDAY.match(text)
    yearless = found is not None and (found[1] == "--" or "X-APPLE-OMIT-YEAR" in line.params)
    if found and not yearless:
        try:
            return {"birthday": date(int(found[1]), int(found[2]), int(found[3])).isoformat()}
        except ValueError:
            pass
    why = "has no year" if yearless else "is not a date"
    notes.append(f"BDAY {text!r} {why}; left out (birthday is a date)")
    return {}


def _write_birthday(card: Any, fields: dict[str, Any], note_id: str) -> None:
    value = fields.get("birthday")
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        card.add("bday").value = value.replace("-", "")  # RFC 6350 writes dates basic


def _read_tags(card: Card, notes: list[str]) -> dict[str, Any]:
    return {"tags": [item for line in card.all("CATEGORIES") for item in line.items() if item]}


def _write_tags(card: Any, fields: dict[str, Any], note_id: str) -> None:
    tags = _texts(fields.get("tags"))
    if tags and isinstance(fields.get("tags"), list):
        card.add("categories").value = tags


#: Standard properties (`Field.vcard`), in the order export writes them.
_PROPERTIES: dict[str, _Property] = {
    "FN": _Property(_read_name, _write_name),
    "NICKNAME": _Property(_read_aliases, _write_aliases),
    "ORG": _Property(_read_organization, _write_organization),
    "TITLE": _Property(_read_title, _write_title),
    "ADR": _Property(_read_address, _write_address),
    "EMAIL": _Property(
        _preferred_and_rest("EMAIL", "email", "other_emails", email_address, "an email address"),
        _write_preferred_and_rest("EMAIL", "email", "other_emails", email_address),
    ),
    "TEL": _Property(
        _preferred_and_rest("TEL", "phone", "other_phones", _phone),
        _write_preferred_and_rest("TEL", "phone", "other_phones"),
    ),
    "URL": _Property(_read_urls, _write_urls),
    "BDAY": _Property(_read_birthday, _write_birthday),
    "CATEGORIES": _Property(_read_tags, _write_tags),
}
