"""A deterministic synthetic vault for benchmarks: `python benchmarks/generate.py DIR --notes N`.

The same seed and size always give the same files, byte for byte. The mix follows a real
search: about 57% contacts, 30% interviews, 8% organizations, 5% plain notes and one
milestone per 1,000 notes (at most 12). Contacts link to their organization and, for a
third of them, to the contact who referred them (always an earlier one, so referral
chains are long but never loop);
interviews list those referrals, prepare tasks and questions and link people in their
notes. About one body in twenty holds a code span or a fenced block, so both body
scanners (the line scanner and markdown-it-py) are exercised. Every note validates
without errors against the fixed `NOW` below.

All files get the same modification time, an hour in the past, so a cache written right
after generation is not in the "racy" window and a warm run really reuses it.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

NOW = datetime(2026, 6, 1, 12, 0)
NOW_TEXT = "2026-06-01T12:00"
SIZES = {"1k": 1_000, "10k": 10_000, "50k": 50_000}

_FIRST = (
    "Ada Alan Alex Amara Ana Ben Carla Chen Dana David Elena Emil Fatima Felix Grace Hana "
    "Hugo Ines Ivan Jana Jonas Kai Kofi Lara Leo Lina Luca Maja Marco Maria Mia Nadia Noah "
    "Nora Omar Paula Pedro Priya Rafael Rita Rosa Sam Sara Sofia Tariq Tom Una Vera Wei "
    "Yara Yusuf Zoe Aiko Bruno Chloe Dmitri Erik Farah Gita Hamid"
).split()
_LAST = (
    "Abe Almeida Bauer Becker Brown Chen Costa Diaz Dubois Eze Fischer Garcia Gomez Hansen "
    "Ito Jensen Kim Kowalski Lee Lopez Martin Meyer Moreau Nakamura Novak Okafor Olsen Patel "
    "Perez Quinn Rossi Santos Schmidt Silva Singh Smith Suzuki Tanaka Taylor Torres Usman "
    "Vogel Wagner Walker Wang Weber Wilson Wong Xu Yamada Young Zhang Ali Berg Cruz Dahl "
    "Evans Ferreira Grant"
).split()
_ORG_A = (
    "Blue Bright Cedar Clear Coastal Delta Eastern Golden Green Harbor Iron Lakeside Maple "
    "Northern Open Pacific Prairie Quantum Red River Silver Southern Summit True United "
    "Valley Western"
).split()
_ORG_B = (
    "Analytics Bank Labs Systems Health Energy Foods Media Logistics Robotics Studios "
    "Insurance Partners Pharma Software Capital Networks Motors Foundation Consulting"
).split()
_ORG_C = ("Inc", "Group", "Co", "GmbH", "Ltd", "LLC", "AG", "SA")
_TITLES = (
    "Product Manager",
    "Data Scientist",
    "UX Researcher",
    "Software Engineer",
    "Analytics Manager",
    "Marketing Lead",
    "Policy Advisor",
    "Program Officer",
    "Financial Analyst",
    "Nurse Practitioner",
    "Recruiter",
    "Operations Director",
)
_FIELDS = (
    "product management",
    "data science",
    "user research",
    "software",
    "marketing",
    "public policy",
    "finance",
    "health care",
    "logistics",
    "energy",
)
_CITIES = ("Berlin", "Seattle", "Portland", "Toronto", "Lisbon", "Remote", "Munich", "Austin")
_SOURCES = ("linkedin", "alumni", "association", "friends-family", "colleague", "faculty")
_VIA = ("email", "linkedin", "phone", "in-person")
_FORMATS = ("video", "phone", "in-person")
_QUESTIONS = (
    "How did you find your way into this line of work?",
    "What does an ordinary week in your role involve?",
    "Which parts of the job energise you, and which drain you?",
    "What should a newcomer learn first?",
    "Where do you see the field going in five years?",
    "What do you wish someone had told you at the start?",
    "How would you approach this move with my background?",
    "Which groups, events or newsletters are worth following?",
    "Whom else would you recommend I speak with?",
)
_TASKS = (
    "Research the organization and recent news",
    "Prepare a 30-second introduction",
    "Write at least five open-ended questions",
    "Confirm the time the day before",
    "Read their recent articles",
)
_SENTENCES = (
    "They moved into the field after a few years in a neighbouring role.",
    "Most of the work is talking to people and writing things down clearly.",
    "Hiring happens mostly in spring, and internal referrals matter a lot.",
    "The team is small, so everyone covers several responsibilities.",
    "Certifications matter less than a portfolio of real projects.",
    "Remote work is common, but the first year is easier on site.",
    "Budgets are tight this year; projects are chosen carefully.",
    "Mentoring juniors is an explicit part of every senior role.",
)


class _Vault:
    """Builds the notes in memory; `files` maps vault-relative paths to text."""

    def __init__(self, count: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.count = count
        self.files: dict[str, str] = {}
        self.contacts: list[tuple[str, str, bool]] = []  # (slug, name, requested)
        self.referred: dict[str, list[str]] = {}  # referrer slug -> referred slugs
        self.interviewed: list[tuple[str, datetime]] = []

    def sentence(self) -> str:
        return self.rng.choice(_SENTENCES)

    def day(self, moment: datetime) -> str:
        return moment.strftime("%Y-%m-%d")

    def code_bits(self) -> str:
        """Code the line scanner refuses: markdown-it-py must read this body."""
        if self.rng.random() < 0.5:
            return "\nThey use `git log --oneline` and `[[not-a-link]]` daily.\n"
        return "\n```sh\n# their setup, [[not-a-link]] here\nmake test\n```\n"

    def organizations(self, total: int) -> list[tuple[str, str]]:
        names = [f"{a} {b} {c}" for a in _ORG_A for b in _ORG_B for c in _ORG_C]
        chosen = self.rng.sample(names, min(total, len(names)))
        orgs = []
        for name in chosen:
            slug = name.lower().replace(" ", "-")
            orgs.append((slug, name))
            body = (
                f"# {name}\n\n## Overview\n{self.sentence()} {self.sentence()}\n\n"
                f"## People\nSee the contacts who work here.\n"
            )
            self.files[f"organizations/{slug}.md"] = (
                f"---\ntype: organization\nname: {name}\n"
                f"website: https://{slug}.example.com\n"
                f"field: {self.rng.choice(_FIELDS)}\nlocation: {self.rng.choice(_CITIES)}\n"
                f"tags: [employer]\n---\n{body}"
            )
        return orgs

    def contact_notes(self, total: int, orgs: list[tuple[str, str]]) -> None:
        space = len(_FIRST) * 26 * len(_LAST)
        picks = self.rng.sample(range(space), total)
        for number, pick in enumerate(picks):
            first = _FIRST[pick % len(_FIRST)]
            middle = chr(ord("A") + (pick // len(_FIRST)) % 26)
            last = _LAST[pick // (len(_FIRST) * 26)]
            name = f"{first} {middle}. {last}"
            slug = f"{first}-{middle}-{last}".lower()
            org_slug, org_name = self.rng.choice(orgs)
            organization = f'"[[{org_slug}]]"' if self.rng.random() < 0.6 else org_name
            lines = [
                "type: contact",
                f"name: {name}",
                f"organization: {organization}",
                f"title: {self.rng.choice(_TITLES)}",
                f"field: {self.rng.choice(_FIELDS)}",
                f"location: {self.rng.choice(_CITIES)}",
                f"email: {slug}@example.com",
                f"source: {self.rng.choice(_SOURCES)}",
            ]
            if self.rng.random() < 0.3:
                lines.append(f'phone: "+1 555 {number % 10000:04d}"')
            if self.rng.random() < 0.4:
                lines.append(f"linkedin: https://www.linkedin.com/in/{slug}")
            referrer = None
            if self.contacts and self.rng.random() < 0.35:
                # Prefer recent contacts so chains grow long, as real referral chains do.
                back = min(len(self.contacts), 1 + int(self.rng.expovariate(1 / 20)))
                referrer = self.contacts[-back][0]
                self.referred.setdefault(referrer, []).append(slug)
                lines.append(f'referred_by: "[[{referrer}]]"')
                lines.append(f"referrer_ok: {'true' if self.rng.random() < 0.7 else 'false'}")
            requested = self.rng.random() < 0.7
            if requested:
                asked = NOW - timedelta(days=self.rng.randint(3, 400))
                lines.append(f"requested: {self.day(asked)}")
                lines.append(f"request_via: {self.rng.choice(_VIA)}")
                if self.rng.random() < 0.8:
                    lines.append(f"responded: {self.day(asked + timedelta(days=2))}")
            if self.rng.random() < 0.15:
                lines.append(
                    f"updates: [{self.day(NOW - timedelta(days=self.rng.randint(1, 90)))}]"
                )
            if self.rng.random() < 0.05:
                lines.append("status: inactive")
            lines.append(f"tags: [{self.rng.choice(_FIELDS).split()[0]}, network]")
            body = [f"# {name}", "", "## Background", f"{self.sentence()} {self.sentence()}"]
            if referrer:
                body.append(f"Introduced by [[{referrer}]].")
            body.append(f"Works at [[{org_slug}]].")
            if self.rng.random() < 0.05:
                body.append(self.code_bits())
            body += ["", "## Notes", self.sentence(), ""]
            self.files[f"contacts/{slug}.md"] = (
                "---\n" + "\n".join(lines) + "\n---\n" + "\n".join(body)
            )
            self.contacts.append((slug, name, requested))

    def interview_notes(self, total: int) -> None:
        asked = [contact for contact in self.contacts if contact[2]] or self.contacts
        seen: dict[str, int] = {}
        for _ in range(total):
            slug, name, _requested = self.rng.choice(asked)
            start = (NOW - timedelta(days=self.rng.randint(-30, 365))).replace(
                hour=self.rng.randint(8, 17), minute=self.rng.choice((0, 30))
            )
            duration = self.rng.choice((20, 30, 45, 60))
            repeat = seen.get(slug, 0)
            seen[slug] = repeat + 1
            suffix = f"-{repeat + 1}" if repeat else ""
            path = f"interviews/{self.day(start)}-{slug}{suffix}.md"
            lines = [
                "type: interview",
                f'contact: "[[{slug}]]"',
                f"date: {start.strftime('%Y-%m-%dT%H:%M')}",
                f"duration: {duration}",
                f"format: {self.rng.choice(_FORMATS)}",
            ]
            done = start + timedelta(minutes=duration) < NOW
            if done:
                lines.append("status: done")
                thanks = start + timedelta(minutes=duration, hours=self.rng.randint(1, 30))
                if thanks < NOW and self.rng.random() < 0.75:
                    lines.append(f"thank_you_sent: {thanks.strftime('%Y-%m-%dT%H:%M')}")
            referrals = self.referred.get(slug, [])[:3]
            if referrals:
                lines.append("referrals:")
                lines += [f'  - "[[{other}]]"' for other in referrals]
            if done and self.rng.random() < 0.3:
                lines += [
                    f"  - name: {self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}",
                    f"    organization: {self.rng.choice(_ORG_A)} {self.rng.choice(_ORG_B)}",
                    "    may_use_name: true",
                ]
                if not referrals:
                    lines.insert(-3, "referrals:")
            tasks = [
                f"- [{'x' if done or self.rng.random() < 0.5 else ' '}] {task}"
                for task in self.rng.sample(_TASKS, 3)
            ]
            questions = [f"- {q}" for q in self.rng.sample(_QUESTIONS, self.rng.randint(4, 7))]
            notes = [f"- {self.sentence()}" for _ in range(self.rng.randint(2, 5))]
            if referrals:
                notes.append(f"- Suggested I talk to [[{referrals[0]}]].")
            reflection = (
                f"{self.sentence()} Next: follow up with [[{slug}]]."
                if done and self.rng.random() < 0.8
                else "<!-- What did you learn? Does the path fit you? -->"
            )
            body = [
                f"# Conversation with {name}",
                "",
                "## Preparation",
                *tasks,
                "",
                "## Questions",
                *questions,
                "",
                "## Notes",
                *notes,
            ]
            if self.rng.random() < 0.05:
                body.append(self.code_bits())
            body += ["", "## Reflection", reflection, ""]
            self.files[path] = "---\n" + "\n".join(lines) + "\n---\n" + "\n".join(body)
            if done:
                self.interviewed.append((slug, start))

    def milestone_notes(self, total: int) -> None:
        for number in range(total):
            moment = NOW - timedelta(days=self.rng.randint(1, 300))
            helpers = self.rng.sample(self.interviewed, min(2, len(self.interviewed)))
            thanks = ", ".join(f'"[[{slug}]]"' for slug, _ in helpers)
            summary = self.rng.choice(
                ("Got a second-round interview", "Accepted an offer", "Joined an association")
            )
            self.files[f"milestones/{self.day(moment)}-step-{number + 1}.md"] = (
                f"---\ntype: milestone\ndate: {self.day(moment)}\nsummary: {summary}\n"
                f"thanks: [{thanks}]\n---\n# {summary}\n\n{self.sentence()}\n"
            )

    def plain_notes(self, total: int) -> None:
        for number in range(total):
            people = self.rng.sample(self.contacts, min(3, len(self.contacts)))
            links = ", ".join(f"[[{slug}|{name}]]" for slug, name, _ in people)
            body = f"# Reading list {number + 1}\n\n## Ideas\n{self.sentence()}\nAsk {links}.\n"
            if self.rng.random() < 0.1:
                body += self.code_bits()
            header = "---\ntags: [ideas]\n---\n" if number % 2 else ""
            self.files[f"notes/ideas-{number + 1}.md"] = header + body

    def build(self) -> dict[str, str]:
        orgs = max(1, self.count * 8 // 100)
        # A milestone is a step of one person's search: a handful, not hundreds. Each is
        # owed to everyone interviewed before it (SPEC 3.4), so their number must not
        # grow with the vault: one per 1,000 notes, at most a dozen (a year of steps).
        milestones = min(12, max(1, self.count // 1000))
        plain = max(1, self.count * 5 // 100)
        interviews = self.count * 30 // 100
        contacts = self.count - orgs - milestones - plain - interviews
        organizations = self.organizations(orgs)
        self.contact_notes(contacts, organizations)
        self.interview_notes(interviews)
        self.milestone_notes(milestones)
        self.plain_notes(plain)
        return self.files


def vault_files(count: int, seed: int = 1) -> dict[str, str]:
    """Vault-relative path -> text of every note of a synthetic vault."""
    return _Vault(count, seed).build()


def generate(root: Path, count: int, seed: int = 1) -> int:
    """Write a synthetic vault of about `count` notes into `root` (replaced); returns notes."""
    if root.exists():
        if not (root / "infoint.yaml").is_file():
            raise SystemExit(f"{root} exists and is not a vault; refusing to replace it")
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / "infoint.yaml").write_text("timezone: Europe/Berlin\n", encoding="utf-8")
    files = vault_files(count, seed)
    stamp = time.time() - 3600
    folders: set[Path] = set()
    for rel, text in files.items():
        path = root / rel
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        path.write_text(text, encoding="utf-8")
        os.utime(path, (stamp, stamp))
    return len(files)


_LINKEDIN_NOTES = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    'connections to see or download their email address."\n\n'
)


def linkedin_csv(rows: int, seed: int = 1) -> str:
    """A LinkedIn Connections.csv of `rows` distinct people, as LinkedIn writes it now
    (note lines, the header, `30 May 2024`); the same seed gives the same text."""
    rng = random.Random(seed)
    lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    people: set[tuple[str, str, str]] = set()
    for number in range(rows):
        # Distinct people: no two share name and employer (import would merge them).
        while True:
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            company = f"{rng.choice(_ORG_A)} {rng.choice(_ORG_B)}"
            if (first, last, company) not in people:
                people.add((first, last, company))
                break
        if rng.random() < 0.3:
            company = f'"{company}, {rng.choice(_ORG_C)}"'
        handle = f"{first}-{last}-{number}".lower()
        email = f"{handle}@example.com" if rng.random() < 0.3 else ""
        day = (NOW - timedelta(days=rng.randint(1, 3000))).strftime("%d %b %Y")
        lines.append(
            f"{first},{last},https://www.linkedin.com/in/{handle},{email},{company},"
            f"{rng.choice(_TITLES)},{day}"
        )
    return _LINKEDIN_NOTES + "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("root", type=Path, help="folder to write (replaced if it is a vault)")
    parser.add_argument("--notes", default="10k", help="1k, 10k, 50k or a number")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    count = SIZES.get(args.notes) or int(args.notes)
    written = generate(args.root, count, args.seed)
    print(f"wrote {written} notes to {args.root}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
