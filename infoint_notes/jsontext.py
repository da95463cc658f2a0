"""JSON for stdout, laid out the same way by every command (no Click here: the core
renders agenda items with it)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

#: One encoder for every flat object: json.dumps with an option builds a new one per call.
encode_json = json.JSONEncoder(ensure_ascii=False).encode
#: A string as JSON, as json.dumps(text, ensure_ascii=False) writes it (C-accelerated).
json_string = json.encoder.encode_basestring


def json_text(value: Any) -> str:
    """JSON for stdout. A list of flat objects (agenda items, diagnostics, notes) has one
    object per line: as readable, and json's C encoder writes it (an indented dump goes
    through the pure-Python encoder, 3x slower on a 10,000-item agenda)."""
    if isinstance(value, list) and value and all(_is_flat(item) for item in value):
        return json_lines([encode_json(item) for item in value])
    return json.dumps(value, ensure_ascii=False, indent=2)


def json_lines(objects: Sequence[str]) -> str:
    """A JSON list of objects already encoded (each on one line), laid out as json_text."""
    if not objects:
        return "[]"
    lines = ",\n  ".join(objects)
    return f"[\n  {lines}\n]"


def _is_flat(item: Any) -> bool:
    return isinstance(item, dict) and not any(
        isinstance(value, (dict, list)) and value for value in item.values()
    )
