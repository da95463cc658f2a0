"""The agenda memo's key of the vault's notes (`speed.memo_key`): read off the walk's
tuples on every run, it must be the key of the walk's NoteFiles, and change whenever a
note's path, mtime, size, inode or change time does."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoint_notes.core.vault import NoteFile, VaultScan, note_rules, scan_vault, walk_vault
from infoint_notes.speed.memo_key import changed_files, file_changes, memo_key, scan_key

CONFIG = b"timezone: UTC\n"


def _vault(root: Path) -> Path:
    (root / "infoint.yaml").write_bytes(CONFIG)
    for rel in (
        "contacts/ana.md",
        "contacts/ben.md",
        "b.md",
        "a-b.md",
        "a/c.md",
        "\u00e9t\u00e9.md",
    ):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("---\ntype: contact\nname: X\n---\n", encoding="utf-8")
    (root / "a/picture.png").write_bytes(b"png")
    return root


def _scan(files: list[NoteFile], others: list[str]) -> VaultScan:
    rows = [(f.rel, f.path, f.mtime_ns, f.size, f.ino, f.ctime_ns) for f in files]
    return VaultScan(rows, others)


def test_the_key_of_the_scan_is_the_key_of_the_walk(tmp_path):
    root = _vault(tmp_path)
    found = walk_vault(root, note_rules(root))
    scanned = scan_vault(root, note_rules(root))
    assert scanned.files() == found
    assert scan_key(scanned, CONFIG) == memo_key(found.notes, CONFIG, found.others)
    assert [file.rel for file in found.notes] == sorted(file.rel for file in found.notes)


@pytest.mark.parametrize(
    "change",
    [
        {"rel": "contacts/ana2.md"},
        {"mtime_ns": 1},
        {"size": 1},
        {"ino": 1},
        {"ctime_ns": 1},
    ],
)
def test_any_change_of_a_note_changes_the_key(tmp_path, change):
    root = _vault(tmp_path)
    found = walk_vault(root, note_rules(root))
    before = scan_key(_scan(found.notes, found.others), CONFIG)
    for place, file in enumerate(found.notes):
        moved = {name: value + getattr(file, name) for name, value in change.items()}
        notes = [*found.notes]
        notes[place] = replace(file, **moved)
        after = scan_key(_scan(notes, found.others), CONFIG)
        assert after != before
        assert after.head == before.head and after.others == before.others
        expected = None if "rel" in change else [place]
        assert changed_files(before.states, after.states) == expected


def test_notes_added_or_removed_are_no_update(tmp_path):
    root = _vault(tmp_path)
    notes = walk_vault(root, note_rules(root)).notes
    assert changed_files(memo_key(notes, CONFIG).states, memo_key(notes[1:], CONFIG).states) is None
    assert changed_files(memo_key(notes, CONFIG).states, memo_key(notes, CONFIG).states) == []


#: A vault's notes as the walk lists them: (path, mtime), in path order.
WALKS = st.dictionaries(
    st.sampled_from([f"{folder}/{name}.md" for folder in "ab" for name in "cdefgh"]),
    st.integers(0, 3),
).map(lambda stamps: sorted(stamps.items()))


def _states(walk: list[tuple[str, int]]) -> bytes:
    files = [NoteFile(rel, Path(rel), mtime, 1, 2, 3) for rel, mtime in walk]
    return memo_key(files, CONFIG).states


@given(WALKS, WALKS)
def test_file_changes_name_each_note_changed_added_and_removed(before, after):
    """What an update after notes were added, removed or renamed starts from."""
    was, now = dict(before), dict(after)
    expected = (
        [place for place, (rel, mtime) in enumerate(after) if was.get(rel, mtime) != mtime],
        [place for place, (rel, _) in enumerate(after) if rel not in was],
        [rel for rel, _ in before if rel not in now],
    )
    assert file_changes(_states(before), _states(after)) == expected


def test_an_unsettled_note_matches_no_walk(tmp_path):
    root = _vault(tmp_path)
    notes = walk_vault(root, note_rules(root)).notes
    walked = memo_key(notes, CONFIG)
    marked = memo_key(notes, CONFIG, unsettled={notes[2].rel})
    assert marked != walked
    assert changed_files(marked.states, walked.states) == [2]
