"""Minimal front-matter edits (SPEC 5): a `Change` to one top-level key, nothing else.

Every change to a note's text goes through `edit_text` (`log`, `validate --fix`, and the
notes `new` and `import` fill from templates). Only the lines between the opening and
closing `---` are edited; the body's text never passes through YAML.

1. A plain line-level edit is tried first (set a scalar key, append to a list,
   quote a list item): about a hundred times cheaper than a YAML round trip.
2. When it cannot make the change (nested or multi-line values), ruamel.yaml's round
   trip does, imported lazily so read-only commands never pay for it.
3. Either result must pass the same guard: every line outside the changed key is
   byte-identical, and infoint's own YAML 1.2 reader reads back the old value of every
   other key and exactly the intended one for the changed key. ruamel reflows more than
   it should (list indentation, `~`, `[ a , b ]`, comments); when neither attempt passes,
   the edit is refused with a clear message.
4. Lines keep their own endings (LF, CRLF, a lone CR, or mixed) and the BOM is kept.

Files are read and written by `atomic.py`; `update_note` is the one place here that
touches the disk.
"""

from __future__ import annotations

import codecs
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..core.errors import WriteRefused
from ..core.parse import decode, front_matter_bounds
from ..core.yamlread import MAX_DEPTH, load_front_matter, resolve_plain
from .atomic import FirstRead, Written, read_snapshot, refuse_if_changed, write_snapshot


class EditError(WriteRefused):
    """The change cannot be made without touching more of the file than it should."""


# --- values ---------------------------------------------------------------------------


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
        items.append(f"{_key_text(key)}: {scalar_text(item, flow=True, depth=depth + 1)}")
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


# --- lines ----------------------------------------------------------------------------


#: A line ends at LF, CRLF or a lone CR, as for the reader (parse.split_lines, YAML and
#: markdown-it): splitting otherwise would put the front matter's lines out of step with
#: the positions the reader gives.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> list[str]:
    """Lines with their endings."""
    return _LINE.findall(text)


def _eol(line: str) -> str:
    if line.endswith("\r\n"):
        return "\r\n"
    return line[-1] if line.endswith(("\n", "\r")) else ""


def _strip(line: str) -> str:
    return line[: len(line) - len(_eol(line))]


_KEY_LINE = re.compile(
    r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"][^#]*?)[ \t]*:(?=[ \t]|\Z)"""
)
_ITEM = re.compile(r"( *)-( +)")


@dataclass(frozen=True, slots=True)
class _Span:
    """Where a top-level key sits in the front-matter lines (0-based, end exclusive)."""

    start: int
    end: int  # after the value's last line; trailing comments/blank lines excluded
    value_start: int  # line of the value's first character
    value_column: int  # 0-based column of the value's first character
    items: tuple[tuple[int, int], ...]  # (line, column) of each item of a list value


class _Front:
    """The front-matter lines (without endings) as infoint's reader sees them."""

    def __init__(self, content: list[str]) -> None:
        self.content = content
        result = load_front_matter("\n".join(content), 1)
        if result.problems or result.data is None:
            problem = result.problems[0] if result.problems else None
            where = f" (line {problem.line + 1}: {problem.message})" if problem else ""
            raise EditError(f"its front matter has errors{where}; run 'infoint validate'")
        self.data = result.data
        self.spans: dict[str, _Span] = {}
        starts = sorted((pos.line - 1, key) for key, pos in result.positions.items())
        for number, (start, key) in enumerate(starts):
            end = starts[number + 1][0] if number + 1 < len(starts) else len(content)
            while end > start + 1 and _trivia(content[end - 1]):
                end -= 1
            pos = result.positions[key]
            items = tuple((line - 1, column - 1) for line, column in pos.items)
            self.spans[key] = _Span(start, end, pos.value_line - 1, pos.value_column - 1, items)


def _trivia(line: str) -> bool:
    """A blank line or a comment at column 0: between keys, not part of a value."""
    return not line.strip() or line.startswith("#")


