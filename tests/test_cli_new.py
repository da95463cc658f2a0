"""`infoint new contact|interview|milestone`."""

from __future__ import annotations

import json

import pytest

from infoint_notes.core.parse import parse_note
from tests.conftest import vault_files

JANE = """
---
type: contact
name: Jane Doe
organization: Contoso
---
"""


def _front(path):
    return parse_note(path.name, path.read_bytes()).front_matter


def _clean(run, vault, rel):
    result = run(vault, "validate", "--strict", str(vault / rel))
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""


def test_new_contact_with_every_option(run, make_vault):
    vault = make_vault({"contacts/jane-doe.md": JANE})
    result = run(
        vault,
        "new",
        "contact",
        "José Núñez",
        "--org",
        "Fabrikam: Labs",
        "--title",
        "NO",
        "--field",
        "12:30",
        "--email",
        "jose@example.com",
        "--source",
        "referral",
        "--referred-by",
        "Jane Doe",
        "--referrer-ok",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "contacts/jose-nunez.md\n"
    path = vault / "contacts" / "jose-nunez.md"
    assert _front(path) == {
        "type": "contact",
        "name": "José Núñez",
        "aliases": [],
        "organization": "Fabrikam: Labs",
        "title": "NO",
        "field": "12:30",
        "location": None,
        "address": None,
        "email": "jose@example.com",
        "other_emails": [],
        "phone": None,
        "other_phones": [],
        "linkedin": None,
        "websites": [],
        "birthday": None,
        "source": "referral",
        "referred_by": "[[jane-doe]]",
        "referrer_ok": True,
        "tags": [],
        "requested": None,
        "request_via": None,
        "responded": None,
        "updates": [],
        "followed_up": [],
        "status": "active",
    }
    text = path.read_text()
    assert 'title: "NO"\n' in text and 'field: "12:30"\n' in text
    assert "# José Núñez\n" in text  # the body's {{title}}
    assert "## Background" in text  # the template's body and comments survive
    _clean(run, vault, "contacts/jose-nunez.md")


def test_no_referrer_ok_writes_false(run, make_vault):
    vault = make_vault({"contacts/jane-doe.md": JANE})
    run(vault, "new", "contact", "Sam", "--referred-by", "jane-doe", "--no-referrer-ok")
    assert _front(vault / "contacts" / "sam.md")["referrer_ok"] is False


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../x", "contacts/x.md"),
        ("con", "contacts/con-contact.md"),
        ("???", "contacts/contact.md"),
        ("Jane Doe", "contacts/jane-doe-2.md"),
    ],
)
def test_names_become_safe_unique_slugs(run, make_vault, name, expected):
    vault = make_vault({"contacts/jane-doe.md": JANE})
    result = run(vault, "new", "contact", name)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{expected}\n"
    assert (vault / expected).is_file()


def test_ids_clash_vault_wide_and_case_insensitively(run, make_vault):
    vault = make_vault({"people/Ann-Lee.md": "---\ntype: contact\nname: Ann\n---\n"})
    assert run(vault, "new", "contact", "Ann Lee").stdout == "contacts/ann-lee-2.md\n"


