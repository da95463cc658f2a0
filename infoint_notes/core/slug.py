"""File-name slugs from user text: `José Núñez` -> `jose-nunez`.

A slug is only ever a single path component: lowercase ASCII letters, digits and `-`.
So `../../x` is the name `x`, never a path, and no slug holds `/`, `\\`, `..`, NUL or a
name Windows reserves for devices (the vault may be synced to a Windows machine).
"""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not decompose into ASCII plus accents.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ł": "l",
        "Ł": "l",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
    }
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{digit}" for digit in range(10)]
    + [f"lpt{digit}" for digit in range(10)]
)
MAX_LENGTH = 60


def slugify(text: str, fallback: str = "note") -> str:
    """Lowercase ASCII words joined by `-`; `fallback` when nothing usable is left."""
    ascii_text = (
        unicodedata.normalize("NFKD", text.translate(_SPECIAL))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_LENGTH:
        # Cut at a word boundary so a long milestone summary stays readable.
        cut = slug[:MAX_LENGTH]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    if not slug:
        return fallback
    if slug in _RESERVED and fallback:
        return f"{slug}-{fallback}"
    return slug


def unique_name(base: str, taken: set[str]) -> str:
    """`base`, else `base-2`, `base-3`, ...: the first not in `taken` (case-folded names)."""
    if base.casefold() not in taken:
        return base
    number = 2
    while f"{base}-{number}".casefold() in taken:
        number += 1
    return f"{base}-{number}"