def _comment_start(text: str, start: int) -> int:
    """Index of a ` #` comment in `text` after `start` (quotes respected), else len(text)."""
    if text.find("#", start) < 0:
        return len(text)
    quote = ""
    index = start
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'" and (index == start or text[index - 1] in " \t[{,"):
            quote = char
        elif char == "#" and index > 0 and text[index - 1] in " \t":
            return index
        index += 1
    return len(text)


def _flow_end(text: str, start: int) -> int:
    """Index just after the flow collection that opens at `text[start]` (`[` or `{`)."""
    depth = 0
    quote = ""
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            if char == quote and (quote == "'" or text[index - 1] != "\\"):
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return index + 1
    raise _CannotEdit


class _CannotEdit(Exception):
    """This way of editing does not handle the case; try the next one."""


# --- the line-level edit ----------------------------------------------------------------


def _text_edit(front: _Front, change: Change) -> list[str]:
    content = list(front.content)
    span = front.spans.get(change.key)
    old = front.data.get(change.key)
    if change.action == "item":
        return _text_set_item(content, span, change)
    if change.action == "append":
        if span is not None and isinstance(old, list) and old:
            return _text_append(content, span, change)
        value: Any = [change.value]
    else:
        value = change.value
    if span is None:
        # A new key goes after the last line of the front matter, as ruamel puts it.
        return [*content, f"{_key_text(change.key)}: {scalar_text(value)}"]
    line = content[span.start]
    key = _KEY_LINE.match(line)
    if key is None:
        raise _CannotEdit
    inner = content[span.start + 1 : span.end]
    if any(text.lstrip().startswith("#") for text in inner):
        raise _CannotEdit  # a comment inside the old value would be lost
    value_at = key.end()
    if span.value_start == span.start and span.value_column > value_at:
        value_at = span.value_column
    style = line[value_at] if value_at < len(line) and line[value_at] in "\"'" else ""
    comment_at = _comment_start(line, key.end())
    comment = line[comment_at:]
    padding = line[len(line[:comment_at].rstrip()) : comment_at] if comment else ""
    text = scalar_text(value, style=style if isinstance(value, str) else "")
    new_line = f"{line[: key.end()]} {text}{padding}{comment}"
    return [*content[: span.start], new_line, *content[span.end :]]


def _key_text(key: str) -> str:
    return key if plain_ok(key, flow=True) else double_quoted(key)


def _text_append(content: list[str], span: _Span, change: Change) -> list[str]:
    line = content[span.start]
    if span.value_start == span.start:  # a flow list on the key line: `key: [a, b]`
        opening = line.find("[", span.value_column)
        if opening != span.value_column or span.end != span.start + 1:
            raise _CannotEdit
        closing = _flow_end(line, opening) - 1
        inside = line[opening + 1 : closing]
        item = scalar_text(change.value, flow=True)
        if inside.strip():
            last = opening + 1 + len(inside.rstrip())
            new_line = f"{line[:last]}, {item}{line[last:]}"
        else:
            new_line = f"{line[: opening + 1]}{item}{line[closing:]}"
        return [*content[: span.start], new_line, *content[span.start + 1 :]]
    first_item = content[span.items[0][0]] if span.items else ""
    dash = _ITEM.match(first_item)
    if dash is None:
        raise _CannotEdit
    item = f"{dash.group(1)}-{dash.group(2)}{scalar_text(change.value)}"
    return [*content[: span.end], item, *content[span.end :]]


def _text_set_item(content: list[str], span: _Span | None, change: Change) -> list[str]:
    if span is None or change.index >= len(span.items):
        raise _CannotEdit
    line_number, column = span.items[change.index]
    line = content[line_number]
    if column >= len(line) or line[column] != "[":
        raise _CannotEdit  # only a flow item (`[[x]]`) is replaced in place
    end = _flow_end(line, column)
    new_line = f"{line[:column]}{scalar_text(change.value, flow=True)}{line[end:]}"
    return [*content[:line_number], new_line, *content[line_number + 1 :]]


# --- the ruamel.yaml edit ---------------------------------------------------------------

_OPENER = re.compile(r"( *)[^\s#-].*:[ \t]*(?:#.*)?\Z")
_CHILD_KEY = re.compile(r"( *)[^\s#-][^:]*:(?:[ \t]|\Z)")


