"""`infoint.yaml`: the vault's settings (SPEC 2.4)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from .dates import zone_named
from .errors import UsageError
from .vault import CONFIG_NAME, read_config_bytes

if TYPE_CHECKING:
    from .model import Diagnostic
    from .yamlscalars import FrontMatterResult

    #: Reads YAML text: (text, its first line, what it is) -> the result.
    YamlReader = Callable[[str, int, str], FrontMatterResult]

#: Large enough for any reminder (100 years in days), small enough for date arithmetic.
MAX_SETTING = 36500
#: `salutation`: how drafts greet (SPEC 2.4, 4.10).
SALUTATIONS = ("formal", "first-name")


@dataclass(frozen=True, slots=True)
class Me:
    """`me:`, who the user is, for message drafts (SPEC 2.4); every part optional."""

    name: str | None = None  #: signs every draft
    email: str | None = None
    phone: str | None = None
    school: str | None = None  #: "UMBC, M.S. Information Systems"
    pitch: str | None = None  #: one line on what they are exploring


@dataclass(frozen=True, slots=True)
class Config:
    timezone: str | None = None
    thank_you_within_hours: int = 24
    reflect_within_hours: int = 48
    referral_contact_days: int = 7
    request_follow_up_days: int = 5
    prepare_days: int = 3
    min_questions: int = 5
    keep_in_touch_days: int = 60
    default_duration_minutes: int = 30
    #: The calendar export keeps items completed this recently, as completed.
    completed_days: int = 30
    #: Globs of vault paths that are not notes (`Archive/**`); links may still reach them.
    exclude: tuple[str, ...] = ()
    me: Me = field(default_factory=Me)
    salutation: str = "formal"
    #: Count request follow-ups in business days, Monday to Friday (`core.workdays`).
    business_days: bool = False
    #: A country code (`US`, `DE-BY`) whose public holidays are not business days.
    holidays: str | None = None
    #: No answer yet after this many days: ask another person at the same organization.
    another_contact_days: int = 3
    #: The resolved zone (not a key of the file).
    zone: tzinfo = field(default=None, compare=False)  # type: ignore[assignment]
    #: `unknown-config-key` warnings found while loading.
    diagnostics: tuple[Diagnostic, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if self.zone is None:
            object.__setattr__(self, "zone", zone_named(self.timezone))


_SETTINGS = tuple(f.name for f in fields(Config) if f.name not in ("zone", "diagnostics"))
_ME = tuple(f.name for f in fields(Me))


def _globs(value: object) -> tuple[str, ...]:
    """`exclude`: a list of globs (one glob alone is a list of one)."""
    items = value if isinstance(value, list) else [value]
    globs = [item for item in items if isinstance(item, str)]
    if len(globs) != len(items):
        raise UsageError(f"{CONFIG_NAME}: 'exclude' must be a list of globs such as \"Archive/**\"")
    return tuple(glob for glob in globs if glob.strip())


def _me(value: object) -> tuple[Me, list[str]]:
    """`me:` as a `Me`, and the keys under it that are not its own."""
    if not isinstance(value, dict):
        raise UsageError(
            f"{CONFIG_NAME}: 'me' must hold keys such as 'name:' and 'email:' "
            "(see the commented example in the template's infoint.yaml)"
        )
    parts: dict[str, str] = {}
    for key, part in value.items():
        if key not in _ME or part is None:
            continue
        if not isinstance(part, str):
            raise UsageError(f"{CONFIG_NAME}: 'me.{key}' must be text (quote it), not {part!r}")
        if part.strip():
            parts[key] = " ".join(part.split())
    return Me(**parts), [str(key) for key in value if key not in _ME]


def _nested_key(text: str, key: str, line: int, column: int) -> tuple[int, int]:
    """Where `key:` sits inside the mapping of the top-level key at (line, column): on
    that key's line (`me: {nick: x}`) or on the lines indented below it; the top-level
    key's own position when it cannot be found."""
    lines = text.split("\n")
    inline = re.compile(rf"[{{,]\s*({re.escape(key)})\s*:").search(lines[line - 1], column)
    if inline:
        return line, inline.start(1) + 1
    below = re.compile(rf"(\s*)({re.escape(key)})\s*:")
    for number in range(line, len(lines)):
        text_line = lines[number]
        if not text_line.strip() or text_line.lstrip().startswith("#"):
            continue
        if len(text_line) - len(text_line.lstrip()) < column:
            break  # back at the top level: the mapping ended
        found = below.match(text_line)
        if found:
            return number + 1, found.start(2) + 1
    return line, column


