"""`infoint completion bash|zsh|fish` (SPEC 4.18): the shell's completion script."""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class

from .complete import register_shells
from .output import echo_document

#: What the generated script sets to ask `infoint` for completions.
COMPLETE_VAR = "_INFOINT_COMPLETE"


@click.command("completion")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@click.pass_context
def completion_command(ctx: click.Context, shell: str) -> None:
    """Print the completion script for SHELL: commands, options, choices and note ids,
    names and aliases (read from the cache in .infoint/, so a keypress never waits for
    the vault to be parsed). Save it where your shell looks (bash 4.4 or later), then
    open a new shell. For zsh, put ~/.zfunc in fpath before compinit; or try it at once
    with eval "$(infoint completion bash)".

    Example:

    \b
        infoint completion bash > ~/.local/share/bash-completion/completions/infoint
        infoint completion zsh > ~/.zfunc/_infoint
        infoint completion fish > ~/.config/fish/completions/infoint.fish
    """
    register_shells()
    completion_class = get_completion_class(shell)
    assert completion_class is not None  # the three choices are Click's own shells
    root = ctx.find_root().command
    script = completion_class(root, {}, "infoint", COMPLETE_VAR).source()
    echo_document(script if script.endswith("\n") else script + "\n")
