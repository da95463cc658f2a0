"""Shell completion of note arguments (SPEC 4.18): ids, names and aliases from the cache.

Each NOTE / CONTACT / INTERVIEW argument and option names `notes(...)` as its
`shell_complete`; Click's own completion does the rest (commands, options, choices).
Completing runs on every keypress, so it reads `speed.names` (the parse cache, no
parsing) and never loads the vault.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import click
from click.shell_completion import BashComplete, CompletionItem, add_completion_class

from ..core.errors import UsageError
from ..core.vault import find_vault

Completer = Callable[[click.Context, click.Parameter, str], list[CompletionItem]]

#: Characters bash would split or expand in a completed word.
_BASH_SPECIAL = re.compile(r"""([\s'"\\$`&;|<>(){}\[\]*?!#~=%^,])""")


class EscapedBashComplete(BashComplete):
    """Bash inserts a completion as it is, so `Jane Doe` must arrive as `Jane\\ Doe` (zsh
    and fish quote what they insert themselves). Click's bash script reads each line
    with `read` (no `-r`), which takes one level of backslashes away: doubled here."""

    def format_completion(self, item: CompletionItem) -> str:
        if item.type != "plain":
            return super().format_completion(item)
        escaped = _BASH_SPECIAL.sub(r"\\\1", item.value).replace("\\", "\\\\")
        return f"{item.type},{escaped}"


def register_shells() -> None:
    """Before Click picks the shell's class (`LazyGroup.main`)."""
    add_completion_class(EscapedBashComplete)


def _vault(ctx: click.Context) -> Path | None:
    option = ctx.find_root().params.get("vault_option")
    try:
        return find_vault(option, os.environ, Path.cwd())
    except (UsageError, OSError):
        return None


def _items(root: Path, kinds: tuple[str, ...], incomplete: str) -> list[CompletionItem]:
    from ..speed.names import accepted_words, note_names

    found: dict[str, CompletionItem] = {}
    # Names hold spaces: offered once the user has started typing.
    for offer in accepted_words(note_names(root), kinds, incomplete, bool(incomplete)):
        word, note = offer.word, offer.note
        if not word.isprintable():
            continue  # control characters could drive the terminal; nobody types them
        kind = note.kind or "note"
        if word == offer.id:
            about = f"{note.name} · {kind}" if note.name else kind
        else:  # a name or an alias: the note it stands for
            about = f"{offer.id} · {kind}"
        found.setdefault(word, CompletionItem(word, help=about))
    return [found[word] for word in sorted(found, key=str.casefold)]


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
            return _items(root, kinds, incomplete)
        except Exception:  # completion must never print a traceback into the prompt
            return []

    return complete