def _guess_indent(content: list[str]) -> tuple[int, int, int]:
    """(mapping, sequence, offset) indentation as this file writes them."""
    mapping = sequence = offset = 0
    previous = None
    for line in content:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        opener = _OPENER.match(previous) if previous is not None else None
        if opener:
            parent = len(opener.group(1))
            item = _ITEM.match(line)
            child = _CHILD_KEY.match(line)
            if item and not sequence and len(item.group(1)) >= parent:
                offset = len(item.group(1)) - parent
                sequence = offset + 1 + len(item.group(2))
            elif child and not mapping and len(child.group(1)) > parent:
                mapping = len(child.group(1)) - parent
        previous = line
    if not sequence:
        sequence, offset = 4, 2  # Obsidian's own style: `  - item`
    return mapping or 2, max(sequence, offset + 2), offset


def _ruamel_edit(front: _Front, change: Change) -> list[str]:
    try:  # ruamel.yaml takes 30 ms to load: only edits a line edit cannot make need it
        from ruamel.yaml import YAML
        from ruamel.yaml.comments import CommentedMap, CommentedSeq
        from ruamel.yaml.nodes import ScalarNode
        from ruamel.yaml.representer import RoundTripRepresenter
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString
    except ImportError as exc:  # pragma: no cover - ruamel.yaml is a dependency
        raise _CannotEdit from exc

    class Verbatim(str):
        """Text written plain exactly as given (we checked that it reads back)."""

    class Representer(RoundTripRepresenter):
        pass

    def represent_verbatim(self: Any, data: Verbatim) -> Any:
        # Tag it as ruamel would resolve the text, so the emitter sees no need to quote.
        tag = self.dumper.resolver.resolve(ScalarNode, str(data), (True, False))
        return self.represent_scalar(tag, str(data), style=None)

    Representer.add_representer(Verbatim, represent_verbatim)

    def convert(value: Any, old: Any = None, flow: bool = False) -> Any:
        if isinstance(value, Quoted):
            return DoubleQuotedScalarString(value.text)
        if isinstance(value, (date, datetime)):
            return Verbatim(when_text(value))
        if isinstance(value, list):
            seq = CommentedSeq(convert(item, flow=True) for item in value)
            seq.fa.set_flow_style()
            return seq
        if isinstance(value, dict):
            mapping = CommentedMap((key, convert(item, flow=True)) for key, item in value.items())
            mapping.fa.set_flow_style()
            return mapping
        if isinstance(value, str):
            if isinstance(old, DoubleQuotedScalarString):
                return DoubleQuotedScalarString(value)
            if isinstance(old, SingleQuotedScalarString):
                return SingleQuotedScalarString(value)
            return Verbatim(value) if plain_ok(value, flow) else DoubleQuotedScalarString(value)
        return value

    yaml = YAML()
    yaml.Representer = Representer
    yaml.preserve_quotes = True
    yaml.width = 1 << 30  # never wrap a long line
    mapping, sequence, offset = _guess_indent(front.content)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    try:
        data = yaml.load("".join(line + "\n" for line in front.content))
    except Exception as exc:  # ruamel is stricter than our reader in places
        raise _CannotEdit from exc
    if not isinstance(data, CommentedMap):
        raise _CannotEdit
    old = data.get(change.key)
    if change.action == "set":
        if isinstance(old, (DoubleQuotedScalarString, SingleQuotedScalarString)) and not (
            isinstance(change.value, str)
        ):
            raise _CannotEdit  # ruamel would keep the quotes around a date or a number
        data[change.key] = convert(change.value, old)
    elif change.action == "append":
        if isinstance(old, CommentedSeq):
            old.append(convert(change.value, flow=old.fa.flow_style()))
        else:
            data[change.key] = convert([change.value])
    else:
        if not isinstance(old, CommentedSeq) or change.index >= len(old):
            raise _CannotEdit
        old[change.index] = convert(change.value, flow=old.fa.flow_style())
    out = io.StringIO()
    try:
        yaml.dump(data, out)
    except Exception as exc:
        raise _CannotEdit from exc
    lines = out.getvalue().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if lines and lines[-1] == "..." and (not front.content or front.content[-1] != "..."):
        lines.pop()
    return lines


# --- the guard --------------------------------------------------------------------------


