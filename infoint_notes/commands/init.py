"""`infoint init`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import click

from ..core.errors import UsageError
from .app import App, now_option, pass_app
from .output import echo


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
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


def _commit(root: Path, paths: list[str]) -> str:
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


@click.command("init")
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--demo", is_flag=True, help="Add a sample network to explore the commands.")
@click.option("--git", "use_git", is_flag=True, help="Run git init and make a first commit.")
@now_option
@pass_app
def init_command(app: App, directory: str, demo: bool, use_git: bool, now_text: str | None) -> None:
    """Create a vault in DIRECTORY (default: here) from the template.

    A non-empty folder is refused unless it is already a vault; then only the template
    files it lacks are added. --demo dates its notes relative to now, so the agenda has
    something to show at once.

    Example:

    \b
        infoint init ~/interviews --git
        infoint init demo --demo && infoint --vault demo agenda
    """
    from ..core.config import load_config
    from ..write.scaffold import create_vault

    root = Path(directory)
    written = create_vault(root)
    if demo:
        from ..write.demo import write_demo

        now = app.now_in(load_config(root).zone, now_text)
        written += write_demo(root, now)
    for rel in written:
        echo(f"created {rel}")
    if use_git:
        echo(f"git: {_commit(root.resolve(), written)}", err=True)
    where = directory if directory != "." else "this folder"
    if written:
        echo(f"infoint vault ready in {where}", err=True)
    else:
        echo(f"{where} is already a complete vault; nothing to add", err=True)
