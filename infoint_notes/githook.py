"""The git pre-commit hook that `infoint hook install` writes (SPEC 4.17)."""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError, WriteRefused

MARKER = "# infoint-managed pre-commit hook"
BACKUP_SUFFIX = ".infoint-backup"

_SCRIPT = """#!/bin/sh
{marker}: refuses a commit whose staged notes have errors.
# Installed by `infoint hook install`; `infoint hook uninstall` removes it.
top=$(git rev-parse --show-toplevel) || exit 1
cd "$top" || exit 1
vault={vault}
python={python}
# What is checked is what the commit will hold: the staged version of each note.
if "$python" -c 'import infoint_notes' 2>/dev/null; then
  exec "$python" -m infoint_notes --vault "$vault" validate --staged
fi
if command -v infoint >/dev/null 2>&1; then
  exec infoint --vault "$vault" validate --staged
fi
echo "infoint pre-commit hook: infoint is not installed here; notes were not checked" >&2
exit 0
"""


@dataclass(frozen=True, slots=True)
class HookPlace:
    """Where the vault's repository keeps its pre-commit hook."""

    hook: Path
    vault_in_repo: str  # the vault folder relative to the repository's top, `.` for the top


def _git(root: Path, *args: str) -> str:
    if shutil.which("git") is None:
        raise UsageError("git is not installed")
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise UsageError(
            f"{root} is not in a git repository; run 'git init' there (or 'infoint init --git')"
        )
    return result.stdout.strip()


def hook_place(root: Path) -> HookPlace:
    """The hook file (honouring core.hooksPath and worktrees) and the vault's place."""
    top = Path(_git(root, "rev-parse", "--show-toplevel")).resolve()
    hooks = Path(_git(root, "rev-parse", "--git-path", "hooks"))
    if not hooks.is_absolute():
        hooks = root / hooks
    vault = root.resolve().relative_to(top).as_posix() or "."
    return HookPlace(hooks / "pre-commit", vault)


def hook_script(vault_in_repo: str, python: str) -> str:
    return _SCRIPT.format(
        marker=MARKER, vault=shlex.quote(vault_in_repo), python=shlex.quote(python)
    )


def is_ours(path: Path) -> bool:
    try:
        return MARKER in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def install(root: Path, python: str, force: bool = False) -> str:
    """Write the hook; a foreign hook is kept as a backup with --force, else refused."""
    place = hook_place(root)
    hook = place.hook
    message = f"installed {hook}"
    if hook.exists() and not is_ours(hook):
        if not force:
            raise WriteRefused(
                f"{hook} exists and is not infoint's; keep it, or pass --force "
                f"(it is then kept as {hook.name}{BACKUP_SUFFIX})"
            )
        hook.replace(hook.with_name(hook.name + BACKUP_SUFFIX))
        message += f" (your previous hook is kept as {hook.name}{BACKUP_SUFFIX})"
    hook.parent.mkdir(parents=True, exist_ok=True)
    temporary = hook.with_name(hook.name + ".infoint-tmp")
    temporary.write_text(hook_script(place.vault_in_repo, python), encoding="utf-8")
    mode = os.stat(temporary).st_mode
    os.chmod(temporary, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    os.replace(temporary, hook)
    return message


def uninstall(root: Path) -> str:
    """Remove our hook (restoring a backed-up foreign one); never remove someone else's."""
    hook = hook_place(root).hook
    if not hook.exists():
        return "no pre-commit hook installed"
    if not is_ours(hook):
        raise WriteRefused(f"{hook} is not infoint's hook; left as it is")
    hook.unlink()
    backup = hook.with_name(hook.name + BACKUP_SUFFIX)
    if backup.exists():
        backup.replace(hook)
        return f"removed infoint's hook; restored your previous {hook.name}"
    return f"removed {hook}"


def staged_files(root: Path) -> dict[str, bytes]:
    """Vault-relative path -> staged content of every file added, copied, modified or
    renamed in the index (what the next commit will hold)."""
    place = hook_place(root)
    top = Path(_git(root, "rev-parse", "--show-toplevel")).resolve()
    listed = subprocess.run(
        [
            "git",
            "-c",
            "core.quotepath=off",
            "diff",
            "--cached",
            "--name-only",
            "--diff-filter=ACMR",
            "-z",
            "--",
            ".",
        ],
        cwd=root,
        capture_output=True,
        check=False,
    )
    names = [name for name in listed.stdout.decode("utf-8", "replace").split("\0") if name]
    if not names:
        return {}
    # One `git cat-file --batch` for all of them; a blob per ":path" request.
    requests = "".join(f":{name}\n" for name in names).encode("utf-8")
    batch = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=top, input=requests, capture_output=True, check=False
    )
    found: dict[str, bytes] = {}
    data, offset = batch.stdout, 0
    prefix = "" if place.vault_in_repo == "." else place.vault_in_repo + "/"
    for name in names:
        end = data.find(b"\n", offset)
        if end < 0:
            break
        header = data[offset:end].split()
        offset = end + 1
        if len(header) != 3 or header[1] != b"blob":
            continue  # "missing": a submodule or a path git cannot show
        size = int(header[2])
        content = data[offset : offset + size]
        offset += size + 1
        if name.startswith(prefix):
            found[name[len(prefix) :]] = content
    return found
