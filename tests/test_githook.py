"""`infoint hook`: a real pre-commit hook in a real temporary git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

REPO_ROOT = Path(__file__).resolve().parent.parent
GOOD = "---\ntype: contact\nname: Jane Doe\n---\n"
BROKEN = "---\ntype: contact\ntitle: no name\n---\n"


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        {
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            # The hook runs `python -m infoint_notes`: make this checkout importable.
            "PYTHONPATH": str(REPO_ROOT),
        }
    )
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)


@pytest.fixture
def repo(make_vault):
    vault = make_vault({"contacts/jane-doe.md": GOOD})
    git(vault, "init", "-q")
    git(vault, "add", "-A")
    assert git(vault, "commit", "-qm", "start").returncode == 0
    return vault


def test_hook_refuses_a_broken_note_and_lets_a_clean_one_through(run, repo):
    result = run(repo, "hook", "install")
    assert result.exit_code == 0, result.stderr
    hook = repo / ".git" / "hooks" / "pre-commit"
    assert os.access(hook, os.X_OK)

    (repo / "contacts" / "broken.md").write_text(BROKEN)
    git(repo, "add", "contacts/broken.md")
    refused = git(repo, "commit", "-qm", "broken")
    assert refused.returncode != 0
    assert "contacts/broken.md:1:1: error missing-field" in refused.stdout + refused.stderr

    (repo / "contacts" / "broken.md").write_text(GOOD.replace("Jane Doe", "Sam Lee"))
    git(repo, "add", "contacts/broken.md")
    assert git(repo, "commit", "-qm", "fixed").returncode == 0


def test_unstaged_broken_notes_do_not_block_a_commit(run, repo):
    run(repo, "hook", "install")
    (repo / "scratch.md").write_text(BROKEN)
    (repo / "contacts" / "sam.md").write_text(GOOD.replace("Jane Doe", "Sam Lee"))
    git(repo, "add", "contacts/sam.md")
    assert git(repo, "commit", "-qm", "sam").returncode == 0


def test_foreign_hook_is_kept_unless_forced_and_restored_on_uninstall(run, repo):
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho mine\n")
    refused = run(repo, "hook", "install")
    assert refused.exit_code == 1
    assert "not infoint's" in refused.stderr
    assert hook.read_text() == "#!/bin/sh\necho mine\n"

    assert run(repo, "hook", "install", "--force").exit_code == 0
    assert "infoint-managed" in hook.read_text()
    assert run(repo, "hook", "install").exit_code == 0  # reinstalling ours is fine

    result = run(repo, "hook", "uninstall")
    assert result.exit_code == 0 and "restored" in result.stdout
    assert hook.read_text() == "#!/bin/sh\necho mine\n"
    assert run(repo, "hook", "uninstall").exit_code == 1  # not ours: left alone


def test_vault_in_a_subfolder_of_the_repository(run, tmp_path):
    top = tmp_path / "repo"
    vault = top / "notes"
    vault.mkdir(parents=True)
    (vault / "infoint.yaml").write_text("timezone: UTC\n")
    git(top, "init", "-q")
    assert run(vault, "hook", "install").exit_code == 0
    (vault / "bad.md").write_text(BROKEN)
    git(top, "add", "-A")
    assert git(top, "commit", "-qm", "x").returncode != 0


def test_outside_a_repository_is_a_usage_error(run, make_vault):
    result = run(make_vault(), "hook", "install")
    assert result.exit_code == 2
    assert "git init" in result.stderr


def test_the_staged_version_is_what_is_checked(run, repo):
    """The commit holds what is staged, whatever the working copy says."""
    run(repo, "hook", "install")
    note = repo / "contacts" / "sam.md"
    note.write_text(BROKEN)
    git(repo, "add", "contacts/sam.md")
    note.write_text(GOOD.replace("Jane Doe", "Sam Lee"))  # fixed on disk, not staged
    refused = git(repo, "commit", "-qm", "broken staged")
    assert refused.returncode != 0
    assert "contacts/sam.md:1:1: error missing-field" in refused.stdout + refused.stderr

    git(repo, "add", "contacts/sam.md")  # now the good version is staged ...
    note.write_text(BROKEN)  # ... and the working copy is broken again
    assert git(repo, "commit", "-qm", "good staged").returncode == 0
    assert "name: Sam Lee" in git(repo, "show", "HEAD:contacts/sam.md").stdout


def test_validate_staged_needs_no_paths(run, repo):
    result = run(repo, "validate", "--staged", "contacts")
    assert result.exit_code == 2
    clean = run(repo, "validate", "--staged")
    assert clean.exit_code == 0 and "checked 0 notes" in clean.stderr
