"""The line reader of simple front matter: `key: value` lines, one-line flow lists and
block lists of one-line values, read without libyaml.

Most front matter is just that (what `infoint new` writes, what Obsidian writes), and
reading it line by line takes half the time that composing libyaml's node tree and
walking it does. Anything else (comments, nested mappings, multi-line or escaped
scalars, anchors, tags, block scalars, duplicate keys, tabs, characters YAML reads as
line breaks or refuses) makes it give up (None), and `yamlread.load_front_matter`, the
reference, answers instead. A property test holds the two readers to the same answers:
values, positions and problems.
"""

from __future__ import annotations

import re
from typing import Any

from ..core.model import FieldPosition
from ..core.yamlscalars import (
    MAX_BYTES,
    MAX_NODES,
    FrontMatterResult,
    NumberTooLarge,
    resolve_plain,
)

# A character libyaml would not read as itself on one line of a scalar (tabs, CR, NEL,
# LS, PS, the BOM, the characters YAML refuses), or a `#` after a space (a comment).
# One set of characters opens it, so that the search skips other text at C speed.
_UNMODELLED = re.compile(
    "[^\n\x20-\x22\x24-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    "\U00010000-\U0010ffff](?:(?<!#)|(?<= #))"
)
# A key at the margin (libyaml limits simple keys to 1,024 characters: any other key is
# left to it), its colon and the blanks after it.
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,127}):(?: +|\Z)")
# An item of a block list: its indentation, the dash and the blanks after it.
_ITEM = re.compile(r"( *)- +(?=[^ ])")
# What cannot start a plain scalar (YAML's indicators), or starts a quoted one.
_NOT_PLAIN = frozenset("-?:,[]{}#&*!|>'\"%@`")
_QUOTED = {'"': re.compile(r'"([^"\\]*)" *\Z'), "'": re.compile(r"'([^']*)' *\Z")}
# One item of a flow list and what follows it: a double-quoted text without escapes, or
# a plain text without a flow indicator or colon (trailing blanks are not part of it).
_FLOW_ITEM = re.compile(r' *(?:"([^"\\]*)"|([^ ,\[\]{}#&*!|>\'"%@`?:\-][^,\[\]{}:#"]*?)) *([,\]])')
_EMPTY_FLOW = re.compile(r"\[ *\] *\Z")


#: Lines `key: plain value` or `key: [flow, list]` already read, with what they gave
#: (key, value, column of the value, columns of a list's items): most lines repeat from
#: note to note (`type: contact`, `status: done`, `tags: [a, b]`), and a repeated line
#: costs one lookup. Plain values are never changed in place (texts, numbers, booleans,
#: None); a list is kept as a tuple and given as a new list. Bounded: lines past the
#: bound are read anew.
_SEEN: dict[str, tuple[str, Any, int, tuple[int, ...]]] = {}
_SEEN_MAX = 8192


class _NotModelled(Exception):
    """Something the line reader does not model: libyaml answers."""


def read_front_matter(
    text: str, first_line: int, subject: str = "front matter"
) -> FrontMatterResult:
    """What `load_front_matter` gives for this text, read line by line when it is simple."""
    found = simple_front_matter(text, first_line)
    if found is not None:
        return found
    # Imported here: most front matter is simple, and PyYAML costs 10 ms to import.
    from ..core.yamlread import load_front_matter

    return load_front_matter(text, first_line, subject)


def simple_front_matter(text: str, first_line: int) -> FrontMatterResult | None:
    """The front matter read line by line; None when it holds anything not modelled."""
    if not text or len(text) * 4 > MAX_BYTES or _UNMODELLED.search(text):
        return None
    try:
        return _read(text, first_line)
    except (_NotModelled, NumberTooLarge):  # the reference reports a number too large
        return None


