"""Read front matter as YAML 1.2 (core schema) on libyaml's C parser, with positions.

PyYAML alone reads YAML 1.1 (`NO` is false, `12:30` is 750) and ruamel.yaml reads 1.2 but
is slow. So libyaml composes the node tree (fast, in C), every plain scalar comes back
untagged through `resolve()`, and `_Builder` gives it the YAML 1.2 core-schema meaning
while it walks the tree. Walking ourselves is also where the limits live: nesting depth,
alias expansion, duplicate keys, and tags we refuse to construct. Dates stay strings
here; date fields are interpreted by `notes.py`.
"""

from __future__ import annotations

import operator
import re
import sys
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .model import FieldPosition
from .yamlscalars import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    FrontMatterResult,
    NumberTooLarge,
    YamlProblem,
    integer,
    resolve_plain,
)

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "FrontMatterResult",
    "NumberTooLarge",
    "YamlProblem",
    "integer",
    "load_front_matter",
    "resolve_plain",
]

try:  # libyaml is almost always there; the pure-Python parser gives the same answers.
    from yaml._yaml import CParser as _Parser

    def _make_parser(text: str) -> Any:
        return _Parser(text)

except ImportError:  # pragma: no cover - exercised only without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _PyParser(Reader, Scanner, Parser, Composer):
        def __init__(self, text: str) -> None:
            Reader.__init__(self, text)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

        def dispose(self) -> None:
            pass

    _Parser = _PyParser

    def _make_parser(text: str) -> Any:
        return _PyParser(text)


_PLAIN = "!infoint/plain"
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

_BRACKETS = re.compile(r"[\[\]{}]")
# `tags: #a #b` is a key with an empty value and a comment: the tags are silently lost.
_HASHTAGS_AFTER_KEY = re.compile(r"\s*:\s+((?:#[^\s#]+[ \t]*)+)\Z")


class _Composer(_Parser):
    """libyaml's parser and composer; every untagged scalar is resolved by us later."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is SequenceNode else _MAP

    # Path-based resolvers are a PyYAML feature we do not use; the composer still calls these
    # twice per node and ignores what they return, so C builtins that do nothing stand in
    # for them (cheaper to call than Python no-ops).
    descend_resolver = staticmethod(operator.is_)  # (current_node, current_index)
    ascend_resolver = staticmethod(tuple)  # ()


class _Abort(Exception):
    """Stops the walk: the front matter breaks a limit and is not processed."""

    def __init__(self, node: Node, message: str) -> None:
        super().__init__(message)
        self.node = node


def _resolve_tagged(node: ScalarNode) -> Any:
    """A scalar with an explicit standard tag (`!!str 12`, `!!int "3"`)."""
    tag = node.tag.rsplit(":", 1)[-1]
    if tag == "str" or tag == "timestamp":
        return node.value
    if tag not in ("int", "float", "bool", "null"):
        raise _Abort(node, f"tag !!{tag} is not supported; remove it")
    value = resolve_plain(node.value)
    valid = {
        "int": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, (int, float)) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
        "null": value is None,
    }[tag]
    if not valid:
        raise _Abort(node, f"{node.value!r} is not a valid !!{tag}")
    return float(value) if tag == "float" else value


def _unsupported(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"tag {shown} is not supported; infoint never constructs tagged values"


class _Builder:
    """Turns a composed node tree into plain Python values, enforcing the limits."""

    def __init__(self, first_line: int, subject: str) -> None:
        self.first_line = first_line
        self.subject = subject
        self.nodes = 0
        #: Problems that do not stop reading (duplicate keys, values lost to comments).
        self.duplicates: list[YamlProblem] = []

    def position(self, node: Node) -> tuple[int, int]:
        mark = node.start_mark
        return (mark.line + self.first_line, mark.column + 1)

    def build(self, node: Node, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Abort(
                node, f"{self.subject} expands to more than {MAX_NODES:,} values (aliases)"
            )
        if depth > MAX_DEPTH:
            raise _Abort(node, f"{self.subject} is nested deeper than {MAX_DEPTH} levels")
        tag = node.tag
        if isinstance(node, ScalarNode):
            try:
                if tag == _PLAIN:
                    return resolve_plain(node.value)
                if tag.startswith("tag:yaml.org,2002:") and tag != _STR:
                    return _resolve_tagged(node)
            except NumberTooLarge as exc:
                raise _Abort(node, str(exc)) from None
            if tag == _STR:
                return node.value
            raise _Abort(node, _unsupported(tag))
        if tag not in (_SEQ, _MAP):
            raise _Abort(node, _unsupported(tag))
        if isinstance(node, SequenceNode):
            return [self.build(item, depth + 1) for item in node.value]
        return self.build_mapping(node, depth)

    def key_text(self, key_node: Node, depth: int) -> str:
        if isinstance(key_node, ScalarNode):
            return key_node.value
        # Obsidian reads `[[x]]: y` as nonsense too; a complex key is never meant.
        raise _Abort(key_node, "a key must be plain text; quote it")

    def build_mapping(self, node: MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.key_text(key_node, depth)
            if key in result:
                line, column = self.position(key_node)
                self.duplicates.append(
                    YamlProblem("duplicate-key", line, column, f"key '{key}' appears twice")
                )
            result[key] = self.build(value_node, depth + 1)
        return result


def _flow_too_deep(text: str) -> bool:
    """libyaml's composer recurses in C and crashes on ~30,000 nested `[`; refuse first."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        else:
            depth = max(0, depth - 1)
    return False


