"""People's names in parts (title, first, middle, last, suffix), as `nameparser` reads
them: "Dr. Elena Álvarez" is Dr. + Elena + Álvarez, "Ludwig van Beethoven" keeps
"van Beethoven" together, "Álvarez, Elena" is the same person. Drafts greet by these
parts (SPEC 4.10) and the vCard export writes them in `N` (RFC 6350)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

#: Suffixes that are part of the name itself ("Martin Luther King Jr."), unlike degrees.
_GENERATIONS = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v"})
#: Degrees after a name that make its bearer "Dr." in a formal greeting.
_DOCTORATES = frozenset({"phd", "ph.d.", "ph.d", "md", "m.d.", "dphil", "edd", "ed.d.", "dds"})


@dataclass(frozen=True, slots=True)
class PersonName:
    """A name in parts; a part the name lacks is ''."""

    title: str
    first: str
    middle: str
    last: str
    suffix: str  #: "Jr.", "III", "PhD"; several joined with ", "

    @property
    def given(self) -> str:
        """What to call them by first name: the first name, else the only name there is."""
        return self.first or self.last

    def formal(self) -> str:
        """ "Dr. Álvarez" when the name has a title (or a doctorate after it); else the
        whole name without degrees ("Sam Lee", "Martin Luther King Jr.")."""
        title = self.title
        suffixes = [part.strip() for part in self.suffix.split(",") if part.strip()]
        if not title and any(part.lower() in _DOCTORATES for part in suffixes):
            title = "Dr."
        if title and self.last:
            return f"{title} {self.last}"
        kept = [part for part in suffixes if part.lower() in _GENERATIONS]
        return " ".join(part for part in (self.first, self.middle, self.last, *kept) if part)


@lru_cache(maxsize=4096)
def parse_name(text: str) -> PersonName:
    """`text` (a contact's `name`) in parts; '' everywhere for an empty name."""
    # Imported here: nameparser takes ~40 ms to import and only drafts and exports need it.
    from nameparser import HumanName

    text = " ".join(text.split())
    if not text:
        return PersonName("", "", "", "", "")
    parsed = HumanName(text)
    return PersonName(parsed.title, parsed.first, parsed.middle, parsed.last, parsed.suffix)


def greeting(text: str, salutation: str) -> str:
    """The opening line of a message to `text` (SPEC 2.4 `salutation`):
    formal "Dear Dr. Álvarez,", first-name "Hi Elena,"."""
    name = parse_name(text)
    if salutation == "first-name":
        return f"Hi {name.given or text},"
    return f"Dear {name.formal() or text},"
