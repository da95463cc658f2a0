"""Plain records shared by every layer: diagnostics, parse results, typed notes.

`ParsedNote` is what one file yields on its own (no knowledge of other notes or of the
config), so it can be cached per file. The typed notes (`Contact`, `Interview`, ...) are
built from it by `notes.py` with the config in hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

ERROR = "error"
WARNING = "warning"
INFO = "info"

# A moment as written in a note: a calendar day, or an aware date-time in the vault zone.
When = date | datetime


@dataclass(slots=True, unsafe_hash=True)
class Diagnostic:
    """One problem found in the vault, pointing at a line and column (1-based)."""

    path: str
    line: int
    column: int
    severity: str
    code: str
    message: str

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


# Records built by the ten thousand on every run (parse results and what they hold,
# typed notes, agenda items) are not declared frozen: a frozen dataclass is built about
# four times slower. Nothing changes them once built; `unsafe_hash` keeps those compared
# by value hashable as before, and typed notes are hashed by identity (`eq=False`).


@dataclass(slots=True, unsafe_hash=True)
class FieldPosition:
    """Where a top-level front-matter key and its value sit in the file."""

    line: int
    column: int
    value_line: int
    value_column: int
    #: (line, column) of each item when the value is a sequence.
    items: tuple[tuple[int, int], ...] = ()


@dataclass(slots=True, unsafe_hash=True)
class BodyLink:
    """A wikilink found in the body, outside code."""

    target: str
    line: int
    column: int
    heading: str | None = None
    label: str | None = None
    embed: bool = False


@dataclass(slots=True, unsafe_hash=True)
class ListEntry:
    """A list item of a body section: a preparation task or a prepared question."""

    text: str
    line: int
    column: int
    #: For task items: True (`- [x]`), False (`- [ ]`); None for a plain item.
    checked: bool | None = None


@dataclass(slots=True, unsafe_hash=True)
class BodyScan:
    """What the body of a note says, independent of the rest of the vault."""

    links: tuple[BodyLink, ...] = ()
    headings: tuple[tuple[int, str, int], ...] = ()  # (level, text, line)
    tasks: tuple[ListEntry, ...] = ()  # items under `## Preparation`
    questions: tuple[ListEntry, ...] = ()  # items under `## Questions`
    #: None: no `## Reflection` section; else whether it holds real text.
    reflection_written: bool | None = None


@dataclass(slots=True, unsafe_hash=True)
class ParsedNote:
    """Everything one file yields on its own. Plain data, so it can be cached."""

    path: str  # vault-relative, with `/`
    id: str
    #: The front matter as a mapping; None when the file has none or it is unusable.
    front_matter: dict[str, Any] | None
    positions: dict[str, FieldPosition] = field(default_factory=dict)
    body: BodyScan = field(default_factory=BodyScan)
    diagnostics: tuple[Diagnostic, ...] = ()
    #: 1-based line of the first body line.
    body_line: int = 1
    #: `parse.content_digest` of the bytes parsed: a command that writes the note later
    #: refuses when the file no longer has them (an editor saved meanwhile).
    digest: bytes = b""
    #: `parse.front_digest` of the front matter's text (b"": none was read); with the
    #: body, what `parse.facts_digest_of` digests.
    front_digest: bytes = b""


# --- typed notes -----------------------------------------------------------------------


@dataclass(slots=True, unsafe_hash=True)
class LinkRef:
    """A reference to another note as written in front matter (a link field)."""

    target: str
    line: int
    column: int
    field: str
    #: Written as `[[...]]` (quoted or not).
    wikilink: bool = False
    #: Written unquoted (`key: [[x]]`), which YAML reads as a nested list.
    unquoted: bool = False
    #: A property link: a `"[[...]]"` value (or list item) under a key that infoint does
    #: not read as a link (`related: "[[x]]"`), a link as Obsidian has it (SPEC 2.1).
    property: bool = False


@dataclass(slots=True, unsafe_hash=True)
class Referral:
    """Someone an interviewee suggested talking to."""

    name: str  # the name or link target as written
    line: int
    column: int
    link: LinkRef | None = None  # when given as a link or a bare name
    organization: str | None = None
    note: str | None = None
    may_use_name: bool | None = None


@dataclass(slots=True, eq=False)
class Note:
    """A note of any kind. Plain notes are just this."""

    path: str
    id: str
    kind: str  # contact, interview, organization, milestone, plain
    parsed: ParsedNote
    name: str | None = None
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    #: Every link written in a front-matter field, in file order.
    field_links: tuple[LinkRef, ...] = ()
    #: Field-level problems (missing-field, bad-value, unquoted-wikilink, unknown-type).
    issues: tuple[Diagnostic, ...] = ()
    #: Typed values of the declared fields that have no attribute of their own, by key.
    typed: Mapping[str, Any] = field(default_factory=dict)

    @property
    def data(self) -> dict[str, Any]:
        return self.parsed.front_matter or {}

    @property
    def title(self) -> str:
        return self.name or self.id

    def line_of(self, key: str) -> tuple[int, int]:
        pos = self.parsed.positions.get(key)
        return (pos.line, pos.column) if pos else (1, 1)


@dataclass(slots=True, eq=False)
class Contact(Note):
    #: The name as written, or the target of a link to an organization note.
    organization: str | None = None
    job_title: str | None = None
    career_field: str | None = None
    location: str | None = None
    email: str | None = None
    phone: str | None = None
    linkedin: str | None = None
    source: str | None = None
    referred_by: LinkRef | None = None
    referrer_ok: bool | None = None
    requested: When | None = None
    request_via: str | None = None
    responded: When | None = None
    updates: tuple[When, ...] = ()
    keep_in_touch_days: int | None = None
    status: str = "active"


@dataclass(slots=True, eq=False)
class Interview(Note):
    contact: LinkRef | None = None
    start: When | None = None
    duration: int | None = None  # minutes as written; None = config default
    format: str | None = None
    location: str | None = None
    status: str | None = None  # as written; None = derived from the clock
    thank_you_sent: When | None = None
    referrals: tuple[Referral, ...] = ()
    #: Front-matter `questions` followed by the body's `## Questions` items.
    questions: tuple[ListEntry, ...] = ()


@dataclass(slots=True, eq=False)
class Organization(Note):
    website: str | None = None
    career_field: str | None = None
    location: str | None = None
    #: 0-3: how much you want to work there (SPEC 4.20); None when not scored.
    motivation: int | None = None
    #: 0-3: how relevant its current openings are; None when not scored.
    posting: int | None = None


@dataclass(slots=True, eq=False)
class Milestone(Note):
    date: When | None = None
    summary: str | None = None
    thanks: tuple[LinkRef, ...] = ()
