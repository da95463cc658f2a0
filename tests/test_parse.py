"""One file -> ParsedNote: encodings, line endings, front-matter fences, conflicts."""

from __future__ import annotations

from infoint_notes.core.parse import MAX_NOTE_BYTES, find_conflicts, normalise_key, parse_note


def codes(parsed):
    return [(d.code, d.line) for d in parsed.diagnostics]


def test_plain_note_with_front_matter_and_body_positions():
    parsed = parse_note("contacts/jane-doe.md", b"---\nname: Jane\n---\nHi [[bob]]\n")
    assert parsed.id == "jane-doe"
    assert parsed.front_matter == {"name": "Jane"}
    assert parsed.body_line == 4
    assert [(link.target, link.line, link.column) for link in parsed.body.links] == [("bob", 4, 4)]


def test_bom_and_crlf_are_accepted():
    raw = "\ufeff---\r\nname: Jane\r\ntags: [a]\r\n---\r\nSee [[bob]]\r\n".encode()
    parsed = parse_note("a.md", raw)
    assert parsed.front_matter == {"name": "Jane", "tags": ["a"]}
    assert parsed.positions["tags"].line == 3
    assert parsed.body.links[0].line == 5
    assert parsed.diagnostics == ()


def test_mixed_line_endings():
    parsed = parse_note("a.md", b"---\r\nname: Jane\ntitle: X\r\n---\nbody\n")
    assert parsed.front_matter == {"name": "Jane", "title": "X"}


def test_no_front_matter_is_a_plain_note():
    parsed = parse_note("a.md", b"# Title\n\nText with [[link]].\n")
    assert parsed.front_matter is None
    assert parsed.diagnostics == ()
    assert parsed.body.links[0].line == 3


def test_dots_close_front_matter_too():
    assert parse_note("a.md", b"---\nname: x\n...\nbody\n").front_matter == {"name": "x"}


def test_unterminated_front_matter_and_a_lone_fence():
    assert codes(parse_note("a.md", b"---\nname: x\n")) == [("unterminated-front-matter", 1)]
    assert codes(parse_note("a.md", b"---\n")) == [("unterminated-front-matter", 1)]
    assert codes(parse_note("a.md", b"---")) == [("unterminated-front-matter", 1)]


def test_empty_file():
    parsed = parse_note("a.md", b"")
    assert parsed.front_matter is None and parsed.diagnostics == ()


def test_json_and_toml_looking_files_are_plain_notes():
    assert parse_note("a.md", b'{"name": "x"}\n').front_matter is None
    assert parse_note("a.md", b"+++\nname = 'x'\n+++\n").front_matter is None


def test_conflict_markers_are_found_before_yaml():
    raw = b"---\nname: a\n<<<<<<< HEAD\nemail: a@x\n=======\nemail: b@x\n>>>>>>> other\n---\n"
    parsed = parse_note("a.md", raw)
    assert codes(parsed) == [("conflict-marker", 3)]
    assert "lines 3-7" in parsed.diagnostics[0].message
    assert parsed.front_matter is None


def test_conflict_in_body_keeps_front_matter():
    raw = b"---\nname: a\n---\n<<<<<<< HEAD\nx\n||||||| base\ny\n=======\nz\n>>>>>>> b\n"
    parsed = parse_note("a.md", raw)
    assert codes(parsed) == [("conflict-marker", 4)]
    assert parsed.front_matter == {"name": "a"}


def test_setext_heading_is_not_a_conflict():
    assert find_conflicts(["Title", "=======", "text"]) == []


def test_unreadable_files():
    assert "UTF-16" in parse_note("a.md", "---\n".encode("utf-16")).diagnostics[0].message
    latin = parse_note("a.md", "---\nname: José\n---\n".encode("latin-1"))
    assert codes(latin) == [("unreadable", 1)]
    assert "line 2" in latin.diagnostics[0].message
    assert codes(parse_note("a.md", b"\x89PNG\r\n\x1a\n\x00\x00")) == [("unreadable", 1)]
    big = parse_note("a.md", b"x" * (MAX_NOTE_BYTES + 1))
    assert codes(big) == [("unreadable", 1)] and "1 MiB" in big.diagnostics[0].message


def test_ids_compare_after_nfc_and_case_folding():
    assert normalise_key("Jose\u0301 Nu\u0301n\u0303ez") == normalise_key("JOSÉ  NÚÑEZ")


def test_a_lone_carriage_return_ends_a_line_as_in_markdown_and_yaml():
    """Old Mac line ends (and a stray CR in a pasted line) end lines for markdown-it and
    libyaml; the line scanner and line numbers must agree, or a body loses its links."""
    raw = b"---\rname: x\r---\r## Questions\n- a\r- b `x` [[link]]\r\n"
    parsed = parse_note("a.md", raw)
    assert parsed.front_matter == {"name": "x"} and parsed.diagnostics == ()
    assert [(q.text, q.line) for q in parsed.body.questions] == [("a", 5), ("b `x` [[link]]", 6)]
    assert [(link.target, link.line, link.column) for link in parsed.body.links] == [("link", 6, 9)]
