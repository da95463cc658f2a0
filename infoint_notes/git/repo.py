"""`infoint init --git`: a repository for a new vault, and its first commit."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..core.errors import UsageError


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """git in `cwd`, with an identity to commit as where git has none configured."""
    environment = dict(os.environ)
    # A first commit must not fail on a machine where git has no identity yet.
    for variable, fallback in (
        ("GIT_AUTHOR_NAME", "infoint"),
        ("GIT_COMMITTER_NAME", "infoint"),
        ("GIT_AUTHOR_EMAIL", "infoint@localhost"),
        ("GIT_COMMITTER_EMAIL", "infoint@localhost"),
    ):
        environment.setdefault(variable, fallback)
    probe = subprocess.run(
        ["git", "config", "user.email"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    if probe.stdout.strip():
        for variable in (
            "GIT_AUTHOR_NAME",
            "GIT_COMMITTER_NAME",
            "GIT_AUTHOR_EMAIL",
            "GIT_COMMITTER_EMAIL",
        ):
            if variable not in os.environ:
                environment.pop(variable, None)
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env=environment, check=False
    )


def commit_new_vault(root: Path, paths: list[str]) -> str:
    """`infoint init --git`: make `root` a repository if it is in none, and commit the
    files the template and demo wrote (`paths`). What was done, for the user."""
    if shutil.which("git") is None:
        raise UsageError("--git needs git, which is not installed")
    inside = _git(["rev-parse", "--is-inside-work-tree"], root)
    if inside.returncode != 0:
        result = _git(["init", "--quiet"], root)
        if result.returncode != 0:
            raise UsageError(f"git init failed: {result.stderr.strip()}")
    if not paths:
        return "nothing new to commit"
    _git(["add", "--", *paths], root)
    result = _git(["commit", "--quiet", "-m", "Start an infoint vault"], root)
    if result.returncode != 0:
        raise UsageError(f"git commit failed: {(result.stderr or result.stdout).strip()}")
    return "committed"
