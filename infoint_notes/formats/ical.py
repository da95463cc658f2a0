"""The agenda as an iCalendar file (RFC 5545): what `infoint agenda --format ics` writes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone, tzinfo

from ..rules.agenda import AgendaItem
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


def agenda_ics(items: Sequence[AgendaItem], now: datetime) -> bytes:
    """RFC 5545: one VTODO per item; its UID names the item, not its due or text, so a
    calendar re-import updates the to-do instead of duplicating it."""
    from icalendar import Calendar, Todo  # a large library: only `--format ics` loads it

    calendar = Calendar()
    with_zones = hasattr(calendar, "add_missing_timezones")
    calendar.add("prodid", "-//infoint//agenda//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "infoint agenda")
    stamp = now.astimezone(timezone.utc).replace(microsecond=0)
    for item in items:
        todo = Todo()
        todo.add("uid", item.uid)
        todo.add("dtstamp", stamp)
        # RFC 5545 text holds no control characters; shown escaped, as in the terminal.
        todo.add("summary", printable(item.text))
        due = _ics_moment(item.due, with_zones) if isinstance(item.due, datetime) else item.due
        todo.add("due", due)
        todo.add("description", printable(f"{item.kind}: open {item.note}"))
        todo.add("categories", [item.kind])
        todo.add("status", "NEEDS-ACTION")
        calendar.add_component(todo)
    if with_zones:
        # A VTIMEZONE for every TZID used, so calendars need not know the zone by name.
        calendar.add_missing_timezones()
    return calendar.to_ical()
