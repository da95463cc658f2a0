"""Text for people fits the terminal (SPEC 4.3): lines break between words, continuation
lines are indented, and nothing is wrapped when the output is not a terminal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoint_notes.commands import output
from infoint_notes.formats.styled import Styled, wrap_line
from tests.test_cli_agenda import FILES


def _text(line):
    return (
        line
        if isinstance(line, str)
        else "".join(part if isinstance(part, str) else part.text for part in line)
    )


def test_a_long_item_breaks_between_words_under_its_text():
    line = "  - Prepare for the conversation with Tom Becker: 2 unchecked tasks (Research)"
    assert [_text(piece) for piece in wrap_line(line, 40)] == [
        "  - Prepare for the conversation with",
        "    Tom Becker: 2 unchecked tasks",
        "    (Research)",
    ]


def test_styles_survive_the_break():
    line = ("    ", Styled("5 days overdue (2026-11-15)", fg="red", bold=True), " · follow-up")
    pieces = wrap_line(line, 24)
    assert [_text(piece) for piece in pieces] == [
        "    5 days overdue",
        "      (2026-11-15) ·",
        "      follow-up",
    ]
    red = [p for piece in pieces for p in piece if isinstance(p, Styled)]
    assert [(p.text, p.fg, p.bold) for p in red] == [
        ("5 days overdue", "red", True),
        ("(2026-11-15)", "red", True),
    ]


def test_a_word_longer_than_the_width_is_kept_whole():
    line = "  - open interviews/2026-11-22-a-very-long-file-name-indeed.md now"
    assert [_text(piece) for piece in wrap_line(line, 20)] == [
        "  - open",
        "    interviews/2026-11-22-a-very-long-file-name-indeed.md",
        "    now",
    ]


@given(
    st.lists(st.text(alphabet="abcdé", min_size=1, max_size=12), min_size=1, max_size=30),
    st.integers(min_value=1, max_value=3),
    st.integers(min_value=8, max_value=80),
)
def test_wrapping_keeps_every_word_in_order_within_the_width(words, indent, width):
    line = " " * indent + " ".join(words)
    pieces = [_text(piece) for piece in wrap_line(line, width)]
    assert " ".join(" ".join(pieces).split()) == " ".join(words)
    for piece in pieces:
        assert len(piece) <= width or " " not in piece.strip()
    for piece in pieces[1:]:
        assert piece.startswith(" " * (indent + 2))


@pytest.mark.parametrize("columns", [None, 50])
def test_agenda_wraps_on_a_terminal_only(run, make_vault, monkeypatch, columns):
    vault = make_vault(
        {
            **FILES,
            "interviews/2026-11-22-tom.md": (
                "---\ntype: interview\ncontact: Tom Becker\ndate: 2026-11-22T10:00\n---\n"
                "## Preparation\n- [ ] Research the company and its latest annual report\n"
            ),
        }
    )
    monkeypatch.setattr(output, "terminal_width", lambda: columns)
    lines = run(vault, "agenda").stdout.splitlines()
    long = [line for line in lines if line.startswith("  - Prepare")]
    if columns is None:
        assert len(long) == 1 and len(long[0]) > 100  # piped: one line per item, as before
    else:
        assert max(map(len, lines)) <= columns
        at = lines.index(long[0])
        assert lines[at + 1].startswith("    ") and not lines[at + 1].startswith("    due")
