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
from collections.abc import Sequence
from typing import Any

from .safetext import BEYOND_C0

#: What json leaves raw and a terminal must not see. Outside strings JSON text is
#: ASCII, so these can only be characters of a string.
_RAW = re.compile(f"[{BEYOND_C0}]")
_encode = json.JSONEncoder(ensure_ascii=False).encode
_encode_string = json.encoder.encode_basestring


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
