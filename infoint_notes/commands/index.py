"""`infoint index`."""

from __future__ import annotations

import sys
from typing import Any

import click

from ..speed.cachedir import cache_folder_problem
from ..speed.loader import update_cache
from ..speed.memo_columns import forget_memo
from .app import App, pass_app
from .output import echo

#: Show a progress bar only when at least this many notes must be read.
PROGRESS_MIN_FILES = 2_000


class _Progress:
    """A progress bar on stderr, opened only for a long build on a terminal."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.shown = 0
        self.wanted = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if not self.wanted or total < PROGRESS_MIN_FILES:
                return
            self.bar = click.progressbar(length=total, label="reading notes", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@click.command("index")
@click.option("--rebuild", is_flag=True, help="Forget the cache and read every note again.")
@pass_app
def index_command(app: App, rebuild: bool) -> None:
    """Bring the cache in .infoint/ up to date; print notes read, reused and removed.

    Every command keeps the cache current by itself, so this only warms it (after a
    large import, before timing something) or, with --rebuild, starts over. The cache
    is never needed for correct answers: deleting .infoint/ is always safe. Exit 1 if
    the cache could not be written (a read-only vault).

    Example:

    \b
        infoint index
        infoint index --rebuild
    """
    if rebuild:
        forget_memo(app.root)
    progress = _Progress()
    try:
        stats = update_cache(
            app.root, rebuild=rebuild, progress=progress, exclude=app.config.exclude
        )
    finally:
        progress.close()
    echo(f"read {stats.read:,}, reused {stats.reused:,}, removed {stats.removed:,}")
    if not stats.written:
        problem = cache_folder_problem(app.root)
        why = (
            f"{problem}, so infoint caches nothing and writes nothing there (delete it "
            "to let infoint cache)"
            if problem
            else ".infoint/ cannot be written here"
        )
        echo(f"cache not written: {why}; commands still work, reading every note", err=True)
        raise SystemExit(1)
