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

import codecs
import quopri
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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

_PREFIX = "X-INFOINT-"
#: Keys that map one to one onto property names (`keep_in_touch_days` <->
#: X-INFOINT-KEEP-IN-TOUCH-DAYS); any other key goes in a property that no such key can
#: produce, with the key itself as a parameter.
_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*\Z")
_OTHER_KEY = "X-INFOINT--KEY"
#: The note's id; `--` keeps it apart from every field's property.
_ID = "X-INFOINT--ID"
#: Properties that hold pictures, sounds or keys: never read, and in vCard 2.1 folded
#: in their own way (base64 ending with a blank line).
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_NAME = re.compile(r"[A-Za-z0-9-]+\Z")
#: 2.1 parameters written without a name (`TEL;CELL;PREF:`) that are encodings.
_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})


# --- content lines -----------------------------------------------------------------------


class _Unreadable(Exception):
    """A card that cannot be read: the line it is on, and why."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


@dataclass(frozen=True, slots=True)
class _Line:
    """One property of a card: `group.NAME;PARAM=x:value`."""

    number: int  # the file line it starts on
    name: str  # upper case, without the group
    params: dict[str, list[str]]  # upper-case names; 2.1's bare `CELL` is TYPE=CELL
    value: str  # decoded text, still with RFC 6350's backslash escapes

    def types(self) -> set[str]:
        return {item.lower() for value in self.params.get("TYPE", ()) for item in value.split(",")}

    def rank(self) -> int:
        """Lower is preferred: `PREF=1` (4.0), `TYPE=pref` (2.1, 3.0), else last."""
        pref = self.params.get("PREF", [""])[0]
        if pref.isdigit():
            return int(pref)
        return 1 if "pref" in self.types() else 101

    def text(self) -> str:
        return _unescape(self.value).strip()

    def parts(self) -> list[str]:
        """The components of a structured value (N, ADR, ORG), split at `;`."""
        return [_unescape(part) for part in _split(self.value, ";")]

    def items(self) -> list[str]:
        """The items of a list value (CATEGORIES, NICKNAME), split at `,`."""
        return [_unescape(item).strip() for item in _split(self.value, ",")]


@dataclass(slots=True)
class _Card:
    start: int
    lines: list[_Line] = field(default_factory=list)

    def all(self, name: str) -> list[_Line]:
        """The card's `name` properties, the preferred first (stable otherwise)."""
        return sorted((line for line in self.lines if line.name == name), key=_Line.rank)

    def first(self, name: str) -> _Line | None:
        found = self.all(name)
        return found[0] if found else None


_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda match: "\n" if match[1] in "nN" else match[1], text)


def _split(text: str, separator: str) -> list[str]:
    """`text` split at each `separator` that no backslash escapes."""
    parts, start, index = [], 0, 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == separator:
            parts.append(text[start:index])
            start = index + 1
        index += 1
    parts.append(text[start:])
    return parts


def _outside_quotes(text: str, char: str) -> list[int]:
    """Indexes of `char` in `text` that no double quotes enclose."""
    found, quoted = [], False
    for index, current in enumerate(text):
        if current == '"':
            quoted = not quoted
        elif current == char and not quoted:
            found.append(index)
    return found


def _pieces(text: str, char: str) -> list[str]:
    """`text` split at each `char` outside double quotes."""
    cuts = [-1, *_outside_quotes(text, char), len(text)]
    return [text[cuts[i] + 1 : cuts[i + 1]] for i in range(len(cuts) - 1)]


def _quoted_printable(text: str) -> bool:
    head = text.split(":", 1)[0].upper()
    return "QUOTED-PRINTABLE" in head


def _unfolded(lines: _Numbered) -> _Numbered:
    """Logical lines (first line number, text): a line starting with a space or tab
    continues the one before (RFC 6350 folding); so does any line after a
    quoted-printable value ending with `=` (a soft line break, as 2.1 writes it)."""
    logical: _Numbered = []
    for number, line in lines:
        if logical:
            first, text = logical[-1]
            if text.endswith("=") and _quoted_printable(text):
                logical[-1] = (first, text[:-1] + line)
                continue
            if line[:1] in (" ", "\t"):
                logical[-1] = (first, text + line[1:])
                continue
        if line.strip():
            logical.append((number, line))
    return logical


