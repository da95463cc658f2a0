"""Facts about notes that depend on the clock or on other notes: an interview's end and
status, a contact's stage. `now` is always an argument."""

from __future__ import annotations

from datetime import datetime, timedelta

from .config import Config
from .dates import day_of
from .model import Interview, When

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
        return "done" if end <= now else "planned"
    return "done" if day_of(now) > end else "planned"


def contact_stage(status: str, statuses: list[str], requested: bool) -> str:
    """A contact's stage from its `status`, its interviews' statuses and its request."""
    if status != "active":
        return status
    if "done" in statuses:
        return "interviewed"
    if "planned" in statuses:
        return "scheduled"
    return "requested" if requested else "prospect"