def _read(text: str, first_line: int) -> FrontMatterResult:
    data: dict[str, Any] = {}
    positions: dict[str, FieldPosition] = {}
    nodes = 1
    # The key with no value on its line (None: the last key had one), and the block list
    # below it once an item is found: its values, their places, its indentation.
    bare: str | None = None
    listed: list[Any] | None = None
    places: list[tuple[int, int]] = []
    indent = 0
    key_match, item_match, resolve = _KEY.match, _ITEM.match, resolve_plain
    seen = _SEEN
    # The list item being read when it is a mapping, and the indentation of its keys.
    mapping: dict[str, Any] | None = None
    mapping_indent = ""
    for number, line in enumerate(text.split("\n"), first_line):
        if not line:
            continue
        known = seen.get(line)
        if known is not None:  # `key: value` as read before (`type: contact`): as then
            key, value, column, columns = known
            if listed is not None:
                _close(data, positions, bare, listed, places, indent)
                listed = mapping = None
            if key in data:
                raise _NotModelled
            nodes += 1 + len(columns)
            bare = None
            if columns:  # a flow list: a list of its own, its items on this line
                data[key] = list(value)
                flow = tuple([(number, at) for at in columns])
                positions[key] = FieldPosition(number, 1, number, column, flow)
            else:
                data[key] = value
                positions[key] = FieldPosition(number, 1, number, column)
            continue
        found = key_match(line)
        if found is not None:
            if listed is not None:
                _close(data, positions, bare, listed, places, indent)
                listed = mapping = None
            key = found.group(1)
            if key in data:
                raise _NotModelled  # a duplicate key: the reference reports it
            nodes += 1
            start = found.end()
            if start == len(line):  # no value on the line: null, or a block list below
                data[key] = None
                positions[key] = FieldPosition(number, 1, number, len(key) + 2)
                bare = key
                continue
            bare = None
            value = line[start:]
            first = value[0]
            if first not in _NOT_PLAIN:  # a plain scalar (most values): inlined
                value = value.rstrip(" ")
                if ": " in value or value[-1] == ":":
                    raise _NotModelled  # a mapping, or a key without a value
                data[key] = resolved = resolve(value)
                positions[key] = FieldPosition(number, 1, number, start + 1)
                if len(seen) < _SEEN_MAX:
                    seen[line] = (key, resolved, start + 1, ())
            elif first == "[":
                data[key], flow = _flow(value, number, start + 1)
                nodes += len(flow)
                positions[key] = FieldPosition(number, 1, number, start + 1, flow)
                if flow and len(seen) < _SEEN_MAX:
                    columns = tuple([at for _, at in flow])
                    seen[line] = (key, tuple(data[key]), start + 1, columns)
            else:
                data[key] = _scalar(value)
                positions[key] = FieldPosition(number, 1, number, start + 1)
            continue
        found = item_match(line)
        if found is None:
            if mapping is None or not line.startswith(mapping_indent):
                raise _NotModelled  # a continued scalar, a nested mapping, a directive...
            # The next key of a list item that is a mapping (`  - name: x`, `    note: y`)
            entry = key_match(line, len(mapping_indent))
            if entry is None or entry.group(1) in mapping:
                raise _NotModelled
            mapping[entry.group(1)] = _entry_value(line, entry.end())
            nodes += 1
            continue
        if bare is None:
            raise _NotModelled
        if listed is None:
            listed, places, indent = [], [], len(found.group(1))
        elif len(found.group(1)) != indent:
            raise _NotModelled
        start = found.end()
        value = line[start:]
        if value[0] == "[":
            raise _NotModelled  # a list in a list (`- [[x]]`, an unquoted wikilink)
        entry = key_match(value)
        if entry is not None:  # an item that is a mapping: its first key
            mapping = {entry.group(1): _entry_value(value, entry.end())}
            mapping_indent = " " * start
            listed.append(mapping)
            nodes += 2
        else:
            mapping = None
            listed.append(_scalar(value))
            nodes += 1
        places.append((number, start + 1))
    if listed is not None:
        _close(data, positions, bare, listed, places, indent)
    if nodes > MAX_NODES:
        raise _NotModelled  # the reference reports the limit
    return FrontMatterResult(data, positions, ())


def _close(
    data: dict[str, Any],
    positions: dict[str, FieldPosition],
    key: str | None,
    values: list[Any],
    places: list[tuple[int, int]],
    indent: int,
) -> None:
    """The block list below `key` is read: its values, and where it and they start."""
    assert key is not None
    data[key] = values
    positions[key] = FieldPosition(positions[key].line, 1, places[0][0], indent + 1, tuple(places))


def _entry_value(line: str, start: int) -> Any:
    """The value of a key of a mapping in a list: on its line, one scalar (an empty one
    may open a block below it, which is not modelled)."""
    if start == len(line) or line[start] == "[":
        raise _NotModelled
    return _scalar(line[start:])


def _scalar(text: str) -> Any:
    """The value of a one-line scalar (`text` is not empty and starts with no blank)."""
    first = text[0]
    if first in _NOT_PLAIN:
        quoted = _QUOTED.get(first)
        found = quoted.match(text) if quoted is not None else None
        if found is None:
            raise _NotModelled
        return found.group(1)
    text = text.rstrip(" ")
    if ": " in text or text[-1] == ":":
        raise _NotModelled  # a mapping, or a key without a value
    return resolve_plain(text)


def _flow(text: str, line: int, column: int) -> tuple[list[Any], tuple[tuple[int, int], ...]]:
    """The values of a one-line flow list (`text` starts with `[`) and their positions;
    `column` is the 1-based column of the `[`."""
    if _EMPTY_FLOW.match(text):
        return [], ()
    values: list[Any] = []
    places: list[tuple[int, int]] = []
    at = 1
    match = _FLOW_ITEM.match
    while True:
        found = match(text, at)
        if found is None:
            raise _NotModelled
        quoted, plain, end = found.groups()
        values.append(quoted if quoted is not None else resolve_plain(plain))
        start = found.start(1) - 1 if quoted is not None else found.start(2)
        places.append((line, column + start))
        at = found.end()
        if end == "]":
            if text[at:].strip(" "):
                raise _NotModelled
            return values, tuple(places)
