""" "did you mean" for a command-line argument that names no note (SPEC 4.9)."""

from __future__ import annotations

import shlex
from collections.abc import Iterable

from .model import Note
from .parse import normalise_key

#: The least rapidfuzz `WRatio` (0-100) of a suggestion: a typo or a part of a name
#: (`priya` for Priya Natarajan) scores 85-97, unrelated words under 60.
_SIMILAR = 75
#: Suggestions this far below the best one are left out: they are noise beside it.
_SPREAD = 10
LIMIT = 3


def closest(notes: Iterable[Note], text: str, limit: int = LIMIT) -> list[Note]:
    """Up to `limit` notes whose id, name or alias is closest to `text`, best first."""
    from rapidfuzz import fuzz, process, utils  # only a mistyped argument needs it

    choices: list[str] = []
    owners: list[Note] = []
    for note in notes:
        for key in (note.id, note.name, *note.aliases):
            if key:
                choices.append(key)
                owners.append(note)
    found: list[Note] = []
    results = process.extract(
        text,
        choices,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=None,
        score_cutoff=_SIMILAR,
    )
    best = results[0][1] if results else 0.0
    for _choice, score, position in results:
        note = owners[position]
        if score < best - _SPREAD or len(found) == limit:
            break
        if note not in found:
            found.append(note)
    return found


def unread_front_matter(note: Note) -> str | None:
    """Why the note's front matter was not read (so it is a plain note whatever its
    `type:` says), or None when it was read or there is none."""
    parsed = note.parsed
    if parsed.front_matter is not None or not parsed.diagnostics:
        return None
    codes = {problem.code for problem in parsed.diagnostics}
    if "unreadable" in codes:
        return "it cannot be read"
    # A body after a closing `---` means the front matter was there but did not load.
    if parsed.body_line > 1 or "unterminated-front-matter" in codes:
        return "its front matter has errors"
    return None


def article(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def not_of_kind(note: Note, wanted: str) -> str:
    """Why `note`, which has the name the user gave, is not the `wanted` kind of note:
    `contacts/x.md is an interview`, or what keeps its front matter from being read."""
    unread = unread_front_matter(note)
    if unread is not None:
        validate = shlex.quote(note.path)
        return f"{note.path} is not {article(wanted)}: {unread} (infoint validate {validate})"
    return f"{note.path} is {article('plain note' if note.kind == 'plain' else note.kind)}"


def label(note: Note) -> str:
    """`priya-natarajan (Priya Natarajan)`: the id to type, and the name it stands for;
    `x (its front matter has errors)` for a note whose front matter did not load."""
    unread = unread_front_matter(note)
    if unread is not None:
        return f"{note.id} ({unread})"
    if note.name and normalise_key(note.name) != normalise_key(note.id):
        return f"{note.id} ({note.name})"
    return note.id


def did_you_mean(notes: Iterable[Note], text: str) -> str:
    """`; did you mean a (A), b (B)?`, or nothing when no note comes close."""
    found = closest(notes, text)
    if not found:
        return ""
    return f"; did you mean {', '.join(label(note) for note in found)}?"
