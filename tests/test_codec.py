"""Cache records: every ParsedNote reads back exactly, whatever fields the records have."""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from infoint_notes.core.model import ParsedNote
from infoint_notes.speed import codec

#: What YAML front matter holds: text keys, lists, text, numbers, booleans, None.
_PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


def values_of(hint: Any) -> st.SearchStrategy[Any]:
    """Values of a type hint, records built field by field: a field added to any record
    is generated without a change here."""
    if dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        return st.builds(
            hint, **{item.name: values_of(hints[item.name]) for item in dataclasses.fields(hint)}
        )
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple and args[-1:] == (Ellipsis,):
        return st.lists(values_of(args[0]), max_size=3).map(tuple)
    if origin is tuple:
        return st.tuples(*map(values_of, args))
    if origin is dict:
        return st.dictionaries(st.text(), values_of(args[1]), max_size=3)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([values_of(arg) for arg in args])
    simple = {str: st.text(), int: st.integers(), bool: st.booleans(), bytes: st.binary()}
    if hint is type(None):
        return st.none()
    if hint is Any:
        return _PLAIN
    return simple[hint]


@settings(max_examples=300, deadline=None)
@given(values_of(ParsedNote))
def test_every_parse_result_reads_back_exactly(parsed: ParsedNote) -> None:
    assert codec.decode(codec.encode(parsed)) == parsed


def _records(cls: type) -> list[type]:
    """`cls` and every record type its fields hold, at any depth."""
    found = [cls]
    for hint in typing.get_type_hints(cls).values():
        stack = [hint]
        while stack:
            current = stack.pop()
            if dataclasses.is_dataclass(current) and current not in found:
                found.extend(record for record in _records(current) if record not in found)
            stack.extend(typing.get_args(current))
    return found


def test_the_codec_writes_every_field_of_every_record() -> None:
    records = _records(ParsedNote)
    assert {record.__name__ for record in records} >= {
        "ParsedNote",
        "BodyScan",
        "BodyLink",
        "ListEntry",
        "FieldPosition",
        "Diagnostic",
    }
    for record in records:
        for item in dataclasses.fields(record):
            assert f".{item.name}" in codec.ENCODE_SOURCE, (record.__name__, item.name)
        if record is not ParsedNote:
            assert f"_{record.__name__}(" in codec.DECODE_SOURCE


@dataclass(frozen=True)
class _Leaf:
    text: str
    seen: bool | None = None


@dataclass(frozen=True)
class _Branch:
    """A record of a shape ParsedNote does not have yet: what a new field may bring."""

    leaves: tuple[_Leaf, ...]
    by_name: dict[str, _Leaf]
    maybe: _Leaf | None
    pair: tuple[int, str]
    data: dict[str, Any] | None = None
    extra: tuple[tuple[_Leaf, ...], ...] = field(default=())


@settings(max_examples=200, deadline=None)
@given(values_of(_Branch))
def test_a_new_kind_of_field_needs_no_change_to_the_codec(branch: _Branch) -> None:
    import marshal

    to_plain, from_plain, _, _ = codec._compile(_Branch)
    assert from_plain(marshal.loads(marshal.dumps(to_plain(branch)))) == branch
