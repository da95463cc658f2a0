"""`infoint stats` without the printing: figures about the search so far (SPEC 4.7).

The definitions, also in the README:

- **Referrals per done interview**: people suggested by someone you have interviewed (a
  `referrals` entry of a done interview, or a contact whose `referred_by` is someone
  with a done interview), each pair counted once, divided by the done interviews.
- **Thank-yous in time**: of the done interviews, those whose `thank_you_sent` is no
  later than end + `thank_you_within_hours` (a date-only value is compared by date).
  An interview still inside its window with no thank-you yet is not counted either way.
- **Days from request to interview**: for each contact with `requested` and an interview
  that is done or planned, days from `requested` to the first such interview's date;
  the median over contacts (negative spans, a request recorded after the interview, are
  left out).
- **Sources that led to interviews**: done interviews per contact `source`.
- **Longest referral chain**: `ReferralGraph.longest_chain`.
- **Answers to requests** (the "booster" signal of "The 2-Hour Job Search"): each contact
  with `requested`, by the business days to `responded` (`derive.response_days`):
  within three, later, or no `responded` yet (`never` once three business days have
  passed since the request, `waiting` before). A contact who evidently answered but has
  no `responded` (an interview, or `status: declined`) is not counted: when is unknown.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..core import dates
from ..core.config import Config
from ..core.derive import STAGES, interview_end, response_days
from ..core.index import VaultIndex
from ..core.model import Contact, Interview, When
from ..core.schema import INTERVIEW_STATUS
from ..core.workdays import business_days
from .graph import ReferralGraph

NO_SOURCE = "unknown"
#: Dalton's boosters answer a request within three business days.
BOOSTER_DAYS = 3
#: The groups of `Stats.answers`, in order.
ANSWER_GROUPS = ("within_3_business_days", "later", "never", "waiting")


@dataclass(frozen=True, slots=True)
class Answer:
    """How quickly one contact answered a request."""

    contact: Contact
    #: Business days from request to answer; None while unanswered.
    days: int | None


@dataclass(frozen=True, slots=True)
class Stats:
    contacts: int
    by_stage: dict[str, int]  #: every stage, in stage order
    by_source: dict[str, int]  #: most contacts first, then by name; `unknown` if unset
    interviews: dict[str, int]  #: every interview status, in the SPEC's order
    referrals: int
    referrals_per_done_interview: float | None
    thank_you_hours: int
    thank_you_in_time: int
    thank_you_counted: int
    median_days_to_interview: float | None
    interviews_by_source: dict[str, int]  #: done interviews; most first, then by name
    longest_chain: tuple[str, ...]  #: node ids, the first referred the second, ...
    #: Contacts asked for a conversation, by how quickly they answered (`ANSWER_GROUPS`),
    #: each group by name.
    answers: dict[str, tuple[Answer, ...]]

    @property
    def thank_you_share(self) -> float | None:
        if not self.thank_you_counted:
            return None
        return self.thank_you_in_time / self.thank_you_counted


def _ranked(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def thank_you_deadline(interview: Interview, config: Config) -> When | None:
    """End + `thank_you_within_hours`; a day for a date-only interview."""
    end = interview_end(interview, config)
    if end is None:
        return None
    return end + timedelta(hours=config.thank_you_within_hours)


def thank_you_in_time(interview: Interview, config: Config, now: datetime) -> bool | None:
    """True sent in time, False late or never, None still inside the window unsent."""
    deadline = thank_you_deadline(interview, config)
    if deadline is None:
        return None
    sent = interview.thank_you_sent
    if sent is not None:
        return not dates.before(deadline, sent)
    return None if not dates.before(deadline, now) else False


def answers(index: VaultIndex, now: datetime) -> dict[str, tuple[Answer, ...]]:
    """Each contact with `requested`, in its group of `ANSWER_GROUPS` (see the module)."""
    config = index.config
    groups: dict[str, list[Answer]] = {group: [] for group in ANSWER_GROUPS}
    for contact in sorted(index.contacts, key=lambda c: (c.title.casefold(), c.path)):
        requested = contact.requested
        if requested is None:
            continue
        days = response_days(contact, config)
        if days is not None:
            group = "within_3_business_days" if days <= BOOSTER_DAYS else "later"
        elif contact.responded is not None:
            continue  # answered before asked: a typo, validate's business
        elif contact.status == "declined" or index.interviews_of(contact):
            continue  # they answered, but when is not written down
        else:
            waited = business_days(config.holidays).between(
                dates.day_of(requested), dates.day_of(now)
            )
            group = "never" if waited > BOOSTER_DAYS else "waiting"
        groups[group].append(Answer(contact, days))
    return {group: tuple(found) for group, found in groups.items()}


def compute_stats(index: VaultIndex, graph: ReferralGraph, now: datetime) -> Stats:
    config = index.config
    stages = Counter(index.stage_of(contact, now) for contact in index.contacts)
    sources = Counter(contact.source or NO_SOURCE for contact in index.contacts)
    statuses = Counter(index.status_of(iv, now) for iv in index.interviews)
    done = [iv for iv in index.interviews if index.status_of(iv, now) == "done"]
    done_ids = {iv.id for iv in done}

    interviewed = {contact.id for iv in done if (contact := index.contact_of(iv)) is not None}
    referrals = sum(
        1
        for edge in graph.edges
        if edge.via in done_ids or (edge.via is None and edge.source in interviewed)
    )

    verdicts = [thank_you_in_time(iv, config, now) for iv in done]
    counted = [verdict for verdict in verdicts if verdict is not None]

    spans = []
    led_to: Counter[str] = Counter()
    for contact in index.contacts:
        held = [
            iv
            for iv in index.interviews_of(contact)
            if iv.start is not None and index.status_of(iv, now) in ("done", "planned")
        ]
        led_to[contact.source or NO_SOURCE] += sum(1 for iv in held if iv.id in done_ids)
        if contact.requested is not None and held:
            first = held[0].start
            assert first is not None
            days = (dates.day_of(first) - dates.day_of(contact.requested)).days
            if days >= 0:
                spans.append(days)

    return Stats(
        contacts=len(index.contacts),
        by_stage={stage: stages[stage] for stage in STAGES},
        by_source=_ranked(sources),
        interviews={status: statuses[status] for status in INTERVIEW_STATUS},
        referrals=referrals,
        referrals_per_done_interview=referrals / len(done) if done else None,
        thank_you_hours=config.thank_you_within_hours,
        thank_you_in_time=sum(counted),
        thank_you_counted=len(counted),
        median_days_to_interview=statistics.median(spans) if spans else None,
        interviews_by_source=_ranked(Counter({k: v for k, v in led_to.items() if v})),
        longest_chain=graph.longest_chain(),
        answers=answers(index, now),
    )
