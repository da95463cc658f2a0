"""Turning imported records into contact notes, the way `infoint new contact` makes them.

`import_plan` says who is new and what each note is called. Every note is rendered
from the vault's contact template, read and parsed once for the whole import; then all
of them are checked together in one validation pass (validating once per note would
make a 2,000-row LinkedIn import quadratic), and a record whose note would bring a new
problem is left out and reported with its line instead of written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from ..core.body import scan_markdown
from ..core.dates import parse_when
from ..core.errors import UsageError
from ..core.index import VaultIndex
from ..core.model import Diagnostic, Note, ParsedNote
from ..core.notes import build_note
from ..core.parse import BodyScanner, front_matter_bounds, parse_note, split_lines
from ..core.schema import KINDS, Value, dated_fields
from ..formats.contacts import ContactRecord
from .create import NewNote, NoteTemplate, taken_names, writable_when
from .import_plan import NamedRecord, PlannedImport, holders_of, name_notes


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import writes, and what it leaves out and why."""

    create: tuple[tuple[ContactRecord, NewNote], ...]
    #: (record, the note or row it duplicates)
    skipped: tuple[tuple[ContactRecord, str], ...]
    #: (line in the import file, reason)
    invalid: tuple[tuple[int, str], ...]
    #: (record, what its note leaves out of the file or changes) for the notes created
    notes: tuple[tuple[ContactRecord, str], ...] = ()
    #: The file's encoding when it was not UTF-8.
    read_as: str | None = None


def _writable(value: Any, dated: Value | None, index: VaultIndex) -> Any:
    """An imported value as the note should hold it: a contact's date fields (`dated`,
    their kind of value) as dates, not as quoted text."""
    zone = index.config.zone
    try:
        if dated is Value.WHEN and isinstance(value, str):
            return writable_when(parse_when(value, zone), zone)
        if dated is Value.WHENS and isinstance(value, list):
            return [writable_when(parse_when(item, zone), zone) for item in value]
    except ValueError:
        pass  # not a date after all: keep the text as it came
    return value


def _with_body(new: NewNote, body: str) -> NewNote:
    """The note with the record's body instead of the template's."""
    lines = split_lines(new.text)
    bounds = front_matter_bounds(lines)
    head = "\n".join(lines[: bounds[1] + 1]) if bounds and bounds[1] > 0 else ""
    return replace(new, text=f"{head}\n{body.rstrip()}\n")


def _note_for(
    index: VaultIndex,
    now: datetime,
    named: NamedRecord,
    template: NoteTemplate,
    scan_body: BodyScanner,
) -> tuple[NewNote, Note]:
    """The record's note, and the note as the vault will read it. The one parse that
    reads it for validation also checks that the template's line edits made what the
    guarded edits make (`Draft.reads_back`); they are made again, guarded, if not."""
    dated = {field.key: field.value for field in dated_fields(KINDS["contact"])}
    record = named.record
    fields = [("name", " ".join(record.name.split()))] + [
        (key, _writable(value, dated.get(key), index))
        for key, value in record.fields.items()
        if key not in ("type", "name")
    ]
    rel = f"contacts/{named.name}.md"
    name = fields[0][1]
    draft = template.draft(name, now, fields)
    if draft is not None:
        new, parsed = _finished(rel, draft.text, record.body, template.source, scan_body)
        if draft.reads_back(parsed.front_matter):
            return new, build_note(parsed, index.config.zone)
    rendered = template.render(name, now, fields)
    new, parsed = _finished(rel, rendered, record.body, template.source, scan_body)
    return new, build_note(parsed, index.config.zone)


def _finished(
    rel: str, text: str, body: str | None, source: str, scan_body: BodyScanner
) -> tuple[NewNote, ParsedNote]:
    """The note with the record's body (if it has one), parsed."""
    new = NewNote(rel, text, source)
    if body:
        new = _with_body(new, body)
    return new, parse_note(rel, new.text.encode("utf-8"), scan_body)


def prepare_import(
    index: VaultIndex, now: datetime, plan: PlannedImport, scan_body: BodyScanner = scan_markdown
) -> ImportResult:
    """The notes an import would write; nothing is written here. `scan_body` reads each
    new note's body as `load_index` would (the command passes the fast scanner)."""
    from ..rules.validate import validate

    taken = taken_names(index, "contacts")  # once: per record it made imports quadratic
    named = name_notes(plan, taken, holders_of(index.notes))
    template = NoteTemplate(index.root, "contact.md", "contact")
    built: list[tuple[NamedRecord, NewNote]] = []
    typed: list[Note] = []
    invalid = list(plan.invalid)
    for item in named:
        try:
            new, note = _note_for(index, now, item, template, scan_body)
        except UsageError as exc:
            invalid.append((item.record.line, str(exc)))
            continue
        built.append((item, new))
        typed.append(note)
    trial = VaultIndex(index.root, index.config, [*index.notes, *typed])
    before = set(validate(index, now))
    problems: dict[str, list[Diagnostic]] = {}
    for problem in validate(trial, now):
        if problem not in before and problem.severity == "error":
            problems.setdefault(problem.path, []).append(problem)
    create = []
    notes: list[tuple[ContactRecord, str]] = []
    for item, new in built:
        found = problems.get(new.rel)
        if found:
            reasons = "; ".join(f"{p.code}: {p.message}" for p in found)
            invalid.append((item.record.line, reasons))
            continue
        create.append((item.record, new))
        notes.extend((item.record, note) for note in (*item.record.notes, *item.notes))
    return ImportResult(
        tuple(create), plan.skipped, tuple(sorted(invalid)), tuple(notes), plan.read_as
    )
