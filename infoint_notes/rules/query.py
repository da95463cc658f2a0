"""The `--where` mini-language (SPEC 4.14): filters over any front-matter field.

    field=value    equal, case-insensitive; for a list, one item equal
    field!=value   not equal (true when the field is absent)
    field~text     contains text, case-insensitive; for a list, one item contains it
    field>value    after / greater than (dates and numbers); also <, >=, <=
    field?         present and not empty
    !field         absent or empty

Parse once with `parse_query`, then `Query.matches(note)` for each note. Values that are
links compare as links: `organization=contoso` matches `"[[contoso]]"`, `Contoso` and an
alias of the organization note, because both sides resolve to the same note; and an
`organization` compares as SPEC 3.3 says, legal suffixes and punctuation aside
(`organization=fabrikam` matches "Fabrikam, Inc."). A date compared with a date-time is
compared by date (SPEC 2.2).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from ..core.dates import day_of, parse_when
from ..core.errors import UsageError
from ..core.friendly import parse_typed
from ..core.model import Note, When
from ..core.notes import unquoted_link
from ..core.parse import normalise_key
from ..core.yamlread import NumberTooLarge, integer

OPERATORS = ("!=", "==", ">=", "<=", "=", "~", ">", "<")
_FIELD = r"[^\s=!~<>?]+"
_COMPARE = re.compile(rf"\s*({_FIELD})\s*(!=|==|>=|<=|=|~|>|<)(.*)\Z", re.S)
_ABSENT = re.compile(rf"\s*!\s*({_FIELD})\s*\Z")
_PRESENT = re.compile(rf"\s*({_FIELD})\s*\?\s*\Z")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)\Z")

#: A number as notes and queries hold it. Never turned into a float to compare: an int
#: may be far beyond a float's range (`1` and 400 zeros), and ints compare exactly.
Number = int | float

#: Resolves a link target or name to the one note it means, or None.
Resolve = Callable[[str], "Note | None"]

#: An organization as written -> the key of the organization it means
#: (`core.identity.organization_keys`).
OrganizationKey = Callable[[str], str]


class QueryError(UsageError):
    """A `--where` expression that cannot be understood (exit 2, naming it)."""


@dataclass(frozen=True, slots=True)
class Condition:
    """One parsed `--where` expression."""

    text: str  #: as the user wrote it, for messages
    field: str
    op: str  #: one of OPERATORS (`==` read as `=`), `?` (present) or `!` (absent)
    value: str | None = None
    #: The value as a date or a number, when it is one (always for `>`/`<`).
    bound: When | Number | None = None


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _number(text: str) -> Number:
    """A text that `_NUMBER` matched, as an int when it is one."""
    text = text.strip()
    if "." not in text:
        try:
            return integer(text, 10)
        except NumberTooLarge:
            pass  # as a float it is +-inf, which still compares
    return float(text)


def _date(value: str, zone: tzinfo, now: datetime | None) -> When:
    """A date as the query gives it: ISO, or (given `now`) friendly: `today`, `-2w`."""
    return parse_when(value, zone) if now is None else parse_typed(value, zone, now)


def _bound(value: str, zone: tzinfo, now: datetime | None = None) -> When | Number | None:
    if _NUMBER.match(value):
        return _number(value)
    try:
        return _date(value, zone, now)
    except ValueError:
        return None


def _not_a_bound(value: str, zone: tzinfo, now: datetime | None) -> str:
    """Why `value` is neither a number nor a date, for the message."""
    try:
        _date(value, zone, now)
    except ValueError as exc:
        if not str(exc).startswith("must be"):
            return f"{value!r} {exc}"  # a date, but an impossible one
    examples = "2026-11-20, 2026-11-20T14:00" + (", today, -2w" if now is not None else "")
    return f"{value!r} is not a date ({examples}) or a number"


def parse_condition(text: str, zone: tzinfo, now: datetime | None = None) -> Condition:
    """One expression; raises QueryError naming it when it is malformed."""
    usage = "use field=value, field!=value, field~text, field>value, field<value, field? or !field"
    absent = _ABSENT.match(text)
    if absent:
        return Condition(text, absent.group(1), "!")
    present = _PRESENT.match(text)
    if present:
        return Condition(text, present.group(1), "?")
    match = _COMPARE.match(text)
    if match is None:
        raise QueryError(f"bad --where expression {text!r}: {usage}")
    field, op, value = match.group(1), match.group(2), _unquote(match.group(3))
    op = "=" if op == "==" else op
    if not value:
        hint = f"; to test for a missing field write !{field}" if op in ("=", "!=") else ""
        raise QueryError(f"bad --where expression {text!r}: no value after '{op}'{hint}")
    # For `=` too: `date=today` matches any time that day (worked out once, not per note).
    bound = _bound(value, zone, now) if op != "~" else None
    if op in (">", "<", ">=", "<=") and bound is None:
        reason = _not_a_bound(value, zone, now)
        raise QueryError(f"bad --where expression {text!r}: {reason}")
    return Condition(text, field, op, value, bound)


# --- values as notes hold them ------------------------------------------------------------


def plain_value(value: Any) -> Any:
    """A front-matter value with an unquoted `[[x]]` (a list in a list) read as `"[[x]]"`."""
    inner = unquoted_link(value)
    return value if inner is None else f"[[{inner}]]"


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and not value)


def _items(value: Any) -> list[Any]:
    value = plain_value(value)
    if isinstance(value, list):
        return [plain_value(item) for item in value if not is_empty(item)]
    return [] if is_empty(value) else [value]


def _link_target(text: str) -> str:
    text = text.strip()
    if text.startswith("[[") and text.endswith("]]"):
        text = text[2:-2]
        text = text.split("|", 1)[0].split("#", 1)[0]
    return text.strip()


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float, date)):
        return str(value)
    return None  # a mapping: no text to compare


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _as_bound(value: Any, like: When | Number, zone: tzinfo) -> When | Number | None:
    """The note's value in the same terms as the query's bound, or None if it is not."""
    if _is_number(like):
        if _is_number(value):
            return value
        if isinstance(value, str) and _NUMBER.match(value.strip()):
            return _number(value)
        return None
    if isinstance(value, (str, date)):
        try:
            return parse_when(value, zone)
        except ValueError:
            return None
    return None


def _compare(a: When | Number, b: When | Number) -> int:
    """-1, 0, 1; a date against a date-time compares by date."""
    both_moments = isinstance(a, datetime) and isinstance(b, datetime)
    if _is_number(a) or _is_number(b) or both_moments:
        left, right = a, b
    else:
        left, right = day_of(a), day_of(b)  # type: ignore[arg-type]
    return (left > right) - (left < right)  # type: ignore[operator]


@dataclass(frozen=True)
class Query:
    """Several conditions that must all hold."""

    conditions: tuple[Condition, ...]
    zone: tzinfo
    #: Resolves link targets so that `referred_by=Maria Chen` matches `[[maria-chen]]`.
    resolve: Resolve | None = None
    #: Compares `organization` values so that `Fabrikam` matches `Fabrikam, Inc.`.
    organization_key: OrganizationKey | None = None

    def value_of(self, note: Note, name: str, extra: Mapping[str, Any] | None = None) -> Any:
        """The field's value: the front matter's (key matched case-insensitively when
        there is no exact key), else `extra` (derived values such as `stage`)."""
        data = note.data
        if name in data:
            return data[name]
        folded = name.casefold()
        for key, value in data.items():
            if isinstance(key, str) and key.casefold() == folded:
                return value
        if extra:
            for key, value in extra.items():
                if key.casefold() == folded:
                    return value
        return None

    def matches(self, note: Note, extra: Mapping[str, Any] | None = None) -> bool:
        return all(self._holds(c, self.value_of(note, c.field, extra)) for c in self.conditions)

    def _holds(self, condition: Condition, value: Any) -> bool:
        items = _items(value)
        op = condition.op
        if op == "?":
            return bool(items)
        if op == "!":
            return not items
        if op == "=":
            return any(self._equal(item, condition) for item in items)
        if op == "!=":
            return not any(self._equal(item, condition) for item in items)
        if op == "~":
            needle = normalise_key(condition.value or "")
            return any(needle in normalise_key(_scalar_text(item) or "") for item in items)
        wanted = {">": (1,), "<": (-1,), ">=": (0, 1), "<=": (-1, 0)}[op]
        assert condition.bound is not None
        for item in items:
            mine = _as_bound(item, condition.bound, self.zone)
            if mine is not None and _compare(mine, condition.bound) in wanted:
                return True
        return False

    def _equal(self, item: Any, condition: Condition) -> bool:
        wanted = condition.value or ""
        text = _scalar_text(item)
        if text is None:
            return False
        if normalise_key(text) == normalise_key(wanted):
            return True
        if isinstance(item, str):
            if normalise_key(_link_target(text)) == normalise_key(_link_target(wanted)):
                return True
            if self.resolve is not None:
                mine = self.resolve(_link_target(text))
                if mine is not None and mine is self.resolve(_link_target(wanted)):
                    return True
            if self._same_organization(condition, text, wanted):
                return True
        # Numbers and dates: `duration=30` matches 30 and 30.0; `date=2026-11-20` matches
        # any time that day.
        bound = condition.bound
        if bound is None:
            return False
        value = _as_bound(item, bound, self.zone)
        return value is not None and _compare(value, bound) == 0

    def _same_organization(self, condition: Condition, text: str, wanted: str) -> bool:
        if self.organization_key is None or condition.field.casefold() != "organization":
            return False
        mine = self.organization_key(text)
        return bool(mine) and mine == self.organization_key(wanted)


def parse_query(
    expressions: Iterable[str],
    zone: tzinfo,
    resolve: Resolve | None = None,
    now: datetime | None = None,
    organization_key: OrganizationKey | None = None,
) -> Query:
    """Parse `--where` expressions once; raises QueryError for the first malformed one.
    Given `now`, date values may be friendly (`requested>-2w`, SPEC 2.2)."""
    conditions = tuple(parse_condition(text, zone, now) for text in expressions)
    return Query(conditions, zone, resolve, organization_key)


# --- ordering, for `--sort` -------------------------------------------------------------


def sort_key(value: Any, zone: tzinfo) -> tuple[int, Any]:
    """Orders any front-matter values together: numbers, then dates, then text; empty
    values are for the caller to put last."""
    value = plain_value(value)
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, bool):
        return (2, str(value).lower())
    if isinstance(value, (int, float)):
        return (0, value)
    if isinstance(value, (str, date)):
        try:
            when = parse_when(value, zone)
        except ValueError:
            return (2, normalise_key(_link_target(str(value))))
        moment = when.timestamp() if isinstance(when, datetime) else None
        return (1, (day_of(when).toordinal(), 0 if moment is None else 1, moment or 0.0))
    return (3, "")
