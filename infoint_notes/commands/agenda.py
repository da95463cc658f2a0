"""`infoint agenda`: what to do next, as text, JSON or an iCalendar file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import click

from ..core.errors import UsageError
from ..formats.styled import Line, Styled
from ..rules.agenda import (
    DEFAULT_WITHIN_DAYS,
    GROUPS,
    KINDS,
    AgendaItem,
    describe_due,
    group_of,
    moment_text,
)
from ..speed.agenda_memo import agenda_at
from .app import App, json_option, now_option, pass_app
from .output import echo, echo_document_bytes, echo_json_text, echo_lines
from .quick import json_agenda

_GROUP_COLOR = {"Overdue": "red", "Today": "yellow"}


def item_lines(item: AgendaItem, now: datetime, indent: str = "  ") -> list[Line]:
    """Two lines per item: what to do, then when, which kind, and the note to open."""
    when = f"{describe_due(item.due, now)} ({moment_text(item.due)})"
    return [
        f"{indent}- {item.text}",
        (
            f"{indent}  ",
            Styled(when, fg="red" if item.overdue else None, bold=item.overdue),
            f" · {item.kind} · ",
            Styled(item.note, dim=True),
        ),
    ]


def text_lines(
    shown: Sequence[AgendaItem], hidden: int, now: datetime, within: int | None
) -> list[Line]:
    """The agenda for people: grouped by urgency, relative times, paths to open."""
    # Imported here: formats.text brings the typed notes (core.model), which an agenda
    # answered from the memo never needs (`agenda --json` does not load them at all).
    from ..formats.text import plural

    if not shown:
        horizon = "at all" if within is None else f"in the next {plural(within, 'day')}"
        message = f"Nothing due {horizon}."
        message += (
            f" {plural(hidden, 'item')} later (infoint agenda --all)."
            if hidden
            else " You are all caught up."
        )
        return [message]
    lines: list[Line] = []
    for group in GROUPS:
        members = [item for item in shown if group_of(item, now) == group]
        if not members:
            continue
        if lines:
            lines.append("")
        lines.append((Styled(f"{group} ({len(members)})", fg=_GROUP_COLOR.get(group), bold=True),))
        for item in members:
            lines.extend(item_lines(item, now))
    return lines


def summary_line(shown: Sequence[AgendaItem], hidden: int) -> str:
    from ..formats.text import plural  # see text_lines

    overdue = sum(item.overdue for item in shown)
    summary = f"{plural(len(shown), 'item')}, {overdue} overdue"
    if hidden:
        summary += f"; {hidden} more due later (--all shows them)"
    return summary


@click.command("agenda")
@now_option
@click.option(
    "--within",
    # Beyond 100 years, now + DAYS leaves the calendar; --all is the way to see everything.
    type=click.IntRange(min=0, max=36500),
    default=DEFAULT_WITHIN_DAYS,
    show_default=True,
    metavar="DAYS",
    help="Show items due no later than DAYS days from now (overdue ones always).",
)
@click.option("--all", "show_all", is_flag=True, help="Show every item, however far ahead.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(KINDS),
    help="Only items of this kind (repeatable).",
)
@click.option("--check", is_flag=True, help="Exit 1 if any shown item is overdue.")
@json_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "ics"]),
    default="text",
    show_default=True,
    help="ics: an iCalendar file with one to-do per item.",
)
@pass_app
def agenda_command(
    app: App,
    now_text: str | None,
    within: int,
    show_all: bool,
    kinds: tuple[str, ...],
    check: bool,
    as_json: bool,
    output_format: str,
) -> None:
    """What to do next, soonest first: thank-yous, reflections, referrals to contact,
    requests to chase, interviews to prepare and hold, news to share, people to update.

    Shows items due within DAYS days (default 7) and everything overdue. Exit status
    with --check: 1 if a shown item is overdue (for cron jobs and git hooks).

    Example:

    \b
        infoint agenda
        infoint agenda --within 14 --kind thank-you --kind contact-referral
        infoint agenda --all --format ics > ~/infoint.ics
    """
    if as_json and output_format != "text":
        raise UsageError("--json and --format ics cannot be combined; pick one")
    answer = agenda_at(app, lambda zone: app.now_in(zone, now_text))
    if answer.pending is not None:  # everything was computed: remembered after the answer
        from ..speed.background import finish

        finish(app.root, answer.remember, len(app.files()))
    now = answer.now
    horizon = None if show_all else within
    if as_json:
        # Printed as an agenda answered before Click is imported prints it (`quick`).
        text, overdue = json_agenda(answer, horizon, kinds)
        echo_json_text(text)
        if check and overdue:
            raise SystemExit(1)
        return
    shown = answer.select(horizon, kinds)
    if output_format == "ics":
        # Bytes go to the binary stream as they are: the CRLF line ends RFC 5545 wants.
        # Here: the calendar needs the notes themselves, which a remembered agenda
        # (the usual answer) never loads.
        from ..formats.ical import agenda_ics
        from ..rules.completed import completed_items

        completed = [
            done
            # The agenda's every item, open now (the answer has them: no second computation).
            for done in completed_items(app.index(), now, answer.items(answer.select(None, ())))
            if not kinds or done.item.kind in kinds
        ]
        echo_document_bytes(agenda_ics(answer.items(shown), now, completed))
    else:
        hidden = len(answer.select(None, kinds)) - len(shown)
        items = answer.items(shown)
        echo_lines(text_lines(items, hidden, now, horizon), wrap=True)
        if items:
            echo(summary_line(items, hidden), err=True)
    if check and answer.any_overdue(shown):
        raise SystemExit(1)
