"""Typed notes from parse results (SPEC 3): each field read with its rule, problems kept.

Building never fails: a field with a wrong value becomes None and a `bad-value`
diagnostic, so one typo never hides the rest of the note.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from .body import split_target
from .dates import parse_when
from .model import (
    ERROR,
    WARNING,
    Contact,
    Diagnostic,
    Interview,
    LinkRef,
    ListEntry,
    Milestone,
    Note,
    Organization,
    ParsedNote,
    Referral,
    When,
)

KINDS = ("contact", "interview", "organization", "milestone")
SOURCES = (
    "linkedin",
    "alumni",
    "association",
    "friends-family",
    "colleague",
    "faculty",
    "career-center",
    "event",
    "article",
    "referral",
    "other",
)
REQUEST_VIA = ("email", "phone", "linkedin", "letter", "in-person", "other")
CONTACT_STATUS = ("active", "declined", "inactive", "do-not-contact")
INTERVIEW_STATUS = ("planned", "done", "cancelled", "no-show")
FORMATS = ("in-person", "phone", "video")

MAX_DURATION_MINUTES = 24 * 60
MAX_KEEP_IN_TOUCH_DAYS = 3650

#: Fields whose value must be a link to a contact; an unresolved one is an error.
CONTACT_LINK_FIELDS = ("contact", "referred_by", "thanks")


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


class _FieldReader:
    """Reads the fields of one note, collecting problems as diagnostics."""

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

    def text(self, key: str, required: bool = False, hint: str = "") -> str | None:
        value = self.data.get(key)
        if value.__class__ is str and value:
            return value.strip()  # the common case, as `convert` below has it
        if value is None and not required:
            return None

        def convert(value: Any) -> str:
            if isinstance(value, str):
                return value.strip()
            if isinstance(value, (bool, int, float)):
                raise ValueError(f"must be text, not {value!r}; quote it{hint}")
            raise ValueError("must be text, not a list or mapping")

        return self._read(key, convert, required)

    def choice(self, key: str, allowed: tuple[str, ...]) -> str | None:
        if key not in self.data:
            return None

        def convert(value: Any) -> str:
            if isinstance(value, str) and value.strip() in allowed:
                return value.strip()
            raise ValueError(f"must be one of {', '.join(allowed)}, not {value!r}")

        return self._read(key, convert)

    def flag(self, key: str) -> bool | None:
        if key not in self.data:
            return None

        def convert(value: Any) -> bool:
            if isinstance(value, bool):
                return value
            raise ValueError(f"must be true or false, not {value!r}")

        return self._read(key, convert)

    def whole(self, key: str, unit: str, maximum: int) -> int | None:
        if key not in self.data:
            return None

        # The maximum keeps date arithmetic in range (and catches typos like 300000).
        def convert(value: Any) -> int:
            if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= maximum:
                return value
            raise ValueError(
                f"must be a whole number of {unit} from 1 to {maximum:,}, not {value!r}"
            )

        return self._read(key, convert)

    def when(self, key: str, required: bool = False) -> When | None:
        if not required and key not in self.data:
            return None
        return self._read(key, lambda value: parse_when(value, self.zone), required)

    def whens(self, key: str) -> tuple[When, ...]:
        value = self.raw(key)
        items = value if isinstance(value, list) else [] if value is None else [value]
        found = []
        for index, item in enumerate(items):
            try:
                found.append(parse_when(item, self.zone))
            except ValueError as exc:
                self.problem(key, "bad-value", f"'{key}' items {exc}", index)
        return tuple(found)

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.raw(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        found = []
        for index, item in enumerate(items):
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                text = str(item).strip()
                if text:
                    found.append(text)
            elif item is not None:
                self.problem(key, "bad-value", f"'{key}' items must be text, not {item!r}", index)
        return tuple(found)

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

    def link(self, key: str, required: bool = False) -> LinkRef | None:
        if required and not self.required(key):
            return None
        return self._link_at(key, self.data.get(key), None)

    def link_list(self, key: str) -> tuple[LinkRef, ...]:
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

    def common(self) -> dict[str, Any]:
        name = self.data.get("name")
        return {
            "name": name.strip() if isinstance(name, str) and name.strip() else None,
            "aliases": self.texts("aliases"),
            "tags": tuple(tag.lstrip("#") for tag in self.texts("tags")),
        }


def link_from_value_is_single(value: Any) -> bool:
    """A list-of-links field given one link: a string, or an unquoted `[[x]]`."""
    return not isinstance(value, list) or unquoted_link(value) is not None


def _referrals(reader: _FieldReader) -> tuple[Referral, ...]:
    value = reader.raw("referrals")
    if value is None:
        return ()
    if link_from_value_is_single(value):
        value = [value]
    found = []
    for index, item in enumerate(value):
        line, column = reader.where("referrals", index)
        if isinstance(item, dict):
            try:
                link = link_from_value(item.get("name"), line, column, "referrals")
            except ValueError:
                link = None
            if link is None:
                reader.problem(
                    "referrals",
                    "missing-field",
                    "a referral given as a mapping needs a 'name'",
                    index,
                )
                continue
            may_use = item.get("may_use_name")
            if may_use is not None and not isinstance(may_use, bool):
                reader.problem(
                    "referrals",
                    "bad-value",
                    f"'may_use_name' must be true or false, not {may_use!r}",
                    index,
                )
                may_use = None
            organization = item.get("organization")
            note = item.get("note")
            reader.links.append(link)
            found.append(
                Referral(
                    link.target,
                    line,
                    column,
                    link,
                    organization.strip() if isinstance(organization, str) else None,
                    note.strip() if isinstance(note, str) else None,
                    may_use,
                )
            )
            continue
        link = reader._link_at("referrals", item, index)
        if link is not None:
            found.append(Referral(link.target, line, column, link))
    return tuple(found)


def _questions(reader: _FieldReader, parsed: ParsedNote) -> tuple[ListEntry, ...]:
    value = reader.raw("questions")
    items = value if isinstance(value, list) else [] if value is None else [value]
    found = []
    for index, item in enumerate(items):
        if isinstance(item, str) and item.strip():
            line, column = reader.where("questions", index)
            found.append(ListEntry(" ".join(item.split()), line, column))
        elif item is not None:
            reader.problem(
                "questions", "bad-value", f"'questions' items must be text, not {item!r}", index
            )
    return (*found, *parsed.body.questions)


def build_note(parsed: ParsedNote, zone: tzinfo) -> Note:
    """The typed note for one parse result."""
    reader = _FieldReader(parsed, zone)
    kind = reader.data.get("type")
    if isinstance(kind, str):
        kind = kind.strip()
    if kind not in KINDS:
        if kind not in (None, ""):
            reader.problem(
                "type",
                "unknown-type",
                f"unknown type {kind!r}; infoint knows {', '.join(KINDS)} "
                "(treated as a plain note)",
                severity=WARNING,
            )
        return Note(
            parsed.path, parsed.id, "plain", parsed, **reader.common(), issues=tuple(reader.issues)
        )
    builder = _BUILDERS[kind]
    return builder(parsed, reader)


def _base(parsed: ParsedNote, reader: _FieldReader, kind: str) -> dict[str, Any]:
    return {"path": parsed.path, "id": parsed.id, "kind": kind, "parsed": parsed}


def _finish(reader: _FieldReader) -> dict[str, Any]:
    return {"field_links": tuple(reader.links), "issues": tuple(reader.issues)}


def _contact(parsed: ParsedNote, reader: _FieldReader) -> Contact:
    common = reader.common()
    reader.text("name", required=True)
    organization = reader.raw("organization")
    org_name = org_link = None
    if organization is not None:
        org_link = reader.link("organization")
        org_name = org_link.target if org_link else None
    values = {
        "organization": org_name,
        "organization_link": org_link,
        "job_title": reader.text("title"),
        "career_field": reader.text("field"),
        "location": reader.text("location"),
        "email": reader.text("email"),
        "phone": reader.text("phone", hint=" as written (infoint validate --fix does)"),
        "linkedin": reader.text("linkedin"),
        "source": reader.choice("source", SOURCES),
        "referred_by": reader.link("referred_by"),
        "referrer_ok": reader.flag("referrer_ok"),
        "requested": reader.when("requested"),
        "request_via": reader.choice("request_via", REQUEST_VIA),
        "responded": reader.when("responded"),
        "updates": reader.whens("updates"),
        "keep_in_touch_days": reader.whole("keep_in_touch_days", "days", MAX_KEEP_IN_TOUCH_DAYS),
        "status": reader.choice("status", CONTACT_STATUS) or "active",
    }
    return Contact(**_base(parsed, reader, "contact"), **common, **values, **_finish(reader))


def _interview(parsed: ParsedNote, reader: _FieldReader) -> Interview:
    common = reader.common()
    values = {
        "contact": reader.link("contact", required=True),
        "start": reader.when("date", required=True),
        "duration": reader.whole("duration", "minutes", MAX_DURATION_MINUTES),
        "format": reader.choice("format", FORMATS),
        "location": reader.text("location"),
        "status": reader.choice("status", INTERVIEW_STATUS),
        "thank_you_sent": reader.when("thank_you_sent"),
        "referrals": _referrals(reader),
        "questions": _questions(reader, parsed),
    }
    return Interview(**_base(parsed, reader, "interview"), **common, **values, **_finish(reader))


def _organization(parsed: ParsedNote, reader: _FieldReader) -> Organization:
    common = reader.common()
    reader.text("name", required=True)
    values = {
        "website": reader.text("website"),
        "career_field": reader.text("field"),
        "location": reader.text("location"),
    }
    return Organization(
        **_base(parsed, reader, "organization"), **common, **values, **_finish(reader)
    )


def _milestone(parsed: ParsedNote, reader: _FieldReader) -> Milestone:
    common = reader.common()
    values = {
        "date": reader.when("date", required=True),
        "summary": reader.text("summary", required=True),
        "thanks": reader.link_list("thanks"),
    }
    return Milestone(**_base(parsed, reader, "milestone"), **common, **values, **_finish(reader))


_BUILDERS: dict[str, Callable[[ParsedNote, _FieldReader], Note]] = {
    "contact": _contact,
    "interview": _interview,
    "organization": _organization,
    "milestone": _milestone,
}
