"""How ids, names and link targets compare (SPEC 2, 2.1): NFC, case-folded, single spaces.

Its own module, importing nothing of the parsers, so that shell completion can settle
which names a command would accept without loading YAML (SPEC 4.18).
"""

from __future__ import annotations

import unicodedata

#: Kinds whose `name`, then `aliases`, a link may use (infoint's extension).
NAMED_KINDS = frozenset({"contact", "organization"})


def normalise_key(text: str) -> str:
    """How ids, names and link targets compare: NFC, case-folded, single spaces."""
    if not text.isascii():  # ASCII is already NFC; most ids and names are ASCII
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.casefold().split())


def target_key(target: str) -> str:
    """How a link target (or a vault path) is compared: without `.md`, normalised."""
    if _is_key(target):
        return target
    target = target.strip()
    if target.lower().endswith(".md"):
        target = target[:-3]
    return normalise_key(target)


def _is_key(text: str) -> bool:
    """Whether `text` is its own `target_key`: lower-case printable ASCII without spaces
    or `.md` (a slug: `contacts/jane-doe`). Five checks in C, where the key costs a
    strip, a case-fold, a split and a join: most ids, paths and links are such."""
    return (
        text.isascii()
        and text.isprintable()
        and " " not in text
        and text.islower()
        and not text.endswith(".md")
    )
