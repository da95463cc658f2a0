"""`infoint log KIND NOTE [--date T]` (SPEC 4.9)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from ..write.events import EVENTS, Event
from .app import App, now_option, pass_app
from .complete import notes
from .output import echo

if TYPE_CHECKING:
    from ..core.model import Note


@click.group("log")
def log_command() -> None:
    """Record an event in a note's front matter, changing nothing else in the file.

    thank-you INTERVIEW sets thank_you_sent; request CONTACT --via M sets requested and
    request_via; response CONTACT sets responded; follow-up CONTACT appends to
    followed_up; update CONTACT appends to updates; done / no-show / cancel INTERVIEW set
    status; reschedule INTERVIEW --date T sets date and status: planned.

    The date is now unless --date is given: a date (2026-11-20, yesterday, -2d) is written
    as a date, a time (2026-11-20T14:05, yesterday 6pm) in the vault's time zone.

    Where an INTERVIEW is expected, a contact works too: their latest interview that has
    started (thank-you, done, no-show) or their next planned one (cancel, reschedule).
    done, no-show and thank-you refuse an interview that has not started yet; --force
    records it anyway.

    Example:

    \b
        infoint log thank-you priya-natarajan
        infoint log request "Sam Lee" --via email --date 2026-11-18
        infoint log reschedule sam-lee --date "friday 2pm"
    """


def _record(
    app: App,
    event: str,
    target: str,
    date_text: str | None = None,
    via: str | None = None,
    now_text: str | None = None,
    force: bool = False,
) -> None:
    # Imported here: `log --help` and completing an argument never need the editor.
    from ..core.model import Interview
    from ..rules.arguments import Pick, find_interview
    from ..write.edit import update_note
    from ..write.record import event_when, log_entry, refuse_unstarted

    index = app.index()
    now = app.now(now_text)
    what = EVENTS[event]
    note: Note
    if what.pick is not None:
        note = find_interview(index, target, now, Pick(what.pick))
    else:
        note = index.find(target, (what.kind,))
    if what.needs_start and not force:
        assert isinstance(note, Interview)
        refuse_unstarted(event, note, now)
    when = None  # done / cancel set only the status
    if what.dated:
        when = event_when(date_text, now, index.config.zone)
    entry = log_entry(event, note, when, via, index.config.zone, force)
    written = update_note(app.root / note.path, app.root, entry.changes, app.first_read(note.path))
    for key, value, old in entry.lines if written is not None else ():
        was = f" (was {old})" if old not in (None, "", []) else ""
        echo(f"{note.path}: {key}: {value}{was}")
    if via is not None and what.via_said:
        echo(f"(by {via}: the note keeps only the date)", err=True)
    if written is None:
        echo("already recorded; the note is unchanged", err=True)
    else:
        for warning in written.warnings:
            echo(warning, err=True)


def _force_help(event: Event) -> str:
    """What `--force` overrides for `event`."""
    reasons = ["even though the interview has not started yet"] if event.needs_start else []
    if event.once:
        reasons.append(f"over a different {event.key} already recorded")
    elif event.value != "done":
        reasons.append("over status: done (the conversation took place)")
    return f"Record it {', or '.join(reasons)}."


def _make(event: Event) -> None:
    def callback(app: App, target: str, **options: Any) -> None:
        _record(app, event.name, target, **options)

    callback.__doc__ = f"{event.summary}\n\n    Example:\n\n        {event.example}\n    "
    metavar = event.kind.upper()
    if event.pick is not None:
        metavar = "INTERVIEW|CONTACT"
    kinds = event.argument_kinds
    command: Any = click.argument("target", metavar=metavar, shell_complete=notes(*kinds))(callback)
    if event.dated:
        default = "" if event.date_required else " Default: now."
        command = click.option(
            "--date",
            "date_text",
            metavar="T",
            required=event.date_required,
            help=f"When: 2026-11-20, 2026-11-20T14:05, yesterday 6pm, friday 2pm.{default}",
        )(command)
    via = event.via_field
    if via is not None:
        command = click.option(
            "--via",
            required=not event.via_said,
            type=click.Choice(via.choices),
            help="How you followed up." if event.via_said else "How you asked them.",
        )(command)
    if event.forceable:
        command = click.option("--force", is_flag=True, help=_force_help(event))(command)
    log_command.command(event.name)(now_option(pass_app(command)))


for _event in EVENTS.values():
    _make(_event)
