"""The edit a line edit cannot make (nested or multi-line values): ruamel.yaml's round
trip of the front matter, indented as the file indents, checked afterwards by the same
guard as every edit (`edit.py`)."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from typing import Any

from .frontlines import ITEM, CannotEdit, Front
from .yamlvalues import Change, Quoted, plain_ok, when_text

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
            item = ITEM.match(line)
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


def ruamel_edit(front: Front, change: Change) -> list[str]:
    try:  # ruamel.yaml takes 30 ms to load: only edits a line edit cannot make need it
        from ruamel.yaml import YAML
        from ruamel.yaml.comments import CommentedMap, CommentedSeq
        from ruamel.yaml.nodes import ScalarNode
        from ruamel.yaml.representer import RoundTripRepresenter
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString
    except ImportError as exc:  # pragma: no cover - ruamel.yaml is a dependency
        raise CannotEdit from exc

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
        raise CannotEdit from exc
    if not isinstance(data, CommentedMap):
        raise CannotEdit
    old = data.get(change.key)
    if change.action == "set":
        if isinstance(old, (DoubleQuotedScalarString, SingleQuotedScalarString)) and not (
            isinstance(change.value, str)
        ):
            raise CannotEdit  # ruamel would keep the quotes around a date or a number
        data[change.key] = convert(change.value, old)
    elif change.action == "append":
        if isinstance(old, CommentedSeq):
            old.append(convert(change.value, flow=old.fa.flow_style()))
        else:
            data[change.key] = convert([change.value])
    else:
        if not isinstance(old, CommentedSeq) or change.index >= len(old):
            raise CannotEdit
        old[change.index] = convert(change.value, flow=old.fa.flow_style())
    out = io.StringIO()
    try:
        yaml.dump(data, out)
    except Exception as exc:
        raise CannotEdit from exc
    lines = out.getvalue().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if lines and lines[-1] == "..." and (not front.content or front.content[-1] != "..."):
        lines.pop()
    return lines
