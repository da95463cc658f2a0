"""Document symbols: the front matter's fields, then the headings, nested by level, so an
outline shows an interview's Preparation, Questions, Notes and Reflection."""

from __future__ import annotations

from lsprotocol import types

from ..core.model import Interview, Note
from ..core.parse import front_matter_bounds
from ..core.sections import REFLECTION, heading_name
from ..formats.safetext import printable
from .convert import Lines


def _section_detail(note: Note, heading: str) -> str | None:
    """What an interview's section holds, said in a few words."""
    if not isinstance(note, Interview):
        return None
    section = heading_name(heading)
    body = note.parsed.body
    if section == "preparation":
        done = sum(1 for task in body.tasks if task.checked)
        return f"{done} of {len(body.tasks)} tasks done"
    if section == "questions":
        return f"{len(note.questions)} questions"
    if section == REFLECTION:
        return "written" if body.reflection_written else "not written yet"
    return None


def _front_matter(note: Note, lines: Lines) -> list[types.DocumentSymbol]:
    bounds = front_matter_bounds(lines.lines)
    if bounds is None:
        return []
    closing = bounds[1] if bounds[1] >= 0 else len(lines.lines) - 1
    keys = sorted(note.parsed.positions.items(), key=lambda item: item[1].line)
    children = []
    for position, (key, where) in enumerate(keys):
        line = where.line - 1
        last = keys[position + 1][1].line - 2 if position + 1 < len(keys) else closing - 1
        last = max(last, line)
        children.append(
            types.DocumentSymbol(
                name=printable(key) or "(empty key)",
                kind=types.SymbolKind.Field,
                range=types.Range(
                    start=lines.position(line, 0), end=lines.position(last, lines.line_end(last))
                ),
                selection_range=lines.range(line, where.column - 1, lines.line_end(line)),
            )
        )
    return [
        types.DocumentSymbol(
            name="front matter",
            detail=note.kind,
            kind=types.SymbolKind.Object,
            range=types.Range(
                start=lines.position(0, 0), end=lines.position(closing, lines.line_end(closing))
            ),
            selection_range=lines.range(0, 0, lines.line_end(0)),
            children=children,
        )
    ]


def document_symbols(note: Note, lines: Lines) -> list[types.DocumentSymbol]:
    """The outline of a note."""
    found = _front_matter(note, lines)
    last_line = max(len(lines.lines) - 1, 0)
    headings = note.parsed.body.headings
    # (level, symbol, its children) of the headings still open at the current line
    open_: list[tuple[int, types.DocumentSymbol, list[types.DocumentSymbol]]] = []
    ends: list[int] = []
    for position, (level, _text, line) in enumerate(headings):
        end = last_line
        for later_level, _, later_line in headings[position + 1 :]:
            if later_level <= level:
                end = later_line - 2
                break
        ends.append(max(end, line - 1))
    for (level, text, line), end in zip(headings, ends, strict=True):
        start = line - 1
        symbol = types.DocumentSymbol(
            name=printable(text) or "(untitled)",
            detail=_section_detail(note, text),
            kind=types.SymbolKind.Namespace,
            range=types.Range(
                start=lines.position(start, 0), end=lines.position(end, lines.line_end(end))
            ),
            selection_range=lines.range(start, 0, lines.line_end(start)),
            children=[],
        )
        while open_ and open_[-1][0] >= level:
            open_.pop()
        (open_[-1][2] if open_ else found).append(symbol)
        open_.append((level, symbol, symbol.children))  # type: ignore[arg-type]
    return found
