"""Typed notes from parse results (SPEC 3): each field read with its rule, problems kept.

Which key fills which attribute, and how it is read, is declared once in `schema.py`;
`build_note` reads every field of the note's kind with the reader of its `Value`.
Building never fails: a field with a wrong value becomes None and a `bad-value`
diagnostic, so one typo never hides the rest of the note.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import tzinfo
from typing import Any

from .body import split_target
from .dates import parse_when
from .model import (
    ERROR,
    WARNING,
    Diagnostic,
    LinkRef,
    ListEntry,
    Note,
    ParsedNote,
    Referral,
    When,
)
from .schema import KINDS, PLAIN, Field, NoteKind, Value


def unquoted_link(value: Any) -> str | None:
    """The `x` of `key: [[x]]`, which YAML reads as a list holding a list of one string
    (SPEC 2.1: accept it as the link it was meant to be); None for anything else."""
    if (
        isinstance(value, list)
        and len(value) == 1
        and isinstance(value[0], list)
        and len(value[0]) == 1
        and isinstance(value[0][0], str)
    ):
        return value[0][0]
    return None


def link_from_value(value: Any, line: int, column: int, field: str) -> LinkRef | None:
    """A link field's value -> LinkRef; None when empty. Raises ValueError if not a link."""
    inner = unquoted_link(value)
    if inner is not None and split_target(inner)[0]:
        return LinkRef(split_target(inner)[0], line, column, field, wikilink=True, unquoted=True)
    if isinstance(value, list):
        raise ValueError("is not a link")
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f'must be a link such as "[[jane-doe]]" or a name, not {value!r}')
    text = value.strip()
    if not text:
        return None
    if text.startswith("[[") and text.endswith("]]"):
        target = split_target(text[2:-2])[0]
        if not target:
            raise ValueError(f"{text!r} is an empty link")
        return LinkRef(target, line, column, field, wikilink=True)
    return LinkRef(text, line, column, field)


def property_target(value: Any) -> str | None:
    """The target of a front-matter value that is one wikilink (`"[[x|label]]"`), else
    None: Obsidian reads such a value, under any key, as a link."""
    if value.__class__ is not str or not value.startswith("[[") or not value.endswith("]]"):
        return None
    inner = value[2:-2]
    if "[[" in inner or "]]" in inner:
        return None
    return split_target(inner)[0] or None


#: Values that read a key as a link: such keys keep their own, stricter rules.
_LINK_VALUES = frozenset({Value.LINK, Value.NAMED, Value.LINKS, Value.REFERRALS})


def link_from_value_is_single(value: Any) -> bool:
    """A list-of-links field given one link: a string, or an unquoted `[[x]]`."""
    return not isinstance(value, list) or unquoted_link(value) is not None


#: Date texts already read, by text and zone: notes share many (`2026-11-20`, interview
#: slots). Dates and date-times never change in place. Bounded: past the bound, texts
#: are read anew.
_WHENS: dict[tuple[str, tzinfo], When] = {}
_WHENS_MAX = 8192


def _parse_when(value: Any, zone: tzinfo) -> When:
    """`parse_when`, remembered for texts."""
    if value.__class__ is not str:
        return parse_when(value, zone)
    found = _WHENS.get((value, zone))
    if found is None:
        found = parse_when(value, zone)  # raises ValueError: nothing remembered
        if len(_WHENS) < _WHENS_MAX:
            _WHENS[value, zone] = found
    return found


