"""When things are due: durations added on the vault's wall clock, dues compared with a
moment, told for people, and the `Clock` through which the rules decide at one moment
(and learn how long their decisions hold)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, TypeVar

from ..core import dates

if TYPE_CHECKING:
    from ..core.model import When


def wall_clock(moment: datetime, delta: timedelta) -> datetime:
    """moment + delta on the wall clock, then made a real instant (a time that falls in a
    spring-forward gap moves past it, an ambiguous one gets its correct offset)."""
    shifted = moment + delta
    if shifted.tzinfo is None:
        return shifted
    return shifted.astimezone(timezone.utc).astimezone(shifted.tzinfo)


def add_hours(end: When, hours: int) -> When:
    """`end` + hours. A day ends at its midnight, so day + 24 h is due the next day:
    the due day is day + ceil(hours / 24)."""
    if isinstance(end, datetime):
        return wall_clock(end, timedelta(hours=hours))
    return end + timedelta(days=math.ceil(hours / 24))


def add_days(moment: When, days: int) -> When:
    """`moment` + days on the calendar (same wall-clock time for a date-time)."""
    if isinstance(moment, datetime):
        return wall_clock(moment, timedelta(days=days))
    return moment + timedelta(days=days)


def overdue_at(now: datetime) -> Callable[[When], bool]:
    """Whether a due is overdue at `now`: a moment once past, a day from the next day on.
    (Instants are compared, not wall-clock values: two datetimes sharing a tzinfo
    compare naively.) `now`'s instant and day are worked out once."""
    instant, day = now.timestamp(), dates.day_of(now)

    def overdue(due: When) -> bool:
        if isinstance(due, datetime):
            return instant > due.timestamp()
        return day > due

    return overdue


def due_by_limit(limit: datetime) -> Callable[[When], bool]:
    """Whether a due is no later than `limit`, a day compared by date (SPEC 2.2).
    `limit`'s instant and day are worked out once."""
    instant, day = limit.timestamp(), dates.day_of(limit)

    def by(due: When) -> bool:
        if isinstance(due, datetime):
            return due.timestamp() <= instant
        return due <= day

    return by


def is_overdue(due: When, now: datetime) -> bool:
    """`overdue_at(now)(due)`."""
    return overdue_at(now)(due)


def due_by(due: When, limit: datetime) -> bool:
    """`due_by_limit(limit)(due)`."""
    return due_by_limit(limit)(due)


def latest(moments: Iterable[When]) -> When | None:
    """The latest of some moments. A date means "some time that day", so it counts as
    later than any moment of the same day (it lasts until midnight)."""

    def key(value: When) -> tuple[date, int, float]:
        if isinstance(value, datetime):
            return (value.date(), 0, value.timestamp())
        return (value, 1, 0.0)

    return max(moments, key=key, default=None)


def day_text(value: When) -> str:
    return dates.day_of(value).isoformat()


def moment_text(value: When) -> str:
    """`2026-11-20` or `2026-11-20 14:00` (vault time), for people rather than scripts."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def describe_due(due: When, now: datetime) -> str:
    """Relative to now: `due in 4 h`, `due tomorrow`, `3 days overdue`."""
    if not isinstance(due, datetime):
        days = (due - dates.day_of(now)).days
        if days == 0:
            return "due today"
        if days == 1:
            return "due tomorrow"
        if days > 1:
            return f"due in {days} days"
        return f"{count_text(-days, 'day')} overdue"
    seconds = due.timestamp() - now.timestamp()
    amount = _duration_text(abs(seconds))
    return f"due in {amount}" if seconds >= 0 else f"{amount} overdue"


def _duration_text(seconds: float) -> str:
    if seconds < 3600:
        return f"{max(1, math.floor(seconds / 60 + 0.5))} min"
    if seconds < 48 * 3600:
        return f"{math.floor(seconds / 3600 + 0.5)} h"
    return count_text(math.floor(seconds / 86400 + 0.5), "day")


def listing_text(words: list[str]) -> str:
    """`a`, `a or b`, `a, b or c`."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def count_text(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


T = TypeVar("T")


class Clock:
    """The moment the rules decide at, and how long their decisions hold.

    The rules are not given the moment: every decision that depends on it is a
    `decide(question, flips_at)`, which says when the answer may change, so the agenda
    knows how long its items hold (`valid_until`) and a remembered agenda is never
    stale. The one exception is `overdue`, which changes with every due passing and is
    recomputed whenever items are recalled (`agenda_memo`).
    """

    __slots__ = ("_now", "overdue", "valid_until")

    def __init__(self, now: datetime) -> None:
        self._now = now
        #: Whether a due is overdue at the moment (`overdue_at`).
        self.overdue = overdue_at(now)
        #: The items found stay the same (but for `overdue`) until this instant: the
        #: earliest moment at which the clock flips a decision a rule took.
        self.valid_until = math.inf

    def decide(self, question: Callable[[datetime], T], flips_at: float | None) -> T:
        """`question(now)`, whose answer may change at `flips_at` (a POSIX timestamp;
        None: the clock never changes it).

        Each decision of the rules changes at most once as time goes on. So when the
        answer just before `flips_at` is this one, it holds until then; when `flips_at`
        is past and the answer before it was another, it has flipped for good; anything
        else (a daylight-saving shift moved the flip) holds for this moment only.
        """
        now = self._now
        answer = question(now)
        if flips_at is None:
            return answer
        before = flips_at - 1.0
        if before >= self.valid_until:
            return answer  # an earlier flip bounds the items already
        try:
            same = question(datetime.fromtimestamp(before, now.tzinfo)) == answer
        except (OverflowError, OSError, ValueError):
            same = False
        if not same and before < now.timestamp():
            return answer
        self.valid_until = before if same else now.timestamp()
        return answer
