"""Dates and date-times as notes write them (SPEC 2.2), in the vault's time zone."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from .model import When

MIN_YEAR = 1000
MAX_YEAR = 9000

_WHEN = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6})\d*)?)?"
    r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?\s*\Z"
)


def _zone(name: str) -> tzinfo | None:
    """The IANA zone `name`, or None when there is none of that name. zoneinfo raises
    more than ZoneInfoNotFoundError: IsADirectoryError for a folder of the database
    (`America`), OSError for an overlong name, ValueError for `..`, NUL or a file that
    is not a zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def local_zone() -> tzinfo:
    """The system's zone with its daylight-saving rules (not just today's offset)."""
    name = os.environ.get("TZ", "").lstrip(":")
    zone = _zone(name) if name else None
    if zone is not None:
        return zone
    localtime = Path("/etc/localtime")
    try:
        with localtime.open("rb") as handle:
            return ZoneInfo.from_file(handle, key="localtime")
    except (OSError, ValueError):
        pass
    offset = datetime.now().astimezone().utcoffset() or timedelta(0)
    return timezone(offset)


def zone_named(name: str | None) -> tzinfo:
    """The IANA zone `name`, or the local zone for None. Raises ValueError if unknown."""
    if name is None:
        return local_zone()
    zone = _zone(name)
    if zone is None:
        shown = name if len(name) <= 60 else name[:60] + "..."
        raise ValueError(f"unknown time zone {shown!r} (use an IANA name such as Europe/Berlin)")
    return zone


#: What `timezone()` accepts: strictly less than a day either way.
_MAX_OFFSET = timedelta(hours=24)


def _offset(text: str) -> timezone:
    """`Z`, `+05:30`, `-0800` or `+01`; ValueError naming it when it is no real offset."""
    if text in ("Z", "z"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    offset = timedelta(hours=hours, minutes=minutes)
    if minutes > 59 or offset >= _MAX_OFFSET:
        raise ValueError(f"has an impossible offset {text} (from -23:59 to +23:59)")
    return timezone(sign * offset)


def parse_when(value: Any, zone: tzinfo) -> When:
    """A date or an aware date-time in `zone`. Raises ValueError for anything else."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"must be a date such as 2026-11-20 or 2026-11-20T14:00, not {value!r}")
    match = _WHEN.match(value)
    if match is None:
        raise ValueError(f"must be a date such as 2026-11-20 or 2026-11-20T14:00, not {value!r}")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        # Beyond these, adding a reminder's days or hours could leave datetime's range.
        raise ValueError(f"has a year out of range ({MIN_YEAR}-{MAX_YEAR}): {value.strip()}")
    try:
        day_value = date(int(year), int(month), int(day))
        if hour is None:
            return day_value
        moment = datetime.combine(
            day_value,
            time(int(hour), int(minute), int(second or 0), int((fraction or "0").ljust(6, "0"))),
        )
    except ValueError as exc:
        raise ValueError(f"has an impossible date or time {value.strip()} ({exc})") from exc
    if offset is None:
        return moment.replace(tzinfo=zone)
    return moment.replace(tzinfo=_offset(offset)).astimezone(zone)


def parse_now(text: str, zone: tzinfo) -> datetime:
    """`--now` / `INFOINT_NOW`: a date-time (a bare date means its midnight), as a real
    instant: a wall time the zone skips (a spring-forward gap) moves past the gap, as
    the clock would show it."""
    value = parse_when(text, zone)
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0), tzinfo=zone)
    return value.astimezone(timezone.utc).astimezone(zone)


def format_when(value: When) -> str:
    """ISO 8601: `2026-11-20` for a day, `2026-11-20T14:00:00+01:00` for a moment."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def day_of(value: When) -> date:
    return value.date() if isinstance(value, datetime) else value


def before(a: When, b: When) -> bool:
    """a < b, comparing by date when either is a date (SPEC 2.2)."""
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a < b
    return day_of(a) < day_of(b)


def sort_key(value: When) -> tuple[date, int, float]:
    """Orders days and moments together: a day sorts before the moments of that day."""
    if isinstance(value, datetime):
        return (value.date(), 1, value.timestamp())
    return (value, 0, 0.0)
