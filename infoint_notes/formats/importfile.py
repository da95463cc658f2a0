"""The text of an import file, whatever program saved it (SPEC 4.11).

Address books and spreadsheets write UTF-8 (with or without a byte-order mark), UTF-16
with a byte-order mark (Excel's "Unicode Text", Outlook), or the Windows code page
1252 (Excel's "CSV (Comma delimited)", Outlook's vCard 2.1). UTF-16 is recognised by
its byte-order mark; a file that is not UTF-8 is read as Windows-1252, and the import
summary says so, since a file in another 8-bit code page would then show wrong letters.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import UsageError
from ..core.files import read_command_file

#: Import files may be far larger than a note: LinkedIn exports of thousands of rows.
MAX_IMPORT_BYTES = 64 * 1024 * 1024


class ImportFailure(UsageError):
    """The import file cannot be used at all (exit 2); nothing is written."""


@dataclass(frozen=True, slots=True)
class ImportText:
    """An import file's text and how it was decoded."""

    text: str
    #: The Python codec that decoded it: `utf-8`, `utf-16` or `cp1252`.
    codec: str = "utf-8"

    @property
    def read_as(self) -> str | None:
        """For the import summary: the encoding, when the file was not UTF-8."""
        return {"utf-16": "UTF-16", "cp1252": "Windows-1252 (not UTF-8)"}.get(self.codec)

    def raw(self, text: str) -> bytes:
        """Bytes of `text` as the file held them (for a value that names its own
        charset); a UTF-16 file's values as UTF-8, the nearest sense they can have."""
        return text.encode("utf-8" if self.codec == "utf-16" else self.codec)


def decode_import(raw: bytes, shown: str) -> ImportText:
    """The text of an import file's bytes; ImportFailure naming `shown` if it has none."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return ImportText(raw.decode("utf-16").removeprefix("\ufeff"), "utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFailure(f"{shown}: not valid UTF-16 (at byte {exc.start})") from exc
    if b"\x00" in raw:
        raise ImportFailure(
            f"{shown}: binary (contains NUL bytes): not a text file, or UTF-16 without "
            "a byte-order mark; save it as UTF-8"
        )
    try:
        return ImportText(raw.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError:
        pass
    try:
        return ImportText(raw.decode("cp1252"), "cp1252")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ImportFailure(
            f"{shown}: neither UTF-8 nor Windows-1252 (bad byte on line {line}); save it as UTF-8"
        ) from exc


def read_import_text(path: Path) -> ImportText:
    """`decode_import` of the file at `path`, refused unread when too large or not a
    regular file."""
    shown = str(path)
    return decode_import(read_command_file(path, shown, MAX_IMPORT_BYTES, ImportFailure), shown)
