"""`infoint log`: the changes an event makes to a note (SPEC 4.9).

What an event writes follows from its field's kind of value in `core/schema.py`: a date
is set, a list of dates gets one more, a choice is set to the event's `value`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from ..core import dates
from ..core.derive import has_started
from ..core.errors import UsageError
from ..core.friendly import friendly, parse_typed
from ..core.model import Interview, Note
from ..core.schema import Value
from .edit import Change, append_item, scalar_text, set_key
from .events import EVENTS


@dataclass(frozen=True, slots=True)
class LogEntry:
    """The changes an event makes, and how to say so."""

    changes: tuple[Change, ...]
    #: (key, new value as written, the different value it replaces or None)
    lines: tuple[tuple[str, str, Any], ...]


def event_when(text: str | None, now: datetime, zone: tzinfo) -> date | datetime:
    """`--date` as written in the note: a day stays a day; a date-time (or now, to the
    minute) becomes naive vault-local time, as people write it by hand. `tomorrow 15:00`
    and the other friendly forms (SPEC 2.2) are written as the ISO date they mean."""
    if text is None:
        return now.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
    try:
        value = parse_typed(text, zone, now)
    except ValueError as exc:
        raise UsageError(f"--date: {exc}") from exc
    if isinstance(value, datetime):
        return value.astimezone(zone).replace(tzinfo=None)
    return value


def _moment(value: Any, zone: tzinfo) -> date | datetime | None:
    try:
        return dates.parse_when(value if isinstance(value, str) else scalar_text(value), zone)
    except ValueError:
        return None


def _update_changes(key: str, existing: Any, when: Any, zone: tzinfo) -> list[Change]:
    """Append the update, unless the note already records this very moment (logging it
    twice must not write it twice); a single date written without a list becomes one."""
    items = existing if isinstance(existing, list) else [] if existing in (None, "") else [existing]
    new = _moment(when, zone)
    if new is not None and any(_moment(item, zone) == new for item in items):
        return []
    if isinstance(existing, list) or existing in (None, ""):
        return [append_item(key, when)]
    earlier = _moment(existing, zone)
    kept = existing if earlier is None else earlier
    if isinstance(kept, datetime):
        kept = kept.replace(tzinfo=None)
    return [set_key(key, [kept, when])]


def refuse_unstarted(event: str, interview: Interview, now: datetime) -> None:
    """`done`, `no-show` and `thank-you` make no sense before the interview (SPEC 4.9):
    UsageError naming its start and the `--force` way out."""
    if has_started(interview, now):
        return
    when = f"it starts {friendly(interview.start)}" if interview.start is not None else "no date"
    raise UsageError(
        f"{interview.path} has not started yet ({when}); nothing written. Log {event} "
        "once it has, or add --force to record it anyway"
    )


def log_entry(
    event: str,
    note: Note,
    when: date | datetime | None,
    via: str | None,
    zone: tzinfo,
    force: bool = False,
) -> LogEntry:
    """The changes for `event` on `note`; UsageError when the event makes no sense there,
    or (unless `force`) would replace what the note records (`refuse_replacing`)."""
    entry = EVENTS[event]
    key = entry.key
    data = note.data
    value = entry.field.value
    if value is Value.CHOICE:
        changes = [set_key(key, entry.value)]
    elif value is Value.WHENS:
        changes = _update_changes(key, data.get(key), when, zone)
    else:
        if event == "thank-you" and isinstance(note, Interview) and note.start and when:
            sent = dates.parse_when(scalar_text(when), zone)
            if dates.before(sent, note.start):
                raise UsageError(
                    f"the interview starts {friendly(note.start)}; a thank-you "
                    "cannot be sent before it (give the real --date)"
                )
        changes = [set_key(key, when)]
        if entry.via is not None and not entry.via_said:
            changes.append(set_key(entry.via, via))
    changes.extend(set_key(other, fixed) for other, fixed in entry.also)
    if not force:
        refuse_replacing(event, note, changes, zone)
    lines = []
    for change in changes:
        old = data.get(change.key) if change.action == "set" else None
        if _same(old, change.value, zone):
            old = None  # `request_via: email`, not `email (was email)`
        lines.append((change.key, scalar_text(change.value), old))
    return LogEntry(tuple(changes), tuple(lines))


def refuse_replacing(event: str, note: Note, changes: list[Change], zone: tzinfo) -> None:
    """What happened stays recorded (SPEC 4.9 sets a value; it never says to lose one): a
    different date already in a once-only event's key (`thank_you_sent`, `requested`,
    `responded`) and a held conversation's `status: done` are replaced only with --force.
    A contact picked in place of an interview may well mean another one than the user
    thinks: this says which, and what it holds."""
    once = EVENTS[event].once and EVENTS[event].key
    for change in changes:
        old = note.data.get(change.key) if change.action == "set" else None
        if old in (None, "", []) or _same(old, change.value, zone):
            continue
        held = change.key == "status" and str(old).strip().casefold() == "done"
        if change.key == once or held:
            raise UsageError(
                f"{note.path}: {change.key} is already {_shown(old)}; nothing written "
                f"(add --force to replace it with {scalar_text(change.value)})"
            )


def _shown(value: Any) -> str:
    """A value from the note, as it is written there."""
    return value if isinstance(value, str) else scalar_text(value)


def _same(old: Any, new: Any, zone: tzinfo) -> bool:
    """Whether the note already says `new` (as written, or as the same moment)."""
    if old is None:
        return False
    if old == new or str(old).strip() == scalar_text(new):
        return True
    if isinstance(new, (date, datetime)):
        earlier = _moment(old, zone)
        return earlier is not None and earlier == _moment(new, zone)
    return False
