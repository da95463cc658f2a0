"""`infoint validate`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.errors import UsageError
from ..formats.text import diagnostic_line, github_line, plural
from .app import App, now_option, pass_app
from .output import echo, echo_json, echo_lines

if TYPE_CHECKING:
    from ..git.staged import StagedCheck


def _selected_paths(app: App, index, given: tuple[str, ...]) -> set[str] | None:
    """The vault-relative paths of the notes (and config) named on the command line."""
    if not given:
        return None
    root = app.root
    notes = [note.path for note in index.notes]
    wanted: set[str] = set()
    for text in given:
        path = Path(text)
        absolute = Path(os.path.abspath(path if path.is_absolute() else Path.cwd() / path))
        if not path.is_absolute() and not absolute.exists() and (root / path).exists():
            # `infoint --vault ~/notes validate contacts/a.md` from anywhere else
            absolute = Path(os.path.abspath(root / path))
        try:
            rel = absolute.relative_to(root).as_posix()
        except ValueError:
            try:
                rel = absolute.resolve().relative_to(root).as_posix()
            except ValueError:
                raise UsageError(f"{text} is outside the vault ({root})") from None
        if not absolute.exists():
            raise UsageError(f"{text}: no such file or folder")
        if rel in (".", ""):
            return None
        if absolute.is_dir():
            wanted.update(note for note in notes if note.startswith(rel + "/"))
        else:
            wanted.add(rel)  # not a note (a template, an image): nothing to report
    return wanted


def _apply_fixes(app: App, index, wanted: set[str] | None) -> bool:
    """Make the safe fixes, one note at a time; report each. True if a note was refused."""
    from itertools import groupby

    from ..core.errors import WriteRefused
    from ..write.edit import update_note
    from ..write.fix import plan_fixes

    notes = [note for note in index.notes if wanted is None or note.path in wanted]
    fixes = plan_fixes(notes, lambda rel: _read(app.root / rel))
    refused = False
    applied = []
    for path, group in groupby(fixes, key=lambda fix: fix.path):
        planned = list(group)
        try:
            written = update_note(
                app.root / path, app.root, [fix.change for fix in planned], app.first_read(path)
            )
        except (WriteRefused, OSError) as exc:
            refused = True
            echo(f"{path}: not fixed: {exc}", err=True)
            continue
        for warning in written.warnings if written is not None else ():
            echo(warning, err=True)
        applied.extend(planned)
        echo_lines((planned_fix.report() for planned_fix in planned), err=True)
    if applied:
        fixed = len({fix.path for fix in applied})
        echo(f"fixed {plural(len(applied), 'problem')} in {plural(fixed, 'note')}", err=True)
    return refused


def _read(path: Path) -> bytes:
    from ..core.files import MAX_NOTE_BYTES, read_capped

    try:
        return read_capped(path, MAX_NOTE_BYTES)  # a larger note is `decode`d as such
    except OSError:
        return b""  # gone since it was indexed: nothing to fix


def _staged_check(app: App) -> StagedCheck:
    """Put the vault as the next commit holds it in the index; say what the commit changes."""
    from ..core.vault import is_note_path
    from ..git.hook import staged_changes
    from ..git.staged import staged_check

    working = app.index()
    changes = staged_changes(app.root, is_note_path, set(working.by_path))
    check = staged_check(working, changes)
    app.use_index(check.index)
    return check


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text: path:line:col lines; json: a list of objects; github: Actions annotations.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only errors.")
@click.option(
    "--staged",
    is_flag=True,
    help="Check the notes staged in git (what the next commit holds) instead of PATHs.",
)
@click.option("--fix", is_flag=True, help="Apply safe, mechanical fixes (quote wikilinks, phones).")
@now_option
@pass_app
def validate_command(
    app: App,
    paths: tuple[str, ...],
    output_format: str,
    strict: bool,
    staged: bool,
    fix: bool,
    now_text: str | None,
) -> None:
    """Check every note (or the given files and folders) and report problems.

    Exit status: 0 clean, 1 if any error (or any warning with --strict). With --staged,
    the notes staged in git are checked as they will be committed, against the rest of
    the vault (this is what `infoint hook install` runs).

    Example:

    \b
        infoint validate
        infoint validate contacts/ --format json
        infoint validate --staged
    """
    from ..rules.validate import counts, validate

    index = app.index()
    now = app.now(now_text)
    if staged and (paths or fix):
        raise UsageError("--staged checks what git has staged: give no PATH and no --fix")
    check = _staged_check(app) if staged else None
    if check is not None:
        index = app.index()
        wanted: set[str] | None = set(check.paths)  # what is counted as checked
    else:
        wanted = _selected_paths(app, index, paths)
    refused = False
    if fix:
        refused = _apply_fixes(app, index, wanted)
        app.forget_index()
        index = app.index()
    if check is None:
        problems = validate(index, now, wanted)
    else:
        found = validate(index, now, check.paths)
        problems = [check.explained(p) for p in found if check.concerns(p)]
    if output_format == "json":
        echo_json([problem.to_dict() for problem in problems])
    else:
        render = github_line if output_format == "github" else diagnostic_line
        echo_lines(render(problem) for problem in problems)
    tally = counts(problems)
    checked = len(index.notes) if wanted is None else len(wanted & set(index.by_path))
    summary = (
        f"checked {plural(checked, 'note')}: {plural(tally['error'], 'error')}, "
        f"{plural(tally['warning'], 'warning')}, {tally['info']} info"
    )
    echo(summary, err=True)
    failed = refused or tally["error"] > 0 or (strict and tally["warning"] > 0)
    raise SystemExit(1 if failed else 0)
