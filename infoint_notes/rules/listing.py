"""`infoint list` without the printing: notes of one kind, filtered and sorted (SPEC 4.14)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..core import dates, schema
from ..core.derive import response_days
from ..core.index import VaultIndex
from ..core.model import Contact, Interview, Milestone, Note, When
from ..core.parse import normalise_key
from .query import Query, is_empty, sort_key

#: The plural a user types -> the note kind.
KINDS = {
    "contacts": "contact",
    "interviews": "interview",
    "organizations": "organization",
    "milestones": "milestone",
}


@dataclass(frozen=True, slots=True)
class Row:
    """A listed note and the values derived for it (stage, last interview, ...)."""

    note: Note
    #: Derived values, usable in `--where` and `--sort` like front-matter fields.
    derived: dict[str, Any]


def last_done_interview(index: VaultIndex, contact: Contact, now: datetime) -> Interview | None:
    """The contact's latest interview that took place."""
    done = [iv for iv in index.interviews_of(contact) if index.status_of(iv, now) == "done"]
    return done[-1] if done else None


def derived_values(index: VaultIndex, note: Note, now: datetime) -> dict[str, Any]:
    """What `--where`/`--sort` can use besides front matter: `id`, `path`, `name`, and the
    effective `status` (a contact's default, an interview's status from the clock); for
    contacts `stage`, `last_interview` and `response_days` (business days from request
    to answer)."""
    values: dict[str, Any] = {"id": note.id, "path": note.path, "name": note.title}
    if isinstance(note, Contact):
        last = last_done_interview(index, note, now)
        values["status"] = note.status
        values["stage"] = index.stage_of(note, now)
        values["last_interview"] = last.start if last else None
        values["response_days"] = response_days(note, index.config)
    elif isinstance(note, Interview):
        values["status"] = index.status_of(note, now)
    return values


def _default_key(row: Row) -> tuple[Any, ...]:
    note = row.note
    when: When | None = None
    if isinstance(note, Interview):
        when = note.start
    elif isinstance(note, Milestone):
        when = note.date
    if when is not None:
        return (0, dates.sort_key(when), note.path)
    return (1, normalise_key(note.title), note.path)


def select(
    index: VaultIndex,
    kind: str,
    query: Query,
    now: datetime,
    stages: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    sort: str | None = None,
) -> list[Row]:
    """Notes of `kind` that pass every filter, sorted by `sort` (a field; `-field` for
    descending; empty values last either way), else by date or name."""
    rows = []
    wanted_tags = [normalise_key(tag.lstrip("#")) for tag in tags]
    for note in index.notes:
        if note.kind != kind:
            continue
        derived = derived_values(index, note, now)
        if stages and derived.get("stage") not in stages:
            continue
        note_tags = {normalise_key(tag) for tag in note.tags}
        if any(tag not in note_tags for tag in wanted_tags):
            continue
        if query.matches(note, derived):
            rows.append(Row(note, derived))
    rows.sort(key=_default_key)
    if sort:
        descending = sort.startswith("-")
        field = sort.lstrip("-")
        present: list[tuple[tuple[int, Any], Row]] = []
        empty: list[tuple[tuple[int, Any], Row]] = []
        for row in rows:
            value = query.value_of(row.note, field, row.derived)
            (empty if is_empty(value) else present).append((sort_key(value, query.zone), row))
        # Sorting on the key alone keeps the default order among equal values.
        present.sort(key=lambda pair: pair[0], reverse=descending)
        rows = [row for _, row in present] + [row for _, row in empty]
    return rows


def note_json(row: Row) -> dict[str, Any]:
    """`id`, `path`, the front matter (known date fields as ISO 8601 in the vault's zone)
    and, for contacts, `stage`."""
    note = row.note
    out: dict[str, Any] = {"id": note.id, "path": note.path}
    for key, value in note.data.items():
        if key in ("id", "path"):
            continue  # ours win: they say where the note is
        out[str(key)] = value
    kind = schema.KINDS.get(note.kind)
    for field in schema.dated_fields(kind) if kind else ():
        key = field.key
        typed = schema.typed_value(note, field)
        if key not in out or not typed:
            continue  # absent, or not a date: shown as written
        if not isinstance(typed, tuple):
            out[key] = dates.format_when(typed)
        elif isinstance(out[key], list) and len(out[key]) == len(typed):
            out[key] = [dates.format_when(item) for item in typed]
    if isinstance(note, Contact):
        out["stage"] = row.derived["stage"]
    return out
