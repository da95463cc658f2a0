"""Message drafts (SPEC 4.10): a request, a thank-you and a progress update.

Each is rendered from a user-editable template in the vault's `templates/`
(`message-request.md`, `message-thank-you.md`, `message-update.md`; the built-in one
when missing). What the guides ask of each message is in the placeholder values, so
an edited template keeps the rules: the referrer's name is empty unless the contact
says `referrer_ok: true`, whatever the template writes. Drafts never write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from ..core import dates
from ..core.derive import interview_end
from ..core.errors import UsageError
from ..core.files import MAX_NOTE_BYTES, read_capped
from ..core.model import Contact, Interview, Milestone, When
from ..core.parse import decode, split_lines
from ..formats.safetext import printable
from ..rules.chains import ThankedChains, referral_chains
from .templates import PLACEHOLDER, fill, format_moment, load_template, obsidian_values

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BULLET = re.compile(r"\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?(.*\S)")
_WIKILINK = re.compile(r"!?\[\[([^\[\]|#]*)(?:#[^\[\]|]*)?(?:\|([^\[\]]*))?\]\]")
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
SPECIFIC_FALLBACK = "[something specific you learned from them]"


@dataclass(frozen=True, slots=True)
class Draft:
    """A message ready to paste: subject line, blank line, body."""

    subject: str
    body: str
    template: str  # where the template came from

    def text(self) -> str:
        return f"{self.subject}\n\n{self.body}\n"


def render(
    template: str,
    values: Mapping[str, str],
    now: datetime,
    source: str,
    several: Mapping[str, list[str]] | None = None,
) -> Draft:
    """Fill a message template. Comments go; a line whose placeholders all came out empty
    goes; the first line is the subject (a leading `Subject:` is dropped).

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
        filled = fill(line, value)
        if PLACEHOLDER.search(line) and not filled.strip():
            continue
        lines.append(filled.rstrip())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    subject, _, body = text.partition("\n")
    subject = re.sub(r"(?i)^subject:\s*", "", subject.strip())
    return Draft(subject, body.strip("\n"), source)


def _plain(text: str) -> str:
    """Markdown to the words a message can quote: links become their labels."""
    text = _WIKILINK.sub(lambda m: (m.group(2) or m.group(1)).strip(), text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(text.replace("**", "").replace("__", "").replace("`", "").split())


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
            return _plain(bullet.group(1)).rstrip(".!;:, ")
        if line.strip():
            paragraph.append(line.strip())
        elif paragraph:
            break
    text = _plain(" ".join(paragraph))
    return _SENTENCE_END.split(text, 1)[0].rstrip(".!;:, ") if text else ""


def names_phrase(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _moment(value: When) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time())


def organization_name(index: Any, contact: Contact) -> str:
    """The organization's name: from its note when the contact links to one."""
    note = index.organization_of(contact)
    return note.title if note is not None else contact.organization or ""


def contact_values(index: Any, contact: Contact | None, fallback_name: str) -> dict[str, str]:
    name = contact.title if contact else fallback_name
    organization = organization_name(index, contact) if contact else ""
    return {
        "name": name,
        "first_name": name.split()[0] if name.split() else name,
        "organization": organization,
        "at_organization": f" at {organization}" if organization else "",
        "job_title": (contact.job_title if contact else None) or "",
        "field": (contact.career_field if contact else None) or "",
        "their_field": (contact.career_field if contact else None) or "your field",
    }


def request_draft(index: Any, contact: Contact, now: datetime) -> Draft:
    values = contact_values(index, contact, contact.id)
    referrer = index.referrer_of(contact)
    referrer_name = ""
    if contact.referrer_ok is True and contact.referred_by is not None:
        referrer_name = referrer.title if referrer else contact.referred_by.target
    values["referrer_name"] = referrer_name
    values["referrer_sentence"] = (
        f"{referrer_name} suggested I get in touch with you." if referrer_name else ""
    )
    values["how_found"] = _HOW_FOUND.get(contact.source or "", "")
    template, source = load_template(index.root, "message-request.md")
    return render(template, values, now, source)


def _note_lines(index: Any, path: str) -> list[str]:
    try:
        text, _ = decode(read_capped(index.root / path, MAX_NOTE_BYTES))
    except OSError:
        return []
    return split_lines(text) if text else []


def thank_you_draft(index: Any, interview: Interview, now: datetime) -> Draft:
    if interview.start is None:
        # "Thank you for speaking with me on ." helps no one: fix the note first.
        raise UsageError(
            f"{interview.path} has no valid 'date'; fix it (see infoint validate) and draft again"
        )
    contact = index.contact_of(interview)
    fallback = interview.contact.target if interview.contact else interview.id
    values = contact_values(index, contact, fallback)
    values["interview_date"] = (
        format_moment(_moment(interview.start), "dddd, MMMM D") if interview.start else ""
    )
    lines = _note_lines(index, interview.path)
    headings = interview.parsed.body.headings
    specific = first_point(section_text(lines, headings, "notes")) or first_point(
        section_text(lines, headings, "reflection")
    )
    values["specific"] = specific or SPECIFIC_FALLBACK
    names = []
    for referral in interview.referrals:
        known = index.resolve_contact(referral.name)
        names.append(known.title if known else referral.name)
    names = list(dict.fromkeys(names))
    values["referral_names"] = names_phrase(names)
    values["referrals_sentence"] = (
        f"As you suggested, I will get in touch with {names_phrase(names)}." if names else ""
    )
    template, source = load_template(index.root, "message-thank-you.md")
    return render(template, values, now, source)


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
    for interview in index.interviews:
        other = index.contact_of(interview)
        end = interview_end(interview, index.config)
        if other is None or other.path == contact.path or index.status_of(interview, now) != "done":
            continue
        if end is None or interview.start is None or not _after(end, since, now):
            continue
        interviewed.add(other.path)
        organization = organization_name(index, other)
        where = f" ({other.job_title + ', ' if other.job_title else ''}{organization})"
        where = where if organization else ""
        tail = ", whom you suggested" if other.path in suggested else ""
        items.append(
            (
                dates.sort_key(interview.start),
                f"I had an informational interview with {other.title}{where}{tail}.",
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
    summary = milestone.summary.rstrip(".!") if milestone.summary else ""
    thanked = [index.resolve_contact(link.target) for link in milestone.thanks]
    chains = ThankedChains(
        [person for person in thanked if person],
        index.referrer_of,
        lambda: referral_chains(index),
        budget=len(thanked),
    )
    helped = chains.is_thanked(contact) or chains.first_below(contact) is not None
    return f"{summary}{', thanks in part to you' if helped else ''}."


def update_draft(index: Any, contact: Contact, now: datetime) -> Draft:
    values = contact_values(index, contact, contact.id)
    since = last_touch(index, contact, now)
    values["since"] = format_moment(_moment(since), "MMMM D") if since else "we last spoke"
    news = news_since(index, contact, since, now)
    news_lines = (
        [f"- {line}" for line in news]
        if news
        else ["- [what happened since then: people you talked to, news, next steps]"]
    )
    template, source = load_template(index.root, "message-update.md")
    return render(template, values, now, source, {"news": news_lines})
