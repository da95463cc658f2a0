"""The rules of SPEC 4.3: which items each interview, contact and milestone gives, with
their dues and texts, decided at one moment through a `Clock`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from ..core import dates
from ..core.derive import day_starts, interview_end, interview_status, status_changes_at
from .agenda_item import AgendaItem
from .dues import (
    Clock,
    add_days,
    add_hours,
    count_text,
    day_text,
    due_by,
    latest,
    listing_text,
    moment_text,
    wall_clock,
)

if TYPE_CHECKING:
    from ..core.config import Config
    from ..core.index import VaultIndex
    from ..core.model import Contact, Interview, Milestone, Referral, When

#: SPEC 4.3: a milestone's news is due a week after it happened.
SHARE_NEWS_DAYS = 7
#: How many colleagues a `try-another` item names.
TRY_ANOTHER_NAMES = 3
#: A written request (any `request_via` but these) deserves a follow-up by phone.
_SPOKEN_REQUESTS = ("phone", "in-person")
_REQUEST_VIA_PHRASE = {
    "email": " by email",
    "linkedin": " on LinkedIn",
    "letter": " by letter",
    "other": "",
}


# --- referrals -------------------------------------------------------------------------


def referral_contact(index: VaultIndex, referral: Referral) -> Contact | None:
    """The contact note a referral means: by link (id), else by name or alias."""
    target = referral.link.target if referral.link else referral.name
    return index.resolve_contact(target)


def referral_pending(index: VaultIndex, contact: Contact | None) -> bool:
    """SPEC 3.2: pending until a contact note exists and has `requested` or an interview."""
    if contact is None:
        return True
    return contact.requested is None and not index.interviews_of(contact)


@dataclass(frozen=True, slots=True)
class Suggested:
    """One interviewee's suggestion of a person to talk to."""

    interview: Interview
    referrer: str
    referral: Referral
    due: When


def _permission(suggestion: Suggested, person: Contact | None) -> str:
    """Whether the referrer's name may open the message: the referral says, else the
    person's `referrer_ok`, else ask."""
    referrer = suggestion.referrer
    may_use = suggestion.referral.may_use_name
    if may_use is None and person is not None:
        may_use = person.referrer_ok
    if may_use is True:
        return f"you may mention {referrer}'s name"
    if may_use is False:
        return f"do not mention {referrer}'s name"
    return f"ask {referrer} whether you may mention their name"