class _FieldReader:
    """Reads the fields of one note, collecting problems as diagnostics.

    There is one reader per `Value`, each typed with what it gives; a test checks that
    every schema field's attribute on the model has the type its reader returns."""

    def __init__(self, parsed: ParsedNote, zone: tzinfo) -> None:
        self.parsed = parsed
        self.data = parsed.front_matter or {}
        self.zone = zone
        self.issues: list[Diagnostic] = []
        self.links: list[LinkRef] = []

    def where(self, key: str, item: int | None = None) -> tuple[int, int]:
        position = self.parsed.positions.get(key)
        if position is None:
            return (1, 1)
        if item is not None and item < len(position.items):
            return position.items[item]
        return (position.value_line, position.value_column)

    def problem(
        self, key: str, code: str, message: str, item: int | None = None, severity: str = ERROR
    ) -> None:
        line, column = self.where(key, item)
        if code == "missing-field":
            line, column = self.where(key) if key in self.data else (1, 1)
        self.issues.append(Diagnostic(self.parsed.path, line, column, severity, code, message))

    def raw(self, key: str) -> Any:
        value = self.data.get(key)
        # Empty text, list or mapping counts as absent; 0 and false do not. (Cheaper than
        # `value in ("", [], {})`, which compares every value three times.)
        if value is None or (not value and isinstance(value, (str, list, dict))):
            return None
        return value

    def required(self, key: str) -> bool:
        if self.raw(key) is None:
            self.problem(key, "missing-field", f"'{key}' is required")
            return False
        return True

    def _read(self, key: str, convert: Callable[[Any], Any], required: bool = False) -> Any:
        if required and not self.required(key):
            return None
        value = self.raw(key)
        if value is None:
            return None
        try:
            return convert(value)
        except ValueError as exc:
            self.problem(key, "bad-value", f"'{key}' {exc}")
            return None

    # --- one reader per Value --------------------------------------------------------

    def name(self, field: Field) -> str | None:
        value = self.data.get(field.key)
        if field.required:
            self.text(field)  # for its problems: a contact's name must be text
        return value.strip() if isinstance(value, str) and value.strip() else None

    def text(self, field: Field) -> str | None:
        value = self.data.get(field.key)
        if value.__class__ is str and value:
            return value.strip()  # the common case, as `convert` below has it
        if value is None and not field.required:
            return None

        def convert(value: Any) -> str:
            if isinstance(value, str):
                return value.strip()
            if isinstance(value, (bool, int, float)):
                raise ValueError(f"must be text, not {value!r}; quote it{field.hint}")
            raise ValueError("must be text, not a list or mapping")

        found: str | None = self._read(field.key, convert, field.required)
        return found

    def choice(self, field: Field) -> str | None:
        allowed = field.choices

        def convert(value: Any) -> str:
            if isinstance(value, str) and value.strip() in allowed:
                return value.strip()
            raise ValueError(f"must be one of {', '.join(allowed)}, not {value!r}")

        found: str | None = self._read(field.key, convert, field.required)
        return found

    def flag(self, field: Field) -> bool | None:
        def convert(value: Any) -> bool:
            if isinstance(value, bool):
                return value
            raise ValueError(f"must be true or false, not {value!r}")

        found: bool | None = self._read(field.key, convert, field.required)
        return found

    def whole(self, field: Field) -> int | None:
        minimum, maximum = field.minimum, field.maximum
        unit = f" of {field.unit}" if field.unit else ""

        # The maximum keeps date arithmetic in range (and catches typos like 300000).
        def convert(value: Any) -> int:
            whole = isinstance(value, int) and not isinstance(value, bool)
            if whole and minimum <= value <= maximum:
                return value
            raise ValueError(
                f"must be a whole number{unit} from {minimum} to {maximum:,}, not {value!r}"
            )

        found: int | None = self._read(field.key, convert, field.required)
        return found

    def when(self, field: Field) -> When | None:
        zone = self.zone
        found: When | None = self._read(
            field.key, lambda value: _parse_when(value, zone), field.required
        )
        return found

    def whens(self, field: Field) -> tuple[When, ...]:
        key = field.key
        value = self.raw(key)
        items = value if isinstance(value, list) else [] if value is None else [value]
        found = []
        for index, item in enumerate(items):
            try:
                found.append(_parse_when(item, self.zone))
            except ValueError as exc:
                self.problem(key, "bad-value", f"'{key}' items {exc}", index)
        return tuple(found)

    def texts(self, field: Field) -> tuple[str, ...]:
        key = field.key
        value = self.raw(key)
        if value is None:
            return ()
        listed = isinstance(value, list)
        # One text alone is a list of one, as Obsidian reads `aliases: Jane`.
        subject = f"'{key}' items" if listed else f"'{key}'"
        found = []
        for index, item in enumerate(value if listed else [value]):
            at = index if listed else None
            if isinstance(item, str):
                if item.strip():
                    found.append(item.strip())
            elif isinstance(item, (bool, int, float)):
                # YAML has already dropped a phone number's leading zeros: never guess them.
                self.problem(
                    key,
                    "bad-value",
                    f"{subject} must be text, not {item!r}; quote it{field.hint}",
                    at,
                )
            elif item is not None:
                self.problem(key, "bad-value", f"{subject} must be text, not a list or mapping", at)
        return tuple(found)

    def tags(self, field: Field) -> tuple[str, ...]:
        return tuple(tag.lstrip("#") for tag in self.texts(field))

    def _link_at(self, key: str, value: Any, item: int | None) -> LinkRef | None:
        line, column = self.where(key, item)
        try:
            link = link_from_value(value, line, column, key)
        except ValueError as exc:
            self.problem(key, "bad-value", f"'{key}' {exc}", item)
            return None
        if link is not None:
            if link.unquoted:
                fixed = (
                    f'- "[[{link.target}]]"'
                    if item is not None
                    else (f'{key}: "[[{link.target}]]"')
                )
                self.problem(
                    key,
                    "unquoted-wikilink",
                    f"unquoted wikilink in '{key}' reads as a nested list; write {fixed}",
                    item,
                    WARNING,
                )
            self.links.append(link)
        return link

    def link(self, field: Field) -> LinkRef | None:
        if field.required and not self.required(field.key):
            return None
        return self._link_at(field.key, self.data.get(field.key), None)

    def named(self, field: Field) -> str | None:
        # Unlike a link field, an empty list or mapping here is simply no organization.
        if self.raw(field.key) is None:
            return None
        link = self.link(field)
        return link.target if link else None

    def link_list(self, field: Field) -> tuple[LinkRef, ...]:
        key = field.key
        value = self.raw(key)
        if value is None:
            return ()
        if link_from_value_is_single(value):
            link = self._link_at(key, value, None)
            return (link,) if link else ()
        found = []
        for index, item in enumerate(value):
            link = self._link_at(key, item, index)
            if link is not None:
                found.append(link)
        return tuple(found)

    def referrals(self, field: Field) -> tuple[Referral, ...]:
        key = field.key
        value = self.raw(key)
        if value is None:
            return ()
        if link_from_value_is_single(value):
            value = [value]
        found = []
        for index, item in enumerate(value):
            line, column = self.where(key, index)
            if isinstance(item, dict):
                referral = self._referral_mapping(key, item, index, line, column)
                if referral is not None:
                    found.append(referral)
                continue
            link = self._link_at(key, item, index)
            if link is not None:
                found.append(Referral(link.target, line, column, link))
        return tuple(found)

    def _referral_mapping(
        self, key: str, item: dict[Any, Any], index: int, line: int, column: int
    ) -> Referral | None:
        try:
            link = link_from_value(item.get("name"), line, column, key)
        except ValueError:
            link = None
        if link is None:
            self.problem(
                key, "missing-field", "a referral given as a mapping needs a 'name'", index
            )
            return None
        may_use = item.get("may_use_name")
        if may_use is not None and not isinstance(may_use, bool):
            self.problem(
                key, "bad-value", f"'may_use_name' must be true or false, not {may_use!r}", index
            )
            may_use = None
        organization = item.get("organization")
        note = item.get("note")
        self.links.append(link)
        return Referral(
            link.target,
            line,
            column,
            link,
            organization.strip() if isinstance(organization, str) else None,
            note.strip() if isinstance(note, str) else None,
            may_use,
        )

    def property_links(self, link_keys: frozenset[str]) -> None:
        """Add a property link for each wikilink value (or list item) under a key that is
        not read as a link."""
        for key, value in self.data.items():
            # Only text opening with `[[` can be a link: most values are not looked at.
            if value.__class__ is str:
                if value.startswith("[[") and key not in link_keys:
                    target = property_target(value)
                    if target is not None:
                        self._property_link(key, target, None)
            elif value.__class__ is list and key not in link_keys:
                for index, item in enumerate(value):
                    target = property_target(item)
                    if target is not None:
                        self._property_link(key, target, index)

    def _property_link(self, key: str, target: str, item: int | None) -> None:
        line, column = self.where(key, item)
        self.links.append(LinkRef(target, line, column, key, wikilink=True, property=True))

    def questions(self, field: Field) -> tuple[ListEntry, ...]:
        key = field.key
        value = self.raw(key)
        items = value if isinstance(value, list) else [] if value is None else [value]
        found = []
        for index, item in enumerate(items):
            if isinstance(item, str) and item.strip():
                line, column = self.where(key, index)
                found.append(ListEntry(" ".join(item.split()), line, column))
            elif item is not None:
                self.problem(key, "bad-value", f"'{key}' items must be text, not {item!r}", index)
        return (*found, *self.parsed.body.questions)


