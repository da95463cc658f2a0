"""What infoint writes and prints is safe whatever a vault holds (SPEC 2, 5).

- `.infoint` is used only when it is a real folder inside the vault: a planted symlink
  (`.infoint -> ..`, committed by git in a shared vault) or file means no cache, and
  nothing is written or deleted through it.
- The template's `.gitignore` ignores `.infoint` in every form and the writer's
  temporary files.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from infoint_notes.cli import cli
from infoint_notes.vault import walk_notes
from tests.conftest import NOW, write_vault

HAS_GIT = shutil.which("git") is not None

NOTES = {
    "contacts/ada.md": "---\ntype: contact\nname: Ada Lovelace\nrequested: 2026-11-01\n"
    "request_via: email\n---\n",
    "contacts/bob.md": '---\ntype: contact\nname: Bob Stone\nreferred_by: "[[ada]]"\n---\n',
    "interviews/2026-11-19-ada.md": '---\ntype: interview\ncontact: "[[ada]]"\n'
    "date: 2026-11-19T10:00\nreferrals:\n  - name: Cy Young\n---\n",
}


def invoke(vault: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    environment = {"INFOINT_NOW": NOW, "INFOINT_VAULT": None, "NO_COLOR": None}
    return CliRunner().invoke(
        cli, ["--vault", str(vault), *args], env={**environment, **(env or {})}
    )


def age(root: Path) -> None:
    """Every note an hour old: out of the racy window, so a memo would be written."""
    stamp = time.time_ns() - 3600 * 10**9
    for file in walk_notes(root):
        os.utime(file.path, ns=(stamp, stamp))


def tree(folder: Path, skip: Path | None = None) -> dict[str, str]:
    """Every entry below `folder` (not following links), with a hash of each file,
    but not `skip` and what is below it."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if skip is not None and (path == skip or skip in path.parents):
            continue
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[rel] = "dir"
    return found


def vault_tree(vault: Path) -> dict[str, str]:
    """The vault's tree, `.infoint` itself included but not what a real one holds."""
    return {rel: found for rel, found in tree(vault).items() if not rel.startswith(".infoint/")}


# --- 1. a planted `.infoint` -------------------------------------------------------------


def _plant(kind: str, vault: Path, outside: Path) -> None:
    target = vault / ".infoint"
    if kind == "parent":
        target.symlink_to("..")
    elif kind == "outside":
        target.symlink_to(outside)
    elif kind == "dangling":
        target.symlink_to(outside / "not-yet")
    elif kind == "file":
        target.write_text("not a folder\n")
    else:  # a real folder whose files are links out of the vault
        target.mkdir()
        for name in (
            "cache.sqlite",
            "cache.sqlite-journal",
            "agenda.memo",
            ".gitignore",
            "CACHEDIR.TAG",
        ):
            (target / name).symlink_to(outside / f"victim-{name}")
        (outside / "victim-cache.sqlite").write_bytes(b"precious")
        (outside / "victim-agenda.memo").write_bytes(b"precious")


PLANTED = ["parent", "outside", "dangling", "file", "links-inside"]
COMMANDS = [
    ["agenda"],
    ["agenda", "--all", "--json"],
    ["validate", "--format", "json"],
    ["list", "--json"],
    ["graph", "--format", "json"],
    ["index"],
    ["index", "--rebuild"],
]


@pytest.fixture
def planted_world(tmp_path: Path) -> Callable[[str], tuple[Path, Path]]:
    def make(kind: str) -> tuple[Path, Path]:
        vault = write_vault(tmp_path / "vault", NOTES)
        age(vault)
        outside = tmp_path / "outside"
        outside.mkdir()
        # What a cache written through `.infoint -> ..` or a stale run would delete.
        (tmp_path / "agenda.memo").write_bytes(b"not infoint's")
        (outside / "agenda.memo").write_bytes(b"not infoint's")
        (outside / "cache.sqlite").write_bytes(b"not infoint's")
        _plant(kind, vault, outside)
        return vault, outside

    return make


