"""The `infoint` Click group: its global options, and each command loaded on first use.

Commands live beside it in `infoint_notes/commands/` and are imported only when run, so
`infoint agenda` never pays for ruamel.yaml or watchdog; what they share (`App`, the
`--now` and `--json` options) is `app.py`. `cli.main` runs it.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

import click

from .. import __version__
from ..core.errors import UsageError, WriteRefused
from .app import App
from .output import echo, internal_error, silence_stdout

#: name -> "module:attribute" of each command, loaded on first use.
COMMANDS: dict[str, str] = {
    "agenda": "infoint_notes.commands.agenda:agenda_command",
    "completion": "infoint_notes.commands.completion:completion_command",
    "draft": "infoint_notes.commands.draft:draft_command",
    "export": "infoint_notes.commands.export:export_command",
    "graph": "infoint_notes.commands.graph:graph_command",
    "hook": "infoint_notes.commands.hook:hook_command",
    "import": "infoint_notes.commands.import_:import_command",
    "index": "infoint_notes.commands.index:index_command",
    "init": "infoint_notes.commands.init:init_command",
    "links": "infoint_notes.commands.links:links_command",
    "list": "infoint_notes.commands.list_notes:list_command",
    "log": "infoint_notes.commands.log:log_command",
    "lsp": "infoint_notes.commands.lsp:lsp_command",
    "new": "infoint_notes.commands.new:new_command",
    "orgs": "infoint_notes.commands.orgs:orgs_command",
    "show": "infoint_notes.commands.show:show_command",
    "stats": "infoint_notes.commands.stats:stats_command",
    "targets": "infoint_notes.commands.targets:targets_command",
    "validate": "infoint_notes.commands.validate:validate_command",
    "watch": "infoint_notes.commands.watch:watch_command",
}


class _OneLine(click.ClickException):
    """Printed as the message alone, so scripts can match SPEC's lines exactly."""

    def show(self, file: Any = None) -> None:
        echo(self.format_message(), err=True)


class CommandError(_OneLine):
    """The command cannot run: one line on stderr, exit 2."""

    exit_code = 2


class Refused(_OneLine):
    """A write was refused to protect the user's file: exit 1."""

    exit_code = 1


class LazyGroup(click.Group):
    """Loads each command's module on demand and turns failures into exit codes."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attribute = target.split(":")
        return getattr(importlib.import_module(module), attribute)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if any(name.endswith("_COMPLETE") for name in os.environ):
            # Completing (Click reads `_INFOINT_COMPLETE`): before Click picks the
            # shell's class, so that bash gets names with spaces escaped.
            from .complete import register_shells

            register_shells()
        return super().main(*args, **kwargs)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[Any]:
        """Command names without importing every command (Click would, for their help):
        a keypress must not load the whole program."""
        from click.shell_completion import CompletionItem

        if incomplete.startswith("-"):
            return super().shell_complete(ctx, incomplete)
        return [
            CompletionItem(name) for name in self.list_commands(ctx) if name.startswith(incomplete)
        ]

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise CommandError(str(exc)) from None
        except WriteRefused as exc:
            raise Refused(str(exc)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            # `infoint agenda | head`: the reader left; that is not an error.
            silence_stdout()
            ctx.exit(0)
        except KeyboardInterrupt:
            echo("", err=True)
            ctx.exit(130)
        except Exception as exc:
            if os.environ.get("INFOINT_DEBUG"):
                raise
            raise CommandError(internal_error(exc)) from None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--vault",
    "vault_option",
    metavar="PATH",
    help="The vault folder. Default: INFOINT_VAULT, else the nearest folder with infoint.yaml.",
)
@click.option("--no-color", is_flag=True, help="Plain text output (NO_COLOR does the same).")
@click.version_option(__version__, prog_name="infoint")
@click.pass_context
def cli(ctx: click.Context, vault_option: str | None, no_color: bool) -> None:
    """infoint: your informational interviews, as plain-text notes.

    Every contact and interview is a Markdown note with YAML front matter in your vault
    folder. infoint checks them, links them into a referral graph, and tells you what
    to do next.

    Example:

    \b
        infoint init my-vault --demo && infoint --vault my-vault agenda
    """
    color = False if no_color or os.environ.get("NO_COLOR") else None
    ctx.color = color
    ctx.obj = App(vault_option, color)
