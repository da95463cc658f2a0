"""What front matter's YAML means, without PyYAML: the limits, the core schema's plain
scalars (`resolve_plain`) and what reading gives (`FrontMatterResult`).

Apart from `yamlread` (which parses with libyaml) so that the line-by-line reader of
simple front matter (`speed/frontscan.py`) and a check after an edit import no YAML
parser: importing PyYAML costs about 10 ms of a run that otherwise takes 100."""

from __future__ import annotations

import functools
import math
import re
import sys
from dataclasses import dataclass
from typing import Any

from .model import FieldPosition

MAX_BYTES = 64 * 1024
MAX_DEPTH = 50
MAX_NODES = 10_000

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
# The null and bool words in one table: one lookup instead of three set tests.
_WORDS: dict[str, Any] = {
    **dict.fromkeys(_NULL),
    **dict.fromkeys(_TRUE, True),
    **dict.fromkeys(_FALSE, False),
}
_MISSING = object()
# Every number form starts with one of these (ASCII digits only: `[0-9]`).
_NUMBER_START = frozenset("0123456789-+.")
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")
_NUMBER = re.compile(
    "|".join(
        f"(?P<{name}>{pattern.pattern})"
        for name, pattern in (
            ("int", _INT),
            ("float", _FLOAT),
            ("oct", _OCT),
            ("hex", _HEX),
            ("inf", _INF),
            ("nan", _NAN),
        )
    )
)


class NumberTooLarge(ValueError):
    """An integer Python would refuse to print (3.11+: more than 4,300 digits)."""


@functools.lru_cache(maxsize=4)
def _printable_below(limit: int) -> int:
    return 10**limit


def integer(digits: str, base: int) -> int:
    """`int(digits, base)`, refused when the number could not be printed again.

    Since Python 3.11 `int()` of a decimal text longer than `sys.get_int_max_str_digits()`
    raises ValueError, and so does `str()` of such a number however it was written
    (`0x` followed by 4,000 digits): a note must never hold a value that breaks the
    commands that show it."""
    limit = sys.get_int_max_str_digits()
    try:
        number = int(digits, base)
    except ValueError:
        pass
    else:
        # Every int of 2,000 bits or fewer has under 640 digits, the lowest limit allowed.
        if not limit or number.bit_length() <= 2000 or abs(number) < _printable_below(limit):
            return number
    raise NumberTooLarge(
        f"a number of more than {limit:,} digits is not supported; quote it if it is text"
    )


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """A problem found while reading front matter; line/column are file positions."""

    code: str  # yaml-syntax, not-a-mapping, duplicate-key
    line: int
    column: int
    message: str


@dataclass(frozen=True, slots=True)
class FrontMatterResult:
    data: dict[str, Any] | None
    positions: dict[str, FieldPosition]
    problems: tuple[YamlProblem, ...]


def resolve_plain(value: str) -> Any:
    """The YAML 1.2 core-schema meaning of a plain (unquoted) scalar."""
    word = _WORDS.get(value, _MISSING)
    if word is not _MISSING:
        return word
    first = value[0]
    if first in _NUMBER_START:
        # One regex with the six forms as alternatives, in the order of the core schema:
        # a date such as 2026-11-20 (the common case here) fails once, not six times.
        match = _NUMBER.match(value)
        if match is None:
            return value
        kind = match.lastgroup
        if kind == "int":
            return int(value) if len(value) < 19 else integer(value, 10)
        if kind == "float":
            return float(value)
        if kind == "oct":
            return integer(value[2:], 8)
        if kind == "hex":
            return integer(value[2:], 16)
        if kind == "inf":
            return -math.inf if first == "-" else math.inf
        return math.nan
    return value
