"""Dates as people type them on the command line, and as messages show them (SPEC 2.2).

`--date tomorrow 15:00`, `--now friday`, `--where 'requested>-2w'`: a day (`today`,
`tomorrow`, `yesterday`, `+3d`, `-2d`, `+1w`, a weekday, `next friday`, or an ISO date),
optionally followed by a time (`14:00`, `2pm`, `2:30 pm`, `noon`). Notes never hold these
words: what is written is always an ISO date or date-time.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING

from .dates import parse_when

if TYPE_CHECKING:  # the agenda memo answers without loading the note model
    from .model import When

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: Accepted abbreviations of each weekday (a prefix of its name, at least three letters).
_SHORTEST_WEEKDAY = 3

_SHIFT = re.compile(r"([+-])\s*(\d{1,4})\s*(d|days?|w|weeks?)")
_TIME = re.compile(
    r"(?:at\s+)?(?:(noon|midnight)|(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?|(\d{1,2}):(\d{2}))"
)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

EXAMPLES = "2026-11-20, 2026-11-20T14:00, today, tomorrow 15:00, friday 2pm, +3d or next monday"


def weekday_number(word: str) -> int | None:
    """0 for `monday`/`mon`, ... 6 for `sunday`; None for another word."""
    if len(word) < _SHORTEST_WEEKDAY:
        return None
    for number, name in enumerate(WEEKDAYS):
        if name.startswith(word):
            return number
    return None


def _day(word: str, today: date) -> date | None:
    """The day a (lower-case, single-spaced) day word means, or None."""
    fixed = {"today": 0, "tomorrow": 1, "yesterday": -1}
    if word in fixed:
        return today + timedelta(days=fixed[word])
    shift = _SHIFT.fullmatch(word)
    if shift:
        sign, amount, unit = shift.groups()
        days = int(amount) * (7 if unit.startswith("w") else 1)
        return today + timedelta(days=days if sign == "+" else -days)
    later = word.startswith("next ")
    number = weekday_number(word.removeprefix("next ").strip())
    if number is not None:
        # `friday` is the next Friday after today (a week ahead on a Friday); `next
        # friday` the one a week after that.
        ahead = (number - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead + (7 if later else 0))
    if _ISO_DAY.fullmatch(word):
        try:
            value = parse_when(word, timezone.utc)  # a day: the zone plays no part
        except ValueError:
            return None
        return value if not isinstance(value, datetime) else None
    return None


def _time(text: str) -> time | None:
    """`14:00`, `2pm`, `2:30 p.m.`, `noon`, `midnight` as a time of day; None otherwise."""
    match = _TIME.fullmatch(text)
    if match is None:
        return None
    word, hour12, minute12, half, hour24, minute24 = match.groups()
    if word:
        return time(12) if word == "noon" else time(0)
    if hour12 is not None:
        hour, minute = int(hour12), int(minute12 or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        return time(hour % 12 + (12 if half == "p" else 0), minute)
    hour, minute = int(hour24), int(minute24)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _split(text: str, today: date) -> tuple[date | None, time | None] | None:
    """(day, time of day) of a friendly text; None when it is not one. A time alone
    means today."""
    words = text.split()
    for cut in range(len(words), -1, -1):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        day = _day(head, today) if head else None
        if head and day is None:
            continue
        at = _time(tail) if tail else None
        if tail and at is None:
            continue
        if day is None and at is None:
            return None
        return day, at
    return None


def parse_friendly(text: str, zone: tzinfo, now: datetime) -> tuple[When, bool]:
    """A date typed on the command line: an ISO date or date-time as notes hold them, or
    a friendly one relative to `now`. Returns the moment (a date, or an aware date-time
    in `zone`) and whether it was friendly (relative) rather than ISO. ValueError when
    it is neither."""
    try:
        return parse_when(text, zone), False
    except ValueError as exc:
        iso_error = exc
    today = now.astimezone(zone).date()
    found = _split(" ".join(text.strip().lower().split()), today)
    if found is None:
        if not str(iso_error).startswith("must be"):
            raise iso_error  # an ISO date, but an impossible one: say so
        raise ValueError(f"must be a date such as {EXAMPLES}, not {text!r}")
    day, at = found
    day = today if day is None else day
    if at is None:
        return day, True
    return datetime.combine(day, at, tzinfo=zone), True


def parse_typed(text: str, zone: tzinfo, now: datetime) -> When:
    """`parse_friendly`'s moment alone: what `--date` and `--where` values mean."""
    return parse_friendly(text, zone, now)[0]


def friendly(value: When) -> str:
    """A moment for a person to read in a message: `Thu 3 Dec 2026` or
    `Thu 3 Dec 2026 14:00` (vault time), never `2026-12-03T14:00:00-06:00`."""
    day = value.date() if isinstance(value, datetime) else value
    # Not strftime's %a / %b: they follow the process's locale.
    text = f"{WEEKDAYS[day.weekday()][:3].title()} {day.day} {_MONTHS[day.month - 1]} {day.year}"
    if isinstance(value, datetime):
        text += f" {value:%H:%M}"
    return text


def parse_moment(text: str, zone: tzinfo, now: datetime) -> datetime:
    """`--now T`: a real instant in `zone`. An ISO date means its midnight (as before);
    a friendly day without a time (`tomorrow`, `+3d`) keeps now's time of day, so
    `--now friday` is this moment on Friday. A wall time the zone skips (a
    spring-forward gap) moves past the gap, as the clock would show it."""
    value, relative = parse_friendly(text, zone, now)
    if not isinstance(value, datetime):
        at = now.astimezone(zone).time().replace(tzinfo=None) if relative else time(0)
        value = datetime.combine(value, at, tzinfo=zone)
    return value.astimezone(timezone.utc).astimezone(zone)
