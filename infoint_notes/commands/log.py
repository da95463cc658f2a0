"""`infoint log KIND NOTE [--date T]` (SPEC 4.9)."""

from __future__ import annotations

from typing import Any

import click

from ..core.notes import REQUEST_VIA
from ..write.edit import update_note
from ..write.record import EVENTS, event_when, log_entry
from .app import App, now_option, pass_app
from .output import echo


@click.group("log")
def log_command() -> None:
    """Record an event in a note's front matter, changing nothing else in the file.

    thank-you INTERVIEW sets thank_you_sent; request CONTACT --via M sets requested and
    request_via; response CONTACT sets responded; update CONTACT appends to updates;
    done / cancel INTERVIEW set status. The date is now unless --date is given: a date
    (2026-11-20) is written as a date, a time (2026-11-20T14:05) in the vault's time zone.

    Example:

    \b
        infoint log thank-you 2026-11-20-jane-doe
        infoint log request "Sam Lee" --via email --date 2026-11-18
    """


def _record(
    app: App,
    event: str,
    target: str,
    date_text: str | None = None,
    via: str | None = None,
    now_text: str | None = None,
) -> None:
    index = app.index()
    note = index.find(target, (EVENTS[event][0],))
    when = None  # done / cancel set only the status
    if event not in ("done", "cancel"):
        when = event_when(date_text, app.now(now_text), index.config.zone)
    entry = log_entry(event, note, when, via, index.config.zone)
    written = update_note(app.root / note.path, app.root, entry.changes, app.first_read(note.path))
    for key, value, old in entry.lines:
        was = f" (was {old})" if old not in (None, "", []) and written else ""
        echo(f"{note.path}: {key}: {value}{was}")
    if written is None:
        echo("already recorded; the note is unchanged", err=True)
    else:
        for warning in written.warnings:
            echo(warning, err=True)


# name, argument, what it does, example
_EVENTS = (
    (
        "thank-you",
        "INTERVIEW",
        "Set thank_you_sent of INTERVIEW (the thank-you is due within 24 hours).",
        "infoint log thank-you 2026-11-20-jane-doe --date 2026-11-20T18:30",
    ),
    (
        "request",
        "CONTACT",
        "Set requested and request_via of CONTACT: you asked them for a conversation.",
        "infoint log request jane-doe --via email",
    ),
    (
        "response",
        "CONTACT",
        "Set responded of CONTACT: they answered your request.",
        "infoint log response jane-doe",
    ),
    (
        "update",
        "CONTACT",
        "Append a date to updates of CONTACT: you sent them news of your progress.",
        "infoint log update jane-doe",
    ),
    ("done", "INTERVIEW", "Set status: done on INTERVIEW.", "infoint log done 2026-11-20-jane-doe"),
    (
        "cancel",
        "INTERVIEW",
        "Set status: cancelled on INTERVIEW.",
        "infoint log cancel 2026-12-02-sam-lee",
    ),
)


def _make(name: str, argument: str, summary: str, example: str) -> None:
    def callback(app: App, target: str, **options: Any) -> None:
        _record(app, name, target, **options)

    callback.__doc__ = f"{summary}\n\n    Example:\n\n        {example}\n    "
    command: Any = click.argument("target", metavar=argument)(callback)
    if name not in ("done", "cancel"):
        command = click.option(
            "--date",
            "date_text",
            metavar="T",
            help="When (2026-11-20 or 2026-11-20T14:05). Default: now.",
        )(command)
    if name == "request":
        command = click.option(
            "--via", required=True, type=click.Choice(REQUEST_VIA), help="How you asked them."
        )(command)
    log_command.command(name)(now_option(pass_app(command)))


for _event in _EVENTS:
    _make(*_event)
