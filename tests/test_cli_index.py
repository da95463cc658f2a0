"""`infoint index`: warm the cache, or start over, and say what happened."""

from __future__ import annotations

import os
import time

from infoint_notes.core.vault import walk_notes

CONTACT = "---\ntype: contact\nname: {name}\n---\nKnows [[ada]].\n"


def aged_vault(make_vault, count: int = 5):
    files = {
        f"contacts/p{number}.md": CONTACT.format(name=f"P {number}") for number in range(count)
    }
    files["ada.md"] = CONTACT.format(name="Ada")
    root = make_vault(files)
    age(root)
    return root


def age(root, seconds: int = 3600) -> None:
    stamp = time.time_ns() - seconds * 10**9
    for file in walk_notes(root):
        os.utime(file.path, ns=(stamp, stamp))


def test_index_counts_read_reused_removed(make_vault, run):
    root = aged_vault(make_vault)
    first = run(root, "index")
    assert first.exit_code == 0, first.stderr
    assert first.stdout == "read 6, reused 0, removed 0\n"
    assert run(root, "index").stdout == "read 0, reused 6, removed 0\n"

    edited = root / "contacts/p1.md"
    edited.write_text(CONTACT.format(name="Renamed"))
    stamp = time.time_ns() - 3600 * 10**9
    os.utime(edited, ns=(stamp, stamp))
    assert run(root, "index").stdout == "read 1, reused 5, removed 0\n"

    (root / "contacts/p2.md").unlink()
    assert run(root, "index").stdout == "read 0, reused 5, removed 1\n"


def test_index_rebuild_reads_everything(make_vault, run):
    root = aged_vault(make_vault)
    run(root, "index")
    (root / "contacts/p0.md").unlink()
    result = run(root, "index", "--rebuild")
    assert result.exit_code == 0
    assert result.stdout == "read 5, reused 0, removed 1\n"
    assert run(root, "index").stdout == "read 0, reused 5, removed 0\n"


def test_other_commands_keep_the_cache_current(make_vault, run):
    root = aged_vault(make_vault)
    run(root, "validate")
    assert run(root, "index").stdout == "read 0, reused 6, removed 0\n"


def test_index_formats_large_counts_with_separators(make_vault, run):
    root = aged_vault(make_vault, count=1200)
    assert run(root, "index").stdout == "read 1,201, reused 0, removed 0\n"


def test_index_says_so_when_the_cache_cannot_be_written(make_vault, run):
    root = aged_vault(make_vault)
    (root / ".infoint").write_text("in the way")
    result = run(root, "index")
    assert result.exit_code == 1
    assert result.stdout == "read 6, reused 0, removed 0\n"
    assert "cache not written" in result.stderr


def test_no_progress_bar_when_stderr_is_not_a_terminal(make_vault, run):
    root = aged_vault(make_vault, count=2100)
    result = run(root, "index")
    assert result.stderr == ""
