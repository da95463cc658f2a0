"""`infoint agenda --json` answered before Click is imported.

A status bar, a shell prompt, an editor or a cron job asks for the agenda as JSON many
times a day. Once the walk is done such a run is answered in milliseconds, by the
answer remembered (`speed.answers`) or by the agenda memo; importing Click and building
its command tree would then be a large part of the run. So `cli.main` first hands the
command line here. When it is one this module reads completely, it is answered here,
with the same vault lookup, `agenda_at` and printing as the Click command (which calls
`json_agenda` too):

    infoint [--vault PATH] [--no-color] agenda --json [--all] [--within DAYS]
            [--kind KIND]... [--now T] [--check]

(each option also as `--option=value`, in any order after `agenda`). Anything else
returns None and Click runs the command as always: help, another command, text or
iCalendar output, an option spelled otherwise or a value Click would refuse, shell
completion, and any error at all (Click then reports it as every command does; a run
cut short here wrote nothing but caches, atomically). `tests/test_quick.py` holds that
both ways print the same bytes with the same exit status."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.vault import find_vault, note_rules, read_config_bytes, scan_vault
from ..speed.answers import (
    Moment,
    Question,
    StoredAnswer,
    keep_answer,
    kept_through_edits,
    read_answer,
    read_inputs,
    store_answer,
)
from ..speed.cachedir import cache_wanted
from ..speed.memo_key import MemoKey, files_identity, scan_key
from .output import echo, echo_json_text, internal_error

if TYPE_CHECKING:
    from ..core.vault import VaultScan
    from ..speed.memo_answers import AgendaAnswer

#: `agenda --within`'s range (its Click type says the same).
MAX_WITHIN_DAYS = 36500


@dataclass
class JsonAgendaRequest:
    """What the command line asks for, as the Click options would hold it (`within`
    None: the default)."""

    vault_option: str | None = None
    within: int | None = None
    show_all: bool = False
    kinds: list[str] = field(default_factory=list)
    now_text: str | None = None
    check: bool = False
    as_json: bool = False

    def question(self) -> Question:
        """What the printed answer depends on of the request (and of the printer)."""
        horizon = "all" if self.show_all else "default" if self.within is None else self.within
        return horizon, tuple(sorted(set(self.kinds))), _printer_identity()


def _printer_identity() -> str:
    """This module and `output` (the rest of what prints is in the memo's key)."""
    return files_identity(Path(__file__).parent, ("quick.py", "output.py"))


def _valued(argv: Sequence[str], at: int, name: str) -> tuple[str, int] | None:
    """The value of option `name` at `argv[at]` (`--name VALUE` or `--name=VALUE`) and
    where the next argument is; None when it is not that option or has no plain value."""
    word = argv[at]
    if word.startswith(name + "="):
        return word[len(name) + 1 :], at + 1
    if word != name or at + 1 >= len(argv) or argv[at + 1].startswith("-"):
        return None
    return argv[at + 1], at + 2


def parse_request(argv: Sequence[str]) -> JsonAgendaRequest | None:
    """The request `argv` (without the program name) makes, or None when it is not
    one this module answers (see the module). Kinds are checked when answering."""
    request = JsonAgendaRequest()
    at = 0
    while at < len(argv) and argv[at] != "agenda":
        if argv[at] == "--no-color":
            at += 1
            continue
        found = _valued(argv, at, "--vault")
        if found is None:
            return None
        request.vault_option, at = found
    at += 1  # the command
    if at > len(argv):
        return None
    flags = {"--json": "as_json", "--all": "show_all", "--check": "check"}
    while at < len(argv):
        word = argv[at]
        if word in flags:
            setattr(request, flags[word], True)
            at += 1
            continue
        if word.startswith("--within"):
            found = _valued(argv, at, "--within")
            if found is None:
                return None
            digits = found[0]
            if not (digits.isascii() and digits.isdigit()) or len(digits.lstrip("0")) > 5:
                return None  # (beyond the range: Click says so)
            request.within = int(found[0])
            if request.within > MAX_WITHIN_DAYS:
                return None
        elif word.startswith("--kind"):
            found = _valued(argv, at, "--kind")
            if found is None:
                return None
            request.kinds.append(found[0])
        elif word.startswith("--now"):
            found = _valued(argv, at, "--now")
            if found is None:
                return None
            request.now_text = found[0]
        else:
            return None
        at = found[1]
    return request if request.as_json else None


def quick_agenda(argv: Sequence[str]) -> int | None:
    """Print the JSON agenda `argv` asks for and return the exit status; None (having
    printed nothing) when Click should run the command line instead."""
    if any(name.endswith("_COMPLETE") for name in os.environ):
        return None  # the shell completing a word: Click's business
    request = parse_request(argv)
    if request is None:
        return None
    try:
        root = find_vault(request.vault_option, os.environ, Path.cwd())
        scan = scan_vault(root, note_rules(root))
        config_bytes = read_config_bytes(root)
        key = scan_key(scan, config_bytes)
        remembered = _remembered(root, request, key) if cache_wanted() else None
        if remembered is None:
            remembered = _answered(root, scan, request, config_bytes, key)
    except Exception:  # Click runs it again, and reports it as it should
        return None
    if remembered is None:
        return None
    try:
        echo_json_text(remembered.text)
    except BrokenPipeError:
        raise  # the reader left: `cli.main` ends quietly
    except Exception as exc:  # as the Click command reports it (`root.LazyGroup.invoke`)
        if os.environ.get("INFOINT_DEBUG"):
            raise
        echo(internal_error(exc), err=True)
        return 2
    return 1 if request.check and remembered.overdue_shown else 0


def _moment_texts(request: JsonAgendaRequest) -> tuple[str, str]:
    return os.environ.get("INFOINT_NOW", ""), request.now_text or ""


def _remembered(root: Path, request: JsonAgendaRequest, key: MemoKey) -> StoredAnswer | None:
    """The answer remembered for this question, if it holds for the vault as it is
    (kept through edits that change no note's facts) and for now."""
    stored = read_answer(root)
    if stored is None or stored.request != request.question():
        return None
    now = stored.moment.matches(*_moment_texts(request))
    if now is None or not stored.holds_at(now):
        return None
    if stored.key == key:
        return stored
    kept = kept_through_edits(root, stored, key)
    if kept is None:
        return None
    keep_answer(root, stored, kept.states)
    return stored


def _answered(
    root: Path, scan: VaultScan, request: JsonAgendaRequest, config_bytes: bytes, key: MemoKey
) -> StoredAnswer | None:
    """The answer computed the agenda command's way (and remembered when it can be);
    None for a kind Click would refuse. `key`: the vault's state, from `scan` and
    `config_bytes` (not worked out twice)."""
    # Imported here: what the memo's answer needs, which a remembered answer does not.
    from ..rules.agenda import DEFAULT_WITHIN_DAYS, KINDS, shown_steady_until
    from ..speed.agenda_memo import agenda_at
    from ..speed.background import finish
    from .context import App

    if any(kind not in KINDS for kind in request.kinds):
        return None
    app = App(request.vault_option, None)
    app.walked(root, scan, config_bytes)
    answer = agenda_at(app, lambda zone: app.now_in(zone, request.now_text), key)
    horizon = None if request.show_all else request.within
    if horizon is None and not request.show_all:
        horizon = DEFAULT_WITHIN_DAYS
    text, overdue = json_agenda(answer, horizon, request.kinds)
    now = answer.now.timestamp()
    stored = StoredAnswer(
        request.question(), MemoKey(b"", b"", ""), Moment("", "", now), now, now, overdue, text
    )
    moment = _moment(answer, request)

    def remember() -> None:
        remembered = answer.remember()
        if remembered is not None and moment is not None and app.use_cache:
            key, until = remembered
            until = min(until, shown_steady_until(answer.dues(), answer.now, horizon))
            digests = read_inputs(root, key.states) or b""
            kept = stored._replace(key=key, moment=moment, until=until, digests=digests)
            store_answer(root, kept)

    if answer.pending is not None:  # everything was computed: remembered after the answer
        finish(root, remember, len(app.files()))
    else:
        remember()
    # Kept until the process ends (`cli.main` leaves by `os._exit`): freeing the vault
    # index the agenda was computed from, a million objects one by one, would take a
    # twentieth of a cold run (as `cli.main` keeps Click's command alive in its handler).
    _KEEP_UNTIL_EXIT[:] = [app]  # the last one only: tests call this many times
    return stored


_KEEP_UNTIL_EXIT: list[object] = []


def _moment(answer: AgendaAnswer, request: JsonAgendaRequest) -> Moment | None:
    """How a later run knows the answer is for its moment: the clock, or `--now` /
    `INFOINT_NOW` when the one that counts names a moment whatever the clock says (an
    ISO date-time); None for one that depends on the clock (`friday`)."""
    from ..core.dates import parse_now

    env_text, option_text = _moment_texts(request)
    given = option_text or env_text
    if not given:
        return Moment("", "", 0.0)
    zone = answer.now.tzinfo
    assert zone is not None
    try:
        fixed = parse_now(given, zone)
    except ValueError:
        return None
    if fixed != answer.now:
        return None
    return Moment(env_text, option_text, answer.now.timestamp())


def json_agenda(
    answer: AgendaAnswer, horizon: int | None, kinds: Sequence[str]
) -> tuple[str, bool]:
    """The JSON of the items due within `horizon` days (None: all) of `kinds` (none:
    every kind), and whether one of them is overdue."""
    from ..formats.jsontext import json_lines

    shown = answer.select(horizon, tuple(kinds))
    return json_lines(answer.json_objects(shown)), answer.any_overdue(shown)
