"""A realistic sample network for `infoint init --demo`, dated relative to `now`.

Three referral chains (an alumna at Contoso, a professor who knows people at Fabrikam,
an association contact at Northwind) plus prospects, so that the agenda right away has a
thank-you due, referrals to contact, a request to chase, another person to try at the
same organization, an interview to prepare, news to share and a keep-in-touch.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from .atomic import create_if_missing

_CONTACT = """---
type: contact
name: {name}
organization: {organization}
title: {title}
field: {field}
location: {location}
email: {email}
source: {source}
{extra}tags: [{tags}]
---
# {name}

## Background
{background}
"""

_INTERVIEW = """---
type: interview
contact: "[[{contact}]]"
date: {date}
duration: {duration}
format: {format}
{extra}---
# Conversation with {name}

## Preparation
{tasks}

## Questions
{questions}

## Notes
{notes}

## Reflection
{reflection}
"""

_QUESTIONS = (
    "How did you get started in this field?",
    "What does a typical week look like for you?",
    "What do you enjoy most about your work, and what is hardest?",
    "Which skills matter most for someone starting out?",
    "How is the field changing over the next few years?",
    "Who else would you suggest I talk to?",
)
_DONE_TASKS = (
    "- [x] Research the organization and recent news\n"
    "- [x] Prepare a 30-second introduction\n"
    "- [x] Write at least five open-ended questions"
)


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def demo_files(now: datetime) -> dict[str, str]:
    """Vault-relative path -> content of every demo note."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    days = lambda n: hour + timedelta(days=n)  # noqa: E731

    files: dict[str, str] = {}

    def contact(
        slug: str,
        name: str,
        organization: str,
        title: str,
        field: str,
        location: str,
        source: str,
        background: str,
        extra: str = "",
        tags: str = "",
    ) -> None:
        email = f"{slug.replace('-', '.')}@example.com"
        files[f"contacts/{slug}.md"] = _CONTACT.format(
            name=name,
            organization=organization,
            title=title,
            field=field,
            location=location,
            email=email,
            source=source,
            extra=extra,
            tags=tags,
            background=background,
        )

    def interview(
        slug: str,
        start: datetime,
        contact_slug: str,
        name: str,
        fmt: str,
        extra: str,
        notes: str,
        reflection: str,
        tasks: str = _DONE_TASKS,
        questions: tuple[str, ...] = _QUESTIONS,
        duration: int = 30,
    ) -> None:
        files[f"interviews/{_day(start)}-{slug}.md"] = _INTERVIEW.format(
            contact=contact_slug,
            date=_when(start),
            duration=duration,
            format=fmt,
            extra=extra,
            name=name,
            tasks=tasks,
            questions="\n".join(f"- {q}" for q in questions),
            notes=notes,
            reflection=reflection,
        )

    # --- chain 1: alumni network -> Contoso ------------------------------------------
    contact(
        "maria-chen",
        "Maria Chen",
        '"[[contoso]]"',
        "Senior Product Manager",
        "product management",
        "Seattle",
        "alumni",
        "Graduated from my program in 2014; moved from engineering into product.",
        # A week to answer: not one of the book's "boosters" (stats), but a great help.
        extra=f"requested: {_day(days(-30))}\nrequest_via: email\nresponded: {_day(days(-23))}\n",
        tags="alumni, product",
    )
    interview(
        "maria-chen",
        days(-21).replace(hour=11),
        "maria-chen",
        "Maria Chen",
        "video",
        f"status: done\nthank_you_sent: {_day(days(-21))}\nreferrals:\n"
        '  - "[[sam-lee]]"\n  - name: Priya Patel\n    organization: Contoso\n'
        "    note: leads the research operations team\n    may_use_name: true\n",
        "- Product managers at Contoso spend half their time with customers.\n"
        "- She moved from engineering via an internal rotation program.",
        "Product work fits what I liked most in my internship: talking to users. "
        "Next: learn how research feeds product decisions.",
    )
    contact(
        "sam-lee",
        "Sam Lee",
        '"[[contoso]]"',
        "UX Researcher",
        "user research",
        "Seattle",
        "referral",
        "Maria's colleague; runs the usability lab.",
        extra='referred_by: "[[maria-chen]]"\nreferrer_ok: true\n'
        f"requested: {_day(days(-10))}\nrequest_via: email\n"
        f"responded: {_day(days(-9))}\n",
        tags="research",
    )
    interview(
        "sam-lee",
        hour - timedelta(hours=21),
        "sam-lee",
        "Sam Lee",
        "in-person",
        "location: Contoso campus, building 4 cafe\nreferrals:\n"
        "  - name: Alex Romero\n    organization: Fabrikam\n"
        "    note: runs a research team that hires career changers\n"
        "    may_use_name: false\n",
        "- Usability studies every second week; the lab is booked months ahead.\n"
        "- Recommended the book *Just Enough Research*.",
        "<!-- What did you learn? Does the path fit you? -->",
    )

    # --- chain 2: faculty -> Fabrikam ------------------------------------------------
    contact(
        "daniel-okafor",
        "Daniel Okafor",
        "State University",
        "Professor of Statistics",
        "data science",
        "Portland",
        "faculty",
        "Taught my statistics course; consults for several companies.",
        extra=f"requested: {_day(days(-50))}\nrequest_via: in-person\n"
        f"updates: [{_day(days(-20))}]\n",
        tags="faculty, data",
    )
    interview(
        "daniel-okafor",
        days(-45).replace(hour=14),
        "daniel-okafor",
        "Daniel Okafor",
        "in-person",
        f"status: done\nthank_you_sent: {_day(days(-45))}\nreferrals:\n"
        '  - "[[lena-fischer]]"\n  - "[[tom-becker]]"\n',
        "- Data science roles split into analytics and machine learning tracks.",
        "Analytics suits me better than research. Talk to people in industry next.",
    )
    contact(
        "lena-fischer",
        "Lena Fischer",
        '"[[fabrikam]]"',
        "Data Scientist",
        "data science",
        "Portland",
        "referral",
        "Former student of Prof. Okafor; works on demand forecasting.",
        extra='referred_by: "[[daniel-okafor]]"\nreferrer_ok: true\n'
        f"requested: {_day(days(-38))}\nrequest_via: email\n"
        f"responded: {_day(days(-37))}\n",
        tags="data",
    )
    interview(
        "lena-fischer",
        days(-30).replace(hour=16),
        "lena-fischer",
        "Lena Fischer",
        "video",
        f'status: done\nthank_you_sent: {_day(days(-30))}\nreferrals:\n  - "[[rita-gomez]]"\n',
        "- Fabrikam hires analysts every spring; SQL and communication matter most.",
        "Forecasting is exactly the kind of problem I enjoy. Improve my SQL.",
    )
    contact(
        "rita-gomez",
        "Rita Gomez",
        '"[[fabrikam]]"',
        "Analytics Manager",
        "data science",
        "Remote",
        "referral",
        "Lena's manager; hires the analytics team.",
        extra='referred_by: "[[lena-fischer]]"\nreferrer_ok: true\n'
        f"requested: {_day(days(-8))}\nrequest_via: linkedin\n",
    )
    contact(
        "tom-becker",
        "Tom Becker",
        "Tailspin Toys",
        "Data Engineer",
        "data engineering",
        "Portland",
        "referral",
        "Prof. Okafor's former teaching assistant.",
        extra='referred_by: "[[daniel-okafor]]"\nreferrer_ok: true\n'
        f"requested: {_day(days(-12))}\nrequest_via: email\n"
        f"responded: {_day(days(-11))}\n",
    )
    interview(
        "tom-becker",
        days(2).replace(hour=10),
        "tom-becker",
        "Tom Becker",
        "phone",
        "status: planned\n",
        "",
        "",
        tasks="- [x] Read his profile\n- [ ] Research Tailspin Toys' data platform\n"
        "- [ ] Prepare a 30-second introduction",
        questions=_QUESTIONS[:3],
    )

    # --- chain 3: association -> Northwind --------------------------------------------
    contact(
        "aisha-rahman",
        "Aisha Rahman",
        '"[[northwind]]"',
        "Operations Director",
        "operations",
        "Chicago",
        "association",
        "Met at the regional analytics association meetup.",
        extra=f"requested: {_day(days(-80))}\nrequest_via: email\nresponded: {_day(days(-79))}\n",
    )
    interview(
        "aisha-rahman",
        days(-75).replace(hour=9),
        "aisha-rahman",
        "Aisha Rahman",
        "phone",
        f'status: done\nthank_you_sent: {_day(days(-75))}\nreferrals:\n  - "[[chris-novak]]"\n',
        "- Operations teams want people who can automate reporting.",
        "Operations analytics is a good second option.",
    )
    contact(
        "chris-novak",
        "Chris Novak",
        '"[[northwind]]"',
        "Supply Chain Analyst",
        "operations",
        "Chicago",
        "referral",
        "Aisha's colleague.",
        extra='referred_by: "[[aisha-rahman]]"\nreferrer_ok: false\n'
        f"requested: {_day(days(-6))}\nrequest_via: email\n"
        f"responded: {_day(days(-5))}\n",
    )
    interview(
        "chris-novak",
        days(6).replace(hour=13),
        "chris-novak",
        "Chris Novak",
        "video",
        "status: planned\n",
        "",
        "",
    )

    # --- prospects and others --------------------------------------------------------
    contact(
        "emma-larsson",
        "Emma Larsson",
        "Woodgrove Bank",
        "Risk Analyst",
        "finance",
        "New York",
        "linkedin",
        "Second-degree connection; posts about risk modelling.",
    )
    contact(
        "jordan-kim",
        "Jordan Kim",
        "City Library",
        "Data Librarian",
        "libraries",
        "Portland",
        "career-center",
        "Suggested by the career center's alumni list.",
        extra=f"requested: {_day(days(-16))}\nrequest_via: email\nresponded: {_day(days(-15))}\n",
    )
    interview(
        "jordan-kim",
        days(-9).replace(hour=12),
        "jordan-kim",
        "Jordan Kim",
        "video",
        "status: cancelled\n",
        "",
        "",
    )
    contact(
        "hiro-tanaka",
        "Hiro Tanaka",
        "Litware",
        "Solutions Architect",
        "consulting",
        "San Francisco",
        "event",
        "Spoke at the cloud conference panel.",
        extra=f"requested: {_day(days(-2))}\nrequest_via: phone\n",
    )
    contact(
        "olivia-brown",
        "Olivia Brown",
        "Adventure Works",
        "HR Business Partner",
        "human resources",
        "Denver",
        "friends-family",
        "My aunt's neighbour.",
        extra=f"requested: {_day(days(-40))}\nrequest_via: email\nstatus: declined\n",
    )
    contact(
        "ben-carter",
        "Ben Carter",
        "Proseware",
        "Business Analyst",
        "consulting",
        "Boston",
        "colleague",
        "Worked together at my summer job.",
        extra=f"requested: {_day(days(-1))}\nrequest_via: email\n",
    )
    # Ben asked yesterday: three business days on, ask a second person at Proseware
    # ("The 2-Hour Job Search": the 3B7 routine), an alumna nobody has asked yet.
    contact(
        "wen-zhao",
        "Wen Zhao",
        "Proseware",
        "Data Analyst",
        "consulting",
        "Boston",
        "alumni",
        "Two years ahead of me in the same program; posts about analytics careers.",
    )
    contact(
        "sofia-rossi",
        "Sofia Rossi",
        "Fourth Coffee",
        "Marketing Analyst",
        "marketing",
        "Austin",
        "alumni",
        "Same graduating class; switched from journalism.",
        extra=f"requested: {_day(days(-3))}\nrequest_via: email\nresponded: {_day(days(-2))}\n",
    )
    contact(
        "marcus-webb",
        "Marcus Webb",
        "Contoso",
        "Engineering Manager",
        "software",
        "Seattle",
        "article",
        "Wrote an article on hiring career changers.",
    )

    # --- organizations ---------------------------------------------------------------
    # Scored for the target list (`infoint targets`): motivation, then posting, 0-3.
    for slug, name, website, field, location, scores in (
        ("contoso", "Contoso", "https://contoso.example", "software", "Seattle", (3, 1)),
        (
            "fabrikam",
            "Fabrikam",
            "https://fabrikam.example",
            "retail analytics",
            "Portland",
            (3, 3),
        ),
        (
            "northwind",
            "Northwind Traders",
            "https://northwind.example",
            "logistics",
            "Chicago",
            (2, 0),
        ),
        (
            "state-university",
            "State University",
            "https://state.example.edu",
            "education",
            "Portland",
            None,
        ),
    ):
        aliases = "[Northwind]" if slug == "northwind" else "[]"
        scored = f"motivation: {scores[0]}\nposting: {scores[1]}\n" if scores else ""
        files[f"organizations/{slug}.md"] = (
            f"---\ntype: organization\nname: {name}\naliases: {aliases}\nwebsite: {website}\n"
            f"field: {field}\nlocation: {location}\n{scored}---\n# {name}\n"
        )

    # --- a milestone the earlier interviewees should hear about -----------------------
    files[f"milestones/{_day(days(-3))}-fabrikam-first-round.md"] = (
        f"---\ntype: milestone\ndate: {_day(days(-3))}\n"
        'summary: "Invited to a first-round interview for the analyst role at Fabrikam"\n'
        'thanks: ["[[lena-fischer]]"]\n---\n'
        "# First-round interview at Fabrikam\n\n"
        "Lena forwarded my resume to [[rita-gomez]]'s team after our conversation.\n"
    )
    return files


def write_demo(root: Path, now: datetime) -> list[str]:
    """Write the demo notes that do not exist yet; return their vault-relative paths."""
    return [
        rel
        for rel, content in sorted(demo_files(now).items())
        if create_if_missing(root / rel, root, content.encode("utf-8"))
    ]
