"""Laws of the edit module, checked on generated notes (hypothesis).

Notes are built from the shapes people write: plain, double- and single-quoted scalars
(including words YAML 1.1 would mistype), empty values and `~`, flow lists with odd
spacing, block lists at either indentation, comments after values and between keys,
blank lines, LF/CRLF/CR/mixed endings, a BOM, and a body that may itself hold `---` lines.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infoint_notes.core.parse import decode, front_matter_bounds, split_lines
from infoint_notes.core.yamlread import load_front_matter
from infoint_notes.write.edit import append_item, edit_bytes, edit_text, scalar_text, set_key

WORDS = [
    "jane",
    "Jane Doe",
    "NO",
    "yes",
    "12:30",
    "0123",
    "2026-11-20",
    "2026-11-20T14:00",
    "a b",
    "x-y",
    "null",
    "true",
    "Núñez",
    "[[jane-doe]]",
    "it's",
]
KEYS = ["name", "title", "tags", "updates", "aliases", "status", "my_key", "phone", "x"]
EOLS = st.sampled_from(["\n", "\r\n", "\r"])
EDIT = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _scalar(word: str, form: str) -> str:
    if form == "double":
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if form == "single":
        return "'" + word.replace("'", "''") + "'"
    return word


@st.composite
def scalars(draw: st.DrawFn, flow: bool = False) -> str:
    word = draw(st.sampled_from(WORDS))
    forms = ["double", "single"]
    if not word.startswith("[") and not (flow and "'" in word):
        forms.append("plain")
    return _scalar(word, draw(st.sampled_from(forms)))


COMMENTS = st.sampled_from(["", "  # note", " # a: b"])


@st.composite
def entries(draw: st.DrawFn, key: str) -> list[str]:
    shape = draw(st.sampled_from(["scalar", "empty", "tilde", "flow", "block"]))
    comment = draw(COMMENTS)
    if shape == "scalar":
        return [f"{key}: {draw(scalars())}{comment}"]
    if shape == "empty":
        return [f"{key}:{comment}"]
    if shape == "tilde":
        return [f"{key}: ~{comment}"]
    if shape == "flow":
        items = draw(st.lists(scalars(flow=True), max_size=3))
        separator = draw(st.sampled_from([", ", " , ", ","]))
        pad = draw(st.sampled_from(["", " "]))
        inner = separator.join(items)
        return [f"{key}: [{pad}{inner}{pad if inner else ''}]{comment}"]
    indent = draw(st.sampled_from(["", "  ", "    "]))
    items = draw(st.lists(scalars(), min_size=1, max_size=3))
    return [f"{key}:{comment}"] + [f"{indent}- {item}{draw(COMMENTS)}" for item in items]


@st.composite
def notes(draw: st.DrawFn) -> tuple[str, list[str]]:
    """(the note's text, its top-level keys)."""
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=6, unique=True))
    lines: list[str] = []
    for key in keys:
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["# a comment", "", "#", "# ---"])))
        lines.extend(draw(entries(key)))
    if draw(st.booleans()):
        lines.append("# trailing comment")
    body = draw(st.lists(st.sampled_from(["# Title", "---", "text: here", "", "- [ ] task"])))
    mixed = draw(st.booleans())
    uniform = draw(EOLS)
    all_lines = ["---", *lines, "---", *body]
    text = "".join(line + (draw(EOLS) if mixed else uniform) for line in all_lines)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # no final newline
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text, keys


def _front(text: str) -> tuple[dict, dict]:
    lines = split_lines(text.removeprefix("\ufeff"))
    bounds = front_matter_bounds(lines)
    assert bounds is not None and bounds[1] > 0
    result = load_front_matter("\n".join(lines[1 : bounds[1]]), 2)
    assert not result.problems, result.problems
    return result.data, result.positions


def _raw_lines(text: str) -> list[str]:
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", text)


def _key_lines(text: str, key: str) -> tuple[int, int]:
    """Lines [start, end) of `key` in the file: its line up to the next key, without the
    comments and blank lines at column 0 just before the next key."""
    _, positions = _front(text)
    lines = split_lines(text.removeprefix("\ufeff"))
    closing = front_matter_bounds(lines)[1]
    starts = sorted(position.line - 1 for position in positions.values())
    start = positions[key].line - 1
    later = [line for line in starts if line > start]
    end = later[0] if later else closing
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return start, end


def _only_key_changed(text: str, after: str, key: str) -> tuple[int, int, list[str]]:
    """Assert every line outside `key`'s lines is as it was; (start, end, new key lines)."""
    old, new = _raw_lines(text), _raw_lines(after)
    start, end = _key_lines(text, key)
    assert new[:start] == old[:start]
    assert new[len(new) - (len(old) - end) :] == old[end:]
    return start, end, new[start : len(new) - (len(old) - end)]


NEW_VALUES = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
    st.sampled_from(WORDS),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
)


def _read_back(value: object) -> object:
    if isinstance(value, datetime):
        spec = "seconds" if value.second or value.microsecond else "minutes"
        return value.replace(microsecond=0).isoformat(timespec=spec)
    if isinstance(value, date):
        return value.isoformat()
    return value


@EDIT
@given(notes())
def test_no_change_is_byte_identical(note):
    text, _ = note
    assert edit_text(text, []) == text
    raw = text.encode("utf-8")
    assert edit_bytes(raw, []) == raw


@EDIT
@given(notes(), st.data())
def test_setting_a_key_to_the_value_it_has_is_byte_identical(note, data):
    text, keys = note
    values, _ = _front(text)
    changes = [set_key(key, values[key]) for key in data.draw(st.permutations(keys))]
    assert edit_text(text, changes) == text


