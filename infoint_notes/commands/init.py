"""`infoint init`."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.config import CONFIG_NAME, load_config
from ..core.errors import UsageError
from ..git.repo import commit_new_vault
from ..write.demo import write_demo
from ..write.scaffold import create_vault
from .app import App, now_option, pass_app
from .output import echo


@click.command("init")
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--demo", is_flag=True, help="Add a sample network to explore the commands.")
@click.option("--git", "use_git", is_flag=True, help="Run git init and make a first commit.")
@now_option
@pass_app
def init_command(app: App, directory: str, demo: bool, use_git: bool, now_text: str | None) -> None:
    """Create a vault in DIRECTORY (default: here) from the template.

    A non-empty folder is refused unless it is already a vault; then only the template
    files it lacks are added. --demo needs a new or empty folder, and dates its notes
    relative to now, so the agenda has something to show at once.

    Example:

    \b
        infoint init ~/interviews --git
        infoint init demo --demo && infoint --vault demo agenda
    """
    root = Path(directory)
    written = create_vault(root, demo)
    if demo:
        now = app.now_in(load_config(root).zone, now_text)
        written += write_demo(root, now)
    for rel in written:
        echo(f"created {rel}")
    if use_git:
        echo(f"git: {commit_new_vault(root.resolve(), written)}", err=True)
    where = directory if directory != "." else "this folder"
    if written:
        echo(f"infoint vault ready in {where}", err=True)
    else:
        echo(f"{where} is already a complete vault; nothing to add", err=True)
    if not _knows_me(root):
        echo(
            f"next: tell the drafts who you are: fill in 'me:' (name, school, pitch) in "
            f"{(root / CONFIG_NAME).as_posix() if directory != '.' else CONFIG_NAME}",
            err=True,
        )


def _knows_me(root: Path) -> bool:
    """Whether the vault's config gives the user's name (a broken config is for
    `validate` to report, not for `init`)."""
    try:
        return load_config(root).me.name is not None
    except UsageError:
        return True