def _unknown(key: str, line: int, column: int, known: tuple[str, ...]) -> Diagnostic:
    from .model import WARNING, Diagnostic

    return Diagnostic(
        CONFIG_NAME,
        line,
        column,
        WARNING,
        "unknown-config-key",
        f"unknown setting '{key}' (known: {', '.join(known)})",
    )


def _flag(key: str) -> Callable[[object], bool]:
    def read(value: object) -> bool:
        if not isinstance(value, bool):
            raise UsageError(f"{CONFIG_NAME}: '{key}' must be true or false, not {value!r}")
        return value

    return read


def _holidays(value: object) -> str:
    from .workdays import holidays_code  # imports `holidays` only for a vault that names one

    return holidays_code(value)


#: Settings that are neither whole numbers nor `exclude` / `timezone`: how each is read.
_READERS: dict[str, Callable[[object], object]] = {
    "business_days": _flag("business_days"),
    "holidays": _holidays,
}


def load_config(root: Path, raw: bytes | None = None, read: YamlReader | None = None) -> Config:
    """Read `root/infoint.yaml` (or use its bytes, `raw`, when already read), as YAML
    (`read`: a faster reader that agrees with `load_front_matter`). Raises UsageError
    (exit 2) when it cannot be used."""
    # Imported here: a command answered from the agenda memo never parses YAML.
    from .parse import MAX_NOTE_BYTES, decode

    if read is None:
        from .yamlread import load_front_matter

        read = load_front_matter
    text, problem = decode(read_config_bytes(root) if raw is None else raw, MAX_NOTE_BYTES)
    if text is None:
        raise UsageError(f"{CONFIG_NAME}: {problem}")
    result = read(text.replace("\r\n", "\n"), 1, CONFIG_NAME)
    if result.problems:
        first = result.problems[0]
        raise UsageError(f"{CONFIG_NAME}:{first.line}:{first.column}: {first.message}")
    data = result.data or {}
    values: dict[str, object] = {}
    diagnostics = []
    for key, value in data.items():
        if key not in _SETTINGS:
            position = result.positions[key]
            diagnostics.append(_unknown(key, position.line, position.column, _SETTINGS))
            continue
        if value is None:
            continue
        if key == "me":
            me, unknown = _me(value)
            position = result.positions[key]
            for name in unknown:
                line, column = _nested_key(text, name, position.line, position.column)
                diagnostics.append(_unknown(f"me.{name}", line, column, _ME))
            value = me
        elif key == "salutation":
            if value not in SALUTATIONS:
                raise UsageError(
                    f"{CONFIG_NAME}: 'salutation' must be one of {', '.join(SALUTATIONS)}, "
                    f"not {value!r}"
                )
        elif key == "exclude":
            value = _globs(value)
        elif key in _READERS:
            value = _READERS[key](value)
        elif key == "timezone":
            if not isinstance(value, str):
                raise UsageError(
                    f"{CONFIG_NAME}: 'timezone' must be a zone name such as Europe/Berlin"
                )
        elif not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_SETTING:
            raise UsageError(
                f"{CONFIG_NAME}: '{key}' must be a whole number from 0 to {MAX_SETTING:,}, "
                f"not {value!r}"
            )
        values[key] = value
    try:
        return Config(**values, diagnostics=tuple(diagnostics))  # type: ignore[arg-type]
    except ValueError as exc:
        raise UsageError(f"{CONFIG_NAME}: {exc}") from exc