_Reader = Callable[[_FieldReader, Field], Any]

#: The reader of each kind of value (a test checks each returns its attributes' type).
_READERS: dict[Value, _Reader] = {
    Value.TEXT: _FieldReader.text,
    Value.NAME: _FieldReader.name,
    Value.CHOICE: _FieldReader.choice,
    Value.FLAG: _FieldReader.flag,
    Value.WHOLE: _FieldReader.whole,
    Value.WHEN: _FieldReader.when,
    Value.WHENS: _FieldReader.whens,
    Value.TEXTS: _FieldReader.texts,
    Value.TAGS: _FieldReader.tags,
    Value.LINK: _FieldReader.link,
    Value.NAMED: _FieldReader.named,
    Value.LINKS: _FieldReader.link_list,
    Value.REFERRALS: _FieldReader.referrals,
    Value.QUESTIONS: _FieldReader.questions,
}

#: (attribute, key, reader, field, the value when the key is absent, whether an absent
#: key may skip the reader)
_Step = tuple[str, str, _Reader, Field, Any, bool]


@dataclass(frozen=True, slots=True)
class _Plan:
    """How to type a note of one kind, worked out once per kind."""

    steps: tuple[_Step, ...]
    #: (attribute, default) where a default other than None stands for an absent or
    #: wrong value (a contact's `status: active`).
    defaults: tuple[tuple[str, Any], ...]
    #: Fields without an attribute, their readers and their values when absent (a key
    #: that is absent or not required skips its reader): their values go to `typed`.
    others: tuple[tuple[str, _Reader, Field, Any, bool], ...]
    #: Keys read as links; under any other key a wikilink value is a property link.
    link_keys: frozenset[str]


