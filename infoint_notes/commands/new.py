"""`infoint new contact|interview|milestone|organization` (SPEC 4.8, 4.16)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from ..core.errors import UsageError
from ..core.schema import FORMATS, SOURCES, TARGET_SCORE_MAX
from .app import App, now_option, pass_app
from .complete import notes
from .output import echo

if TYPE_CHECKING:
    from ..core.index import VaultIndex
    from ..write.create import NewNote

# The writers and rules are imported where they are used: completing an argument loads
# this module, and a keypress must not wait for the vault's machinery.


@click.group("new")
def new_command() -> None:
    """Create a contact, interview, milestone or organization note from the vault's
    templates.

    Notes are made from templates/contact.md, interview.md, milestone.md and
    organization.md (the built-in ones when the vault has none), at
    contacts/<name>.md, interviews/<date>-<contact>.md, milestones/<date>-<summary>.md
    or organizations/<name>.md. The new path is printed.

    Example:

    \b
        infoint new contact "José Núñez" --org Contoso --source alumni
        infoint new interview jose-nunez --date 2026-12-02T10:00 --format video
        infoint new milestone "Interview at Contoso" --thanks jose-nunez
        infoint new organization Contoso --motivation 3 --posting 2
    """


def _refuse_same_person(index: VaultIndex, new: NewNote) -> None:
    """A new contact who is someone the vault has (same email, LinkedIn URL, or name and
    organization) is refused with a message that says who."""
    from ..core.identity import KEY_WORDS, same_person
    from ..core.model import Contact
    from ..core.notes import build_note
    from ..core.parse import parse_note

    note = build_note(parse_note(new.rel, new.text.encode("utf-8")), index.config.zone)
    found = same_person(index, note) if isinstance(note, Contact) else None
    if found is not None:
        other, field = found
        raise UsageError(
            f"{note.title} looks like {other.path} (same {KEY_WORDS[field]}); nothing "
            f"written. Update that note instead: infoint show {other.id}"
        )


def _write(app: App, new: NewNote, now: datetime, edit: bool) -> None:
    """Refuse a note that would bring new errors into the vault, then write it, print
    its path, and print the warnings it brings (a namesake makes an old referral's
    name ambiguous: worth knowing, no reason to refuse a real person)."""
    from ..core.model import ERROR
    from ..formats.text import diagnostic_text
    from ..write import create
    from ..write.atomic import create_note

    index = app.index()
    _refuse_same_person(index, new)
    problems = create.check_new_note(index, new, now)
    errors = [problem for problem in problems if problem.severity == ERROR]
    if errors:
        details = "; ".join(diagnostic_text(problem) for problem in errors)
        raise UsageError(f"nothing written: the new note would bring these errors: {details}")
    path = app.root / new.rel
    create_note(path, app.root, new.text.encode("utf-8"))
    echo(new.rel)
    for problem in problems:
        echo(diagnostic_text(problem), err=True)
    if edit:
        click.edit(filename=str(path))


def _edit_option(command: Any) -> Any:
    return click.option("--edit", is_flag=True, help="Open the new note in $VISUAL / $EDITOR.")(
        command
    )


@new_command.command("contact")
@click.argument("name")
@click.option("--org", "organization", metavar="NAME", help="Employer (organization).")
@click.option("--title", "job_title", metavar="TEXT", help="Job title.")
@click.option("--field", "career_field", metavar="TEXT", help="Career field.")
@click.option("--email", metavar="ADDRESS", help="Email address.")
@click.option("--phone", metavar="NUMBER", help="Phone number (written as text).")
@click.option("--linkedin", metavar="URL", help="LinkedIn profile URL.")
@click.option("--location", metavar="CITY", help="Where they are.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag (repeat for more).")
@click.option(
    "--source",
    type=click.Choice(SOURCES),
    help="How you found them (default with --referred-by: referral).",
)
@click.option(
    "--referred-by",
    metavar="CONTACT",
    shell_complete=notes("contact"),
    help="The contact who suggested them.",
)
@click.option(
    "--referrer-ok/--no-referrer-ok",
    default=None,
    help="Whether you may mention the referrer's name when reaching out.",
)
@_edit_option
@now_option
@pass_app
def new_contact_command(
    app: App,
    name: str,
    organization: str | None,
    job_title: str | None,
    career_field: str | None,
    email: str | None,
    phone: str | None,
    linkedin: str | None,
    location: str | None,
    tags: tuple[str, ...],
    source: str | None,
    referred_by: str | None,
    referrer_ok: bool | None,
    edit: bool,
    now_text: str | None,
) -> None:
    """Create contacts/<slug>.md for NAME (accents transliterated, -2 on a clash).

    Example:

    \b
        infoint new contact "Sam Lee" --org Fabrikam --referred-by jane-doe --referrer-ok
        infoint new contact "Ana Ruiz" --org Litware --phone "+1 555 0100" --tag alumni
    """
    from ..write.create import contact_link, new_contact, resolve_contact

    index = app.index()
    now = app.now(now_text)
    referrer = None
    if referred_by is not None:
        referrer = contact_link(resolve_contact(index, referred_by, "--referred-by"))
        source = source or "referral"
    fields = [
        ("organization", organization),
        ("title", job_title),
        ("field", career_field),
        ("location", location),
        ("email", email),
        ("phone", phone),
        ("linkedin", linkedin),
        ("source", source),
        ("referred_by", referrer),
        ("referrer_ok", referrer_ok),
        ("tags", list(dict.fromkeys(tag.strip().lstrip("#") for tag in tags)) or None),
    ]
    _write(app, new_contact(index, now, name, fields), now, edit)


@new_command.command("interview")
@click.argument("contact", shell_complete=notes("contact"))
@click.option(
    "--date",
    "date_text",
    required=True,
    metavar="T",
    help="Start: 2026-12-02T10:00, tomorrow 15:00, friday 2pm.",
)
@click.option("--duration", type=click.IntRange(min=1), metavar="MINUTES", help="Length.")
@click.option("--format", "interview_format", type=click.Choice(FORMATS), help="How you meet.")
@click.option("--location", metavar="TEXT", help="Where (address, phone number or link).")
@_edit_option
@now_option
@pass_app
def new_interview_command(
    app: App,
    contact: str,
    date_text: str,
    duration: int | None,
    interview_format: str | None,
    location: str | None,
    edit: bool,
    now_text: str | None,
) -> None:
    """Create interviews/<date>-<contact>.md with CONTACT at --date.

    The date is written in the vault's time zone (an offset you give is converted).

    Example:

    \b
        infoint new interview jane-doe --date 2026-12-02T10:00 --duration 20 --format phone
    """
    from ..write.create import new_interview, parse_date_option, resolve_contact

    index = app.index()
    now = app.now(now_text)
    person = resolve_contact(index, contact, "CONTACT")
    start = parse_date_option(date_text, index.config.zone, now)
    fields = [("duration", duration), ("format", interview_format), ("location", location)]
    _write(app, new_interview(index, now, person, start, fields), now, edit)


@new_command.command("milestone")
@click.argument("summary")
@click.option(
    "--date", "date_text", metavar="T", help="When: 2026-12-02, yesterday (default: today)."
)
@click.option(
    "--thanks",
    multiple=True,
    metavar="CONTACT",
    shell_complete=notes("contact"),
    help="A contact who made it possible (repeat).",
)
@_edit_option
@now_option
@pass_app
def new_milestone_command(
    app: App,
    summary: str,
    date_text: str | None,
    thanks: tuple[str, ...],
    edit: bool,
    now_text: str | None,
) -> None:
    """Create milestones/<date>-<summary>.md: a step to tell earlier interviewees about.

    Example:

    \b
        infoint new milestone "Offer from Contoso" --date 2026-12-15 --thanks jane-doe
    """
    from ..write.create import new_milestone, parse_date_option, resolve_contact

    index = app.index()
    now = app.now(now_text)
    when = parse_date_option(date_text, index.config.zone, now) if date_text else now.date()
    people = [resolve_contact(index, text, "--thanks") for text in thanks]
    _write(app, new_milestone(index, now, summary, when, people), now, edit)


_SCORE = click.IntRange(0, TARGET_SCORE_MAX)


@new_command.command("organization")
@click.argument("name")
@click.option(
    "--motivation", type=_SCORE, metavar="0-3", help="How much you want to work there (3: most)."
)
@click.option(
    "--posting", type=_SCORE, metavar="0-3", help="How relevant its openings are (3: most)."
)
@click.option("--website", metavar="URL", help="Its website.")
@_edit_option
@now_option
@pass_app
def new_organization_command(
    app: App,
    name: str,
    motivation: int | None,
    posting: int | None,
    website: str | None,
    edit: bool,
    now_text: str | None,
) -> None:
    """Create organizations/<slug>.md: an employer for your target list (infoint targets).

    Example:

    \b
        infoint new organization "Tailspin Toys" --motivation 3 --posting 1
    """
    from ..write.create import new_organization

    index = app.index()
    now = app.now(now_text)
    fields = [("website", website), ("motivation", motivation), ("posting", posting)]
    _write(app, new_organization(index, now, name, fields), now, edit)
