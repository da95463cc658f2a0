"""Facts about notes that depend on the clock or on other notes: an interview's end and
status, a contact's stage. `now` is always an argument."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from .dates import day_of
from .workdays import business_days

if TYPE_CHECKING:
    from .config import Config
    from .model import Contact, Interview, When

STAGES = (
    "prospect",
    "requested",
    "scheduled",
    "interviewed",
    "declined",
    "inactive",
    "do-not-contact",
)


def interview_end(interview: Interview, config: Config) -> When | None:
    """Start + duration; a date-only interview ends with its day (returned as that date)."""
    start = interview.start
    if start is None:
        return None
    if not isinstance(start, datetime):
        return start
    minutes = interview.duration or config.default_duration_minutes
    return start + timedelta(minutes=minutes)


def interview_status(interview: Interview, now: datetime, config: Config) -> str:
    """As written, or `done` once its end is past, else `planned`."""
    if interview.status:
        return interview.status
    end = interview_end(interview, config)
    if end is None:
        return "planned"
    if isinstance(end, datetime):
        # Instants: two datetimes sharing a zone compare by wall clock, which repeats
        # an hour in autumn.
        return "done" if end.timestamp() <= now.timestamp() else "planned"
    return "done" if day_of(now) > end else "planned"


def has_started(interview: Interview, now: datetime) -> bool:
    """Whether the interview's start is past (a date-only one: from its day on). One
    without a date has not."""
    start = interview.start
    if start is None:
        return False
    if isinstance(start, datetime):
        return start.timestamp() <= now.timestamp()
    return start <= day_of(now)


def day_starts(day: date, zone: tzinfo) -> float:
    """When `day` begins in `zone` (a POSIX timestamp)."""
    return datetime.combine(day, time(), tzinfo=zone).timestamp()


def status_changes_at(interview: Interview, config: Config) -> float | None:
    """When the clock turns the interview from `planned` to `done` (a POSIX timestamp);
    None when the clock never changes its status."""
    if interview.status:
        return None
    end = interview_end(interview, config)
    if end is None:
        return None
    if isinstance(end, datetime):
        return end.timestamp()
    return day_starts(end + timedelta(days=1), config.zone)


def contact_stage(status: str, statuses: list[str], requested: bool) -> str:
    """A contact's stage from its `status`, its interviews' statuses and its request."""
    if status != "active":
        return status
    if "done" in statuses:
        return "interviewed"
    if "planned" in statuses:
        return "scheduled"
    return "requested" if requested else "prospect"


def response_days(contact: Contact, config: Config) -> int | None:
    """Business days from `requested` to `responded` (Monday to Friday, less the public
    holidays of `holidays`): how quickly they answered, Dalton's sign of an advocate.
    None while either is missing, or when the answer is dated before the request."""
    if contact.requested is None or contact.responded is None:
        return None
    asked, answered = day_of(contact.requested), day_of(contact.responded)
    if answered < asked:
        return None
    return business_days(config.holidays).between(asked, answered)
