"""File-name slugs from user text: `José Núñez` -> `jose-nunez`.

A slug is only ever a single path component: lowercase ASCII letters, digits and `-`.
So `../../x` is the name `x`, never a path, and no slug holds `/`, `\\`, `..`, NUL or a
name Windows reserves for devices (the vault may be synced to a Windows machine).

Letters of every script are transliterated by anyascii (maintained, ISC-licensed:
Unidecode's GPL would bind an MIT project): `Дмитрий` -> `dmitriy`, `김철수` ->
`gim-cheol-su`. Greek digraphs are read first as the Greek standard ELOT 743 (and
passports) writes them, which anyascii's letter-by-letter table does not:
`Παπαδοπούλου` -> `papadopoulou`, not `papadopoyloy`.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{digit}" for digit in range(10)]
    + [f"lpt{digit}" for digit in range(10)]
)
MAX_LENGTH = 60

#: Greek pairs of letters that ELOT 743 writes as one sound (accents already removed).
_GREEK_PAIRS = {"ου": "ou", "αυ": "av", "ευ": "ev", "γγ": "ng"}
_GREEK_PAIR = re.compile("|".join(_GREEK_PAIRS), re.IGNORECASE)


def _syllabic(char: str) -> bool:
    """Hangul syllables and CJK ideographs: each is a syllable, anyascii capitalises
    each (`HanZi`), and a slug separates them (`han-zi`)."""
    code = ord(char)
    return 0xAC00 <= code <= 0xD7A3 or 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF


def _greek(text: str) -> str:
    if not any("\u0370" <= char <= "\u03ff" for char in text):
        return text
    plain = "".join(
        char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char)
    )
    return _GREEK_PAIR.sub(lambda match: _GREEK_PAIRS[match.group().lower()], plain)


def transliterate(text: str) -> str:
    """`text` in ASCII: letters and digits transliterated, anything else (punctuation,
    symbols, emoji) a space."""
    if text.isascii():
        return text
    # Imported here: loading its tables costs milliseconds that ASCII text never needs.
    from anyascii import anyascii

    parts = []
    for char in _greek(text):
        if char.isascii():
            parts.append(char)
        elif unicodedata.category(char)[0] in "LMN":
            spelled = anyascii(char)
            parts.append(f" {spelled} " if _syllabic(char) else spelled)
        else:
            parts.append(" ")
    return "".join(parts)


def slugify(text: str, fallback: str = "note") -> str:
    """Lowercase ASCII words joined by `-`; `fallback` when nothing usable is left."""
    slug = _NOT_SLUG.sub("-", transliterate(text).lower()).strip("-")
    if len(slug) > MAX_LENGTH:
        # Cut at a word boundary so a long milestone summary stays readable.
        cut = slug[:MAX_LENGTH]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    if not slug:
        return fallback
    if slug in _RESERVED and fallback:
        return f"{slug}-{fallback}"
    return slug


def reserved(name: str) -> bool:
    """Whether Windows reserves `name` for a device (`con`, `NUL.md`, `com1.txt`)."""
    return name.split(".", 1)[0].strip().lower() in _RESERVED


def unique_name(base: str, taken: set[str]) -> str:
    """`base`, else `base-2`, `base-3`, ...: the first not in `taken` (case-folded names)."""
    if base.casefold() not in taken:
        return base
    number = 2
    while f"{base}-{number}".casefold() in taken:
        number += 1
    return f"{base}-{number}"
