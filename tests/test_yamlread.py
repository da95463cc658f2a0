"""YAML 1.2 meaning, positions and limits of the front-matter reader."""

from __future__ import annotations

import math

import pytest

from infoint_notes.core.yamlread import MAX_NODES, load_front_matter, resolve_plain


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NO", "NO"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("12:30", "12:30"),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("", None),
        ("42", 42),
        ("-7", -7),
        ("0123", 123),
        ("0o17", 15),
        ("0x1f", 31),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("2026-11-20", "2026-11-20"),
        ("+1 555", "+1 555"),
        ("1_000", "1_000"),
    ],
)
def test_plain_scalars_have_yaml_1_2_core_meaning(text, expected):
    assert resolve_plain(text) == expected
    assert type(resolve_plain(text)) is type(expected)


def test_special_floats():
    assert resolve_plain(".inf") == math.inf
    assert resolve_plain("-.Inf") == -math.inf
    assert math.isnan(resolve_plain(".NaN"))


def test_quoted_values_stay_strings_and_positions_are_file_lines():
    result = load_front_matter('name: "Jane"\nphone: "0123"\nanswer: NO\n', 2)
    assert result.data == {"name": "Jane", "phone": "0123", "answer": "NO"}
    assert result.problems == ()
    phone = result.positions["phone"]
    assert (phone.line, phone.column, phone.value_line, phone.value_column) == (3, 1, 3, 8)


def test_sequence_item_positions():
    result = load_front_matter("questions:\n  - How?\n  - Why?\n", 2)
    assert result.positions["questions"].items == ((3, 5), (4, 5))


def test_unquoted_wikilink_is_a_nested_list():
    result = load_front_matter("referred_by: [[jane-doe]]\n", 2)
    assert result.data == {"referred_by": [["jane-doe"]]}


def test_duplicate_keys_are_reported_at_the_second_key():
    result = load_front_matter("name: a\ntitle: b\nname: c\n", 2)
    assert [(p.code, p.line, p.column) for p in result.problems] == [("duplicate-key", 4, 1)]
    assert result.data["name"] == "c"


def test_nested_duplicate_keys_are_reported():
    result = load_front_matter("referrals:\n  - name: a\n    name: b\n", 2)
    assert [(p.code, p.line) for p in result.problems] == [("duplicate-key", 4)]


def test_syntax_error_position_is_mapped_to_the_file_with_a_hint():
    result = load_front_matter("name: Jane\ntitle: Part 1: Intro\n", 2)
    (problem,) = result.problems
    assert (problem.code, problem.line, problem.column) == ("yaml-syntax", 3, 14)
    assert "quote the value" in problem.message


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        (
            'type: contact\nname: "Evil\x1b[31mName"\n',
            3,
            12,
            'U+001B is not allowed in YAML (remove it, or write it as "\\x1b"',
        ),
        # libyaml counts bytes of UTF-8: the column still counts characters.
        ('name: "Évi€😀\x7f"\n', 2, 13, "control character U+007F"),
        ("a: 1\nb: 2\ntitle: x\x9by\n", 4, 9, "control character U+009B"),
        (
            "a: \ufffe\n",
            2,
            4,
            'character U+FFFE is not allowed in YAML (remove it, or write it as "\\ufffe"',
        ),
    ],
)
def test_a_character_yaml_refuses_is_reported_where_it_is_on_one_line(text, line, column, message):
    (problem,) = load_front_matter(text, 2).problems
    assert (problem.code, problem.line, problem.column) == ("yaml-syntax", line, column)
    assert message in problem.message
    assert "\n" not in problem.message and "position" not in problem.message


def test_python_tags_are_never_constructed(tmp_path):
    marker = tmp_path / "pwned"
    text = f'x: !!python/object/apply:os.system ["touch {marker}"]\n'
    result = load_front_matter(text, 2)
    assert result.data is None
    assert result.problems[0].code == "yaml-syntax"
    assert "!!python/object/apply:os.system" in result.problems[0].message
    assert not marker.exists()


def test_custom_tags_are_refused_but_standard_ones_work():
    assert load_front_matter("x: !foo bar\n", 2).problems[0].code == "yaml-syntax"
    assert load_front_matter('x: !!str 12\ny: !!int "3"\n', 2).data == {"x": "12", "y": 3}
    assert load_front_matter("x: !!int abc\n", 2).problems[0].code == "yaml-syntax"


def test_alias_bomb_is_bounded():
    text = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
    for name, previous in zip("bcdef", "abcde", strict=True):
        text += f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]\n"
    result = load_front_matter(text, 2)
    assert result.data is None
    assert f"{MAX_NODES:,}" in result.problems[0].message


def test_recursive_alias_ends():
    result = load_front_matter("a: &a [*a]\n", 2)
    assert result.data is None or result.problems


@pytest.mark.parametrize("opener, closer", [("[", "]"), ("{a: ", "}")])
def test_deep_flow_nesting_is_refused_without_crashing(opener, closer):
    # libyaml's composer recurses in C: 20,000 levels would crash the process.
    text = "x: " + opener * 20000 + "1" + closer * 20000 + "\n"
    result = load_front_matter(text[: 60 * 1024], 2)
    assert result.data is None
    assert result.problems[0].code == "yaml-syntax"


def test_deep_block_nesting_is_refused():
    text = "".join("  " * level + f"k{level}:\n" for level in range(60)) + "  " * 60 + "v: 1\n"
    result = load_front_matter(text, 2)
    assert "deeper than 50" in result.problems[0].message


def test_nesting_within_limit_is_fine():
    text = "x: " + "[" * 40 + "1" + "]" * 40 + "\n"
    assert load_front_matter(text, 2).problems == ()


def test_oversized_front_matter_is_refused():
    result = load_front_matter("notes: " + "x" * (65 * 1024) + "\n", 2)
    assert "64 KiB" in result.problems[0].message


@pytest.mark.parametrize(
    ("text", "kind"), [("- a\n- b\n", "a list"), ("just text\n", "a single value")]
)
def test_front_matter_that_is_not_a_mapping(text, kind):
    result = load_front_matter(text, 2)
    assert result.problems[0].code == "not-a-mapping"
    assert kind in result.problems[0].message


def test_odd_keys_are_kept_as_text():
    result = load_front_matter("yes: 1\n3: x\ncontent: c\nhandler: h\n", 2)
    assert result.data == {"yes": 1, "3": "x", "content": "c", "handler": "h"}


def test_empty_front_matter_is_an_empty_mapping():
    assert load_front_matter("", 2).data == {}
    assert load_front_matter("# only a comment\n", 2).data == {}


def test_hashtags_lost_to_a_comment_are_reported():
    result = load_front_matter("tags: #a #b\nsource:   # linkedin, alumni\n", 2)
    assert result.data == {"tags": None, "source": None}
    (problem,) = result.problems
    assert (problem.code, problem.line) == ("bad-value", 2)
    assert "tags: [a, b]" in problem.message
