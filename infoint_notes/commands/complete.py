"""Shell completion of note arguments (SPEC 4.18): ids, names and aliases from the cache.

Each NOTE / CONTACT / INTERVIEW argument and option names `notes(...)` as its
`shell_complete`; Click's own completion does the rest (commands, options, choices).
Completing runs on every keypress, so it reads `speed.names` (the parse cache, no
parsing) and never loads the vault; bash asking for a note right after its command is
answered before Click (`quick_complete`), with the same words.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import click
from click.shell_completion import BashComplete, CompletionItem, add_completion_class

from ..core.errors import UsageError
from ..core.vault import find_vault
from .quick_complete import bash_word, offered

Completer = Callable[[click.Context, click.Parameter, str], list[CompletionItem]]


class EscapedBashComplete(BashComplete):
    """Bash inserts a completion as it is: its words are escaped (`bash_word`; zsh and
    fish quote what they insert themselves)."""

    def format_completion(self, item: CompletionItem) -> str:
        if item.type != "plain":
            return super().format_completion(item)
        return f"{item.type},{bash_word(item.value)}"


def register_shells() -> None:
    """Before Click picks the shell's class (`LazyGroup.main`)."""
    add_completion_class(EscapedBashComplete)


def _vault(ctx: click.Context) -> Path | None:
    option = ctx.find_root().params.get("vault_option")
    try:
        return find_vault(option, os.environ, Path.cwd())
    except (UsageError, OSError):
        return None


def notes(*kinds: str) -> Completer:
    """Completes a note argument: ids (and, once typing, names and aliases) of the notes
    of `kinds` (any note when none)."""

    def complete(
        ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        root = _vault(ctx)
        if root is None:
            return []
        try:
            return [
                CompletionItem(word, help=about) for word, about in offered(root, kinds, incomplete)
            ]
        except Exception:  # completion must never print a traceback into the prompt
            return []

    return complete
