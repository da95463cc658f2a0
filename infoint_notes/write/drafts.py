"""Message drafts (SPEC 4.10): a request, a thank-you and a progress update.

Each is rendered from a user-editable template in the vault's `templates/`
(`message-request.md`, `message-thank-you.md`, `message-update.md`; the built-in one
when missing). What the guides ask of each message is in the placeholder values, so
an edited template keeps the rules: the referrer's name is empty unless the contact
says `referrer_ok: true` or an interview's referral of them says `may_use_name: true`,
whatever the template writes. Drafts greet by the parsed name as `salutation` says and
sign with `me:` (SPEC 2.4); a message for a conversation that never happened is refused
unless forced. Drafts never write.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any

from ..core import dates
from ..core.config import Config
from ..core.derive import interview_end
from ..core.errors import UsageError
from ..core.files import MAX_NOTE_BYTES, read_capped
from ..core.model import Contact, Interview, Milestone, When
from ..core.names import greeting, parse_name
from ..core.organizations import OrganizationLookup
from ..core.parse import decode, split_lines
from ..formats.safetext import printable
from ..formats.text import short_when
from ..rules.chains import ThankedChains, referral_chains
from ..rules.graph import referral_contact
from .spoken import after_colon, ends_sentence, full_stop, plain_text, second_person
from .templates import PLACEHOLDER, format_moment, load_template, obsidian_values

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BULLET = re.compile(r"\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?(.*\S)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_HOW_FOUND = {
    "linkedin": "I came across your profile on LinkedIn.",
    "alumni": "I found you through our alumni network.",
    "association": "I found you through a professional association in your field.",
    "friends-family": "I heard about your work through friends and family.",
    "colleague": "A colleague of mine mentioned your work.",
    "faculty": "One of my professors mentioned your work.",
    "career-center": "I found your name through my career center.",
    "event": "I heard you speak at a recent event.",
    "article": "I read about your work in an article.",
}
#: What an unset `me.name` leaves in a draft: the only placeholder a draft may hold.
YOUR_NAME = "[your name]"


@dataclass(frozen=True, slots=True)
class Draft:
    """A message ready to paste: subject line, blank line, body."""

    subject: str
    body: str
    template: str  # where the template came from
    #: What the user may want to add or set before sending (said apart from the message).
    hints: tuple[str, ...] = ()

    def text(self) -> str:
        return f"{self.subject}\n\n{self.body}\n"


def render(
    template: str,
    values: Mapping[str, str],
    now: datetime,
    source: str,
    several: Mapping[str, list[str]] | None = None,
    hints: tuple[str, ...] = (),
) -> Draft:
    """Fill a message template. Comments go; a line whose placeholders all came out empty
    goes; the first line is the subject (a leading `Subject:` is dropped). A template
    written before `me:` existed signs `[your name]`: that is the user's name when set.

    A value is text from notes, put on one line with its control characters shown
    escaped (a name's newline must not start a line of the message); `several` are
    values of several lines, each escaped so."""
    obsidian = obsidian_values(values.get("name", ""), now)

    def value(name: str, pattern: str | None) -> str | None:
        if pattern is None and several and name in several:
            return "\n".join(printable(line) for line in several[name])
        if pattern is None and name in values:
            return printable(values[name])
        found = obsidian(name, pattern)
        return None if found is None else printable(found)

    lines = []
    for line in split_lines(_COMMENT.sub("", template.removeprefix("\ufeff"))):
        filled = fill_sentences(line, value)
        if values.get("my_name", YOUR_NAME) != YOUR_NAME:
            filled = filled.replace(YOUR_NAME, printable(values["my_name"]))
        if PLACEHOLDER.search(line) and not filled.strip():
            continue
        lines.append(filled.rstrip())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    subject, _, body = text.partition("\n")
    subject = re.sub(r"(?i)^subject:\s*", "", subject.strip())
    return Draft(subject, body.strip("\n"), source, hints)


def fill_sentences(line: str, value: Callable[[str, str | None], str | None]) -> str:
    """`line` with its placeholders filled (unknown ones stay as written), where a value
    that ends a sentence ("Fabrikam, Inc.", "… months ahead?") takes the place of the
    template's period after it: "your work at {{organization}}." never reads "Inc.."."""
    out: list[str] = []
    end = 0
    for match in PLACEHOLDER.finditer(line):
        out.append(line[end : match.start()])
        found = value(match.group(1), match.group(2))
        out.append(match.group() if found is None else found)
        end = match.end()
        period = line.startswith(".", end) and not line.startswith("..", end)
        if found and period and ends_sentence(found):
            end += 1
    out.append(line[end:])
    return "".join(out)


def section_text(lines: list[str], headings: tuple[tuple[int, str, int], ...], name: str) -> str:
    """The text under the `## name` heading (comments removed)."""
    for number, (level, text, line) in enumerate(headings):
        if level != 2 or text.strip().lower() != name:
            continue
        end = len(lines) + 1
        for later_level, _, later_line in headings[number + 1 :]:
            if later_level <= 2:
                end = later_line
                break
        return _COMMENT.sub("", "\n".join(lines[line : end - 1]))
    return ""


def first_point(section: str) -> str:
    """The first bullet of a section, else its first sentence; '' when it says nothing."""
    paragraph: list[str] = []
    for line in section.split("\n"):
        bullet = _BULLET.match(line)
        if bullet and not paragraph:
            return plain_text(bullet.group(1)).rstrip(".!;:, ")
        if line.strip():
            paragraph.append(line.strip())
        elif paragraph:
            break
    text = plain_text(" ".join(paragraph))
    return _SENTENCE_END.split(text, 1)[0].rstrip(".!;:, ") if text else ""


def names_phrase(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _moment(value: When) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time())


def contact_values(index: Any, contact: Contact | None, fallback_name: str) -> dict[str, str]:
    """The placeholders every message has: who it is to, and who it is from."""
    name = contact.title if contact else fallback_name
    organization = (OrganizationLookup(index).name_of(contact) or "") if contact else ""
    config: Config = index.config
    return {
        "name": name,
        "first_name": parse_name(name).given or name,
        "greeting": greeting(name, config.salutation),
        "organization": organization,
        "at_organization": f" at {organization}" if organization else "",
        "job_title": (contact.job_title if contact else None) or "",
        "field": (contact.career_field if contact else None) or "",
        "their_field": (contact.career_field if contact else None) or "your field",
        "my_name": config.me.name or YOUR_NAME,
        "my_email": config.me.email or "",
        "my_phone": config.me.phone or "",
        "my_school": config.me.school or "",
        "my_pitch": config.me.pitch or "",
    }


def signature(config: Config) -> list[str]:
    """The lines under the closing: name, school, then email and phone on one line."""
    me = config.me
    reach = " · ".join(part for part in (me.email, me.phone) if part)
    return [line for line in (me.name or YOUR_NAME, me.school, reach) if line]


def _hints(config: Config) -> tuple[str, ...]:
    if config.me.name:
        return ()
    return (f"drafts sign as {YOUR_NAME} until you set 'me: name:' in infoint.yaml",)


def _exploring(pitch: str | None, their_field: str) -> str:
    """Who the user is, as a sentence: their pitch ("a move from teaching into UX
    research" -> "I am exploring a move ..."), as written when it is already a sentence
    about them; else the career the contact's field stands for."""
    pitch = (pitch or "").strip().rstrip(".!;:, ")
    if not pitch:
        return full_stop(f"I am exploring a career in {their_field}")
    first = pitch.split()[0]
    if first in ("I", "I'm", "I’m", "My", "After", "As"):
        return full_stop(pitch)
    pitch = re.sub(r"(?i)^(?:i am |i'm )?exploring\s+", "", pitch)
    return full_stop(f"I am exploring {after_colon(pitch)}")


def _how_found(contact: Contact, config: Config) -> str:
    """How the user found them; the shared school by name when `me.school` gives it."""
    school = (config.me.school or "").split(",")[0].strip()
    if contact.source == "alumni" and school:
        return f"I found you through the {school} alumni network."
    return _HOW_FOUND.get(contact.source or "", "")


def allowed_referrers(index: Any, contact: Contact) -> list[str]:
    """The names the request may mention as having suggested `contact` (SPEC 4.10): their
    referrer when `referrer_ok: true`, and each interviewee whose referral of them says
    `may_use_name: true`. A `referrer_ok: false` forbids naming that referrer anywhere."""
    names: list[str] = []
    referrer = index.referrer_of(contact)
    if contact.referrer_ok is True and contact.referred_by is not None:
        names.append(referrer.title if referrer else contact.referred_by.target)
    forbidden = referrer.path if referrer is not None and contact.referrer_ok is False else None
    for interview in index.interviews:
        person = index.contact_of(interview)
        if person is None or person.path in (forbidden, contact.path):
            continue
        for referral in interview.referrals:
            if referral.may_use_name is not True:
                continue
            named = referral_contact(index, referral, interview.path)
            if named is not None and named.path == contact.path:
                names.append(person.title)
    return list(dict.fromkeys(names))


def request_draft(index: Any, contact: Contact, now: datetime) -> Draft:
    """The "five-point email" (SPEC 4.10): connection first, who you are, interest in
    their insight (not a job), and a question they can answer."""
    config: Config = index.config
    values = contact_values(index, contact, contact.id)
    referrer_name = names_phrase(allowed_referrers(index, contact))
    values["referrer_name"] = referrer_name
    values["referrer_sentence"] = (
        f"{referrer_name} suggested I get in touch with you." if referrer_name else ""
    )
    values["how_found"] = _how_found(contact, config)
    values["connection"] = " ".join(
        part for part in (values["referrer_sentence"], values["how_found"]) if part
    )
    values["about_me"] = _exploring(config.me.pitch, values["their_field"])
    template, source = load_template(index.root, "message-request.md")
    several = {"signature": signature(config)}
    draft = render(template, values, now, source, several, _hints(config))
    words = _words_between(draft.body, values["greeting"], several["signature"])
    if words > FIVE_POINT_WORDS:
        too_long = (
            f"the request has {words} words between greeting and signature; the five-point "
            f"email keeps to {FIVE_POINT_WORDS} (shorten 'me: pitch:' or the template)"
        )
        return replace(draft, hints=(*draft.hints, too_long))
    return draft


#: The five-point email's limit, between greeting and signature (SPEC 4.10).
FIVE_POINT_WORDS = 100


def _words_between(body: str, greeting_line: str, signature_lines: list[str]) -> int:
    """How many words `body` has without its greeting line and signature lines."""
    lines = body.split("\n")
    if lines and lines[0].strip() == printable(greeting_line):
        lines = lines[1:]
    shown = [printable(line) for line in signature_lines]
    if lines[-len(shown) :] == shown:
        lines = lines[: -len(shown)]
    return len(" ".join(lines).split())


def _note_lines(index: Any, path: str) -> list[str]:
    try:
        text, _ = decode(read_capped(index.root / path, MAX_NOTE_BYTES))
    except OSError:
        return []
    return split_lines(text) if text else []


def _refuse_thank_you(index: Any, interview: Interview, who: str, now: datetime) -> None:
    """A thank-you needs a conversation that happened (SPEC 4.10)."""
    status = index.status_of(interview, now)
    force = "; --force drafts it anyway"
    if status == "cancelled":
        raise UsageError(
            f"{interview.path} was cancelled: there is no conversation to thank {who} for{force}"
        )
    if status == "no-show":
        raise UsageError(
            f"{interview.path} is a no-show: there is no conversation to thank {who} for{force}"
        )
    if interview.start is not None and dates.before(now, interview.start):
        raise UsageError(
            f"{interview.path} has not started yet (it is on {short_when(interview.start)}): "
            f"thank {who} after you talk{force}"
        )


def specific_point(index: Any, interview: Interview, who: str) -> str:
    """Something specific from the interview (the first point of `## Notes`, else of
    `## Reflection`), said to the person, ready to follow a colon; '' when none."""
    lines = _note_lines(index, interview.path)
    headings = interview.parsed.body.headings
    point = first_point(section_text(lines, headings, "notes")) or first_point(
        section_text(lines, headings, "reflection")
    )
    if not point:
        return ""
    return after_colon(second_person(point, who), _proper_words(index))


def _proper_words(index: Any) -> set[str]:
    """Words that are names in this vault (people, employers, the user's school): they
    keep their capital after a colon."""
    texts = [index.config.me.school or ""]
    for contact in index.contacts:
        texts += [contact.title, contact.organization or ""]
    for organization in index.organizations:
        texts += [organization.title, *organization.aliases]
    return {word.strip(",.()") for text in texts for word in text.split()}


def thank_you_draft(index: Any, interview: Interview, now: datetime, force: bool = False) -> Draft:
    if interview.start is None:
        # "Thank you for speaking with me on ." helps no one: fix the note first.
        raise UsageError(
            f"{interview.path} has no valid 'date'; fix it (see infoint validate) and draft again"
        )
    contact = index.contact_of(interview)
    fallback = interview.contact.target if interview.contact else interview.id
    values = contact_values(index, contact, fallback)
    if not force:
        _refuse_thank_you(index, interview, values["name"], now)
    values["interview_date"] = format_moment(_moment(interview.start), "dddd, MMMM D")
    values["specific"] = specific_point(index, interview, values["name"])
    values["specific_sentence"] = (
        full_stop(f"One thing I am taking away in particular: {values['specific']}")
        if values["specific"]
        else ""
    )
    hints = _hints(index.config)
    if not values["specific"]:
        hints += (
            f"nothing under '## Notes' in {interview.path} to mention: add what you "
            "learned there, or write it into the message",
        )
    names = []
    for referral in interview.referrals:
        known = referral_contact(index, referral, interview.path)
        names.append(known.title if known else referral.name)
    names = list(dict.fromkeys(names))
    values["referral_names"] = names_phrase(names)
    values["referrals_sentence"] = (
        full_stop(f"As you suggested, I will get in touch with {names_phrase(names)}")
        if names
        else ""
    )
    template, source = load_template(index.root, "message-thank-you.md")
    several = {"signature": signature(index.config)}
    return render(template, values, now, source, several, hints)


def last_touch(index: Any, contact: Contact, now: datetime) -> When | None:
    """The latest of their done interviews' ends, thank-yous sent and updates (SPEC 4.3)."""
    touches: list[When] = list(contact.updates)
    for interview in index.interviews_of(contact):
        if index.status_of(interview, now) == "done":
            end = interview_end(interview, index.config)
            touches.extend(value for value in (end, interview.thank_you_sent) if value)
    if not touches and contact.responded:
        touches.append(contact.responded)
    return max(touches, key=dates.sort_key) if touches else None


def _after(value: When | None, since: When | None, now: datetime) -> bool:
    if value is None:
        return False
    later = since is None or dates.before(since, value)
    return later and not dates.before(now, value)


def news_since(index: Any, contact: Contact, since: When | None, now: datetime) -> list[str]:
    """What happened since `since`: interviews held, referrals contacted, milestones."""
    items: list[tuple[tuple[date, int, float], str]] = []
    suggested = {
        other.path
        for other in index.contacts
        if (referrer := index.referrer_of(other)) is not None and referrer.path == contact.path
    }
    for interview in index.interviews_of(contact):
        for referral in interview.referrals:
            known = index.resolve_contact(referral.name)
            if known is not None:
                suggested.add(known.path)
    interviewed = set()
    lookup = OrganizationLookup(index)
    for interview in index.interviews:
        other = index.contact_of(interview)
        end = interview_end(interview, index.config)
        if other is None or other.path == contact.path or index.status_of(interview, now) != "done":
            continue
        if end is None or interview.start is None or not _after(end, since, now):
            continue
        interviewed.add(other.path)
        organization = lookup.name_of(other) or ""
        where = f" ({other.job_title + ', ' if other.job_title else ''}{organization})"
        where = where if organization else ""
        tail = ", whom you suggested" if other.path in suggested else ""
        items.append(
            (
                dates.sort_key(interview.start),
                full_stop(f"I had an informational interview with {other.title}{where}{tail}"),
            )
        )
    for other in index.contacts:
        if (
            other.path in suggested
            and other.path not in interviewed
            and _after(other.requested, since, now)
        ):
            items.append(
                (
                    dates.sort_key(other.requested),
                    f"I reached out to {other.title}, as you suggested.",
                )
            )
    for milestone in index.milestones:
        if milestone.summary and _after(milestone.date, since, now):
            items.append(
                (dates.sort_key(milestone.date), _milestone_line(index, milestone, contact))
            )
    items.sort(key=lambda item: item[0])
    return [text for _, text in items]


def _milestone_line(index: Any, milestone: Milestone, contact: Contact) -> str:
    summary = milestone.summary.rstrip(".! ") if milestone.summary else ""
    thanked = [index.resolve_contact(link.target) for link in milestone.thanks]
    chains = ThankedChains(
        [person for person in thanked if person],
        index.referrer_of,
        lambda: referral_chains(index),
        budget=len(thanked),
    )
    helped = chains.is_thanked(contact) or chains.first_below(contact) is not None
    if not helped:
        return full_stop(summary)
    if ends_sentence(summary):  # "Offer from Fabrikam?": the thanks is a sentence of its own
        return f"{summary} Thanks in part to you."
    return full_stop(f"{summary}, thanks in part to you")


def update_draft(index: Any, contact: Contact, now: datetime, force: bool = False) -> Draft:
    """News for someone who helped (SPEC 4.10); refused for someone never talked to."""
    if not force and not any(
        index.status_of(interview, now) == "done" for interview in index.interviews_of(contact)
    ):
        raise UsageError(
            f"you have not talked with {contact.title} yet (no interview of theirs is done): "
            f"an update is news for people who helped you; --force drafts it anyway"
        )
    values = contact_values(index, contact, contact.id)
    since = last_touch(index, contact, now)
    values["since"] = format_moment(_moment(since), "MMMM D") if since else "we last spoke"
    news = news_since(index, contact, since, now)
    spoke = f" from our conversation on {values['since']}" if since else ""
    values["news_intro"] = (
        f"I wanted to let you know how things have gone since {values['since']}:"
        if news
        else f"I wanted to let you know that your advice{spoke} is still shaping my search."
    )
    hints = _hints(index.config)
    if not news:
        hints += (
            "nothing new to list: record a step of your search with "
            "'infoint new milestone', or write your news into the message",
        )
    template, source = load_template(index.root, "message-update.md")
    several = {"news": [f"- {line}" for line in news], "signature": signature(index.config)}
    return render(template, values, now, source, several, hints)
