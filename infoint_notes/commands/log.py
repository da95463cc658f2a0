"""`infoint log KIND NOTE [--date T]` (SPEC 4.9)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..cli import App, now_option, pass_app
from ..notes import REQUEST_VIA


@click.group("log")
def log_command() -> None:
    """Record an event in a note's front matter, changing nothing else in the file.

    thank-you INTERVIEW sets thank_you_sent; request CONTACT --via M sets requested and
    request_via; response CONTACT sets responded; update CONTACT appends to updates;
    done / cancel INTERVIEW set status. The date is now unless --date is given: a date
    (2026-11-20) is written as a date, a time (2026-11-20T14:05) in the vault's time zone.

    Example:

        infoint log thank-you 2026-11-20-jane-doe
        infoint log request "Sam Lee" --via email --date 2026-11-18
    """


def _record(app: App, event: str, target: str, date_text: str | None, **extra: Any) -> None:
    from pathlib import Path

    from ..edit import update_note
    from ..record import EVENTS, event_when, log_entry

    index = app.index()
    kind = EVENTS[event][0]
    note = index.find(target, (kind,))
    if event in ("done", "cancel"):
        when = None  # only the status is set; these events take no --date
    else:
        when = event_when(date_text, app.now(extra.get("now_text")), index.config.zone)
    entry = log_entry(event, note, when, extra.get("via"), index.config.zone)
    changed = update_note(Path(app.root) / note.path, app.root, entry.changes)
    for key, value, old in entry.lines:
        was = f" (was {old})" if old not in (None, "", []) and changed else ""
        click.echo(f"{note.path}: {key}: {value}{was}")
    if not changed:
        click.echo("already recorded; the note is unchanged", err=True)


def _event(name: str, argument: str, help_text: str, example: str) -> Callable[..., Any]:
    """A `log` subcommand for one event; they differ only in their words."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        function.__doc__ = f"{help_text}\n\n    Example:\n\n        {example}\n    "
        command = click.argument(argument.lower())(function)
        if name not in ("done", "cancel"):
            command = click.option(
                "--date",
                "date_text",
                metavar="T",
                help="When (2026-11-20 or 2026-11-20T14:05). Default: now.",
            )(command)
        return log_command.command(name)(now_option(pass_app(command)))

    return decorate


@_event(
    "thank-you",
    "INTERVIEW",
    "Set thank_you_sent of INTERVIEW (the thank-you is due within 24 hours).",
    "infoint log thank-you 2026-11-20-jane-doe --date 2026-11-20T18:30",
)
def log_thank_you(app: App, interview: str, date_text: str | None, now_text: str | None) -> None:
    _record(app, "thank-you", interview, date_text, now_text=now_text)


@_event(
    "response",
    "CONTACT",
    "Set responded of CONTACT: they answered your request.",
    "infoint log response jane-doe",
)
def log_response(app: App, contact: str, date_text: str | None, now_text: str | None) -> None:
    _record(app, "response", contact, date_text, now_text=now_text)


@_event(
    "update",
    "CONTACT",
    "Append a date to updates of CONTACT: you sent them news of your progress.",
    "infoint log update jane-doe",
)
def log_update(app: App, contact: str, date_text: str | None, now_text: str | None) -> None:
    _record(app, "update", contact, date_text, now_text=now_text)


@_event(
    "done",
    "INTERVIEW",
    "Set status: done on INTERVIEW.",
    "infoint log done 2026-11-20-jane-doe",
)
def log_done(app: App, interview: str, now_text: str | None) -> None:
    _record(app, "done", interview, None)


@_event(
    "cancel",
    "INTERVIEW",
    "Set status: cancelled on INTERVIEW.",
    "infoint log cancel 2026-12-02-sam-lee",
)
def log_cancel(app: App, interview: str, now_text: str | None) -> None:
    _record(app, "cancel", interview, None)


@log_command.command("request")
@click.argument("contact")
@click.option("--via", required=True, type=click.Choice(REQUEST_VIA), help="How you asked them.")
@click.option(
    "--date", "date_text", metavar="T", help="When (2026-11-20 or 2026-11-20T14:05). Default: now."
)
@now_option
@pass_app
def log_request(
    app: App, contact: str, via: str, date_text: str | None, now_text: str | None
) -> None:
    """Set requested and request_via of CONTACT: you asked them for a conversation.

    Example:

        infoint log request jane-doe --via email
    """
    _record(app, "request", contact, date_text, now_text=now_text, via=via)
