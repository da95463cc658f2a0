"""New notes from templates (SPEC 4.8, 4.16): paths, placeholders and fields.

Building a note is pure: it returns the path and the bytes, and `check_new_note` runs
`validate` on it inside the vault, so a note `infoint new` writes is clean from the start.
Writing it is the command's job (through `edit.create_note`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from ..core.dates import parse_when
from ..core.errors import UsageError
from ..core.friendly import parse_typed
from ..core.index import VaultIndex
from ..core.model import Contact, Diagnostic, Note, When
from ..core.notes import build_note
from ..core.parse import front_matter_bounds, normalise_key, parse_note, split_lines
from ..core.schema import date_keys
from ..core.slug import slugify, unique_name
from ..core.yamlread import load_front_matter
from .edit import Change, Draft, EditError, FrontTemplate, set_key
from .templates import PLACEHOLDER, fill, load_template, obsidian_values


@dataclass(frozen=True, slots=True)
class NewNote:
    """A note ready to be written."""

    rel: str  # vault-relative path, with `/`
    text: str
    template: str  # where the template came from


def writable_when(value: When, zone: tzinfo) -> date | datetime:
    """How a moment is written: a day as is, a date-time as naive vault-local time."""
    if isinstance(value, datetime):
        return value.astimezone(zone).replace(tzinfo=None)
    return value


def parse_date_option(text: str, zone: tzinfo, now: datetime, option: str = "--date") -> When:
    """A date typed as an option: ISO, or friendly (`tomorrow 15:00`, SPEC 2.2)."""
    try:
        return parse_typed(text, zone, now)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from exc


def taken_names(index: VaultIndex, folder: str) -> set[str]:
    """The names a new note in `folder` may not have: every id in the vault (ids are
    unique vault-wide) and every note file already in the folder, compared normalised."""
    taken = {normalise_key(note.id) for note in index.notes}
    with contextlib.suppress(OSError):  # the folder may not exist yet
        taken.update(
            normalise_key(name[:-3])
            for name in os.listdir(index.root / folder)
            if name.endswith(".md")
        )
    return taken


def new_path(index: VaultIndex, folder: str, base: str, taken: set[str] | None = None) -> str:
    """`folder/base.md`, numbered `-2`, `-3` ... when the name is taken (`taken_names`).
    A caller making many notes passes `taken` and adds each new name to it: building it
    costs a pass over the vault, which per note made imports quadratic."""
    taken = taken_names(index, folder) if taken is None else taken
    return f"{folder}/{unique_name(base, taken)}.md"


def contact_link(contact: Contact) -> str:
    return f"[[{contact.id}]]"


class NoteTemplate:
    """A note template, read and parsed once: `new` makes one note of it, `import`
    thousands (reading and parsing it per note was most of an import's time)."""

    def __init__(self, root: Path, template_name: str, kind: str) -> None:
        text, self.source = load_template(root, template_name)
        self.kind = kind
        self.dated = date_keys()
        lines = split_lines(text.removeprefix("\ufeff"))
        bounds = front_matter_bounds(lines)
        if bounds is None or bounds[1] < 0:
            raise UsageError(f"{self.source} has no front matter (a block between '---' lines)")
        result = load_front_matter("\n".join(lines[1 : bounds[1]]), 2)
        if result.problems or result.data is None:
            problem = result.problems[0] if result.problems else None
            where = f" (line {problem.line}: {problem.message})" if problem else ""
            raise UsageError(
                f"{self.source}: its front matter is not valid YAML{where}; "
                'quote placeholders: name: "{{title}}"'
            )
        #: Front-matter values holding placeholders, filled per note.
        self.placeholders = [
            (key, value)
            for key, value in result.data.items()
            if (isinstance(value, str) and PLACEHOLDER.search(value))
            or (
                isinstance(value, list)
                and any(isinstance(item, str) and PLACEHOLDER.search(item) for item in value)
            )
        ]
        head_length = sum(len(line) for line in _raw_head(text, bounds[1]))
        #: Only the body is filled as text; its bytes stay as written otherwise.
        self.body = text[head_length:]
        try:
            self.head = FrontTemplate(text[:head_length])
        except EditError as exc:
            raise UsageError(f"{self.source}: {exc}") from exc

    def _filled(self, title: str, now: datetime) -> tuple[list[Change], str]:
        """The changes that fill placeholders in front-matter values (made through the
        edit module, so a title holding quotes or `: ` is written as valid YAML), and
        the body with its placeholders filled."""
        values = obsidian_values(title, now)
        zone = now.tzinfo
        changes = []
        for key, value in self.placeholders:
            if isinstance(value, str):
                filled: Any = fill(value, values)
                if key in self.dated and zone is not None:
                    # `date: "{{date}}"` must become a date, not the quoted text of one.
                    with contextlib.suppress(ValueError):
                        filled = writable_when(parse_when(filled, zone), zone)
            else:
                filled = [fill(item, values) if isinstance(item, str) else item for item in value]
            changes.append(set_key(key, filled))
        return changes, fill(self.body, values)

    def _changes(
        self, title: str, now: datetime, fields: Sequence[tuple[str, Any]]
    ) -> tuple[list[Change], str]:
        changes, body = self._filled(title, now)
        changes.append(set_key("type", self.kind))
        changes.extend(set_key(key, value) for key, value in fields if value is not None)
        return changes, body

    def render(self, title: str, now: datetime, fields: Sequence[tuple[str, Any]]) -> str:
        """The note: the template filled, then infoint's fields set."""
        try:
            return self.head.render(*self._changes(title, now, fields))
        except EditError as exc:
            raise UsageError(f"{self.source}: {exc}") from exc
        except ValueError as exc:  # a value no YAML can hold (text with a lone surrogate)
            raise UsageError(str(exc)) from exc

    def draft(self, title: str, now: datetime, fields: Sequence[tuple[str, Any]]) -> Draft | None:
        """`render`'s note before it is read back (`FrontTemplate.draft`): a caller that
        parses it anyway checks `Draft.reads_back` and calls `render` when it says no."""
        try:
            return self.head.draft(*self._changes(title, now, fields))
        except ValueError:
            return None  # `render` says why


def _raw_head(text: str, closing: int) -> list[str]:
    """The file's lines up to and including the closing `---` (endings kept)."""
    lines = []
    start = 0
    for _ in range(closing + 1):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        lines.append(text[start:end])
        start = end
    return lines


def build_from_template(
    root: Path,
    template_name: str,
    kind: str,
    title: str,
    now: datetime,
    fields: Sequence[tuple[str, Any]],
) -> tuple[str, str]:
    """(note text, template source): the template filled, then infoint's fields set."""
    template = NoteTemplate(root, template_name, kind)
    return template.render(title, now, fields), template.source


def resolve_contact(index: VaultIndex, text: str, option: str) -> Contact:
    """A contact named on the command line; UsageError naming `option` otherwise."""
    try:
        note = index.find(text, ("contact",))
    except UsageError as exc:
        raise UsageError(f"{option}: {exc}") from None
    assert isinstance(note, Contact)
    return note


def new_contact(
    index: VaultIndex,
    now: datetime,
    name: str,
    fields: Sequence[tuple[str, Any]],
    taken: set[str] | None = None,
    template: NoteTemplate | None = None,
    base: str | None = None,
) -> NewNote:
    """A contact note at `contacts/<base or slug of name>.md` (numbered when taken).
    An import passes `taken` and the `template`, each made once for all its notes."""
    clean = " ".join(name.split())
    if not clean:
        raise UsageError("NAME must not be empty")
    rel = new_path(index, "contacts", base or slugify(clean, "contact"), taken)
    template = template or NoteTemplate(index.root, "contact.md", "contact")
    text = template.render(clean, now, [("name", clean), *fields])
    return NewNote(rel, text, template.source)


def new_interview(
    index: VaultIndex,
    now: datetime,
    contact: Contact,
    start: When,
    fields: Sequence[tuple[str, Any]],
) -> NewNote:
    day = start.date() if isinstance(start, datetime) else start
    base = f"{day.isoformat()}-{slugify(contact.id, 'contact')}"
    rel = new_path(index, "interviews", base)
    written = writable_when(start, index.config.zone)
    text, source = build_from_template(
        index.root,
        "interview.md",
        "interview",
        f"Interview with {contact.title}",
        now,
        [("contact", contact_link(contact)), ("date", written), *fields],
    )
    return NewNote(rel, text, source)


def new_milestone(
    index: VaultIndex, now: datetime, summary: str, when: When, thanks: Sequence[Contact]
) -> NewNote:
    clean = " ".join(summary.split())
    if not clean:
        raise UsageError("SUMMARY must not be empty")
    day = when.date() if isinstance(when, datetime) else when
    rel = new_path(index, "milestones", f"{day.isoformat()}-{slugify(clean, 'milestone')}")
    links = list(dict.fromkeys(contact_link(contact) for contact in thanks))
    fields: list[tuple[str, Any]] = [
        ("date", writable_when(when, index.config.zone)),
        ("summary", clean),
    ]
    if links:
        fields.append(("thanks", links))
    text, source = build_from_template(index.root, "milestone.md", "milestone", clean, now, fields)
    return NewNote(rel, text, source)


def new_organization(
    index: VaultIndex, now: datetime, name: str, fields: Sequence[tuple[str, Any]]
) -> NewNote:
    """An organization note at `organizations/<slug>.md` (SPEC 4.16). One the vault has a
    note for already (by name or alias, normalised) is refused, naming that note."""
    from ..core.organizations import OrganizationLookup

    clean = " ".join(name.split())
    if not clean:
        raise UsageError("NAME must not be empty")
    known = OrganizationLookup(index).find(clean)
    if known is not None:
        raise UsageError(
            f"{clean} is {known.path} already; nothing written. Update that note instead: "
            f"infoint show {known.id}"
        )
    rel = new_path(index, "organizations", slugify(clean, "organization"))
    text, source = build_from_template(
        index.root, "organization.md", "organization", clean, now, [("name", clean), *fields]
    )
    return NewNote(rel, text, source)


def typed_note(index: VaultIndex, new: NewNote) -> Note:
    """The note `new` will be once written."""
    return build_note(parse_note(new.rel, new.text.encode("utf-8")), index.config.zone)


def check_new_note(index: VaultIndex, new: NewNote, now: datetime) -> list[Diagnostic]:
    """What `infoint validate --strict` would newly say once the note is in the vault
    (about the note itself, or about an existing note it duplicates)."""
    from ..rules.validate import validate

    note = typed_note(index, new)
    trial = VaultIndex(index.root, index.config, [*index.notes, note])
    before = set(validate(index, now))
    return [
        problem
        for problem in validate(trial, now)
        if problem not in before and problem.severity != "info"
    ]
