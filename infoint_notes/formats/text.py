"""Formatting of output shared by commands: diagnostics, summaries, tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from ..core.model import ERROR, INFO, WARNING, Diagnostic, When
from .safetext import printable
from .styled import Line, Styled

_SEVERITY_COLOR = {ERROR: "red", WARNING: "yellow", INFO: "cyan"}
_GITHUB_LEVEL = {ERROR: "error", WARNING: "warning", INFO: "notice"}


def diagnostic_text(problem: Diagnostic) -> str:
    """`path:line:col: severity code: message`."""
    return (
        f"{problem.path}:{problem.line}:{problem.column}: {problem.severity} {problem.code}: "
        f"{problem.message}"
    )


def diagnostic_line(problem: Diagnostic) -> Line:
    """The same, its severity in colour."""
    severity = problem.severity
    return (
        f"{problem.path}:{problem.line}:{problem.column}: ",
        Styled(severity, fg=_SEVERITY_COLOR[severity], bold=severity == ERROR),
        f" {problem.code}: {problem.message}",
    )


def _github_escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_line(problem: Diagnostic) -> str:
    """A GitHub Actions workflow command that annotates the file in a pull request."""
    return (
        f"::{_GITHUB_LEVEL[problem.severity]} file={_github_escape(problem.path, True)},"
        f"line={problem.line},col={problem.column},"
        f"title={_github_escape('infoint ' + problem.code, True)}::"
        f"{_github_escape(problem.message)}"
    )


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """Left-aligned columns two spaces apart, headers first; no trailing spaces. A cell's
    runs of white space (newlines too) are made one space and its other control
    characters escaped before it is measured, so columns stay aligned."""
    cells = [[printable(" ".join(str(cell).split())) for cell in row] for row in [headers, *rows]]
    widths = [max(len(row[col]) for row in cells) for col in range(len(headers))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]


def short_when(value: When | None) -> str:
    """`2026-11-20`, or `2026-11-20 14:00` for a moment (in the vault's zone); "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()