def _splice(front: _Front, new: list[str], change: Change) -> tuple[int, int, list[str]] | None:
    """(start, end, lines) when `new` is the old lines with only `old[start:end]` replaced
    by `lines`, the changed key's own lines; None when anything else moved."""
    old = front.content
    span = front.spans.get(change.key)
    if span is None:  # an inserted key: the old lines with a block added somewhere
        added = len(new) - len(old)
        start = 0
        while start < len(old) and start < len(new) and old[start] == new[start]:
            start += 1
        if added < 1 or new[start + added :] != old[start:]:
            return None
        return start, start, new[start : start + added]
    tail = old[span.end :]
    middle_end = len(new) - len(tail)
    if new[: span.start] != old[: span.start] or middle_end <= span.start:
        return None
    if new[middle_end:] != tail:
        return None
    middle = new[span.start : middle_end]
    kept = old[span.start : span.end]
    if not _comments_kept(kept, middle, every=change.action != "set"):
        return None  # a comment of the changed key was moved or dropped
    if change.action == "item":
        if len(middle) != len(kept) or sum(a != b for a, b in zip(middle, kept, strict=True)) > 1:
            return None  # only the item's own line may change
    elif change.action == "append" and isinstance(front.data.get(change.key), list):
        if span.value_start > span.start:  # a block list: the old items stay as they were
            if middle[: len(kept)] != kept:
                return None
        else:  # a flow list stays on its line, and its old items as they were written
            closing = kept[0].rfind("]", 0, _comment_start(kept[0], span.value_column))
            if closing < 0 or len(middle) != 1:
                return None  # a flow list over several lines: too odd to touch
            if not middle[0].startswith(kept[0][:closing].rstrip()):
                return None
    return span.start, span.end, middle


def _comments(lines: list[str], every: bool = True) -> list[tuple[str, int, str]]:
    """(text, column, the spaces before it) of each comment; with every=False only the
    first line's comment and whole-line comments (those of list items go with the items)."""
    found = []
    for number, line in enumerate(lines):
        whole = line.lstrip().startswith("#")
        if not (every or whole or number == 0):
            continue
        start = len(line) - len(line.lstrip()) if whole else _comment_start(line, 0)
        if start < len(line):
            padding = line[:start] if whole else line[len(line[:start].rstrip()) : start]
            found.append((line[start:].rstrip(), start, padding))
    return found


def _comments_kept(old: list[str], new: list[str], every: bool) -> bool:
    """Every comment of `old` is in `new`, in order, with the spaces before it."""
    if not any("#" in line for line in old):
        return True  # most keys have none: spare scanning every character
    remaining = iter(_comments(new))
    for text, _, padding in _comments(old, every):
        if not any(text == other and padding == spaces for other, _, spaces in remaining):
            return False
    return True


def _same(a: Any, b: Any) -> bool:
    """Equal values of equal types (True is not 1; nan is nan)."""
    return repr(a) == repr(b)


def _reads_back(front: _Front, new: list[str], key: str, expected: Any) -> bool:
    result = load_front_matter("\n".join(new), 1)
    if result.problems or result.data is None:
        return False
    data = result.data
    wanted = {**front.data, key: expected}
    return list(data) == list(wanted) and all(_same(data[k], wanted[k]) for k in wanted)


def _expected(front: _Front, change: Change) -> Any:
    value = written_value(change.value)
    if change.action == "set":
        return value
    old = front.data.get(change.key)
    if old is None and change.action == "append":
        return [value]
    if not isinstance(old, list):
        raise EditError(f"'{change.key}' is not a list; edit it by hand")
    if change.action == "append":
        return [*old, value]
    if change.index >= len(old):
        raise EditError(f"'{change.key}' has no item {change.index + 1}")
    return [*old[: change.index], value, *old[change.index + 1 :]]


