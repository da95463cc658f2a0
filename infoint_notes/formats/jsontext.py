"""JSON for stdout, laid out and escaped the same way by every command (no Click here:
the core renders agenda items with it).

`json` escapes C0 controls but, with `ensure_ascii=False`, writes DEL, C1 controls,
bidirectional overrides and the line separators as they are, and a terminal obeys them.
Every encoder here writes those as `\\uXXXX` too: valid JSON that reads back as the
very same string, so scripts still see exact values (SPEC 5).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any

from .safetext import BEYOND_C0

#: What json leaves raw and a terminal must not see. Outside strings JSON text is
#: ASCII, so these can only be characters of a string.
_RAW = re.compile(f"[{BEYOND_C0}]")
_encode_string = json.encoder.encode_basestring


_encode = json.JSONEncoder(ensure_ascii=False).encode


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_safe(text: str) -> str:
    """JSON text (as json writes it) with those characters escaped."""
    if text.isascii():  # a flag, not a scan: the common case costs nothing
        return text.replace("\x7f", "\\u007f") if "\x7f" in text else text
    if _RAW.search(text) is None:
        return text
    return _RAW.sub(_escape, text)


def encode_json(value: Any) -> str:
    """`value` as compact JSON on one line (json.dumps's separators), escaped."""
    return json_safe(_encode(value))


def json_string(text: str) -> str:
    """A string as JSON, escaped (json's C encoder, then `json_safe`)."""
    return json_safe(_encode_string(text))


#: How a field's value is written, by its annotation as written in the dataclass.
_VALUE_TEXT = {
    "str": "s(r.NAME)",
    "str | None": "NULL if r.NAME is None else s(r.NAME)",
    "bool": "TRUE if r.NAME else FALSE",
    "int": "int(r.NAME)",
    "When": "s(when(r.NAME))",
}


class RecordJSON:
    """The JSON objects of one dataclass's records, as `encode_json` writes a dict of
    their shown fields: every field whose metadata does not say `"shown": False`, in
    order, a date or date-time (`When`) as ISO text.

    Written by one f-string derived from the fields and compiled at construction (as
    `dataclasses` writes `__init__`): 10,000 agenda items cost a third of what building
    and encoding their dicts does. `around`: a field whose value is only known later (an
    agenda item's `overdue`); `around_text(record)` gives the object's text before that
    value and after it.
    """

    def __init__(self, cls: type, around: str | None = None) -> None:
        from ..core.dates import format_when  # here: only the agenda needs it

        shown = [item for item in fields(cls) if item.metadata.get("shown", True)]
        self.names = tuple(item.name for item in shown)
        scope: dict[str, Any] = {"s": json_string, "when": format_when, "int": int}
        scope.update(NULL="null", TRUE="true", FALSE="false")
        # Each literal piece is a name in `scope`, so the source holds no quotes.
        parts = []
        for number, item in enumerate(shown):
            value = _VALUE_TEXT.get(str(item.type))
            if value is None:
                raise TypeError(f"cannot write {cls.__name__}.{item.name} ({item.type}) as JSON")
            scope[f"KEY{number}"] = ("{" if number == 0 else ", ") + f"{json_string(item.name)}: "
            parts += [f"{{KEY{number}}}", "{" + value.replace("NAME", item.name) + "}"]
        scope["END"] = "}"
        parts.append("{END}")

        def compiled(*pieces: str) -> str:
            return "".join(['f"', *pieces, '"'])

        self.write: Callable[[Any], str] = eval(f"lambda r: {compiled(*parts)}", scope)
        if around is not None:
            hole = 2 * self.names.index(around) + 1
            head, tail = compiled(*parts[:hole]), compiled(*parts[hole + 1 :])
            self.around_text: Callable[[Any], tuple[str, str]] = eval(
                f"lambda r: ({head}, {tail})", scope
            )


def json_text(value: Any) -> str:
    """JSON for stdout. A list of flat objects (agenda items, diagnostics, notes) has one
    object per line: as readable, and json's C encoder writes it (an indented dump goes
    through the pure-Python encoder, 3x slower on a 10,000-item agenda)."""
    if isinstance(value, list) and value and all(_is_flat(item) for item in value):
        return json_lines([encode_json(item) for item in value])
    return json_safe(json.dumps(value, ensure_ascii=False, indent=2))


def json_lines(objects: Sequence[str]) -> str:
    """A JSON list of objects already encoded here (each on one line), laid out as
    json_text."""
    if not objects:
        return "[]"
    lines = ",\n  ".join(objects)
    return f"[\n  {lines}\n]"


def _is_flat(item: Any) -> bool:
    return isinstance(item, dict) and not any(
        isinstance(value, (dict, list)) and value for value in item.values()
    )
