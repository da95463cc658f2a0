"""The language server's text helpers: what the cursor is on, positions in the client's
units (UTF-16 by default), and minimal edits that keep line endings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from infoint_notes.core.config import Config
from infoint_notes.core.parse import split_lines
from infoint_notes.lsp.convert import Lines, diagnostic, text_edit
from infoint_notes.lsp.live import typed_text
from infoint_notes.lsp.text import link_at, spot_at

NOTE = (
    "---\ntype: milestone\nname: Ada\nreferred_by: \nthanks: ['[[a]]', '[[b]]']\n"
    "tags:\n  - x\n---\nSee [[bob|Bob]] and `[[code]]` [[carl\n"
)


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [
        (1, 2, ("key", "", 0, "ty")),
        (3, 13, ("value", "referred_by", 13, "")),
        (6, 5, ("value", "tags", 4, "x")),
        (8, 33, ("link", "", 33, "")),
        (8, 37, ("link", "", 33, "carl")),
        (8, 2, ("", "", 0, "")),
    ],
)
def test_spot_at_says_what_is_being_typed(line, column, expected):
    spot = spot_at(split_lines(NOTE), line, column)
    assert (spot.what, spot.field, spot.start, spot.prefix) == expected


def test_link_at_finds_body_links_outside_code_and_each_item_of_a_flow_list():
    note = typed_text("contacts/ada.md", NOTE, Config())
    lines = split_lines(NOTE)
    assert link_at(note, lines, 8, 6).target == "bob"
    assert link_at(note, lines, 8, 24) is None  # inside a code span
    assert link_at(note, lines, 4, 10).target == "a"
    assert link_at(note, lines, 4, 20).target == "b"


def test_positions_count_utf16_units_and_back():
    lines = Lines(["é😀[[x]]"], PositionCodec())
    assert lines.position(0, 2) == types.Position(line=0, character=3)  # 😀 is two units
    assert lines.column(types.Position(line=0, character=3)) == (0, 2)
    utf32 = Lines(["é😀[[x]]"], PositionCodec(types.PositionEncodingKind.Utf32))
    assert utf32.position(0, 2).character == 2


def test_a_diagnostic_marks_the_whole_link():
    from infoint_notes.core.model import Diagnostic

    lines = Lines(["😀 see [[nobody]] here"], PositionCodec())
    problem = Diagnostic("a.md", 1, 7, "warning", "broken-link", "x")
    marked = diagnostic(problem, lines).range
    assert (marked.start.character, marked.end.character) == (7, 17)


def _apply(text: str, edit: types.TextEdit) -> str:
    """An ASCII text with LF endings: characters are units, lines split on LF."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        return sum(len(line) + 1 for line in lines[: position.line]) + position.character

    return text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]


@given(st.text(alphabet="ab\n", max_size=30), st.text(alphabet="ab\n", max_size=30))
def test_text_edit_turns_one_text_into_the_other(old, new):
    edit = text_edit(old, new, Lines(split_lines(old), PositionCodec()))
    assert (edit is None) == (old == new)
    if edit is not None:
        assert _apply(old, edit) == new


def test_text_edit_never_splits_a_crlf():
    old = "a: 1\r\nb: [[x]]\r\n"
    new = 'a: 1\r\nb: "[[x]]"\r\n'
    edit = text_edit(old, new, Lines(split_lines(old), PositionCodec()))
    assert edit.range.start == types.Position(line=1, character=3)
    assert edit.new_text.startswith('"')
    crlf = text_edit("a\r\n", "a\r\nb\r\n", Lines(["a"], PositionCodec()))
    assert crlf.range.start == types.Position(line=1, character=0)
    assert crlf.new_text == "b\r\n"


def test_a_vault_loaded_after_shutdown_is_dropped_quietly(tmp_path):
    """A client may shut down while the vault is still loading: the load's answer then
    finds the waiting future cancelled with the loop, and must not raise into stderr."""
    import asyncio

    from infoint_notes.lsp.server import InfointServer

    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        server = InfointServer(None, None)
        server.loaded = loop.create_future()
        server.loaded.cancel()  # what shutting the loop down does to waiting requests
        work = loop.create_future()
        work.set_exception(RuntimeError("the load failed as the loop closed"))
        server._loaded(work)  # before the fix: InvalidStateError
        assert server.live is None

    asyncio.run(scenario())


def test_completion_names_a_contacts_organization_as_orgs_does(tmp_path):
    """A contact who wrote "Fabrikam, Inc." works at the note called Fabrikam (SPEC 3.3),
    and completion and hover say so, as `orgs` and `show` do."""
    from datetime import datetime, timezone

    from infoint_notes.core.config import load_config
    from infoint_notes.lsp.completion import describe
    from infoint_notes.speed.loader import load_index
    from tests.conftest import write_vault

    root = write_vault(
        tmp_path / "vault",
        {
            "organizations/fabrikam.md": "---\ntype: organization\nname: Fabrikam\n---\n",
            "contacts/ana.md": "---\ntype: contact\nname: Ana\norganization: Fabrikam, Inc.\n---\n",
        },
        "",
    )
    index = load_index(root, load_config(root), cache=False)
    ana = index.by_path["contacts/ana.md"]
    assert describe(index, ana, datetime(2026, 11, 20, tzinfo=timezone.utc)).endswith("Fabrikam")
