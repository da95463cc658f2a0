"""Slugs: lowercase ASCII words joined by `-` (SPEC 4.8), e.g. `José Núñez` -> `jose-nunez`.

Pure and tiny on purpose: `infoint new` names files with it and `infoint graph` names
pending referrals with it, and the two must agree.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that NFKD does not split into a base letter plus accents.
_SPECIAL = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ł": "l",
     "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "TH", "ı": "i"}
)  # fmt: skip
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """`text` as a slug; "" when nothing in it transliterates to ASCII letters or digits.

    The result never holds `/`, `\\`, `.` or NUL, so it is safe inside a file name; a
    caller that needs a non-empty name picks its own fallback.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return _NOT_WORD.sub("-", ascii_text).strip("-")
