"""Templates for new notes and message drafts, and their `{{placeholders}}`.

A template comes from the vault's `templates/` folder (the user may change it), else
from the built-in vault template. Note templates use Obsidian's core placeholders so the
same files work from Obsidian's Templates plugin: `{{title}}`, `{{date}}`, `{{time}}`,
`{{date:FORMAT}}` and `{{time:FORMAT}}` with moment.js tokens (`YYYY-MM-DD`, `HH:mm`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ..core.errors import UsageError
from ..core.parse import read_text_file
from ..core.vault import TEMPLATES_DIR, is_inside
from .scaffold import template_dir

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::([^{}]*))?\}\}")
_MOMENT = re.compile(r"\[[^\]]*\]|YYYY|YY|MMMM|MMM|MM|M|DD|Do|D|dddd|ddd|HH|H|hh|h|mm|m|ss|s|A|a")
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


_TOKENS: dict[str, Callable[[datetime], str]] = {
    "YYYY": lambda moment: f"{moment.year:04d}",
    "YY": lambda moment: f"{moment.year % 100:02d}",
    "MMMM": lambda moment: _MONTHS[moment.month - 1],
    "MMM": lambda moment: _MONTHS[moment.month - 1][:3],
    "MM": lambda moment: f"{moment.month:02d}",
    "M": lambda moment: str(moment.month),
    "DD": lambda moment: f"{moment.day:02d}",
    "Do": lambda moment: _ordinal(moment.day),
    "D": lambda moment: str(moment.day),
    "dddd": lambda moment: _DAYS[moment.weekday()],
    "ddd": lambda moment: _DAYS[moment.weekday()][:3],
    "HH": lambda moment: f"{moment.hour:02d}",
    "H": lambda moment: str(moment.hour),
    "hh": lambda moment: f"{(moment.hour % 12) or 12:02d}",
    "h": lambda moment: str((moment.hour % 12) or 12),
    "mm": lambda moment: f"{moment.minute:02d}",
    "m": lambda moment: str(moment.minute),
    "ss": lambda moment: f"{moment.second:02d}",
    "s": lambda moment: str(moment.second),
    "A": lambda moment: "AM" if moment.hour < 12 else "PM",
    "a": lambda moment: "am" if moment.hour < 12 else "pm",
}


def format_moment(moment: datetime, pattern: str) -> str:
    """`moment` formatted with moment.js tokens, as Obsidian does (`[text]` is literal)."""

    def token(match: re.Match[str]) -> str:
        text = match.group()
        return text[1:-1] if text.startswith("[") else _TOKENS[text](moment)

    return _MOMENT.sub(token, pattern)


def obsidian_values(title: str, now: datetime) -> Callable[[str, str | None], str | None]:
    """The values of Obsidian's core placeholders; None for any other name."""

    def value(name: str, pattern: str | None) -> str | None:
        if name == "title":
            return title
        if name == "date":
            return format_moment(now, pattern.strip() if pattern else "YYYY-MM-DD")
        if name == "time":
            return format_moment(now, pattern.strip() if pattern else "HH:mm")
        return None

    return value


def fill(text: str, values: Callable[[str, str | None], str | None]) -> str:
    """`text` with each known `{{name}}` / `{{name:format}}` replaced; others stay as written."""

    def replace(match: re.Match[str]) -> str:
        found = values(match.group(1), match.group(2))
        return match.group() if found is None else found

    return PLACEHOLDER.sub(replace, text)


def load_template(root: Path, name: str) -> tuple[str, str]:
    """(text, where it came from) of template `name` (e.g. `contact.md`).

    The vault's own `templates/NAME` wins; a missing one falls back to the built-in.
    """
    own = root / TEMPLATES_DIR / name
    if own.is_file() and is_inside(own.resolve(), root.resolve()):
        shown = f"{TEMPLATES_DIR}/{name}"
        text, bom = read_text_file(own, shown)
        return ("\ufeff" if bom else "") + text, shown
    builtin = template_dir() / TEMPLATES_DIR / name
    try:
        return builtin.read_text(encoding="utf-8"), f"built-in {TEMPLATES_DIR}/{name}"
    except OSError as exc:
        raise UsageError(f"no template {TEMPLATES_DIR}/{name} in the vault or built in") from exc
