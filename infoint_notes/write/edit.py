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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.parse import decode, front_matter_bounds
from ..core.yamlread import load_front_matter
from .atomic import FirstRead, Written, read_snapshot, refuse_if_changed, write_snapshot
from .frontlines import (
    ITEM,
    KEY_LINE,
    CannotEdit,
    EditError,
    Front,
    Span,
    comment_start,
    flow_end,
    line_end,
    plain_end,
    split_lines,
    without_end,
)
from .ruamel_edit import ruamel_edit
from .yamlvalues import (
    Change,
    Quoted,
    append_item,
    key_text,
    scalar_text,
    set_item,
    set_key,
    written_value,
)

__all__ = [
    "Change",
    "Draft",
    "EditError",
    "FrontTemplate",
    "Quoted",
    "append_item",
    "edit_bytes",
    "edit_text",
    "scalar_text",
    "set_item",
    "set_key",
    "update_note",
]


# --- the line-level edit ----------------------------------------------------------------


def _text_edit(front: Front, change: Change) -> list[str]:
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
        return [*content, f"{key_text(change.key)}: {scalar_text(value)}"]
    line = content[span.start]
    key = KEY_LINE.match(line)
    if key is None:
        raise CannotEdit
    inner = content[span.start + 1 : span.end]
    if any(text.lstrip().startswith("#") for text in inner):
        raise CannotEdit  # a comment inside the old value would be lost
    value_at = key.end()
    if span.value_start == span.start and span.value_column > value_at:
        value_at = span.value_column
    style = line[value_at] if value_at < len(line) and line[value_at] in "\"'" else ""
    comment_at = comment_start(line, key.end())
    comment = line[comment_at:]
    padding = line[len(line[:comment_at].rstrip()) : comment_at] if comment else ""
    text = scalar_text(value, style=style if isinstance(value, str) else "")
    new_line = f"{line[: key.end()]} {text}{padding}{comment}"
    return [*content[: span.start], new_line, *content[span.end :]]


def _text_append(content: list[str], span: Span, change: Change) -> list[str]:
    line = content[span.start]
    if span.value_start == span.start:  # a flow list on the key line: `key: [a, b]`
        opening = line.find("[", span.value_column)
        if opening != span.value_column or span.end != span.start + 1:
            raise CannotEdit
        closing = flow_end(line, opening) - 1
        inside = line[opening + 1 : closing]
        item = scalar_text(change.value, flow=True)
        if inside.strip():
            last = opening + 1 + len(inside.rstrip())
            new_line = f"{line[:last]}, {item}{line[last:]}"
        else:
            new_line = f"{line[: opening + 1]}{item}{line[closing:]}"
        return [*content[: span.start], new_line, *content[span.start + 1 :]]
    first_item = content[span.items[0][0]] if span.items else ""
    dash = ITEM.match(first_item)
    if dash is None:
        raise CannotEdit
    item = f"{dash.group(1)}-{dash.group(2)}{scalar_text(change.value)}"
    return [*content[: span.end], item, *content[span.end :]]


def _text_set_item(content: list[str], span: Span | None, change: Change) -> list[str]:
    if span is None or change.index >= len(span.items):
        raise CannotEdit
    line_number, column = span.items[change.index]
    line = content[line_number]
    if column >= len(line) or line[column] in "\"'{|>":
        raise CannotEdit  # a quoted, mapping or block item: ruamel's round trip does
    end = flow_end(line, column) if line[column] == "[" else plain_end(line, column)
    new_line = f"{line[:column]}{scalar_text(change.value, flow=True)}{line[end:]}"
    return [*content[:line_number], new_line, *content[line_number + 1 :]]


# --- the guard --------------------------------------------------------------------------


def _splice(front: Front, new: list[str], change: Change) -> tuple[int, int, list[str]] | None:
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
            closing = kept[0].rfind("]", 0, comment_start(kept[0], span.value_column))
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
        start = len(line) - len(line.lstrip()) if whole else comment_start(line, 0)
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


def _reads_back(front: Front, new: list[str], key: str, expected: Any) -> bool:
    result = load_front_matter("\n".join(new), 1)
    if result.problems or result.data is None:
        return False
    data = result.data
    wanted = {**front.data, key: expected}
    return list(data) == list(wanted) and all(_same(data[k], wanted[k]) for k in wanted)


