"""Resources a hostile input may not take: memory, time, output (SPEC 4.5, 4.11, 5).

No test here times anything. Each states a rule a user depends on and checks it by
counting or by bounding: a command run under a memory limit it cannot meet by reading a
huge file whole, the size of an output against the number of people drawn, how often
the vault is listed during an import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import NOW, write_vault

#: The address space a command gets in `run_bounded`: enough for Python, Click and a
#: small vault, far less than any file below read whole.
MEMORY_LIMIT = 256 * 1024 * 1024
HUGE = 2 * 1024 * 1024 * 1024  # sparse: costs no disk

_BOUNDED = textwrap.dedent(
    """
    import resource, sys
    limit = int(sys.argv.pop(1))
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from infoint_notes.cli import main
    main()
    """
)


def _clean_environment() -> dict[str, str]:
    """This process's environment without infoint's settings and without git's: run
    from a git hook or `git rebase --exec`, GIT_DIR would point every git command of a
    test (`git init`, `hook install`) at the repository being worked on."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("INFOINT_", "GIT_"))}


def run_bounded(vault: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`infoint --vault VAULT ARGS` in a process that cannot have more than
    MEMORY_LIMIT of memory; a hang (a FIFO opened for reading) fails the test."""
    env = _clean_environment()
    env["INFOINT_NOW"] = NOW
    return subprocess.run(
        [sys.executable, "-c", _BOUNDED, str(MEMORY_LIMIT), "--vault", str(vault), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def sparse(path: Path, size: int = HUGE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


def assert_one_line_usage_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


CONTACT = "---\ntype: contact\nname: Ada Lovelace\n---\n"


# --- 1. sizes are checked before reading ---------------------------------------------


def test_a_huge_infoint_yaml_is_refused_without_being_read(tmp_path: Path) -> None:
    vault = write_vault(tmp_path / "v", {"contacts/ada.md": CONTACT})
    sparse(vault / "infoint.yaml")
    result = run_bounded(vault, "agenda")
    assert_one_line_usage_error(result, "infoint.yaml: file is larger than 1 MiB")


@pytest.mark.parametrize(
    ("template", "args"),
    [
        ("contact.md", ("new", "contact", "Grace Hopper")),
        ("message-request.md", ("draft", "request", "ada")),
    ],
)
def test_a_huge_template_is_refused_without_being_read(
    tmp_path: Path, template: str, args: tuple[str, ...]
) -> None:
    vault = write_vault(tmp_path / "v", {"contacts/ada.md": CONTACT})
    sparse(vault / "templates" / template)
    result = run_bounded(vault, *args)
    assert_one_line_usage_error(result, f"templates/{template}: file is larger than 1 MiB")


@pytest.mark.parametrize("kind", ["linkedin", "vcard", "json"])
def test_a_huge_import_file_is_refused_without_being_read(tmp_path: Path, kind: str) -> None:
    vault = write_vault(tmp_path / "v", {})
    huge = sparse(tmp_path / "huge.txt")
    result = run_bounded(vault, "import", kind, str(huge))
    assert_one_line_usage_error(result, "huge.txt: file is larger than 64 MiB")
    assert not (vault / "contacts").exists()


def test_import_refuses_a_device_a_fifo_and_a_folder_in_one_line(tmp_path: Path) -> None:
    vault = write_vault(tmp_path / "v", {})
    fifo = tmp_path / "connections.csv"
    os.mkfifo(fifo)
    folder = tmp_path / "export"
    folder.mkdir()
    for kind, path, why in (
        ("vcard", "/dev/zero", "not a regular file"),
        ("linkedin", str(fifo), "not a regular file"),
        ("json", str(folder), "is a folder"),
    ):
        result = run_bounded(vault, "import", kind, path)
        assert_one_line_usage_error(result, f"{path}: {why}")
    assert not (vault / "contacts").exists()


@pytest.mark.parametrize("plant", ["fifo", "huge"])
def test_a_planted_agenda_memo_is_ignored_not_read(tmp_path: Path, plant: str) -> None:
    """`.infoint/` may come with a shared vault: a FIFO there must not hang the agenda,
    a huge file must not be read whole; the agenda is computed instead."""
    vault = write_vault(tmp_path / "v", {"contacts/ada.md": CONTACT})
    memo = vault / ".infoint" / "agenda.memo"
    memo.parent.mkdir()
    if plant == "fifo":
        os.mkfifo(memo)
    else:
        sparse(memo)
    result = run_bounded(vault, "agenda", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _git(cwd: Path, *args: str) -> None:
    env = _clean_environment()
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@x")
    env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@x")
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@needs_git
def test_a_fifo_in_place_of_the_pre_commit_hook_is_not_opened_for_reading(
    tmp_path: Path,
) -> None:
    vault = write_vault(tmp_path / "v", {"contacts/ada.md": CONTACT})
    _git(vault, "init", "-q")
    hook = vault / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(hook)
    result = run_bounded(vault, "hook", "install")
    assert result.returncode == 1, result.stderr
    assert "is not infoint's" in result.stderr
