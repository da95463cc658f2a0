"""vCard content lines as address books write them (vCard 2.1, 3.0 and 4.0): cards
split and numbered by the file's lines, lines unfolded (folding and quoted-printable soft
breaks), each value decoded against the bytes the file held (quoted-printable and
`CHARSET`), properties and parameters split by RFC 6350's escapes. `vcard.py` reads
fields from what this gives."""

from __future__ import annotations

import codecs
import quopri
import re
from dataclasses import dataclass, field

from .importfile import ImportText
from .safetext import printable

#: Properties that hold pictures, sounds or keys: never read, and in vCard 2.1 folded
#: in their own way (base64 ending with a blank line).
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_NAME = re.compile(r"[A-Za-z0-9-]+\Z")
#: 2.1 parameters written without a name (`TEL;CELL;PREF:`) that are encodings.
_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})


class Unreadable(Exception):
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
        return unescape(self.value).strip()

    def parts(self) -> list[str]:
        """The components of a structured value (N, ADR, ORG), split at `;`."""
        return [unescape(part) for part in _split(self.value, ";")]

    def items(self) -> list[str]:
        """The items of a list value (CATEGORIES, NICKNAME), split at `,`."""
        return [unescape(item).strip() for item in _split(self.value, ",")]


@dataclass(slots=True)
class Card:
    start: int
    lines: list[_Line] = field(default_factory=list)

    def all(self, name: str) -> list[_Line]:
        """The card's `name` properties, the preferred first (stable otherwise)."""
        return sorted((line for line in self.lines if line.name == name), key=_Line.rank)

    def first(self, name: str) -> _Line | None:
        found = self.all(name)
        return found[0] if found else None


_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def unescape(text: str) -> str:
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
        raise Unreadable(number, f"not a vCard property (no ':'): {printable(text[:40])}")
    head, value = text[: colons[0]], text[colons[0] + 1 :]
    pieces = _pieces(head, ";")
    name = pieces[0].rpartition(".")[2].strip().upper()
    if not _NAME.match(name):
        raise Unreadable(number, f"not a vCard property name: {printable(pieces[0][:40])}")
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


def split_cards(lines: list[str]) -> tuple[list[tuple[int, _Numbered]], _Numbered]:
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


def read_card(start: int, lines: _Numbered, source: ImportText) -> Card:
    card = Card(start)
    for number, text in _unfolded(lines):
        line = _content_line(number, text, source)
        if line is not None:
            card.lines.append(line)
    return card
