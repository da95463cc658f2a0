"""Body scanning: links outside code, interview sections, and the two scanners agreeing."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infoint_notes.core.body import scan_markdown
from infoint_notes.speed.linescan import scan_body, scan_lines


def scan(text: str, first_line: int = 1):
    return scan_body(textwrap.dedent(text).strip("\n").split("\n"), first_line)


def test_links_inside_code_are_not_links():
    body = scan("""
        See [[jane-doe]] and `[[not-a-link]]`.

        ```
        [[in-fence]]
        ```

            [[indented-code]]

        <!-- [[in-comment]] -->
        ![[embed.png]] and [[sam|Sam]] and [[org#History]]
    """)
    links = [(link.target, link.line, link.column, link.embed) for link in body.links]
    assert links == [
        ("jane-doe", 1, 5, False),
        ("embed.png", 10, 1, True),
        ("sam", 10, 20, False),
        ("org", 10, 36, False),
    ]
    assert body.links[2].label == "Sam" and body.links[3].heading == "History"


def test_first_line_offsets_link_lines():
    assert scan("text [[a]]", first_line=7).links[0].line == 7


def test_sections_tasks_questions_reflection():
    body = scan("""
        # Interview

        ## Preparation
        - [x] Research the company
        - [ ] Write questions
          on the train

        ## Questions
        1. How did you start?
        2. What is a typical day like?
        - [ ] Which skills matter?

        ## Notes
        - not a question

        ## Reflection
        <!-- prompts -->
    """)
    assert [(t.text, t.checked, t.line) for t in body.tasks] == [
        ("Research the company", True, 4),
        ("Write questions on the train", False, 5),
    ]
    assert [q.text for q in body.questions] == [
        "How did you start?",
        "What is a typical day like?",
        "Which skills matter?",
    ]
    assert body.reflection_written is False


def test_reflection_written_and_absent():
    assert scan("## Reflection\nI learned a lot.\n").reflection_written is True
    assert scan("## Reflection\n{{placeholder}}\n<!-- x -->\n").reflection_written is False
    assert scan("## Notes\ntext\n").reflection_written is None


def test_section_headings_match_case_insensitively_and_subheadings_stay_inside():
    body = scan("## QUESTIONS\n### Career\n- How did you start?\n## Other\n- Not one\n")
    assert [q.text for q in body.questions] == ["How did you start?"]


def test_a_link_beside_the_same_text_in_code_is_placed_right():
    """Only the second `[[x]]` is a link; both scanners put it at column 12."""
    lines = ["`[[x]]` or [[x]]"]
    for scan in (scan_lines(lines, 1), scan_markdown(lines, 1)):
        assert scan is not None
        assert [(link.target, link.column) for link in scan.links] == [("x", 12)]


@pytest.mark.parametrize(
    "lines",
    [
        ["```", "[[inside-a-fence]]", "# not a heading", "```", "[[after]]"],
        ["## Questions", "- a", "```sh", "- not an item", "````", "- b"],
        ["````", "```", "[[still-code]]", "````"],
        ["```", "[[unclosed]]"],
        ["para", "```", "x", "```  "],
    ],
)
def test_fences_at_the_margin_stay_on_the_fast_path_and_agree(lines):
    fast = scan_lines(lines, 1)
    assert fast is not None and fast == scan_markdown(lines, 1)


def test_code_spans_on_one_line_stay_on_the_fast_path_and_agree():
    lines = ["## Questions", "- How `x` works?", "- Why ``a`b``?", "", "Run `make`, then", "[[x]]"]
    fast = scan_lines(lines, 1)
    assert fast is not None and fast == scan_markdown(lines, 1)
    assert [q.text for q in fast.questions] == ["How `x` works?", "Why ``a`b``?"]


@pytest.mark.parametrize(
    "lines",
    [
        ["A `span that", "ends here` [[x]]"],  # across lines
        ["- a", "  ```", "[[x]]"],  # a fence in a list item, closed by the item's end
        ["  ```", "[[x]]", "  ```"],  # an indented fence
        ["one ` two"],  # a literal backtick
        ["- [a]: [[b]]"],  # a link definition inside a list item
        ["- a", "  <!--", "[[x]]"],  # a comment that may belong to the item
        ["## Questions", "- a", "  <!--", "- b -->"],
        ["## Preparation\xa0"],  # markdown-it strips every blank, not just space and tab
    ],
)
def test_other_code_forces_markdown_path_and_agrees(lines):
    assert scan_lines(lines, 1) is None
    assert scan_body(lines, 1) == scan_markdown(lines, 1)


# --- the line scanner gives markdown-it's answer whenever it answers ------------------

_words = st.sampled_from(
    [
        "How",
        "do",
        "you",
        "work",
        "[[jane-doe]]",
        "[[Sam Lee|Sam]]",
        "*em*",
        "_u_",
        "#tag",
        "R&D",
        "a:b",
        "![[pic.png]]",
        "1.",
        "-",
        "x]",
        "[y",
        "\xa0nbsp",
        # Code spans: closed on the line, unclosed, nested lengths, holding a link.
        "`x`",
        "`[[jane-doe]]`",
        "``a`b``",
        "`",
        "``",
        "`y",
        "z`",
        "```",
        "```sh",
        "`# not`",
        "`- [ ]`",
    ]
)
_text = st.lists(_words, min_size=1, max_size=5).map(" ".join)
_line = st.one_of(
    _text,
    st.builds(lambda t: f"- {t}", _text),
    st.builds(lambda t: f"* [ ] {t}", _text),
    st.builds(lambda t: f"- [x] {t}", _text),
    st.builds(lambda n, t: f"{n}. {t}", st.integers(1, 3), _text),
    st.builds(lambda t: f"  {t}", _text),
    st.builds(lambda t: f"   - {t}", _text),
    st.sampled_from(
        [
            "",
            "",
            "## Preparation",
            "## Questions",
            "## Reflection",
            "## Notes",
            "# Title",
            "### Sub",
            "<!-- note -->",
            "<!--",
            "-->",
            "---",
            "***",
            "> quote",
            "```",
            "```a```",
            "````",
            "``` `x`",
            "```  ",
            "- [a]: [[jane-doe]]",
            "  <!--",
            "   <!-- x -->",
            "## Preparation\xa0",
            "# \u3000Title",
            "``` x",
            "  ```",
            "- `code`",
            "## `Questions`",
            "    code",
            "~~~",
            "Heading",
            "===",
            "- ",
            "1)",
        ]
    ),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_line, max_size=14))
def test_fast_scanner_matches_markdown_it(lines):
    fast = scan_lines(lines, 5)
    if fast is not None:
        assert fast == scan_markdown(lines, 5)


# Bodies as most notes are written (headings, bullet items, paragraphs, blank lines),
# now and then with a line of another kind: the line scanner's shortcut for bodies
# made of such lines only gives markdown-it's answer too.
_plain_text = st.lists(
    st.sampled_from(
        [
            *("How", "do", "you", "[[jane-doe]]", "[[Sam Lee|Sam]]", "![[pic.png]]", "#tag"),
            *("x]", "[y", "a:b", "1.", "-", "*em*", "_u_", "\xa0nbsp", "[[#top]]", "Zoë", "##"),
        ]
    ),
    min_size=1,
    max_size=5,
).map(" ".join)
_simple_line = st.one_of(
    st.sampled_from(["", "", "## Preparation", "## Questions", "## Reflection", "# Title"]),
    st.builds(lambda level, t: f"{'#' * level} {t}", st.integers(1, 7), _plain_text),
    st.builds(lambda t: f"- {t}", _plain_text),
    st.builds(lambda t: f"- [ ] {t}", _plain_text),
    st.builds(lambda t: f"- [x] {t}", _plain_text),
    st.builds(lambda t: f"+ {t}", _plain_text),
    _plain_text,
    _plain_text,
    _line,
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_simple_line, max_size=14))
def test_simple_bodies_are_read_as_markdown_it_reads_them(lines):
    fast = scan_lines(lines, 5)
    if fast is not None:
        assert fast == scan_markdown(lines, 5)