def _content_line(number: int, text: str, source: ImportText) -> _Line | None:
    """The property on one logical line; None for one never read (a photo)."""
    colons = _outside_quotes(text, ":")
    if not colons:
        raise _Unreadable(number, f"not a vCard property (no ':'): {printable(text[:40])}")
    head, value = text[: colons[0]], text[colons[0] + 1 :]
    pieces = _pieces(head, ";")
    name = pieces[0].rpartition(".")[2].strip().upper()
    if not _NAME.match(name):
        raise _Unreadable(number, f"not a vCard property name: {printable(pieces[0][:40])}")
    if name in _BINARY:
        return None
    params: dict[str, list[str]] = {}
    for piece in pieces[1:]:
        key, equals, values = piece.partition("=")
        if not equals:  # vCard 2.1: `TEL;CELL;PREF:`, `NOTE;QUOTED-PRINTABLE:`
            key, values = ("ENCODING" if key.upper() in _ENCODINGS else "TYPE"), key
        params.setdefault(key.strip().upper(), []).extend(
            item.strip().strip('"') for item in _pieces(values, ",")
        )
    encoding = params.pop("ENCODING", [""])[0].upper()
    if encoding in ("B", "BASE64"):
        return None
    charset = params.pop("CHARSET", [None])[0]
    if encoding == "QUOTED-PRINTABLE" or charset:
        raw = source.raw(value)
        if encoding == "QUOTED-PRINTABLE":
            raw = quopri.decodestring(raw)
        # A decoded value may hold line breaks: as escapes, like every other value.
        value = _decode(raw, charset).replace("\r\n", "\n").replace("\n", "\\n")
    return _Line(number, name, params, value)


def _decode(raw: bytes, charset: str | None) -> str:
    """Bytes in the card's `CHARSET` (if Python knows it), else UTF-8, else Windows-1252."""
    for codec in (charset, "utf-8", "cp1252"):
        if not codec:
            continue
        try:
            codecs.lookup(codec)
            return raw.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("latin-1")


_Numbered = list[tuple[int, str]]  # (line number, text)


def _cards(lines: list[str]) -> tuple[list[tuple[int, _Numbered]], _Numbered]:
    """(start, its numbered lines) of each card, and the (line, reason) of each card
    that never ends (then the next BEGIN starts a new one: nothing after it is lost)."""
    cards: list[tuple[int, _Numbered]] = []
    cut: _Numbered = []
    current: _Numbered | None = None
    start = 0
    for number, line in enumerate(lines, 1):
        word = line.strip().upper()
        if word == "BEGIN:VCARD":
            if current is not None:
                cut.append((start, f"no END:VCARD before the next card (line {number})"))
            current, start = [], number
        elif word == "END:VCARD" and current is not None:
            cards.append((start, current))
            current = None
        elif current is not None:
            current.append((number, line))
    if current is not None:
        cut.append((start, "no END:VCARD: the card is cut off"))
    return cards, cut


def _card(start: int, lines: _Numbered, source: ImportText) -> _Card:
    card = _Card(start)
    for number, text in _unfolded(lines):
        line = _content_line(number, text, source)
        if line is not None:
            card.lines.append(line)
    return card


# --- reading -----------------------------------------------------------------------------


def read_vcards(path: Path) -> ReadResult:
    """Every card of a vCard 2.1, 3.0 or 4.0 file."""
    source = read_import_text(path)
    cards, invalid = _cards(split_lines(source.text))
    if not cards and not invalid:
        raise ImportFailure(f"{path}: no vCard in it (no BEGIN:VCARD line)")
    records = []
    for start, lines in cards:
        try:
            card = _card(start, lines, source)
        except _Unreadable as exc:
            invalid.append((exc.line, f"cannot read this card: {exc.reason}"))
            continue
        record = _record(card)
        if record is None:
            invalid.append((start, "card has no name (FN or N)"))
        else:
            records.append(record)
    return ReadResult(tuple(records), tuple(sorted(invalid)), source.read_as)