_HINTS = (
    ("mapping values are not allowed", "quote the value if it contains ': '"),
    ("cannot start any token", "quote the value"),
    ("expected <block end>, but found ','", 'quote each link: ["[[a]]", "[[b]]"]'),
    ("found undefined alias", "quote the value if it starts with '*'"),
    ("found character '\\t'", "indent with spaces, not tabs"),
)


def _hint(problem: str) -> str:
    for needle, hint in _HINTS:
        if needle in problem:
            return f" ({hint})"
    return ""


def load_front_matter(
    text: str, first_line: int, subject: str = "front matter"
) -> FrontMatterResult:
    """Parse front-matter text whose first line is line `first_line` (1-based) of the file.
    `subject` is what messages call the text (`infoint.yaml` is a whole file)."""
    # A character is at most 4 bytes in UTF-8: most front matter needs no encoding to tell.
    if len(text) * 4 > MAX_BYTES and len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return _fail(first_line, 1, f"{subject} is larger than {MAX_BYTES // 1024} KiB")
    if _flow_too_deep(text):
        return _fail(first_line, 1, f"{subject} is nested deeper than {MAX_DEPTH} levels")
    parser = _Composer(text)
    try:
        root = parser.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + first_line, mark.column + 1) if mark else (first_line, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        return _fail(line, column, f"{problem}{_hint(problem)}")
    except yaml.reader.ReaderError as exc:
        return _unacceptable(text, first_line, exc)
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        # PyYAML's text goes on with the parser's own position ("in <unicode string>").
        return _fail(first_line, 1, f"invalid YAML: {str(exc).splitlines()[0]}")
    finally:
        parser.dispose()
    if root is None:
        return FrontMatterResult({}, {}, ())
    builder = _Builder(first_line, subject)
    if not isinstance(root, MappingNode):
        line, column = builder.position(root)
        kind = "a list" if isinstance(root, SequenceNode) else "a single value"
        problem = YamlProblem(
            "not-a-mapping", line, column, f"{subject} is {kind}, not a set of 'key: value'"
        )
        return FrontMatterResult(None, {}, (problem,))
    try:
        data, positions = _build_top(builder, root, text)
    except _Abort as exc:
        line, column = builder.position(exc.node)
        return _fail(line, column, str(exc))
    except RecursionError:
        return _fail(first_line, 1, f"{subject} is nested deeper than {MAX_DEPTH} levels")
    return FrontMatterResult(data, positions, tuple(builder.duplicates))


def _lost_hashtags(key_node: Node, value_node: Node, text: str) -> str | None:
    """The `#a #b` of `tags: #a #b`, which YAML reads as a comment after an empty value."""
    # `.value` first: it is non-empty for almost every value, and every node has one.
    if value_node.value or not isinstance(value_node, ScalarNode) or value_node.style:
        return None
    lines = text.split("\n")
    mark = key_node.end_mark
    if mark.line >= len(lines):
        return None
    match = _HASHTAGS_AFTER_KEY.match(lines[mark.line][mark.column :])
    return match.group(1).strip() if match else None


def _build_top(
    builder: _Builder, root: MappingNode, text: str
) -> tuple[dict[str, Any], dict[str, FieldPosition]]:
    data: dict[str, Any] = {}
    positions: dict[str, FieldPosition] = {}
    builder.nodes += 1
    # `_Builder.position`, `key_text` and the plain-scalar case of `build`, inlined: this
    # loop runs for every top-level key of every note.
    first_line = builder.first_line
    build = builder.build
    for key_node, value_node in root.value:
        key = key_node.value if key_node.__class__ is ScalarNode else builder.key_text(key_node, 0)
        mark = key_node.start_mark
        line = mark.line + first_line
        column = mark.column + 1
        if key in data:
            builder.duplicates.append(
                YamlProblem("duplicate-key", line, column, f"key '{key}' appears twice")
            )
        if (
            value_node.__class__ is ScalarNode
            and value_node.tag == _PLAIN
            and builder.nodes < MAX_NODES
        ):
            builder.nodes += 1
            try:
                data[key] = resolve_plain(value_node.value)
            except NumberTooLarge as exc:
                raise _Abort(value_node, str(exc)) from None
        else:
            data[key] = build(value_node, 1)
        mark = value_node.start_mark
        hashtags = _lost_hashtags(key_node, value_node, text) if not value_node.value else None
        if hashtags:
            builder.duplicates.append(
                YamlProblem(
                    "bad-value",
                    line,
                    column,
                    f"'{key}' is empty: YAML reads '{hashtags}' as a comment; write "
                    f"{key}: [{', '.join(tag.lstrip('#') for tag in hashtags.split())}]",
                )
            )
        items: tuple[tuple[int, int], ...] = ()
        if isinstance(value_node, SequenceNode):
            items = tuple(
                [
                    (item.start_mark.line + first_line, item.start_mark.column + 1)
                    for item in value_node.value
                ]
            )
        positions[key] = FieldPosition(line, column, mark.line + first_line, mark.column + 1, items)
    return data, positions


def _unacceptable(text: str, first_line: int, exc: yaml.reader.ReaderError) -> FrontMatterResult:
    """A character YAML refuses to read (ESC, NUL, DEL, a C1 control), at its own line and
    column. The reader stops at the first one in the text, so that is where it is: libyaml
    gives a byte offset of the UTF-8 text and PyYAML a character offset, neither needed."""
    code = exc.character
    at = text.find(chr(code)) if isinstance(code, int) and 0 <= code <= sys.maxunicode else -1
    if at < 0:
        return _fail(first_line, 1, f"invalid YAML: {exc.reason}")
    line_start = text.rfind("\n", 0, at) + 1
    escape = f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
    kind = "control character" if code < 0x20 or 0x7F <= code <= 0x9F else "character"
    return _fail(
        first_line + text.count("\n", 0, at),
        at - line_start + 1,
        f"{kind} U+{code:04X} is not allowed in YAML "
        f'(remove it, or write it as "{escape}" in a double-quoted value)',
    )


def _fail(line: int, column: int, message: str) -> FrontMatterResult:
    return FrontMatterResult(None, {}, (YamlProblem("yaml-syntax", line, column, message),))
