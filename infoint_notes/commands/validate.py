"""`infoint validate`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.errors import UsageError
from ..core.vault import named_paths
from ..formats.jsontext import json_text
from ..formats.text import diagnostic_line, github_line, plural
from ..rules.validate import Report, validate_notes
from ..speed.validate_memo import Printed, question, validate_vault
from .app import App, now_option, pass_app
from .output import echo, echo_lines, echo_rendered, rendered_lines

if TYPE_CHECKING:
    from ..core.index import VaultIndex


def _fix(app: App, index: VaultIndex, wanted: set[str] | None) -> bool:
    """Make the safe fixes and report each; True if a note was refused."""
    from ..write.fix import fix_notes  # here: YAML writing, which a check never needs

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
    if staged and (paths or fix):
        raise UsageError("--staged checks what git has staged: give no PATH and no --fix")
    if not (staged or fix or paths) and app.use_cache:
        # The whole vault: answered from what the last run found, when it still holds.
        asked = question(output_format, strict)
        printed = validate_vault(app, now_text, asked, _renderer(output_format, strict))
    else:
        printed = _validated(app, paths, output_format, strict, staged, fix, now_text)
    if printed.out:
        echo_rendered(printed.out)
    echo(printed.summary, err=True)
    raise SystemExit(printed.status)


def _validated(
    app: App,
    paths: tuple[str, ...],
    output_format: str,
    strict: bool,
    staged: bool,
    fix: bool,
    now_text: str | None,
) -> Printed:
    index = app.index()
    now = app.now(now_text)
    refused = False
    if staged:
        from ..git.staged import check_staged, validate_staged  # only the hook checks those

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
    printed = _renderer(output_format, strict)(report)
    return printed._replace(status=1 if refused else printed.status)


def _renderer(output_format: str, strict: bool) -> Callable[[Report], Printed]:
    """How a report is printed in `output_format`."""

    def render(report: Report) -> Printed:
        if output_format == "json":
            out = json_text([problem.to_dict() for problem in report.problems])
        else:
            line = github_line if output_format == "github" else diagnostic_line
            out = rendered_lines(line(problem) for problem in report.problems)
        tally = report.counts
        summary = (
            f"checked {plural(report.checked, 'note')}: {plural(tally['error'], 'error')}, "
            f"{plural(tally['warning'], 'warning')}, {tally['info']} info"
        )
        return Printed(out, summary, 1 if report.failed(strict) else 0)

    return render