def test_a_duplicate_contact_is_refused(run, make_vault):
    vault = make_vault({"contacts/jane-doe.md": JANE})
    result = run(vault, "new", "contact", "Jane Doe", "--org", "Contoso")
    assert result.exit_code == 2
    assert "looks like contacts/jane-doe.md (same name and organization)" in result.stderr
    assert not (vault / "contacts" / "jane-doe-2.md").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["contact", "Sam", "--referred-by", "nobody"],
        ["interview", "nobody", "--date", "2026-12-01"],
        ["milestone", "Offer", "--thanks", "nobody"],
        ["interview", "jane-doe", "--date", "soon"],
        ["interview", "jane-doe", "--date", "2026-12-01", "--format", "zoom"],
        ["contact", "Sam", "--source", "magic"],
        ["interview", "jane-doe"],
    ],
)
def test_bad_references_and_values_are_usage_errors(run, make_vault, args):
    vault = make_vault({"contacts/jane-doe.md": JANE, "notes/jane.md": "# not a contact\n"})
    before = vault_files(vault)
    result = run(vault, "new", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert vault_files(vault) == before


def test_ambiguous_contact_names_the_candidates(run, make_vault):
    vault = make_vault(
        {
            "contacts/jane-doe.md": JANE,
            "contacts/jane-doe-2.md": "---\ntype: contact\nname: Jane Doe\n---\n",
        }
    )
    result = run(vault, "new", "interview", "Jane Doe", "--date", "2026-12-01")
    assert result.exit_code == 2
    assert "contacts/jane-doe-2.md" in result.stderr and "contacts/jane-doe.md" in result.stderr


def test_new_interview(run, make_vault):
    vault = make_vault({"contacts/jane-doe.md": JANE})
    result = run(
        vault,
        "new",
        "interview",
        "jane-doe",
        "--date",
        "2026-12-02T10:00+01:00",
        "--duration",
        "20",
        "--format",
        "phone",
        "--location",
        "+1 555 0100",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "interviews/2026-12-02-jane-doe.md\n"
    data = _front(vault / "interviews" / "2026-12-02-jane-doe.md")
    assert data["contact"] == "[[jane-doe]]"
    assert data["date"] == "2026-12-02T04:00"  # vault time (America/New_York)
    assert (data["duration"], data["format"], data["location"]) == (20, "phone", "+1 555 0100")
    text = (vault / "interviews" / "2026-12-02-jane-doe.md").read_text()
    assert "## Preparation" in text and "## Reflection" in text
    _clean(run, vault, "interviews/2026-12-02-jane-doe.md")
    again = run(vault, "new", "interview", "Jane Doe", "--date", "2026-12-02")
    assert again.stdout == "interviews/2026-12-02-jane-doe-2.md\n"
    assert _front(vault / "interviews" / "2026-12-02-jane-doe-2.md")["date"] == "2026-12-02"


def test_new_milestone(run, make_vault):
    vault = make_vault(
        {"contacts/jane-doe.md": JANE, "contacts/sam.md": "---\ntype: contact\nname: Sam\n---\n"}
    )
    result = run(
        vault, "new", "milestone", 'Offer: "Analyst"', "--thanks", "jane-doe", "--thanks", "Sam"
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "milestones/2026-11-20-offer-analyst.md\n"
    data = _front(vault / "milestones" / "2026-11-20-offer-analyst.md")
    assert data == {
        "type": "milestone",
        "date": "2026-11-20",
        "summary": 'Offer: "Analyst"',
        "thanks": ["[[jane-doe]]", "[[sam]]"],
    }
    _clean(run, vault, "milestones/2026-11-20-offer-analyst.md")
    dated = run(vault, "new", "milestone", "Second round", "--date", "2026-12-01T15:00")
    assert dated.stdout == "milestones/2026-12-01-second-round.md\n"


def test_the_vaults_own_template_wins_with_obsidian_placeholders(run, make_vault):
    template = (
        "---\r\n"
        "type: contact\r\n"
        "name: '{{title}}'   # full name\r\n"
        'created: "{{date:YYYY-MM-DD}} {{time}}"\r\n'
        "my_own: keep me\r\n"
        "---\r\n"
        "# {{title}}\r\n"
        "Added {{date:dddd, MMMM Do YYYY}} at {{time:HH:mm}}; {{unknown}} stays.\r\n"
    )
    vault = make_vault({"templates/contact.md": template})
    result = run(vault, "new", "contact", "Ann O'Neil")
    assert result.exit_code == 0, result.stderr
    raw = (vault / "contacts" / "ann-o-neil.md").read_bytes()
    assert raw == (
        b"---\r\n"
        b"type: contact\r\n"
        b"name: 'Ann O''Neil'   # full name\r\n"
        b'created: "2026-11-20 12:00"\r\n'
        b"my_own: keep me\r\n"
        b"---\r\n"
        b"# Ann O'Neil\r\n"
        b"Added Friday, November 20th 2026 at 12:00; {{unknown}} stays.\r\n"
    )


def test_a_template_with_unquoted_placeholders_is_explained(run, make_vault):
    vault = make_vault({"templates/contact.md": "---\nname: {{title}}\n---\n"})
    result = run(vault, "new", "contact", "Ann")
    assert result.exit_code == 2
    assert 'quote placeholders: name: "{{title}}"' in result.stderr


def test_edit_opens_the_editor(run, make_vault, monkeypatch):
    import click

    opened = []
    monkeypatch.setattr(click, "edit", lambda filename=None, **kw: opened.append(filename))
    vault = make_vault({})
    result = run(vault, "new", "contact", "Ann", "--edit")
    assert result.exit_code == 0
    assert opened == [str(vault / "contacts" / "ann.md")]


@pytest.mark.parametrize("group", ["new", "log", "draft"])
def test_every_subcommand_has_help_with_an_example(run, group):
    from infoint_notes.cli import cli

    command = cli.get_command(None, group)
    for name in command.list_commands(None):
        result = run(None, group, name, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.stdout, (group, name)


def test_a_new_contact_who_already_exists_is_refused_naming_them(make_vault, run):
    vault = make_vault(
        {
            "contacts/sam-lee.md": "---\ntype: contact\nname: Sam Lee\n"
            "email: sam.lee@example.com\n---\n"
        }
    )
    result = run(vault, "new", "contact", "Other", "--email", "SAM.LEE@example.com")
    assert result.exit_code == 2
    assert result.stderr.startswith("Other looks like contacts/sam-lee.md (same email)")
    assert not (vault / "contacts" / "other.md").exists()


def test_a_milestone_dated_by_its_template_gets_a_real_date(run, make_vault):
    vault = make_vault({"contacts/jane-doe.md": JANE})
    result = run(vault, "new", "milestone", "Offer from Contoso")
    assert result.exit_code == 0, result.stderr
    text = (vault / result.stdout.strip()).read_text()
    assert "\ndate: 2026-11-20\n" in text  # INFOINT_NOW's day, unquoted


def test_new_contact_takes_phone_linkedin_location_and_tags(run, make_vault):
    vault = make_vault({"contacts/jane-doe.md": JANE})
    result = run(
        vault,
        *("new", "contact", "Ana Ruiz", "--phone", "5550100", "--location", "Austin, TX"),
        *("--linkedin", "https://www.linkedin.com/in/ana", "--tag", "alumni", "--tag", "#data"),
    )
    assert result.exit_code == 0, result.stderr
    data = _front(vault / "contacts" / "ana-ruiz.md")
    assert data["phone"] == "5550100"  # text, as a phone must be
    assert data["linkedin"] == "https://www.linkedin.com/in/ana"
    assert data["location"] == "Austin, TX"
    assert data["tags"] == ["alumni", "data"]
    assert data["source"] is None  # nobody referred her: no guess
    _clean(run, vault, "contacts/ana-ruiz.md")


def test_referred_by_makes_the_source_a_referral_unless_given(run, make_vault):
    vault = make_vault({"contacts/jane-doe.md": JANE})
    run(vault, "new", "contact", "Sam", "--referred-by", "jane-doe")
    run(vault, "new", "contact", "Kim", "--referred-by", "jane-doe", "--source", "alumni")
    assert _front(vault / "contacts" / "sam.md")["source"] == "referral"
    assert _front(vault / "contacts" / "kim.md")["source"] == "alumni"


def test_a_namesake_is_written_with_a_warning_about_the_old_referral(run, make_vault):
    vault = make_vault(
        {
            "contacts/ana-ruiz.md": (
                "---\ntype: contact\nname: Ana Ruiz\norganization: Contoso\n---\n"
            ),
            "contacts/bo-li.md": "---\ntype: contact\nname: Bo Li\n---\n",
            "interviews/2026-09-01-bo-li.md": (
                '---\ntype: interview\ncontact: "[[bo-li]]"\ndate: 2026-09-01T10:00\n'
                "thank_you_sent: 2026-09-01\nreferrals:\n  - Ana Ruiz\n---\n"
            ),
        }
    )
    result = run(vault, "new", "contact", "Ana Ruiz", "--org", "Litware")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "contacts/ana-ruiz-2.md\n"
    assert result.stderr == (
        "interviews/2026-09-01-bo-li.md:7:5: warning ambiguous-link: 'Ana Ruiz' in "
        "'referrals' could mean contacts/ana-ruiz-2.md, contacts/ana-ruiz.md; link by id\n"
    )
    assert (vault / "contacts" / "ana-ruiz-2.md").is_file()


def test_new_organization_with_scores(run, make_vault):
    vault = make_vault({"contacts/jane-doe.md": JANE})
    result = run(
        vault,
        "new",
        "organization",
        "Tailspin Toys",
        "--motivation",
        "3",
        "--posting",
        "0",
        "--website",
        "https://tailspin.example",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "organizations/tailspin-toys.md\n"
    assert _front(vault / "organizations" / "tailspin-toys.md") == {
        "type": "organization",
        "name": "Tailspin Toys",
        "aliases": [],
        "website": "https://tailspin.example",
        "field": None,
        "location": None,
        "motivation": 3,
        "posting": 0,
        "tags": [],
    }
    _clean(run, vault, "organizations/tailspin-toys.md")
    targets = run(vault, "targets", "--json")
    assert [(row["organization"], row["motivation"]) for row in json.loads(targets.stdout)] == [
        ("Tailspin Toys", 3),
        ("Contoso", None),
    ]


def test_new_organization_refuses_one_the_vault_has_and_bad_scores(run, make_vault):
    vault = make_vault(
        {
            "organizations/contoso.md": "---\ntype: organization\nname: Contoso Ltd\n"
            "aliases: [Contoso]\n---\n"
        }
    )
    before = vault_files(vault)
    known = run(vault, "new", "organization", "contoso")
    assert known.exit_code == 2
    assert known.stderr == (
        "contoso is organizations/contoso.md already; nothing written. "
        "Update that note instead: infoint show contoso\n"
    )
    score = run(vault, "new", "organization", "Fabrikam", "--motivation", "4")
    assert score.exit_code == 2 and "--motivation" in score.stderr
    assert vault_files(vault) == before