_PLANS: dict[NoteKind, _Plan] = {}
#: The `typed` of notes whose kind has no field without an attribute (never changed).
_NOTHING: dict[str, Any] = {}


def _plan(kind: NoteKind) -> _Plan:
    defaults = {attribute.name: attribute.default for attribute in fields(kind.note)}
    steps: list[_Step] = []
    fallbacks = []
    for field in kind.fields:
        if not field.checked or field.attribute is None:
            continue
        empty = defaults[field.attribute]
        # A required key must be reported; questions come from the body too.
        skip = not field.required and field.value is not Value.QUESTIONS
        steps.append((field.attribute, field.key, _READERS[field.value], field, empty, skip))
        if empty is not None and not field.value.many:
            fallbacks.append((field.attribute, empty))
    others = tuple(
        (
            field.key,
            _READERS[field.value],
            field,
            () if field.value.many else None,
            not field.required,
        )
        for field in kind.fields
        if field.checked and field.attribute is None
    )
    link_keys = frozenset(field.key for field in kind.fields if field.value in _LINK_VALUES)
    plan = _PLANS[kind] = _Plan(tuple(steps), tuple(fallbacks), others, link_keys)
    return plan


def build_note(parsed: ParsedNote, zone: tzinfo) -> Note:
    """The typed note for one parse result."""
    reader = _FieldReader(parsed, zone)
    data = reader.data
    name = data.get("type")
    if isinstance(name, str):
        name = name.strip()
    kind = KINDS.get(name) if isinstance(name, str) else None
    if kind is None:
        if name not in (None, ""):
            reader.problem(
                "type",
                "unknown-type",
                f"unknown type {name!r}; infoint knows {', '.join(KINDS)} "
                "(treated as a plain note)",
                severity=WARNING,
            )
        kind = PLAIN
    plan = _PLANS.get(kind) or _plan(kind)
    # One comprehension over the plan: as fast as the hand-written readers were.
    values = {
        attribute: empty if skip and key not in data else read(reader, field)
        for attribute, key, read, field, empty, skip in plan.steps
    }
    for attribute, default in plan.defaults:
        if values[attribute] is None:
            values[attribute] = default
    reader.property_links(plan.link_keys)
    typed = _NOTHING
    if plan.others:
        typed = {
            key: empty if skip and key not in data else read(reader, field)
            for key, read, field, empty, skip in plan.others
        }
    return kind.note(
        path=parsed.path,
        id=parsed.id,
        kind=kind.name,
        parsed=parsed,
        field_links=tuple(reader.links),
        issues=tuple(reader.issues),
        typed=typed,
        **values,
    )