def _with_endings(
    lines: list[str], start: int, end: int, middle: list[str], default_eol: str
) -> list[str]:
    """The new lines of a key with endings: a line that was there keeps its own ending
    (matched from the top, then from the bottom); a new line takes the ending of the
    line before it."""
    old = [_strip(line) for line in lines[start:end]]
    kept: dict[int, str] = {}
    top = 0
    while top < min(len(old), len(middle)) and old[top] == middle[top]:
        kept[top] = _eol(lines[start + top])
        top += 1
    bottom = 1
    while bottom <= min(len(old), len(middle)) - top and old[-bottom] == middle[-bottom]:
        kept[len(middle) - bottom] = _eol(lines[end - bottom])
        bottom += 1
    eol = _eol(lines[start]) if end > start else default_eol
    if end == start and start > 0:
        eol = _eol(lines[start - 1])
    result = []
    for number, text in enumerate(middle):
        eol = kept.get(number, eol)
        result.append(text + eol)
    if result and eol == "\r" and end < len(lines) and lines[end].startswith("\n"):
        # A lone CR before an empty LF line would read as one CRLF: the empty line lost.
        result[-1] = result[-1][:-1] + _eol(lines[end - 1])
    return result


def _apply(lines: list[str], change: Change, default_eol: str) -> list[str]:
    content = [_strip(line) for line in lines]
    front = _Front(content)
    expected = _expected(front, change)
    if change.key in front.data and _same(front.data[change.key], expected):
        return lines  # already so: the file keeps its bytes, whatever their style
    # Both attempts pass the same guard below (only the key's lines change, and it reads
    # back as intended), so the line edit, ~100x cheaper, goes first; ruamel's round trip
    # handles what a line edit cannot (nested and multi-line values).
    for attempt in (_text_edit, _ruamel_edit):
        try:
            new = attempt(front, change)
        except _CannotEdit:
            continue
        spliced = _splice(front, new, change)
        if spliced is None or not _reads_back(front, new, change.key, expected):
            continue
        start, end, middle = spliced
        return [
            *lines[:start],
            *_with_endings(lines, start, end, middle, default_eol),
            *lines[end:],
        ]
    raise EditError(
        f"cannot change '{change.key}' without touching other lines of the front matter; "
        "edit it by hand"
    )


