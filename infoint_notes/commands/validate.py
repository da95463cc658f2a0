"""`infoint validate`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.errors import UsageError
from ..core.vault import named_paths
from ..formats.text import diagnostic_line, github_line, plural
from ..git.staged import check_staged, validate_staged
from ..rules.validate import validate_notes
from ..write.fix import fix_notes
from .app import App, now_option, pass_app
from .output import echo, echo_json, echo_lines

if TYPE_CHECKING:
    from ..core.index import VaultIndex


def _fix(app: App, index: VaultIndex, wanted: set[str] | None) -> bool:
    """Make the safe fixes and report each; True if a note was refused."""
    notes = [note for note in index.notes if wanted is None or note.path in wanted]
    done = fix_notes(app.root, notes, app.first_read)
    for note in done:
        if note.refused is not None:
            echo(f"{note.path}: not fixed: {note.refused}", err=True)
            continue
        for warning in note.warnings:
            echo(warning, err=True)
        echo_lines((fix.report() for fix in note.fixes), err=True)
    applied = [fix for note in done if note.refused is None for fix in note.fixes]
    if applied:
        fixed = len({fix.path for fix in applied})
        echo(f"fixed {plural(len(applied), 'problem')} in {plural(fixed, 'note')}", err=True)
    return any(note.refused is not None for note in done)


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
    index = app.index()
    now = app.now(now_text)
    if staged and (paths or fix):
        raise UsageError("--staged checks what git has staged: give no PATH and no --fix")
    refused = False
    if staged:
        check = check_staged(index)
        app.use_index(check.index)
        report = validate_staged(check, now)
    else:
        wanted = named_paths(app.root, Path.cwd(), index.by_path.keys(), paths)
        if fix:
            refused = _fix(app, index, wanted)
            app.forget_index()
            index = app.index()
        report = validate_notes(index, now, wanted)
    if output_format == "json":
        echo_json([problem.to_dict() for problem in report.problems])
    else:
        render = github_line if output_format == "github" else diagnostic_line
        echo_lines(render(problem) for problem in report.problems)
    tally = report.counts
    summary = (
        f"checked {plural(report.checked, 'note')}: {plural(tally['error'], 'error')}, "
        f"{plural(tally['warning'], 'warning')}, {tally['info']} info"
    )
    echo(summary, err=True)
    raise SystemExit(1 if refused or report.failed(strict) else 0)
