"""bash asking which notes an argument may name, answered before Click (SPEC 4.18).

A shell completes on every keypress, and importing Click and the commands is a third of
a completion at 10,000 notes. The commonest question (`infoint show pri<TAB>`,
`infoint log done pri<TAB>`: the note argument right after a command, in bash) is
answered here from the names in the cache, the way `complete.notes` answers it inside
Click: the same words, the same escaping. Any other command line (an option, a quote, a
second argument, zsh or fish) is Click's, as before; a test compares the two on every
command this answers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from ..core.vault import find_vault

#: Commands whose only argument is a note, and of which kinds (none: any kind). Their
#: Click arguments complete with these kinds too (`complete.notes`).
NOTE_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "show": (),
    "links": (),
    "orgs": ("organization",),
}

#: Characters bash would split or expand in a completed word.
_BASH_SPECIAL = re.compile(r"""([\s'"\\$`&;|<>(){}\[\]*?!#~=%^,])""")
#: What makes a command line one that Click must read: quotes, escapes, `=` (an option
#: or `--` is a word no command line answered here has).
_NOT_PLAIN = re.compile(r"""['"\\=]""")
#: What separates the words: the blanks Click's `split_arg_string` (shlex) splits on,
#: not every space `str.split` knows (`show<U+00A0>p`, Option-Space on a Mac, is one word).
_BLANKS = re.compile(r"[ \t\r\n]+")


def bash_word(word: str) -> str:
    """`word` as bash's completion reads it: bash inserts it as it is, so `Jane Doe` must
    arrive as `Jane\\ Doe`, and Click's bash script reads each line with `read` (no
    `-r`), which takes one level of backslashes away: doubled."""
    return _BASH_SPECIAL.sub(r"\\\1", word).replace("\\", "\\\\")


def offered(root: Path, kinds: tuple[str, ...], incomplete: str) -> list[tuple[str, str]]:
    """(word, what it names) for each word starting with `incomplete` that a note
    argument of `kinds` accepts: ids, and once typing has started names and aliases,
    sorted case-insensitively."""
    from ..speed.names import accepted_words, note_names

    found: dict[str, str] = {}
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
        found.setdefault(word, about)
    return [(word, found[word]) for word in sorted(found, key=str.casefold)]


def quick_completion(environ: Mapping[str, str]) -> str | None:
    """What bash's completion prints for this command line (its lines, as Click's
    `BashComplete.complete` joins them), when it asks for a note argument right after
    its command; None: Click answers (it reads everything else)."""
    if environ.get("_INFOINT_COMPLETE") != "bash_complete":
        return None
    line = environ.get("COMP_WORDS", "")
    try:
        at = int(environ.get("COMP_CWORD", ""))
    except ValueError:
        return None
    words = [word for word in _BLANKS.split(line) if word]
    if _NOT_PLAIN.search(line) or not 1 <= at <= len(words):
        return None
    before, incomplete = words[1:at], words[at] if at < len(words) else ""
    kinds = _kinds(before)
    if kinds is None or incomplete.startswith("-"):
        return None
    try:
        found = offered(find_vault(None, environ, Path.cwd()), kinds, incomplete)
    except Exception:  # no vault here, a damaged cache record: Click answers its way
        return None
    return "\n".join(f"plain,{bash_word(word)}" for word, _ in found)


def _kinds(before: list[str]) -> tuple[str, ...] | None:
    """The kinds of note the word after `before` names, for the command lines answered
    here: `CMD` of NOTE_ARGUMENTS, or `log EVENT`."""
    if len(before) == 1:
        return NOTE_ARGUMENTS.get(before[0])
    if len(before) == 2 and before[0] == "log":
        from ..write.events import EVENTS

        event = EVENTS.get(before[1])
        return event.argument_kinds if event is not None else None
    return None
