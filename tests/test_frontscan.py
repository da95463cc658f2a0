"""The line reader of simple front matter gives libyaml's answer whenever it answers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infoint_notes.core.parse import parse_note
from infoint_notes.core.yamlread import load_front_matter
from infoint_notes.speed.frontscan import read_front_matter, simple_front_matter


def same(text: str, first_line: int = 2) -> bool:
    """Whether the line reader answers exactly as the reference: values (with their
    types), positions and problems."""
    return repr(read_front_matter(text, first_line)) == repr(load_front_matter(text, first_line))


@pytest.mark.parametrize(
    "text",
    [
        'type: contact\nname: Ada A. Bauer\norganization: "[[summit-systems-inc]]"\n'
        "tags: [marketing, network]",
        "a: 1\nb:\nc: x",
        'a:\n  - x\n  - "y"\nb: 2',
        "a:\n- x\n- y\nb: 2",
        'a: [x, "y", z ]\nb:',
        "a:   spaced   \nb: 'q'",
        "a:\n\nb: 1",
        "a:\n  -   x\n  -  y",
        "a: [ ]\nb: []  \nc: [x,y]\nd: [ x , y ]",
        "a: b :c\nname: O'Brien\npath: x\\y\nurl: https://example.com/a?b=c",
        'a: ""\nb:\n  - \'\'\nc: [""]',
        "a: é😀 x\nb: 😀\nc: Zoë, [draft] {x}",
        "n: 12\nf: 1.5\ne: 1e3\nh: 0x1f\no: 0o17\nt: true\nz: ~\nd: 2026-11-20T09:30\nw: NO",
        "when:\n  - 2026-01-02\n  - 2026-02-03T10:00\nnext: 3",
        "referrals:\n  - name: Hugo Abe\n    organization: United Bank\n    may_use_name: true"
        '\n  - "[[sam-lee]]"\n  -   name: Ann\n      note: "met: twice"\nnext: 1',
    ],
)
def test_simple_front_matter_is_read_by_lines_as_libyaml_reads_it(text):
    assert simple_front_matter(text, 2) is not None
    assert same(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: x # a comment",
        "# only a comment",
        "tags: #a #b",
        "a: b: c",
        "a: x:",
        "a: x\n  continued",
        "a: x\n  - y",
        "a:\n  - x\n- y",
        "a:\n  - x\n    - y",
        "a:\n  - name:\n      deep: x",
        "a:\n  - name: x\n     note: y",
        "a:\n  - name: x\n      note: y",
        "a:\n  - name: x\n    name: y",
        "a:\n  - name: [x]",
        "a:\n  - x\n    note: y",
        "a:\n  - name: x\n    - y",
        "a:\n  - [[x]]",
        "a: [[x]]",
        "a: [x, [y]]",
        "a: [x,]",
        "a: [x] y",
        "a: [x: y]",
        'a: "x\\"y"',
        "a: 'it''s'",
        'a: "x" y',
        "a: &anchor x\nb: *anchor",
        "a: !!str 12",
        "a: |\n  text",
        "a: >\n  text",
        "a: -5",
        "a: @x",
        "a: `x`",
        "a: %x",
        "a:\tx",
        "a: x\u2028y",
        "a: x\x85y",
        "\ufeffa: x",
        "a: x\rb: y",
        "a: 1\na: 2",
        "- a\n- b",
        "just text",
        "  a: 1",
        "---\na: 1",
        "a: " + "9" * 5000,
        "a: 0x" + "f" * 5000,
        "k" * 200 + ": 1",
        "a:\n" + "  - x\n" * 10_001,
    ],
)
def test_anything_else_is_left_to_libyaml(text):
    assert simple_front_matter(text, 2) is None
    assert same(text)


def test_notes_parse_the_same_with_either_reader():
    raw = (
        b'---\ntype: interview\ncontact: "[[ada]]"\ndate: 2026-06-01T14:30\n'
        b'referrals:\n  - "[[bruno]]"\n  - Carla Diaz\n---\n# Talk\n'
    )
    assert parse_note("interviews/x.md", raw) == parse_note(
        "interviews/x.md", raw, read_front=read_front_matter
    )


# --- the line reader gives libyaml's answer whenever it answers ------------------------

_values = st.sampled_from(
    [
        "x",
        "Ada A. Bauer",
        "a b ",
        "O'Brien",
        "a:b",
        "a: b",
        "a :b",
        "x:",
        "x # c",
        "x#c",
        "#c",
        '"[[jane-doe]]"',
        '"a: b # c"',
        '""',
        '"a\\"b"',
        '"x" ',
        '"x" y',
        "'q'",
        "'it''s'",
        "''",
        "[a, b]",
        "[ a , b ]",
        "[]",
        "[ ]",
        '["[[x]]", y]',
        "[a,]",
        "[a b, c]",
        "[[x]]",
        "[a, [b]]",
        "[a] b",
        "{a: b}",
        "12",
        "-7",
        "0123",
        "0x1f",
        "0o17",
        "1e3",
        "1.5",
        ".inf",
        "-.Inf",
        "true",
        "False",
        "~",
        "null",
        "2026-11-20",
        "2026-11-20T09:30",
        "12:30",
        "+1 555",
        "&a x",
        "*a",
        "!!str 12",
        "|",
        ">",
        "- x",
        "-x",
        "?x",
        "%x",
        "@x",
        "`x`",
        "é",
        "x\xa0",
        "\xa0x",
        "x\u2028y",
        "x\ty",
        "😀",
        "",
        " ",
    ]
)
_keys = st.sampled_from(["a", "b", "type", "name", "tags", "x_y", "a-b", "_k", "1", "é", "a b"])
_line = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", _keys, _values),
    st.builds(lambda k, v: f"{k}:{v}", _keys, _values),
    st.builds(lambda k: f"{k}:", _keys),
    st.builds(lambda k: f"{k}:  ", _keys),
    st.builds(lambda v: f"  - {v}", _values),
    st.builds(lambda v: f"- {v}", _values),
    st.builds(lambda v: f"    - {v}", _values),
    st.builds(lambda v: f"  -   {v}", _values),
    st.builds(lambda k, v: f"  {k}: {v}", _keys, _values),
    st.builds(lambda v: f"  {v}", _values),
    st.sampled_from(["", "", "# comment", "---", "...", "-", "  -", "%YAML 1.2"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_line, min_size=1, max_size=10), st.integers(1, 3))
def test_line_reader_matches_libyaml(lines, first_line):
    text = "\n".join(lines)
    if simple_front_matter(text, first_line) is not None:
        assert same(text, first_line)


# Front matter shaped as people write it (distinct keys, block lists under bare keys),
# with a value or item now and then that the line reader does not model: most of these
# are read by lines, so the property is checked where it matters.
_usual = st.sampled_from(
    [
        "x",
        "Ada A. Bauer",
        "a b ",
        "a:b",
        "x#c",
        '"[[jane-doe]]"',
        '"a: b"',
        '"x" ',
        "'q'",
        "[a, b]",
        "[ a , b ]",
        "[ ]",
        '["[[x]]", y]',
        "[1, 2.5, true, ~]",
        "0x1f",
        "2026-11-20",
        "x]",
        "a,b",
        "a - b",
        "a?",
        "x\xa0",
        "name: Ann",
        "name: Ann",
    ]
)
_value = st.one_of(_usual, _usual, _values)
_entry = st.tuples(
    st.sampled_from(["", "  "]),
    _value,
    st.lists(st.tuples(st.sampled_from(["", "  ", "    "]), _value), max_size=3),
    st.sampled_from(["", "\n"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_entry, min_size=1, max_size=6), st.booleans())
def test_line_reader_matches_libyaml_on_usual_front_matter(entries, aligned):
    lines = []
    for number, (blanks, value, items, gap) in enumerate(entries):
        if items:
            lines.append(f"k{number}:{blanks}")
            for indent, item in items:
                indent = items[0][0] if aligned else indent
                lines.append(f"{indent}- {item}")
                if item.startswith("name: "):  # a mapping: a second key below the first
                    lines.append(f"{indent}  {value if aligned else 'note: ' + value}")
        else:
            lines.append(f"k{number}: {blanks}{value}")
        lines.append(gap)
    text = "\n".join(lines)
    if simple_front_matter(text, 2) is not None:
        assert same(text)