def _standard_fields(card: _Card, notes: list[str]) -> dict[str, Any]:
    """The fields the card's standard properties give, in the schema's order."""
    read = {name: carrier.read(card, notes) for name, carrier in _PROPERTIES.items()}
    fields: dict[str, Any] = {}
    for declared in KINDS["contact"].fields:
        value = read.get(declared.vcard or "", {}).get(declared.key)
        if value not in (None, "", []):
            fields[declared.key] = value
    return fields


def _record(card: _Card) -> ContactRecord | None:
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
            value = json.loads(_unescape(line.value))
        except (ValueError, RecursionError):  # json recurses once per `[`
            value = _unescape(line.value)
        if line.name == _ID:
            note_id = value if isinstance(value, str) and value else None
            continue
        key = line.params.get("X-KEY", [None])[0] if line.name == _OTHER_KEY else None
        fields[key or line.name[len(_PREFIX) :].lower().replace("-", "_")] = value
    # The exact name export wrote may be only white space ("\r"); its FN still names it.
    if not standard.get("name") and not str(fields.get("name") or "").strip():
        return None
    note, uid = card.first("NOTE"), card.first("UID")
    body = _unescape(note.value).strip("\n") if note is not None else ""
    return ContactRecord(
        card.start,
        {key: value for key, value in fields.items() if value is not None},
        body or None,
        id=note_id,
        uid=(uid.text() if uid is not None else "") or None,
        referrer_uid=_referrer(card),
        notes=tuple(notes),
    )


def _referrer(card: _Card) -> str | None:
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
    (start, lines), *_ = _cards(split_lines(card.serialize()))[0]
    return _standard_fields(_card(start, lines, ImportText("")), [])


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


_Reader = Callable[[_Card, list[str]], dict[str, Any]]
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


def _read_name(card: _Card, notes: list[str]) -> dict[str, Any]:
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


def _read_aliases(card: _Card, notes: list[str]) -> dict[str, Any]:
    aliases = [item for line in card.all("NICKNAME") for item in line.items() if item]
    return {"aliases": aliases}


def _write_aliases(card: Any, fields: dict[str, Any], note_id: str) -> None:
    for alias in _texts(fields.get("aliases")):
        card.add("nickname").value = alias


def _read_organization(card: _Card, notes: list[str]) -> dict[str, Any]:
    org = card.first("ORG")
    return {"organization": org.parts()[0].strip() if org is not None else None}


def _write_organization(card: Any, fields: dict[str, Any], note_id: str) -> None:
    for organization in _texts(fields.get("organization"))[:1]:
        card.add("org").value = [organization]


def _read_title(card: _Card, notes: list[str]) -> dict[str, Any]:
    title = card.first("TITLE")
    return {"title": title.text() if title is not None else None}


def _write_title(card: Any, fields: dict[str, Any], note_id: str) -> None:
    for title in _texts(fields.get("title"))[:1]:
        card.add("title").value = title


_RFC6868 = re.compile(r"\^([n'^])")


def _read_address(card: _Card, notes: list[str]) -> dict[str, Any]:
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

    def read(card: _Card, notes: list[str]) -> dict[str, Any]:
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


def _read_urls(card: _Card, notes: list[str]) -> dict[str, Any]:
    urls = list(dict.fromkeys(line.text() for line in card.all("URL") if line.text()))
    linkedin = next((url for url in urls if "linkedin.com" in url.lower()), None)
    return {"linkedin": linkedin, "websites": [url for url in urls if url != linkedin]}


def _write_urls(card: Any, fields: dict[str, Any], note_id: str) -> None:
    linkedin = [url for url in _texts(fields.get("linkedin"))[:1] if "linkedin.com" in url.lower()]
    for url in dict.fromkeys([*linkedin, *_texts(fields.get("websites"))]):
        card.add("url").value = url


_BIRTHDAY = re.compile(r"(\d{4}|--)-?(\d{2})-?(\d{2})(?:T.*)?\Z")


def _read_birthday(card: _Card, notes: list[str]) -> dict[str, Any]:
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


def _read_tags(card: _Card, notes: list[str]) -> dict[str, Any]:
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
