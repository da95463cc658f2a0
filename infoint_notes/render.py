"""Formatting of output shared by commands: diagnostics, summaries, tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import click

from .jsontext import json_text
from .model import ERROR, INFO, WARNING, Diagnostic, When

_SEVERITY_COLOR = {ERROR: "red", WARNING: "yellow", INFO: "cyan"}
_GITHUB_LEVEL = {ERROR: "error", WARNING: "warning", INFO: "notice"}


def diagnostic_line(problem: Diagnostic, color: bool = False) -> str:
    """`path:line:col: severity code: message`."""
    severity = problem.severity
    if color:
        severity = click.style(severity, fg=_SEVERITY_COLOR[severity], bold=severity == ERROR)
    return (
        f"{problem.path}:{problem.line}:{problem.column}: {severity} {problem.code}: "
        f"{problem.message}"
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


def diagnostics_json(problems: Iterable[Diagnostic]) -> str:
    return json_text([problem.to_dict() for problem in problems])


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Left-aligned columns two spaces apart, headers first; no trailing spaces."""
    cells = [[" ".join(str(cell).split()) for cell in row] for row in [headers, *rows]]
    widths = [max(len(row[col]) for row in cells) for col in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines) + "\n"


def short_when(value: When | None) -> str:
    """`2026-11-20`, or `2026-11-20 14:00` for a moment (in the vault's zone); "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()