def edit_text(text: str, changes: Sequence[Change]) -> str:
    """`text` (a whole note, BOM included) with `changes` made to its front matter."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = _lines(text[len(bom) :])
    bounds = front_matter_bounds([_strip(line) for line in lines])
    if bounds is None or bounds[1] == -1:
        raise EditError("it has no front matter (a block between '---' lines at the top)")
    closing = bounds[1]
    opening_eol = _eol(lines[0]) or "\n"
    front = lines[1:closing]
    for change in changes:
        front = _apply(front, change, opening_eol)
    return bom + lines[0] + "".join(front) + "".join(lines[closing:])


@dataclass(frozen=True, slots=True)
class Draft:
    """A note made by `FrontTemplate.draft`, not yet read back."""

    text: str
    #: Every front-matter value, in order, as the changes meant it to read back.
    intended: dict[str, Any]

    def reads_back(self, data: dict[str, Any] | None) -> bool:
        """Whether `data`, the note's front matter as the reader gives it, is what every
        change intended (and so the guarded edits would have made the same bytes)."""
        if data is None or list(data) != list(self.intended):
            return False
        return all(_same(data[key], value) for key, value in self.intended.items())


class FrontTemplate:
    """A note's head (opening line, front matter, closing line) that many notes start
    from, each with its own `set` changes and body: `infoint import` makes thousands of
    notes from one template.

    `edit_text` parses the front matter twice per change (to find the key, then to check
    the result reads back). Here the head is parsed once; each note's changes are made
    by the same line edits, each checked by the same splice guard, and the finished
    front matter is read back once and compared with what every change intended. Any
    case that path does not take (a change other than `set`, a key the line edit cannot
    rewrite, a result that reads back otherwise) gets `edit_text` itself, so a note is
    always exactly what `edit_text` makes of the template and its body.
    """

    def __init__(self, head: str) -> None:
        self.head = head
        self.bom = "\ufeff" if head.startswith("\ufeff") else ""
        lines = _lines(head[len(self.bom) :])
        bounds = front_matter_bounds([_strip(line) for line in lines])
        if bounds is None or bounds[1] == -1:
            raise EditError("it has no front matter (a block between '---' lines at the top)")
        self.opening = lines[0]
        self.closing = "".join(lines[bounds[1] :])
        self.lines = lines[1 : bounds[1]]
        self.eol = _eol(lines[0]) or "\n"
        self.front = _Front([_strip(line) for line in self.lines])

    def render(self, changes: Sequence[Change], body: str) -> str:
        """The head with `changes` made, then `body`: `edit_text(head + body, changes)`."""
        try:
            lines, content, intended = self._edited(changes)
        except _CannotEdit:
            return edit_text(self.head + body, changes)
        draft = self._draft(lines, intended, body)
        result = load_front_matter("\n".join(content), 1)
        if result.problems or not draft.reads_back(result.data):
            return edit_text(self.head + body, changes)
        return draft.text

    def draft(self, changes: Sequence[Change], body: str) -> Draft | None:
        """The note the line edits make, for a caller that reads it back itself (an
        import parses each new note anyway) and calls `render` when `Draft.reads_back`
        says no; None when the line edits cannot make it (then `render`)."""
        try:
            lines, _, intended = self._edited(changes)
        except _CannotEdit:
            return None
        return self._draft(lines, intended, body)

    def _draft(self, lines: list[str], intended: dict[str, Any], body: str) -> Draft:
        return Draft(self.bom + self.opening + "".join(lines) + self.closing + body, intended)

    def _edited(self, changes: Sequence[Change]) -> tuple[list[str], list[str], dict[str, Any]]:
        """(front-matter lines with endings, the same without, the values intended)."""
        lines = self.lines
        view = _Front.__new__(_Front)
        view.content, view.data, view.spans = self.front.content, dict(self.front.data), {}
        view.spans.update(self.front.spans)
        for change in changes:
            if change.action != "set":
                raise _CannotEdit
            expected = written_value(change.value)
            if change.key in view.data and _same(view.data[change.key], expected):
                continue  # already so, as `_apply` leaves it
            new = _text_edit(view, change)
            spliced = _splice(view, new, change)
            if spliced is None:
                raise _CannotEdit
            start, end, middle = spliced
            lines = [
                *lines[:start],
                *_with_endings(lines, start, end, middle, self.eol),
                *lines[end:],
            ]
            _moved(view, change.key, start, end, new)
            view.data[change.key] = expected
        return lines, view.content, view.data


def _moved(front: _Front, key: str, start: int, end: int, new: list[str]) -> None:
    """`front` after its lines `start:end` (key `key`'s) became the one line `new[start]`,
    as a fresh parse would give it: the keys below move up or down, and the key's value
    starts one space after its colon (the line edit writes it so)."""
    delta = len(new) - len(front.content)
    if delta:  # most template keys are one line, and stay one line
        front.spans = {
            other: _shifted(span, delta) if other != key and span.start >= end else span
            for other, span in front.spans.items()
        }
    colon = _KEY_LINE.match(new[start])
    if colon is None:
        raise _CannotEdit
    front.spans[key] = _Span(start, start + 1, start, colon.end() + 1, ())
    front.content = new


def _shifted(span: _Span, delta: int) -> _Span:
    return _Span(
        span.start + delta,
        span.end + delta,
        span.value_start + delta,
        span.value_column,
        tuple((line + delta, column) for line, column in span.items),
    )


def edit_bytes(raw: bytes, changes: Sequence[Change]) -> bytes:
    """The bytes of a note with `changes` made; the rest is byte-identical."""
    text, unreadable = decode(raw)
    if text is None:
        raise EditError(unreadable or "unreadable")
    bom = "\ufeff" if raw.startswith(codecs.BOM_UTF8) else ""
    return edit_text(bom + text, changes).encode("utf-8")


# --- files ------------------------------------------------------------------------------


def update_note(
    path: Path, root: Path, changes: Sequence[Change], first: FirstRead | None
) -> Written | None:
    """Make `changes` to the note at `path`, which must still be as the command first
    read it (`first`; None: as it is now). None when the file already said so."""
    snapshot = read_snapshot(path, root)
    if first is not None:
        refuse_if_changed(snapshot, first)
    try:
        data = edit_bytes(snapshot.raw, changes)
    except ValueError as exc:
        raise EditError(f"{snapshot.shown}: {exc}") from exc
    return write_snapshot(snapshot, data)
