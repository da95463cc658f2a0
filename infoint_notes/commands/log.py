"""`infoint log KIND NOTE [--date T]` (SPEC 4.9)."""

from __future__ import annotations

from typing import Any

import click

from ..write.edit import update_note
from ..write.events import EVENTS, Event
from ..write.record import event_when, log_entry
from .app import App, now_option, pass_app
from .output import echo


@click.group("log")
def log_command() -> None:
    """Record an event in a note's front matter, changing nothing else in the file.

    thank-you INTERVIEW sets thank_you_sent; request CONTACT --via M sets requested and
    request_via; response CONTACT sets responded; update CONTACT appends to updates;
    done / cancel INTERVIEW set status. The date is now unless --date is given: a date
    (2026-11-20, yesterday, -2d) is written as a date, a time (2026-11-20T14:05,
    yesterday 6pm) in the vault's time zone.

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
    note = index.find(target, (EVENTS[event].kind,))
    when = None  # done / cancel set only the status
    if EVENTS[event].dated:
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


def _make(event: Event) -> None:
    def callback(app: App, target: str, **options: Any) -> None:
        _record(app, event.name, target, **options)

    callback.__doc__ = f"{event.summary}\n\n    Example:\n\n        {event.example}\n    "
    command: Any = click.argument("target", metavar=event.kind.upper())(callback)
    if event.dated:
        command = click.option(
            "--date",
            "date_text",
            metavar="T",
            help="When: 2026-11-20, 2026-11-20T14:05, yesterday 6pm, -2d. Default: now.",
        )(command)
    via = event.via_field
    if via is not None:
        command = click.option(
            "--via", required=True, type=click.Choice(via.choices), help="How you asked them."
        )(command)
    log_command.command(event.name)(now_option(pass_app(command)))


for _event in EVENTS.values():
    _make(_event)