def _and(names: list[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# --- the rules -------------------------------------------------------------------------


class Talked:
    """An active contact with done interviews, asked once per milestone whether they
    are owed its news (SPEC 3.4): so the days compared are worked out once."""

    __slots__ = ("contact", "first_day", "last_update_day", "starts")

    def __init__(self, contact: Contact, done: list[Interview]) -> None:
        self.contact = contact
        self.starts = [interview.start for interview in done if interview.start is not None]
        self.first_day = min(map(dates.day_of, self.starts), default=None)
        self.last_update_day = max(map(dates.day_of, contact.updates), default=None)

    def owed_news(self, happened: When) -> bool:
        """Talked to before the milestone, and not updated on or after it."""
        if not isinstance(happened, datetime):
            # A day compares by day with everything: the earliest talk, the latest update.
            return (
                self.first_day is not None
                and self.first_day < happened
                and not (self.last_update_day is not None and self.last_update_day >= happened)
            )
        talked_before = any(dates.before(start, happened) for start in self.starts)
        told = any(not dates.before(update, happened) for update in self.contact.updates)
        return talked_before and not told


class Rules:
    """The rules of SPEC 4.3 over one index, deciding at one moment through `clock`."""

    def __init__(self, index: VaultIndex, clock: Clock) -> None:
        self.index = index
        self.clock = clock
        self.config: Config = index.config
        self._done: dict[str, list[Interview]] = {}
        self._statuses: dict[str, str] = {}

    def status(self, interview: Interview) -> str:
        # Memoised by path: asked for each interview, then again for each contact's.
        found = self._statuses.get(interview.path)
        if found is None:
            found = self._statuses[interview.path] = self.clock.decide(
                lambda now: interview_status(interview, now, self.config),
                status_changes_at(interview, self.config),
            )
        return found

    def item(
        self, kind: str, due: When, note: str, contact: Contact | None, text: str, subject: str
    ) -> AgendaItem:
        return AgendaItem(
            kind,
            due,
            self.clock.overdue(due),
            note,
            contact.id if contact else None,
            text,
            subject,
        )

    def active(self, contact: Contact | None) -> bool:
        # An interview whose contact link is broken still deserves its thank-you; the
        # broken link itself is validate's business.
        return contact is None or contact.status == "active"

    def interviews(self) -> Iterator[tuple[Interview, Contact | None, str]]:
        """Interviews that may produce items, with their contact and status."""
        for interview in self.index.interviews:
            contact = self.index.contact_of(interview)
            if interview.start is None or not self.active(contact):
                continue
            status = self.status(interview)
            if status in ("planned", "done"):  # cancelled / no-show produce nothing
                yield interview, contact, status

    @staticmethod
    def name_of(interview: Interview, contact: Contact | None) -> str:
        if contact is not None:
            return contact.title
        return interview.contact.target if interview.contact else interview.id

    # thank-you, reflect, contact-referral: after a done interview
    def after_interview(self, interview: Interview, contact: Contact | None) -> list[AgendaItem]:
        end = interview_end(interview, self.config)
        assert end is not None and interview.start is not None
        name = self.name_of(interview, contact)
        subject = contact.id if contact else name
        held = f"interview {day_text(interview.start)}"
        found = []
        if interview.thank_you_sent is None:
            found.append(
                self.item(
                    "thank-you",
                    add_hours(end, self.config.thank_you_within_hours),
                    interview.path,
                    contact,
                    f"Send {name} a thank-you note ({held})",
                    subject,
                )
            )
        if not interview.parsed.body.reflection_written:
            found.append(
                self.item(
                    "reflect",
                    add_hours(end, self.config.reflect_within_hours),
                    interview.path,
                    contact,
                    f"Write your reflection on the conversation with {name} ({held})",
                    subject,
                )
            )
        return found

    def suggestions(self, interview: Interview, contact: Contact | None) -> list[Suggested]:
        """The referrals a done interview gave, each due `referral_contact_days` after it."""
        end = interview_end(interview, self.config)
        assert end is not None  # a done interview has a start
        due = add_days(end, self.config.referral_contact_days)
        referrer = self.name_of(interview, contact)
        return [Suggested(interview, referrer, referral, due) for referral in interview.referrals]

    def referral_items(self, suggested: list[Suggested]) -> list[AgendaItem]:
        """One contact-referral item per person still pending, however many suggested
        them: due at the earliest suggestion, naming everyone who suggested them."""
        return [
            self.referral_item(person, group)
            for person, group in self.suggested_people(suggested, pending=True)
        ]

    def suggested_people(
        self, suggested: list[Suggested], pending: bool
    ) -> list[tuple[Contact | None, list[Suggested]]]:
        """The active people suggested, each with their suggestions: those still
        `pending` (SPEC 3.2), or those already contacted."""
        from ..core.slug import slugify  # only vaults with referrals need it

        # A person without a note is known by the slug of their name, as in `graph`.
        people: dict[tuple[str, str], tuple[Contact | None, list[Suggested]]] = {}
        for suggestion in suggested:
            person = referral_contact(self.index, suggestion.referral)
            if referral_pending(self.index, person) != pending or not self.active(person):
                continue
            name = suggestion.referral.name
            key = ("note", person.path) if person else ("pending", slugify(name))
            people.setdefault(key, (person, []))[1].append(suggestion)
        return list(people.values())

    def referral_item(self, person: Contact | None, group: list[Suggested]) -> AgendaItem:
        group = sorted(group, key=lambda one: (dates.sort_key(one.due), one.interview.path))
        first = group[0]
        name = person.title if person else first.referral.name
        organization = next(
            (one.referral.organization for one in group if one.referral.organization),
            person.organization if person else None,
        )
        referrers: dict[str, str] = {}
        for one in group:
            referrers.setdefault(one.referrer, _permission(one, person))
        where = f" ({organization})" if organization else ""
        text = f"Contact {name}{where}, suggested by {_and(list(referrers))}; " + "; ".join(
            referrers.values()
        )
        return self.item(
            "contact-referral", first.due, first.interview.path, person, text, first.referral.name
        )

    # prepare, interview: before a planned interview
    def before_interview(self, interview: Interview, contact: Contact | None) -> list[AgendaItem]:
        start = interview.start
        assert start is not None
        name = self.name_of(interview, contact)
        subject = contact.id if contact else name
        found = []
        missing = self.missing_preparation(interview)
        if missing and self.clock.decide(
            # Within `prepare_days` of the interview (so, once it is, for good).
            lambda now: due_by(start, wall_clock(now, self.prepare_window)),
            self.prepare_from(start),
        ):
            found.append(
                self.item(
                    "prepare",
                    start,
                    interview.path,
                    contact,
                    f"Prepare for the conversation with {name} ({moment_text(start)}): {missing}",
                    subject,
                )
            )
        details = [interview.format] if interview.format else []
        if isinstance(start, datetime):
            details.append(f"{interview.duration or self.config.default_duration_minutes} min")
        if interview.location:
            details.append(interview.location)
        detail = f" ({', '.join(details)})" if details else ""
        found.append(
            self.item(
                "interview",
                start,
                interview.path,
                contact,
                f"Informational interview with {name}{detail}",
                subject,
            )
        )
        return found

    @property
    def prepare_window(self) -> timedelta:
        return timedelta(days=self.config.prepare_days)

    def prepare_from(self, start: When) -> float:
        """When `start` comes within `prepare_days` of the clock (a POSIX timestamp)."""
        if isinstance(start, datetime):
            return wall_clock(start, -self.prepare_window).timestamp()
        return day_starts(start - self.prepare_window, self.config.zone)

    def missing_preparation(self, interview: Interview) -> str:
        """What keeps preparation from being complete (SPEC 3.2); empty when complete."""
        missing = []
        open_tasks = [task.text for task in interview.parsed.body.tasks if task.checked is False]
        if open_tasks:
            shown = "; ".join(open_tasks[:3])
            more = f"; and {len(open_tasks) - 3} more" if len(open_tasks) > 3 else ""
            missing.append(f"{count_text(len(open_tasks), 'unchecked task')} ({shown}{more})")
        short = self.config.min_questions - len(interview.questions)
        if short > 0:
            missing.append(
                f"{count_text(short, 'question')} short of {self.config.min_questions}"
                f" (have {len(interview.questions)})"
            )
        if missing:
            # TIARA gaps alone leave preparation complete (SPEC 3.2): advice, not a rule.
            from .tiara import uncovered

            gaps = uncovered(question.text for question in interview.questions)
            if gaps:
                missing.append(f"no question yet on {listing_text(gaps)} (TIARA)")
        return ", ".join(missing)

    def awaits_answer(self, contact: Contact) -> bool:
        """A written request with no answer and no interview yet."""
        return not (
            contact.requested is None
            or contact.request_via in _SPOKEN_REQUESTS
            or contact.responded is not None
            or self.index.interviews_of(contact)
        )

    def request_due(self, requested: When, days: int) -> When:
        """`requested` + days, counted in business days when `business_days` is on (a
        date-time keeps its wall-clock time; a date stays a date)."""
        if not self.config.business_days:
            return add_days(requested, days)
        from ..core.workdays import business_days  # not on a remembered agenda's path

        day = dates.day_of(requested)
        later = business_days(self.config.holidays).add(day, days)
        return add_days(requested, (later - day).days)

    def follow_up_request(self, contact: Contact) -> list[AgendaItem]:
        requested = contact.requested
        if requested is None or not self.awaits_answer(contact):
            return []
        via = _REQUEST_VIA_PHRASE.get(contact.request_via or "", "")
        phone = f" ({contact.phone})" if contact.phone else ""
        asked = f"your request of {day_text(requested)}{via}"
        # `log follow-up` (SPEC 4.9) answers this item without touching `requested`: the
        # item (same subject, so the same calendar UID) moves after the latest follow-up.
        followed = latest(contact.typed.get("followed_up") or ())
        if followed is None or not dates.before(requested, followed):
            text = f"No answer from {contact.title} since {asked}: confirm by phone{phone}"
            last = requested
        else:
            text = (
                f"No answer from {contact.title} since your follow-up of "
                f"{day_text(followed)} ({asked}): follow up once more{phone} or move on"
            )
            last = followed
        due = self.request_due(last, self.config.request_follow_up_days)
        return [self.item("follow-up-request", due, contact.path, contact, text, contact.id)]

    @cached_property
    def not_yet_asked(self) -> dict[str, tuple[str, list[Contact]]]:
        """Per contact path: the name of their organization and the active colleagues
        there who have not been asked yet (alumni first, then by name). Only contacts at
        an organization that has such colleagues are keys."""
        from .orgs import group_organizations  # only vaults with unanswered requests

        found: dict[str, tuple[str, list[Contact]]] = {}
        for group in group_organizations(self.index):
            fresh = [
                contact
                for contact in group.contacts
                if contact.status == "active"
                and contact.requested is None
                and not self.index.interviews_of(contact)
            ]
            fresh.sort(key=lambda contact: contact.source != "alumni")  # stable: by name
            for contact in group.contacts:
                others = [other for other in fresh if other is not contact]
                if others:
                    found[contact.path] = (group.name, others)
        return found

    def try_another(self, contact: Contact) -> list[AgendaItem]:
        """3B7: a written request unanswered for `another_contact_days`: reach out to a
        second person at the same organization too. Depends on every contact there,
        not on the clock."""
        requested = contact.requested
        if requested is None or not self.awaits_answer(contact):
            return []
        colleagues = self.not_yet_asked.get(contact.path)
        if colleagues is None:
            return []
        organization, others = colleagues
        names = ", ".join(other.title for other in others[:TRY_ANOTHER_NAMES])
        if len(others) > TRY_ANOTHER_NAMES:
            names += f" and {len(others) - TRY_ANOTHER_NAMES} more"
        text = (
            f"Try someone else at {organization} while {contact.title} has not answered "
            f"(asked {day_text(requested)}): {names}"
        )
        due = self.request_due(requested, self.config.another_contact_days)
        return [self.item("try-another", due, contact.path, contact, text, contact.id)]

    def done_interviews(self, contact: Contact) -> list[Interview]:
        # Memoised: share-news asks once per milestone for every contact.
        found = self._done.get(contact.path)
        if found is None:
            found = self._done[contact.path] = [
                interview
                for interview in self.index.interviews_of(contact)
                if interview.start is not None and self.status(interview) == "done"
            ]
        return found

    def keep_in_touch(self, contact: Contact) -> list[AgendaItem]:
        done = self.done_interviews(contact)
        if not done:
            return []
        touches: list[When] = [*contact.updates]
        for interview in done:
            end = interview_end(interview, self.config)
            touches.extend(when for when in (end, interview.thank_you_sent) if when is not None)
        last = latest(touches)
        assert last is not None
        days = contact.keep_in_touch_days or self.config.keep_in_touch_days
        text = f"Send {contact.title} a progress update (last in touch {day_text(last)})"
        due = add_days(last, days)
        return [self.item("keep-in-touch", due, contact.path, contact, text, contact.id)]

    def helpers(self, milestone: Milestone, asked: int) -> Callable[[Contact], str | None]:
        """How a contact helped towards the milestone, if they did: the people thanked,
        and everyone above them in their referral chains (SPEC 3.4). `asked`: how many
        contacts will ask; chains longer than that are not walked but looked up."""
        from .chains import ThankedChains, referral_chains

        index = self.index
        thanked = [index.resolve_contact(link.target) for link in milestone.thanks]
        chains = ThankedChains(
            [c for c in thanked if c],
            index.referrer_of,
            lambda: referral_chains(index),
            budget=asked + len(thanked),
        )

        def helped(contact: Contact) -> str | None:
            if chains.is_thanked(contact):
                return "they helped make it possible"
            below = chains.first_below(contact)
            return f"they helped: they referred you to {below.title}" if below else None

        return helped

    def share_news(self, milestone: Milestone, talked: list[Talked]) -> list[AgendaItem]:
        """`talked`: the active contacts with done interviews."""
        happened = milestone.date
        if happened is None:
            return []
        helped = self.helpers(milestone, len(talked))
        due = add_days(happened, SHARE_NEWS_DAYS)
        summary = (milestone.summary or milestone.title).rstrip(".")
        # One milestone gives most of a large agenda's items: what they share is worked
        # out once (as `item` would for each).
        overdue, day, note = self.clock.overdue(due), day_text(happened), milestone.path
        found = []
        for person in talked:
            if not person.owed_news(happened):
                continue
            contact = person.contact
            how = helped(contact)
            thanks = f"; {how}" if how else ""
            text = f"Share your news with {contact.title}: {summary} ({day}){thanks}"
            found.append(AgendaItem("share-news", due, overdue, note, contact.id, text, contact.id))
        return found

    def all(self) -> list[AgendaItem]:
        found: list[AgendaItem] = []
        suggested: list[Suggested] = []
        for interview, contact, status in self.interviews():
            if status == "done":
                found.extend(self.after_interview(interview, contact))
                suggested.extend(self.suggestions(interview, contact))
            else:
                found.extend(self.before_interview(interview, contact))
        found.extend(self.referral_items(suggested))
        contacts = [contact for contact in self.index.contacts if contact.status == "active"]
        for contact in contacts:
            found.extend(self.follow_up_request(contact))
            found.extend(self.try_another(contact))
            found.extend(self.keep_in_touch(contact))
        talked = [
            Talked(contact, done) for contact in contacts if (done := self.done_interviews(contact))
        ]
        for milestone in self.index.milestones:
            found.extend(self.share_news(milestone, talked))
        return sorted(found, key=AgendaItem.sort_key)
