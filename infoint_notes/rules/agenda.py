"""The follow-up agenda (SPEC 4.3): what to do next, derived from the notes and `now`.

Pure on purpose: the index and `now` come in as arguments and nothing here reads the
clock or the disk, so every rule can be tested at any moment, including across a
daylight-saving change, and `infoint watch` can diff two agendas.

Moments are aware date-times in the vault's zone, or plain dates for date-only values
(SPEC 2.2). Durations are added in wall-clock time (aware date-time + timedelta keeps
the zone and its rules), and a date stays a date: a due derived from a date-only value
is a calendar day, overdue from the next day on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from ..core import dates
from .agenda_item import KINDS, SHOWN_FIELDS, AgendaItem
from .agenda_rules import Rules, Suggested, Talked, referral_contact, referral_pending
from .dues import (
    Clock,
    add_days,
    add_hours,
    describe_due,
    due_by,
    due_by_limit,
    is_overdue,
    moment_text,
    overdue_at,
    wall_clock,
)

if TYPE_CHECKING:
    from ..core.index import VaultIndex
    from ..core.model import When

__all__ = [
    "DEFAULT_WITHIN_DAYS",
    "GROUPS",
    "KINDS",
    "SHOWN_FIELDS",
    "Agenda",
    "AgendaItem",
    "Clock",
    "Rules",
    "Shown",
    "Suggested",
    "Talked",
    "add_days",
    "add_hours",
    "build_agenda",
    "compute_agenda",
    "describe_due",
    "due_by",
    "group_of",
    "horizon",
    "is_overdue",
    "moment_text",
    "overdue_at",
    "referral_contact",
    "referral_pending",
    "select",
]

DEFAULT_WITHIN_DAYS = 7

GROUPS = ("Overdue", "Today", "This week", "Later")


def group_of(item: AgendaItem, now: datetime) -> str:
    """Which heading of the text output an item goes under."""
    if item.overdue:
        return "Overdue"
    days = (dates.day_of(item.due) - dates.day_of(now)).days
    if days <= 0:
        return "Today"
    return "This week" if days <= 7 else "Later"


@dataclass(frozen=True, slots=True)
class Agenda:
    """Every item of the vault at one moment, and how long that answer holds."""

    items: list[AgendaItem]
    #: A POSIX timestamp (inf: forever): from the moment asked until this instant the
    #: vault's notes give the same items, only their `overdue` changes.
    valid_until: float


def compute_agenda(index: VaultIndex, now: datetime) -> Agenda:
    """Every agenda item of the vault at `now`, in SPEC order, and until when they hold."""
    clock = Clock(now)
    items = Rules(index, clock).all()
    return Agenda(items, _steady_until(now, clock.valid_until))


def _steady_until(now: datetime, until: float) -> float:
    """`until`, kept within a day and within the zone's current offset: `Clock.decide` relies
    on the clock's wall time moving steadily forward, which a daylight-saving change
    breaks (an hour repeats)."""
    until = min(until, now.timestamp() + 86400.0)
    try:
        later = datetime.fromtimestamp(until, now.tzinfo)
    except (OverflowError, OSError, ValueError):
        return now.timestamp()
    return until if later.utcoffset() == now.utcoffset() else now.timestamp()


def build_agenda(index: VaultIndex, now: datetime) -> list[AgendaItem]:
    """Every agenda item of the vault at `now`, in SPEC order (nothing filtered out)."""
    return compute_agenda(index, now).items


def horizon(now: datetime, within_days: int | None) -> datetime | None:
    """The latest due shown: now + `within_days` on the wall clock (None: no limit)."""
    return None if within_days is None else wall_clock(now, timedelta(days=within_days))


def _any_time(due: When) -> bool:
    return True


class Shown:
    """Which items the agenda shows at `now`: of `kinds` (empty: any kind) and due no
    later than now + `within_days` (None: any time)."""

    __slots__ = ("due", "every_kind", "kinds")

    def __init__(
        self,
        now: datetime,
        within_days: int | None = DEFAULT_WITHIN_DAYS,
        kinds: Collection[str] = (),
    ) -> None:
        limit = horizon(now, within_days)
        #: Whether a due is shown (`due_by_limit`).
        self.due: Callable[[When], bool] = _any_time if limit is None else due_by_limit(limit)
        self.kinds = kinds
        self.every_kind = not kinds

    def kind(self, kind: str) -> bool:
        return self.every_kind or kind in self.kinds

    def __call__(self, item: AgendaItem) -> bool:
        return self.kind(item.kind) and self.due(item.due)


def shown_steady_until(dues: Iterable[When], now: datetime, within_days: int | None) -> float:
    """An instant (a POSIX timestamp; inf: none) up to which `overdue_at` and
    `Shown(..., within_days).due` answer for every one of `dues` as they do at `now`:
    so a selection printed at `now`, with its `overdue` flags, is the same answer until
    then.

    Both only ever turn true as time passes, so each due has one instant where each
    turns: about when a moment passes or the day after a date starts; entering the
    horizon, `within_days` times 24 hours earlier. Those estimates are off by at most
    a daylight-saving change, so the ones that may come first are found exactly, by
    asking the predicates themselves (a bisection to the millisecond)."""
    zone = now.tzinfo
    assert zone is not None
    start = now.timestamp()
    overdue, shown = overdue_at(now), Shown(now, within_days).due
    turns: list[tuple[float, When, Callable[[datetime], Callable[[When], bool]]]] = []
    ahead = 86400.0 * (within_days or 0)
    for due in set(dues):
        try:
            if isinstance(due, datetime):
                starts = overdue_from = due.timestamp()
            else:
                starts = _day_starts(due, zone)
                overdue_from = _day_starts(due + timedelta(days=1), zone)
            if not overdue(due):
                turns.append((overdue_from, due, overdue_at))
            if within_days is not None and not shown(due):
                turns.append((starts - ahead, due, lambda at: Shown(at, within_days).due))
        except (OverflowError, OSError, ValueError):  # the calendar's ends: hold for no time
            return start
    if not turns:
        return math.inf
    first = min(estimate for estimate, _, _ in turns)
    return min(
        _turning_point(
            question, due, (start, max(start, estimate - _SLACK), estimate + _SLACK), zone
        )
        for estimate, due, question in turns
        if estimate <= first + 2 * _SLACK
    )


#: Seconds: more than any daylight-saving change (Antarctica/Troll's is 2 hours).
_SLACK = 3 * 3600.0


def _turning_point(
    question: Callable[[datetime], Callable[[When], bool]],
    due: When,
    window: tuple[float, float, float],
    zone: tzinfo,
) -> float:
    """An instant up to which `question(t)(due)` stays false, for t from `start` on
    (false then): where it turns true, to the millisecond, when that is before `high`;
    else `high`. It is looked for from `low` on, or from `start` if it turned before.
    `window`: (start, low, high)."""
    start, low, high = window

    def turned(at: float) -> bool:
        return question(datetime.fromtimestamp(at, zone))(due)

    if not turned(high):
        return high
    if turned(low):
        low, high = start, low
    while high - low > 0.001:
        middle = (low + high) / 2
        if turned(middle):
            high = middle
        else:
            low = middle
    return low


def _day_starts(day: date, zone: tzinfo) -> float:
    """About the instant `day` starts in `zone` (within a daylight-saving change)."""
    return datetime.combine(day, time(0), tzinfo=zone).timestamp()


def select(
    items: Iterable[AgendaItem],
    now: datetime,
    within_days: int | None = DEFAULT_WITHIN_DAYS,
    kinds: Collection[str] = (),
) -> list[AgendaItem]:
    """The items `Shown` at `now`, in their order."""
    return list(filter(Shown(now, within_days, kinds), items))