@pytest.mark.parametrize("kind", PLANTED)
def test_planted_infoint_is_never_written_through(planted_world, tmp_path, kind):
    """Nothing outside the vault (nor in it) changes, and every answer is the one
    given without a cache."""
    vault, _ = planted_world(kind)
    before = tree(tmp_path, skip=vault)
    # `.infoint` itself stays what it is (a link inside a real one may be removed).
    inside = vault_tree(vault)
    for args in COMMANDS:
        expected = invoke(vault, *args, env={"INFOINT_NO_CACHE": "1"})
        for _ in range(2):  # the second run would answer from a memo, or write one
            result = invoke(vault, *args)
            assert "Traceback" not in result.output and "internal error" not in result.output
            if args[0] != "index":
                assert (result.exit_code, result.stdout) == (expected.exit_code, expected.stdout)
                assert result.stderr == expected.stderr
    assert tree(tmp_path, skip=vault) == before
    assert vault_tree(vault) == inside


@pytest.mark.parametrize("kind", ["parent", "outside", "dangling", "file"])
def test_index_says_plainly_why_there_is_no_cache(planted_world, kind):
    vault, _ = planted_world(kind)
    result = invoke(vault, "index")
    assert result.exit_code == 1
    assert result.stdout == "read 3, reused 0, removed 0\n"
    assert result.stderr.count("\n") == 1
    assert ".infoint is not a folder" in result.stderr


def test_cache_folder_swapped_for_a_link_while_created_is_not_followed(tmp_path, monkeypatch):
    """Another process replaces `.infoint` by a link right after it is created."""
    from infoint_notes.cache import update_cache

    vault = write_vault(tmp_path / "vault", NOTES)
    outside = tmp_path / "outside"
    outside.mkdir()
    real_mkdir = os.mkdir

    def mkdir_then_swap(path, mode=0o777, *args, **kwargs):
        real_mkdir(path, mode, *args, **kwargs)
        if os.fspath(path).endswith(".infoint"):
            os.rmdir(path)
            os.symlink(outside, path)

    monkeypatch.setattr(os, "mkdir", mkdir_then_swap)
    stats = update_cache(vault)
    assert not stats.written
    assert list(outside.iterdir()) == []


# --- 2. the template's .gitignore ----------------------------------------------------------


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)


@pytest.mark.skipif(not HAS_GIT, reason="needs git")
@pytest.mark.parametrize("form", ["folder", "symlink", "file"])
def test_template_gitignore_ignores_infoint_in_every_form(tmp_path, form):
    vault = tmp_path / "vault"
    assert invoke_init(vault).exit_code == 0
    assert _git(vault, "init", "-q").returncode == 0
    target = vault / ".infoint"
    if form == "folder":
        target.mkdir()
        (target / "cache.sqlite").write_bytes(b"x")
    elif form == "symlink":
        target.symlink_to("..")
    else:
        target.write_text("x")
    ignored = _git(vault, "check-ignore", "--no-index", "-v", ".infoint")
    assert ignored.returncode == 0, ignored.stdout + ignored.stderr
    status = _git(vault, "status", "--porcelain", "--untracked-files=all").stdout
    assert ".infoint" not in status


@pytest.mark.skipif(not HAS_GIT, reason="needs git")
def test_template_gitignore_ignores_the_writers_temporary_files(tmp_path):
    vault = tmp_path / "vault"
    assert invoke_init(vault).exit_code == 0
    assert _git(vault, "init", "-q").returncode == 0
    temporaries = [
        "contacts/.jane.md.ab12cd34.tmp",
        ".top.md.x_9yz0k1.tmp",
        "interviews/2026/.x.md.abcdefgh.tmp",
    ]
    notes = ["contacts/jane.md", "contacts/.hidden-but-mine.md", "contacts/jane.md.tmp"]
    for rel in temporaries + notes:
        path = vault / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    for rel in temporaries:
        assert _git(vault, "check-ignore", "-q", rel).returncode == 0, rel
    for rel in notes:
        assert _git(vault, "check-ignore", "-q", rel).returncode == 1, rel


def invoke_init(vault: Path) -> Result:
    return CliRunner().invoke(cli, ["init", str(vault)], env={"INFOINT_NOW": NOW})
