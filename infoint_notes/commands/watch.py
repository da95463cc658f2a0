"""`infoint watch`."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import datetime

import click

from ..core.errors import UsageError
from ..formats.text import diagnostic_line, diagnostic_text, plural
from ..live.watch import Report, VaultState, Watcher, kept_evaluation, start_observer
from ..rules.agenda import AgendaItem, moment_text
from .app import App, now_option, pass_app
from .output import echo


def _item_line(item: AgendaItem) -> str:
    return f"{item.kind} due {moment_text(item.due)}: {item.text} ({item.note})"


def _print(report: Report) -> None:
    """One report, line by line (each line flushed: `watch | tee` shows it at once)."""
    stamp = datetime.now().strftime("%H:%M:%S")
    shown = ", ".join(report.changed[:5]) + (" ..." if len(report.changed) > 5 else "")
    if report.config_error:
        echo(f"[{stamp}] {report.config_error}", err=True)
    if report.changed:
        echo(f"[{stamp}] {plural(len(report.changed), 'change')}: {shown}", err=True)
    for problem in report.appeared:
        echo(diagnostic_line(problem))
    for problem in report.resolved:
        echo(f"resolved: {diagnostic_text(problem)}")
    for item in report.new_items:
        echo(f"agenda: new {_item_line(item)}")
    for item in report.done_items:
        echo(f"agenda: gone {_item_line(item)}")
    visible = report.appeared or report.resolved or report.new_items or report.done_items
    if report.changed and not visible:
        echo(f"[{stamp}] no new problems or agenda changes", err=True)


@click.command("watch")
@click.option("--poll", is_flag=True, help="Poll for changes instead of using inotify/FSEvents.")
@click.option(
    "--settle",
    type=click.IntRange(min=0),
    default=300,
    show_default=True,
    metavar="MS",
    help="Wait until changes have been quiet this long (milliseconds).",
)
@now_option
@pass_app
def watch_command(app: App, poll: bool, settle: int, now_text: str | None) -> None:
    """Watch the vault and report problems and agenda items as they appear and go.

    After each burst of edits settles, only the changed notes are read again, and
    infoint prints the diagnostics that appeared (in validate's format) or were
    resolved, and the agenda items that appeared or went away. Ctrl-C stops it.

    Example:

    \b
        infoint watch
        infoint watch --poll | tee watch.log
    """
    root = app.root
    # Loaded as every command loads the vault (the parse records, parsing helpers), before
    # the observer's threads start: then only what changes is read again.
    state = VaultState.loaded(app.index(), app.files())
    watcher = Watcher(
        root, app.config, kept_evaluation(), _clock(app, state, now_text), settle / 1000, state
    )
    observer, notice = start_observer(root, watcher.burst, poll)
    stop = threading.Event()
    # From here on Ctrl-C stops the observer and exits 0, even the moment "watching" is
    # printed (a script may interrupt as soon as it reads that line).
    try:
        if notice:
            echo(f"infoint watch: {notice}", err=True)
        diagnostics, items = watcher.current
        echo(
            f"watching {root} ({plural(len(watcher.state.entries), 'note')}, "
            f"{plural(len(diagnostics), 'problem')}, {plural(len(items), 'agenda item')}); "
            "Ctrl-C to stop",
            err=True,
        )
        watcher.run(_print, stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        observer.stop()
        observer.join(timeout=5)
    echo("stopped", err=True)


def _env_now() -> str | None:
    return os.environ.get("INFOINT_NOW")


def _clock(app: App, state: VaultState, now_text: str | None) -> Callable[[], datetime]:
    """Now in the zone the vault's config names now (infoint.yaml may change it while
    watching: days are compared in it): the clock, or the moment `--now` or INFOINT_NOW
    names, read once in each zone as `validate` would read it then."""
    if not (now_text or _env_now()):
        return lambda: datetime.now(state.config.zone)
    first = app.now(now_text)  # a moment that does not read is refused at the start
    fixed = {state.config.zone: first}

    def now() -> datetime:
        zone = state.config.zone
        if zone not in fixed:
            try:
                fixed[zone] = app.now_in(zone, now_text)
            except UsageError:
                fixed[zone] = first.astimezone(zone)
        return fixed[zone]

    return now
