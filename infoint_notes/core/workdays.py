"""Business days (SPEC 2.4): Monday to Friday, less a country's public holidays.

"The 2-Hour Job Search" counts its waits in business days: a request sent on a Friday
has had three business days by Wednesday, and a public holiday is no day to expect an
answer. The holidays come from the maintained `holidays` library, never from calendars
written here. It is imported only when a vault names a country (`holidays: US`): it costs
about 50 ms, which an agenda answered from the memo never pays.
"""

from __future__ import annotations

import re
from collections.abc import Container
from datetime import date, timedelta
from functools import lru_cache

from .errors import UsageError

#: `US`, `de`, or a country and one of its subdivisions: `DE-BY`, `US-CA`.
_CODE = re.compile(r"\s*([A-Za-z]{2,3})(?:-([A-Za-z0-9]{1,10}))?\s*\Z")
#: Saturday and Sunday (`date.weekday()`).
_WEEKEND = (5, 6)
#: A bound on any count of business days (100 years of them), so a loop always ends.
_MAX_DAYS = 36500


def holidays_code(value: object) -> str:
    """The `holidays` setting as written (a country code, optionally `-SUBDIVISION`),
    upper-cased. Raises UsageError naming the key for anything else, or for a country
    whose holidays the `holidays` library does not know."""
    match = _CODE.match(value) if isinstance(value, str) else None
    if match is None:
        raise UsageError(
            "infoint.yaml: 'holidays' must be a country code such as US or DE "
            f"(or DE-BY for a state), not {value!r}"
        )
    code = match.group(0).strip().upper()
    _public_holidays(code)  # unknown: refused now, not later when an agenda is due
    return code


@lru_cache(maxsize=8)
def _public_holidays(code: str) -> Container[date]:
    """Every public holiday of `code` (a country, optionally `-SUBDIVISION`), any year:
    the library works each year out when it is first asked about."""
    import holidays  # here: ~50 ms, only for vaults that name a country

    country, _, subdivision = code.partition("-")
    try:
        return holidays.country_holidays(country, subdiv=subdivision or None)
    except (NotImplementedError, KeyError, ValueError) as exc:
        raise UsageError(
            f"infoint.yaml: 'holidays': no public holidays are known for {code!r} ({exc}); "
            "use a country code such as US or DE"
        ) from None


class BusinessDays:
    """Monday to Friday, less the public holidays of `holidays` (a country code; None:
    no holidays)."""

    __slots__ = ("_holidays",)

    def __init__(self, holidays: str | None = None) -> None:
        self._holidays: Container[date] = _public_holidays(holidays) if holidays else ()

    def is_business_day(self, day: date) -> bool:
        return day.weekday() not in _WEEKEND and day not in self._holidays

    def add(self, day: date, count: int) -> date:
        """The `count`-th business day after `day` (`day` itself for 0): a request sent
        on Friday, plus 3, is due on Wednesday (on Thursday when Monday is a holiday)."""
        found = day
        for _ in range(min(count, _MAX_DAYS)):
            found += timedelta(days=1)
            while not self.is_business_day(found):
                found += timedelta(days=1)
        return found

    def between(self, start: date, end: date) -> int:
        """How many business days come after `start`, up to and including `end` (0 when
        `end` is not after `start`): asked on Friday and answered on Monday is 1."""
        span = (end - start).days
        if span <= 0:
            return 0
        if span > _MAX_DAYS:
            return span * 5 // 7  # bounded, as in `add`: nobody waits a century for an answer
        return sum(
            self.is_business_day(start + timedelta(days=offset)) for offset in range(1, span + 1)
        )


@lru_cache(maxsize=8)
def business_days(holidays: str | None) -> BusinessDays:
    """The business days of a vault whose `holidays` setting is `holidays`."""
    return BusinessDays(holidays)
