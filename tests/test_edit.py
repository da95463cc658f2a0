"""The edit module on real files: atomic writes, permissions, symlinks, lost updates."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest

from infoint_notes.core.errors import WriteRefused
from infoint_notes.write import atomic, edit
from infoint_notes.write.atomic import create_note, read_snapshot, write_snapshot
from infoint_notes.write.edit import (
    EditError,
    Quoted,
    append_item,
    edit_text,
    set_item,
    set_key,
    update_note,
)

NOTE = "---\ntype: contact\nname: Jane  # who\nupdates:\n  - 2026-01-05\n---\n# Jane\n"


def _vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    (root / "contacts").mkdir(parents=True)
    (root / "infoint.yaml").write_text("")
    return root


def _leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


def test_update_changes_only_the_key(tmp_path):
    root = _vault(tmp_path)
    note = root / "contacts" / "jane.md"
    note.write_text(NOTE)
    assert update_note(note, root, [append_item("updates", date(2026, 11, 20))], None)
    assert note.read_text() == NOTE.replace("05\n", "05\n  - 2026-11-20\n")
    assert _leftovers(note.parent) == []


def test_no_change_does_not_touch_the_file(tmp_path):
    root = _vault(tmp_path)
    note = root / "contacts" / "jane.md"
    note.write_text(NOTE)
    before = note.stat().st_mtime_ns
    os.utime(note, ns=(before - 10**9, before - 10**9))
    assert not update_note(note, root, [set_key("name", "Jane")], None)
    assert note.stat().st_mtime_ns == before - 10**9


def test_permissions_are_kept(tmp_path):
    root = _vault(tmp_path)
    note = root / "contacts" / "jane.md"
    note.write_text(NOTE)
    note.chmod(0o640)
    update_note(note, root, [set_key("name", "Ann")], None)
    assert stat.S_IMODE(note.stat().st_mode) == 0o640


def test_new_notes_get_the_usual_permissions(tmp_path):
    root = _vault(tmp_path)
    old = os.umask(0o022)
    try:
        create_note(root / "contacts" / "new.md", root, b"---\nname: x\n---\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((root / "contacts" / "new.md").stat().st_mode) == 0o644


def test_a_file_changed_after_reading_is_left_alone(tmp_path):
    root = _vault(tmp_path)
    note = root / "contacts" / "jane.md"
    note.write_text(NOTE)
    snapshot = read_snapshot(note, root)
    saved = NOTE.replace("Jane  #", "Jane Doe  #")  # an editor saved meanwhile
    note.write_text(saved)
    with pytest.raises(WriteRefused, match="changed on disk"):
        write_snapshot(snapshot, edit.edit_bytes(snapshot.raw, [set_key("name", "Ann")]))
    assert note.read_text() == saved
    assert _leftovers(note.parent) == []


def test_same_size_same_mtime_change_is_caught_by_the_hash(tmp_path):
    root = _vault(tmp_path)
    note = root / "contacts" / "jane.md"
    note.write_text(NOTE)
    snapshot = read_snapshot(note, root)
    info = note.stat()
    note.write_text(NOTE.replace("Jane  #", "Joan  #"))  # same size
    os.utime(note, ns=(info.st_atime_ns, info.st_mtime_ns))  # coarse clock: same mtime
    with pytest.raises(WriteRefused):
        write_snapshot(snapshot, b"---\nname: x\n---\n")
    assert "Joan" in note.read_text()


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failed_write_leaves_the_original_and_no_temporary_file(tmp_path, monkeypatch, failing):
    root = _vault(tmp_path)
    note = root / "contacts" / "jane.md"
    note.write_text(NOTE)

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, failing, boom)
    with pytest.raises(WriteRefused, match="No space left"):
        update_note(note, root, [set_key("name", "Ann")], None)
    monkeypatch.undo()
    assert note.read_text() == NOTE
    assert _leftovers(note.parent) == []
    assert sorted(os.listdir(note.parent)) == ["jane.md"]


def test_symlink_inside_the_vault_is_written_through(tmp_path):
    root = _vault(tmp_path)
    real = root / "people" / "jane.md"
    real.parent.mkdir()
    real.write_text(NOTE)
    link = root / "contacts" / "jane.md"
    link.symlink_to(Path("..") / "people" / "jane.md")
    update_note(link, root, [set_key("name", "Ann")], None)
    assert link.is_symlink()
    assert "\nname: Ann  # who\n" in real.read_text()


def test_symlink_out_of_the_vault_is_refused(tmp_path):
    root = _vault(tmp_path)
    outside = tmp_path / "elsewhere.md"
    outside.write_text(NOTE)
    link = root / "contacts" / "jane.md"
    link.symlink_to(outside)
    with pytest.raises(WriteRefused, match="outside the vault"):
        update_note(link, root, [set_key("name", "Ann")], None)
    assert outside.read_text() == NOTE
    assert link.is_symlink()


def test_create_never_overwrites(tmp_path):
    root = _vault(tmp_path)
    target = root / "contacts" / "jane.md"
    target.write_text("mine")
    with pytest.raises(WriteRefused, match="already exists"):
        create_note(target, root, b"---\n---\n")
    assert target.read_text() == "mine"
    assert _leftovers(target.parent) == []


def test_create_refuses_a_folder_that_leads_out_of_the_vault(tmp_path):
    root = _vault(tmp_path)
    outside = tmp_path / "out"
    outside.mkdir()
    (root / "milestones").symlink_to(outside)
    with pytest.raises(WriteRefused, match="outside the vault"):
        create_note(root / "milestones" / "x.md", root, b"---\n---\n")
    assert list(outside.iterdir()) == []


def test_crlf_bom_and_missing_final_newline_are_kept(tmp_path):
    text = "\ufeff---\r\nname: Jane\r\nstatus: active\r\n---\r\nbody without newline"
    result = edit_text(
        text, [set_key("status", "inactive"), set_key("requested", date(2026, 1, 2))]
    )
    assert result == (
        "\ufeff---\r\nname: Jane\r\nstatus: inactive\r\nrequested: 2026-01-02\r\n---\r\n"
        "body without newline"
    )


def test_mixed_endings_stay_mixed():
    text = "---\nname: Jane\r\nupdates: [2026-01-01]\n---\n"
    result = edit_text(text, [append_item("updates", date(2026, 2, 1))])
    assert result == "---\nname: Jane\r\nupdates: [2026-01-01, 2026-02-01]\n---\n"


def test_flow_and_block_lists_keep_their_style():
    text = "---\nupdates: [ 2026-01-01 ]   # sent\ntags:\n- a\n---\n"
    result = edit_text(text, [append_item("updates", date(2026, 2, 1)), append_item("tags", "b")])
    assert result == "---\nupdates: [ 2026-01-01, 2026-02-01 ]   # sent\ntags:\n- a\n- b\n---\n"


def test_empty_and_tilde_values_become_the_value():
    text = "---\nthank_you_sent:\nresponded: ~   # when?\nupdates: []\n---\n"
    result = edit_text(
        text,
        [
            set_key("thank_you_sent", date(2026, 11, 20)),
            set_key("responded", date(2026, 11, 21)),
            append_item("updates", date(2026, 11, 22)),
        ],
    )
    assert result == (
        "---\nthank_you_sent: 2026-11-20\nresponded: 2026-11-21   # when?\n"
        "updates: [2026-11-22]\n---\n"
    )


def test_quotes_of_the_old_value_are_kept():
    text = "---\nname: 'Jane'\ntitle: \"Engineer\"\n---\n"
    result = edit_text(text, [set_key("name", "Ann Lee"), set_key("title", "Lead")])
    assert result == "---\nname: 'Ann Lee'\ntitle: \"Lead\"\n---\n"


def test_quoting_list_items_in_place():
    text = '---\nthanks:\n  - [[a]]   # first\n  - "[[b]]"\nalso: [[[c]], x]\n---\n'
    result = edit_text(
        text, [set_item("thanks", 0, Quoted("[[a]]")), set_item("also", 0, Quoted("[[c]]"))]
    )
    assert result == '---\nthanks:\n  - "[[a]]"   # first\n  - "[[b]]"\nalso: ["[[c]]", x]\n---\n'


def test_an_edit_that_would_move_other_lines_is_refused():
    # ruamel rewrites `~` and re-indents the list; the inner comment stops the line edit.
    text = "---\ntags:\n- a\n  # keep me\n- b\nx: ~\n---\n"
    with pytest.raises(EditError, match="edit it by hand"):
        edit_text(text, [set_key("tags", "none")])


def test_broken_front_matter_is_refused():
    with pytest.raises(EditError, match="front matter has errors"):
        edit_text("---\nname: [oops\n---\n", [set_key("name", "x")])
    with pytest.raises(EditError, match="no front matter"):
        edit_text("# just text\n", [set_key("name", "x")])


def test_appending_to_a_scalar_is_refused():
    with pytest.raises(EditError, match="not a list"):
        edit_text("---\nupdates: 2026-01-01\n---\n", [append_item("updates", "x")])
