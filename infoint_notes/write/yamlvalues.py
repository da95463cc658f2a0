"""Values as infoint writes them into YAML front matter: the `Change`s a command asks
for, and the text of a scalar, list or mapping that reads back as the same value under
YAML 1.2 (quoted only where it must be)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..core.yamlread import MAX_DEPTH, resolve_plain


@dataclass(frozen=True, slots=True)
class Quoted:
    """Text that must be written double-quoted (e.g. a phone number's original digits)."""

    text: str


@dataclass(frozen=True, slots=True)
class Change:
    """One change to a top-level front-matter key."""

    key: str
    #: str, bool, int, float, None, date, datetime, Quoted, or a list or mapping of those
    #: (for `set`).
    value: Any
    #: `set` the key, `append` to its list, or replace list `item` number `index`.
    action: str = "set"
    index: int = 0


def set_key(key: str, value: Any) -> Change:
    return Change(key, value)


def append_item(key: str, value: Any) -> Change:
    return Change(key, value, "append")


def set_item(key: str, index: int, value: Any) -> Change:
    return Change(key, value, "item", index)


# Characters a plain scalar may not start with, and words a YAML 1.1 reader (PyYAML,
# python-frontmatter, older tools) would turn into booleans or null. infoint's reader
# is YAML 1.2, but a value we write should mean the same text in every tool, so those
# are quoted too.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`~+.")
_YAML11_WORDS = re.compile(r"(?:y|n|yes|no|on|off|true|false|null)\Z", re.IGNORECASE)
_FLOW_CHARS = frozenset(",[]{}:")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _needs_escape(char: str) -> bool:
    """Characters YAML does not allow raw (or libyaml reads as line breaks)."""
    code = ord(char)
    return (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or code in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF)
        or 0xD800 <= code <= 0xDFFF
    )


def double_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar."""
    parts = ['"']
    for char in text:
        if char in _ESCAPES:
            parts.append(_ESCAPES[char])
        elif _needs_escape(char):
            if 0xD800 <= ord(char) <= 0xDFFF:
                raise ValueError(
                    f"{text!r} is not valid text (a lone surrogate: bytes that are not UTF-8?)"
                )
            parts.append(f"\\u{ord(char):04x}")
        else:
            parts.append(char)
    parts.append('"')
    return "".join(parts)


def plain_ok(text: str, flow: bool = False) -> bool:
    """Whether `text` can be written unquoted and read back as the same text by any reader."""
    if not text or text != text.strip() or text[0] in _INDICATORS or text[0].isdigit():
        return False
    printable = text.isascii() and text.isprintable()  # then no character needs escaping
    if not printable and any(_needs_escape(char) or char in "\n\r\t" for char in text):
        return False
    if ": " in text or " #" in text or text.endswith(":") or _YAML11_WORDS.match(text):
        return False
    if flow and any(char in _FLOW_CHARS for char in text):
        return False
    return resolve_plain(text) == text


def when_text(value: date | datetime) -> str:
    """A date as `2026-11-20`, a date-time as `2026-11-20T14:05` (offset only if aware)."""
    if isinstance(value, datetime):
        spec = "seconds" if value.second or value.microsecond else "minutes"
        return value.replace(microsecond=0).isoformat(timespec=spec)
    return value.isoformat()


def float_text(value: float) -> str:
    """A float as every YAML reader reads it back: `.inf`, `.nan`, and a mantissa with a
    point (`1.0e+300`, not Python's `1e+300`, which YAML 1.1 reads as text)."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    mantissa, exponent_mark, exponent = repr(value).partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return f"{mantissa}{exponent_mark}{exponent}"


def _mapping_text(value: dict[Any, Any], depth: int) -> str:
    """A mapping as a flow mapping on one line: `{title: eng, years: 3}`."""
    items = []
    for key, item in value.items():
        if not isinstance(key, str):
            raise ValueError(f"a key must be text, not {key!r}")
        items.append(f"{key_text(key)}: {scalar_text(item, flow=True, depth=depth + 1)}")
    return "{" + ", ".join(items) + "}"


def scalar_text(value: Any, flow: bool = False, style: str = "", depth: int = 1) -> str:
    """How `value` is written; it reads back as `written_value(value)`. Raises
    ValueError for a value no front matter can hold.

    `style` is the quote character of the value being replaced, kept for text. `depth`
    counts the lists and mappings around `value`, as the reader limits them.
    """
    if isinstance(value, Quoted):
        return double_quoted(value.text)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return float_text(value)
    if isinstance(value, (date, datetime)):
        return when_text(value)
    _check_depth(value, depth)
    if isinstance(value, list):
        items = (scalar_text(item, flow=True, depth=depth + 1) for item in value)
        return "[" + ", ".join(items) + "]"
    if isinstance(value, dict):
        return _mapping_text(value, depth)
    if not isinstance(value, str):
        raise TypeError(f"cannot write a {type(value).__name__} into front matter")
    if style == "'" and not any(_needs_escape(char) or char in "\n\r\t" for char in value):
        return "'" + value.replace("'", "''") + "'"
    if style != '"' and plain_ok(value, flow):
        return value
    return double_quoted(value)


def _check_depth(value: Any, depth: int) -> None:
    """The reader refuses deeper front matter: refuse to write it (before recursing
    into a JSON import's 900 levels runs out of stack)."""
    if depth > MAX_DEPTH and isinstance(value, (list, dict)):
        raise ValueError(f"a value nested deeper than {MAX_DEPTH} levels cannot be written")


def written_value(value: Any, depth: int = 1) -> Any:
    """What infoint's reader gives back for `value` once written."""
    if isinstance(value, Quoted):
        return value.text
    if isinstance(value, (date, datetime)):
        return when_text(value)
    _check_depth(value, depth)
    if isinstance(value, list):
        return [written_value(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {key: written_value(item, depth + 1) for key, item in value.items()}
    return value


def key_text(key: str) -> str:
    return key if plain_ok(key, flow=True) else double_quoted(key)
