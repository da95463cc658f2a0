"""`infoint hook install|uninstall`."""

from __future__ import annotations

import sys

import click

from ..git.hook import install, uninstall
from .app import App, pass_app
from .output import echo


@click.group("hook")
def hook_command() -> None:
    """Check notes before every git commit (a pre-commit hook).

    Example:

    \b
        infoint hook install
        infoint hook uninstall
    """


@hook_command.command("install")
@click.option(
    "--force", is_flag=True, help="Replace a hook that is not infoint's (kept as a backup)."
)
@pass_app
def install_command(app: App, force: bool) -> None:
    """Write a pre-commit hook that runs `infoint validate` on the staged notes.

    A commit whose staged notes have errors is refused. A hook that is not infoint's is
    never replaced without --force.

    Example:

    \b
        infoint hook install
    """
    echo(install(app.root, sys.executable, force))


@hook_command.command("uninstall")
@pass_app
def uninstall_command(app: App) -> None:
    """Remove infoint's pre-commit hook (and only infoint's).

    Example:

    \b
        infoint hook uninstall
    """
    echo(uninstall(app.root))
