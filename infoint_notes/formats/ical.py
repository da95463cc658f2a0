"""The agenda as an iCalendar file (RFC 5545): what `infoint agenda --format ics` writes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timezone, tzinfo
from typing import TYPE_CHECKING

from ..core.derive import day_starts
from ..rules.agenda import AgendaItem

if TYPE_CHECKING:
    from ..rules.completed import Completed
from .safetext import printable


def _ics_moment(moment: datetime, with_zones: bool) -> datetime:
    """A DUE calendars can import: TZID with an IANA zone, else UTC. A zone read from
    /etc/localtime (key "localtime") or a fixed offset has no name calendars know, and
    an icalendar too old to write VTIMEZONEs (before 6.1) gets UTC too."""
    zone: tzinfo | None = moment.tzinfo
    key = getattr(zone, "key", None)
    if with_zones and key and (key == "UTC" or "/" in key):
        return moment
    return moment.astimezone(timezone.utc)


def _completed_moment(at: datetime | date, zone: tzinfo) -> datetime:
    """COMPLETED is a UTC date-time (RFC 5545 3.8.2.1); a day completes as it begins."""
    if not isinstance(at, datetime):
        at = datetime.fromtimestamp(day_starts(at, zone), zone)
    return at.astimezone(timezone.utc).replace(microsecond=0)


def agenda_ics(
    items: Sequence[AgendaItem], now: datetime, completed: Sequence[Completed] = ()
) -> bytes:
    """RFC 5545: one VTODO per item; its UID names the item, not its due or text, so a
    calendar re-import updates the to-do instead of duplicating it. `completed` items
    are written with their UID too, `STATUS:COMPLETED`, so the calendar closes them."""
    from icalendar import Calendar, Todo  # a large library: only `--format ics` loads it

    calendar = Calendar()
    with_zones = hasattr(calendar, "add_missing_timezones")
    calendar.add("prodid", "-//infoint//agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "infoint agenda")
    stamp = now.astimezone(timezone.utc).replace(microsecond=0)
    done = [(one.item, one.at) for one in completed]
    for item, at in [*((item, None) for item in items), *done]:
        todo = Todo()
        todo.add("uid", item.uid)
        todo.add("dtstamp", stamp)
        # RFC 5545 text holds no control characters; shown escaped, as in the terminal.
        todo.add("summary", printable(item.text))
        due = _ics_moment(item.due, with_zones) if isinstance(item.due, datetime) else item.due
        todo.add("due", due)
        todo.add("description", printable(f"{item.kind}: open {item.note}"))
        todo.add("categories", [item.kind])
        if at is None:
            todo.add("status", "NEEDS-ACTION")
        else:
            todo.add("status", "COMPLETED")
            todo.add("completed", _completed_moment(at, now.tzinfo or timezone.utc))
            todo.add("percent-complete", 100)
        calendar.add_component(todo)
    if with_zones:
        # A VTIMEZONE for every TZID used, so calendars need not know the zone by name.
        calendar.add_missing_timezones()
    return calendar.to_ical()
