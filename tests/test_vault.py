"""Finding the vault and walking its notes."""

from __future__ import annotations

import os

import pytest

from infoint_notes.core.errors import UsageError
from infoint_notes.core.vault import NOT_IN_VAULT, find_vault, named_paths, walk_notes


def test_discovery_order(make_vault, tmp_path):
    vault = make_vault({"contacts/a.md": "x"})
    deep = vault / "contacts"
    assert find_vault(None, {}, deep) == vault.resolve()
    assert find_vault(str(vault), {}, tmp_path) == vault.resolve()
    assert find_vault(None, {"INFOINT_VAULT": str(vault)}, tmp_path) == vault.resolve()


def test_outside_a_vault(tmp_path):
    with pytest.raises(UsageError) as caught:
        find_vault(None, {}, tmp_path)
    assert str(caught.value) == NOT_IN_VAULT
    with pytest.raises(UsageError, match="not an infoint vault"):
        find_vault(str(tmp_path), {}, tmp_path)


def test_a_vault_under_an_unknown_users_home_is_not_a_vault(tmp_path, run):
    """`~nobody/notes`: no such user, so no such vault (Path.expanduser raises)."""
    given = "~no-such-user-infoint/notes"
    for explicit, environ in ((given, {}), (None, {"INFOINT_VAULT": given})):
        with pytest.raises(UsageError, match="not an infoint vault"):
            find_vault(explicit, environ, tmp_path)
    result = run(None, "--vault", given, "agenda")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{given} is not an infoint vault")


def test_walk_is_sorted_and_skips_hidden_templates_and_non_notes(make_vault):
    vault = make_vault(
        {
            "b.md": "",
            "a/z.md": "",
            "a/b.md": "",
            ".obsidian/x.md": "",
            ".hidden.md": "",
            "templates/contact.md": "",
            "sub/templates/kept.md": "",
            "image.png": "",
            "x.md~": "",
            ".infoint/cache.md": "",
        }
    )
    assert [note.rel for note in walk_notes(vault)] == [
        "a/b.md",
        "a/z.md",
        "b.md",
        "sub/templates/kept.md",
    ]


def test_symlinks_leaving_the_vault_are_not_followed(make_vault, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\nname: secret\n---\n")
    vault = make_vault({"inside.md": "x"})
    os.symlink(outside, vault / "linked-dir")
    os.symlink(outside / "secret.md", vault / "linked.md")
    os.symlink(vault / "inside.md", vault / "alias.md")
    os.symlink(vault / "missing.md", vault / "dangling.md")
    os.symlink(vault, vault / "loop")
    assert [note.rel for note in walk_notes(vault)] == ["alias.md", "inside.md"]


def test_fifo_named_like_a_note_is_skipped(make_vault):
    vault = make_vault({"a.md": "x"})
    os.mkfifo(vault / "pipe.md")
    assert [note.rel for note in walk_notes(vault)] == ["a.md"]


def test_named_paths_are_taken_from_here_else_from_the_vault(make_vault, tmp_path):
    vault = make_vault({"contacts/a.md": "x", "contacts/b.md": "x", "interviews/c.md": "x"})
    root = vault.resolve()
    notes = ["contacts/a.md", "contacts/b.md", "interviews/c.md"]
    assert named_paths(root, root, notes, ()) is None  # nothing named: the whole vault
    assert named_paths(root, root, notes, (".",)) is None
    assert named_paths(root, root, notes, ("contacts",)) == {"contacts/a.md", "contacts/b.md"}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert named_paths(root, elsewhere, notes, ("interviews/c.md",)) == {"interviews/c.md"}
    assert named_paths(root, elsewhere, notes, (str(root / "contacts/a.md"),)) == {"contacts/a.md"}
    with pytest.raises(UsageError, match="is outside the vault"):
        named_paths(root, root, notes, (str(elsewhere),))
    with pytest.raises(UsageError, match="no such file or folder"):
        named_paths(root, root, notes, ("contacts/zed.md",))