@EDIT
@given(notes(), st.data())
def test_setting_one_key_changes_only_its_lines(note, data):
    text, keys = note
    key = data.draw(st.sampled_from([*keys, "new_key"]))
    value = data.draw(NEW_VALUES)
    before, _ = _front(text)
    after_text = edit_text(text, [set_key(key, value)])
    after, _ = _front(after_text)
    assert after == {**before, key: _read_back(value)}
    assert after_text.startswith("\ufeff") == text.startswith("\ufeff")
    old = _raw_lines(text)
    new = _raw_lines(after_text)
    if key in before:
        start, end, changed = _only_key_changed(text, after_text, key)
        eol = old[start][len(old[start].rstrip("\r\n")) :]
        if eol == "\r" and old[end].startswith("\n"):
            # A lone CR before an empty LF line would make one CRLF of them: the key's
            # last line ends as the old one did, so the empty line stays a line.
            eol = old[end - 1][len(old[end - 1].rstrip("\r\n")) :]
            assert changed[-1].endswith(eol)
        else:
            assert all(line.endswith(eol) for line in changed)
    else:
        assert len(new) == len(old) + 1
        inserted = [i for i, line in enumerate(new) if line.startswith("new_key:")]
        assert len(inserted) == 1
        assert new[: inserted[0]] + new[inserted[0] + 1 :] == old


@EDIT
@given(notes(), st.data())
def test_appending_keeps_the_old_items_and_everything_else(note, data):
    text, keys = note
    before, _ = _front(text)
    candidates = [k for k in keys if before[k] is None or isinstance(before[k], list)]
    key = data.draw(st.sampled_from([*candidates, "new_list"]))
    value = data.draw(NEW_VALUES)
    after_text = edit_text(text, [append_item(key, value)])
    after, _ = _front(after_text)
    assert after == {**before, key: [*(before.get(key) or []), _read_back(value)]}
    old = _raw_lines(text)
    new = _raw_lines(after_text)
    if key in before:
        start, end, _ = _only_key_changed(text, after_text, key)
        if isinstance(before[key], list) and before[key] and end > start + 1:
            # A block list: the old item lines are untouched, one line is added.
            assert new[start:end] == old[start:end]
            assert len(new) == len(old) + 1


@EDIT
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_any_text_written_reads_back_identically(value):
    for flow in (False, True):
        written = scalar_text(value, flow=flow)
        line = f"k: [{written}]" if flow else f"k: {written}"
        result = load_front_matter(line, 1)
        assert not result.problems, (value, written)
        assert result.data == {"k": [value] if flow else value}


def test_words_other_readers_would_mistype_are_quoted():
    for word in ["NO", "yes", "on", "Off", "12:30", "0123", "true", "null", "2026-11-20", "1e3"]:
        assert scalar_text(word).startswith('"'), word
    assert scalar_text("Jane Doe") == "Jane Doe"
    assert scalar_text(date(2026, 11, 20)) == "2026-11-20"
    assert scalar_text(datetime(2026, 11, 20, 14, 5)) == "2026-11-20T14:05"


def test_body_bytes_never_pass_through_yaml():
    body = "# Title\r\n\r\n---\r\nname: not front matter\r\n\tweird \x0b bytes  \r\n"
    text = "---\r\nname: Jane\r\n---\r\n" + body
    result = edit_text(text, [set_key("name", "Ann")])
    assert result == "---\r\nname: Ann\r\n---\r\n" + body
    raw = result.encode("utf-8")
    text2, _ = decode(raw)
    assert text2 is not None


@EDIT
@given(notes(), st.sampled_from(["contact", "interview", "milestone", "organization", "x"]))
def test_generated_front_matter_parses_validates_and_round_trips(note, kind):
    """Random keys in random order, scalars of every form, flow and block lists: the note
    parses with every key, types and validates without raising, and writes back as is."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from infoint_notes.core.config import Config
    from infoint_notes.core.index import VaultIndex
    from infoint_notes.core.notes import build_note
    from infoint_notes.core.parse import parse_note
    from infoint_notes.rules.validate import validate

    text, keys = note
    text = text.replace("---", f"---\ntype: {kind}", 1)
    parsed = parse_note("notes/generated.md", text.encode("utf-8"))
    assert parsed.front_matter is not None, parsed.diagnostics
    assert set(keys) <= set(parsed.front_matter)
    config = Config(timezone="UTC")
    index = VaultIndex(None, config, [build_note(parsed, config.zone)])  # type: ignore[arg-type]
    validate(index, datetime(2026, 11, 20, tzinfo=ZoneInfo("UTC")))
    assert edit_text(text, []) == text


LIST_VALUES = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=3)


def _head_and_body(text: str) -> tuple[str, str]:
    lines = _raw_lines(text)
    closing = front_matter_bounds(split_lines(text.removeprefix("\ufeff")))[1]
    head = "".join(lines[: closing + 1])
    return head, text[len(head) :]


@EDIT
@given(notes(), st.data())
def test_a_template_rendered_once_is_what_the_guarded_edits_make(note, data):
    """`import` renders each note from one parse of its template (FrontTemplate); every
    change set, in any order and repeated, gives the bytes `edit_text` gives, or the
    same refusal."""
    from infoint_notes.write.edit import EditError, FrontTemplate

    text, keys = note
    head, body = _head_and_body(text)
    changes = [
        set_key(data.draw(st.sampled_from([*keys, "new_key", "other"])), value)
        for value in data.draw(st.lists(st.one_of(NEW_VALUES, LIST_VALUES), max_size=6))
    ]
    try:
        expected: object = edit_text(text, changes)
    except (EditError, ValueError) as exc:
        expected = type(exc)
    try:
        rendered: object = FrontTemplate(head).render(changes, body)
    except (EditError, ValueError) as exc:
        rendered = type(exc)
    assert rendered == expected
