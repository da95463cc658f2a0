"""To-dos the vault shows done recently (SPEC 4.3), for the calendar export: a calendar
that imported an open to-do hears, under the same UID, that it is completed.

Each is the item the agenda's rules gave before the note said it was done: the rule is
asked again about the note as it was (`thank_you_sent` not yet written, no answer yet,
no update since the milestone), so its text, due and UID are those the calendar has.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ..core import dates
from ..core.derive import day_starts, interview_end
from ..core.index import VaultIndex
from ..core.model import Contact, When
from .agenda import AgendaItem, Clock, Rules, Suggested, Talked


@dataclass(frozen=True, slots=True)
class Completed:
    """An agenda item, and when the vault says it was done."""

    item: AgendaItem
    at: When


def completed_items(
    index: VaultIndex, now: datetime, open_items: Iterable[AgendaItem]
) -> list[Completed]:
    """Items done within the last `completed_days` (and not in the future), each once,
    leaving out any whose UID an item of the agenda (`open_items`, every one of them)
    still carries: a follow-up or an update moves the open item's due instead."""
    rules = Rules(index, Clock(now))
    found = [*_after_interviews(rules), *_requests(rules), *_news(rules)]
    since = dates.day_of(now) - timedelta(days=index.config.completed_days)
    still_open = {item.uid for item in open_items}
    recent: dict[str, Completed] = {}
    for done in found:
        day = dates.day_of(done.at)
        if since <= day and not dates.before(now, done.at) and done.item.uid not in still_open:
            recent.setdefault(done.item.uid, done)
    return sorted(recent.values(), key=lambda done: done.item.sort_key())


def _after_interviews(rules: Rules) -> list[Completed]:
    """Thank-yous sent, interviews held (and their preparation), referrals contacted."""
    found: list[Completed] = []
    suggested: list[Suggested] = []
    for interview, contact, status in rules.interviews():
        if status != "done" or interview.start is None:
            continue
        end = _ended(interview_end(interview, rules.config) or interview.start, rules)
        for item in rules.before_interview(interview, contact):
            found.append(Completed(item, end if item.kind == "interview" else interview.start))
        if interview.thank_you_sent is not None:
            unsent = replace(interview, thank_you_sent=None)
            found.extend(
                Completed(item, interview.thank_you_sent)
                for item in rules.after_interview(unsent, contact)
                if item.kind == "thank-you"
            )
        suggested.extend(rules.suggestions(interview, contact))
    for person, group in rules.suggested_people(suggested, pending=False):
        assert person is not None  # only a person with a note stops being pending
        reached = _first_reached(rules, person)
        if reached is not None:
            found.append(Completed(rules.referral_item(person, group), reached))
    return found


def _ended(end: When, rules: Rules) -> When:
    """When an interview was over: a date-only one ends with its day (SPEC 2.2), so it
    completes as the next day begins, not as its own day does."""
    if isinstance(end, datetime):
        return end
    return datetime.fromtimestamp(
        day_starts(end + timedelta(days=1), rules.config.zone), rules.config.zone
    )


def _first_reached(rules: Rules, person: Contact) -> When | None:
    """When a referral was first reached: the request, else their first interview."""
    if person.requested is not None:
        return person.requested
    starts = [iv.start for iv in rules.index.interviews_of(person) if iv.start is not None]
    return min(starts, key=dates.sort_key, default=None)


def _requests(rules: Rules) -> list[Completed]:
    """Requests answered."""
    found: list[Completed] = []
    for contact in rules.index.contacts:
        if contact.status != "active" or contact.responded is None:
            continue
        unanswered = replace(contact, responded=None)
        found.extend(
            Completed(item, contact.responded) for item in rules.follow_up_request(unanswered)
        )
    return found


def _news(rules: Rules) -> list[Completed]:
    """Milestones' news shared: the first update on or after the milestone."""
    found: list[Completed] = []
    for milestone in rules.index.milestones:
        happened = milestone.date
        if happened is None:
            continue
        for contact in rules.index.contacts:
            if contact.status != "active":
                continue
            told = [u for u in contact.updates if not dates.before(u, happened)]
            done = rules.done_interviews(contact)
            if not told or not done:
                continue
            untold = replace(contact, updates=tuple(u for u in contact.updates if u not in told))
            for item in rules.share_news(milestone, [Talked(untold, done)]):
                found.append(Completed(item, min(told, key=dates.sort_key)))
    return found