def _expected(front: Front, change: Change) -> Any:
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
    old = [without_end(line) for line in lines[start:end]]
    kept: dict[int, str] = {}
    top = 0
    while top < min(len(old), len(middle)) and old[top] == middle[top]:
        kept[top] = line_end(lines[start + top])
        top += 1
    bottom = 1
    while bottom <= min(len(old), len(middle)) - top and old[-bottom] == middle[-bottom]:
        kept[len(middle) - bottom] = line_end(lines[end - bottom])
        bottom += 1
    eol = line_end(lines[start]) if end > start else default_eol
    if end == start and start > 0:
        eol = line_end(lines[start - 1])
    result = []
    for number, text in enumerate(middle):
        eol = kept.get(number, eol)
        result.append(text + eol)
    if result and eol == "\r" and end < len(lines) and lines[end].startswith("\n"):
        # A lone CR before an empty LF line would read as one CRLF: the empty line lost.
        result[-1] = result[-1][:-1] + line_end(lines[end - 1])
    return result


def _apply(lines: list[str], change: Change, default_eol: str) -> list[str]:
    content = [without_end(line) for line in lines]
    front = Front(content)
    expected = _expected(front, change)
    if change.key in front.data and _same(front.data[change.key], expected):
        return lines  # already so: the file keeps its bytes, whatever their style
    # Both attempts pass the same guard below (only the key's lines change, and it reads
    # back as intended), so the line edit, ~100x cheaper, goes first; ruamel's round trip
    # handles what a line edit cannot (nested and multi-line values).
    for attempt in (_text_edit, ruamel_edit):
        try:
            new = attempt(front, change)
        except CannotEdit:
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
    lines = split_lines(text[len(bom) :])
    bounds = front_matter_bounds([without_end(line) for line in lines])
    if bounds is None or bounds[1] == -1:
        raise EditError("it has no front matter (a block between '---' lines at the top)")
    closing = bounds[1]
    opening_eol = line_end(lines[0]) or "\n"
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
        lines = split_lines(head[len(self.bom) :])
        bounds = front_matter_bounds([without_end(line) for line in lines])
        if bounds is None or bounds[1] == -1:
            raise EditError("it has no front matter (a block between '---' lines at the top)")
        self.opening = lines[0]
        self.closing = "".join(lines[bounds[1] :])
        self.lines = lines[1 : bounds[1]]
        self.eol = line_end(lines[0]) or "\n"
        self.front = Front([without_end(line) for line in self.lines])

    def render(self, changes: Sequence[Change], body: str) -> str:
        """The head with `changes` made, then `body`: `edit_text(head + body, changes)`."""
        try:
            lines, content, intended = self._edited(changes)
        except CannotEdit:
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
        except CannotEdit:
            return None
        return self._draft(lines, intended, body)

    def _draft(self, lines: list[str], intended: dict[str, Any], body: str) -> Draft:
        return Draft(self.bom + self.opening + "".join(lines) + self.closing + body, intended)

    def _edited(self, changes: Sequence[Change]) -> tuple[list[str], list[str], dict[str, Any]]:
        """(front-matter lines with endings, the same without, the values intended)."""
        lines = self.lines
        view = Front.__new__(Front)
        view.content, view.data, view.spans = self.front.content, dict(self.front.data), {}
        view.spans.update(self.front.spans)
        for change in changes:
            if change.action != "set":
                raise CannotEdit
            expected = written_value(change.value)
            if change.key in view.data and _same(view.data[change.key], expected):
                continue  # already so, as `_apply` leaves it
            new = _text_edit(view, change)
            spliced = _splice(view, new, change)
            if spliced is None:
                raise CannotEdit
            start, end, middle = spliced
            lines = [
                *lines[:start],
                *_with_endings(lines, start, end, middle, self.eol),
                *lines[end:],
            ]
            _moved(view, change.key, start, end, new)
            view.data[change.key] = expected
        return lines, view.content, view.data


def _moved(front: Front, key: str, start: int, end: int, new: list[str]) -> None:
    """`front` after its lines `start:end` (key `key`'s) became the one line `new[start]`,
    as a fresh parse would give it: the keys below move up or down, and the key's value
    starts one space after its colon (the line edit writes it so)."""
    delta = len(new) - len(front.content)
    if delta:  # most template keys are one line, and stay one line
        front.spans = {
            other: _shifted(span, delta) if other != key and span.start >= end else span
            for other, span in front.spans.items()
        }
    colon = KEY_LINE.match(new[start])
    if colon is None:
        raise CannotEdit
    front.spans[key] = Span(start, start + 1, start, colon.end() + 1, ())
    front.content = new


def _shifted(span: Span, delta: int) -> Span:
    return Span(
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
