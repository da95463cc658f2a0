"""The options many commands share, and how a command is handed its `App`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from .context import App as App  # where the commands find it

pass_app = click.make_pass_decorator(App)


def now_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--now T`: pretend it is T (ISO 8601); INFOINT_NOW does the same."""
    return click.option(
        "--now",
        "now_text",
        metavar="T",
        help="Use T as the current time (2026-11-20T09:00, tomorrow 9am, friday). "
        "Env: INFOINT_NOW.",
    )(command)


def json_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(
        command
    )
