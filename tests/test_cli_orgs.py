"""`infoint orgs`: coverage per organization and "who do I know here"."""

from __future__ import annotations

import json

import pytest


def contact(name: str, organization: str, extra: str = "") -> str:
    return f"---\ntype: contact\nname: {name}\norganization: {organization}\n{extra}---\n"


VAULT = {
    "organizations/contoso.md": "---\ntype: organization\nname: Contoso\naliases: [CTS]\n---\n",
    "organizations/fabrikam.md": "---\ntype: organization\nname: Fabrikam Inc\n---\n",
    # linked, by name in another case, by alias: all Contoso
    "contacts/maria.md": contact(
        "Maria Chen", '"[[contoso]]"', "title: Product Manager\nrequested: 2026-10-01\n"
    ),
    "contacts/sam.md": contact("Sam Lee", "contoso", 'referred_by: "[[maria]]"\n'),
    "contacts/kai.md": contact("Kai Ng", "cts", "requested: 2026-11-01\n"),
    # no note: grouped by their text, whatever the case
    "contacts/tina.md": contact("Tina Ruiz", "Tailspin Toys"),
    "contacts/tom.md": contact("Tom Berg", "tailspin toys", "requested: 2026-11-01\n"),
    "contacts/una.md": contact("Una Vik", "Litware"),
    "interviews/m1.md": (
        '---\ntype: interview\ncontact: "[[maria]]"\ndate: 2026-10-10T10:00\nstatus: done\n'
        "referrals:\n  - name: Priya Patel\n    organization: CTS\n---\n"
    ),
    "interviews/m2.md": (
        '---\ntype: interview\ncontact: "[[maria]]"\ndate: 2026-11-02T10:00\nstatus: done\n---\n'
    ),
    "interviews/t1.md": (
        '---\ntype: interview\ncontact: "[[tom]]"\ndate: 2026-11-05\nstatus: done\n---\n'
    ),
}


@pytest.fixture
def vault(make_vault):
    return make_vault(VAULT)


def test_coverage_json(run, vault):
    result = run(vault, "orgs", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [
        {
            "name": "Contoso",
            "note": "organizations/contoso.md",
            "contacts": 3,
            "stages": {"prospect": 1, "requested": 1, "interviewed": 1},
            "interviews_done": 2,
            "last_interview": "2026-11-02T10:00:00-05:00",
        },
        {
            "name": "Tailspin Toys",  # the spelling used most, then alphabetical
            "note": None,
            "contacts": 2,
            "stages": {"prospect": 1, "interviewed": 1},
            "interviews_done": 1,
            "last_interview": "2026-11-05",
        },
        {  # an organization note nobody works at yet: a gap worth seeing
            "name": "Fabrikam Inc",
            "note": "organizations/fabrikam.md",
            "contacts": 0,
            "stages": {},
            "interviews_done": 0,
            "last_interview": None,
        },
        {
            "name": "Litware",
            "note": None,
            "contacts": 1,
            "stages": {"prospect": 1},
            "interviews_done": 0,
            "last_interview": None,
        },
    ]


def test_coverage_table(run, vault):
    result = run(vault, "orgs")
    assert result.stdout.splitlines() == [
        "ORGANIZATION   CONTACTS  STAGES                                  INTERVIEWS  LAST INTERVIEW",  # noqa: E501
        "Contoso        3         1 prospect, 1 requested, 1 interviewed  2           2026-11-02 10:00",  # noqa: E501
        "Tailspin Toys  2         1 prospect, 1 interviewed               1           2026-11-05",
        "Fabrikam Inc   0                                                 0",
        "Litware        1         1 prospect                              0",
    ]
    assert result.stderr == "4 organizations\n"


def test_who_do_i_know_here(run, vault):
    result = run(vault, "orgs", "CTS")  # an alias works as well as the name or id
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Contoso (organizations/contoso.md)",
        "NAME         TITLE            STAGE        LAST INTERVIEW    REFERRED BY",
        "Kai Ng                        requested",
        "Maria Chen   Product Manager  interviewed  2026-11-02 10:00",
        "Sam Lee                       prospect                       Maria Chen",
        "Priya Patel                   pending                        Maria Chen",
    ]
    data = json.loads(run(vault, "orgs", "contoso", "--json").stdout)
    assert data["name"] == "Contoso"
    assert [(p["id"], p["stage"], p["referred_by"]) for p in data["people"]] == [
        ("kai", "requested", []),
        ("maria", "interviewed", []),
        ("sam", "prospect", ["maria"]),
        ("pending:priya-patel", "pending", ["maria"]),
    ]


def test_name_without_a_note_and_partial_names(run, vault):
    result = run(vault, "orgs", "TAILSPIN TOYS", "--json")
    assert [p["id"] for p in json.loads(result.stdout)["people"]] == ["tina", "tom"]
    assert run(vault, "orgs", "litw").stdout.startswith("Litware\n")
    empty = run(vault, "orgs", "fabrikam")
    assert empty.stdout.splitlines()[1] == "nobody yet: no contact names this organization"


def test_unknown_or_ambiguous_name_is_a_usage_error(run, vault):
    unknown = run(vault, "orgs", "Globex")
    assert unknown.exit_code == 2
    assert "no organization matches 'Globex'" in unknown.stderr
    several = run(vault, "orgs", "i")  # part of Fabrikam Inc, Tailspin Toys, Litware
    assert several.exit_code == 2
    assert "matches several organizations: Fabrikam Inc, Litware, Tailspin Toys" in several.stderr


def test_legal_suffixes_and_punctuation_make_no_other_organization(run, make_vault):
    vault = make_vault(
        {
            "organizations/litware.md": "---\ntype: organization\nname: Litware\n---\n",
            "contacts/a.md": contact("Ana Ruiz", '"Fabrikam, Inc."'),
            "contacts/b.md": contact("Ben Carter", "Fabrikam"),
            "contacts/c.md": contact("Cy Dunn", "FABRIKAM INC"),
            "contacts/d.md": contact("Di Eng", "Litware, LLC"),
            "contacts/e.md": contact("Ed Fox", "Procter & Gamble Co."),
            "contacts/f.md": contact("Flo Gil", "Procter-Gamble"),
        }
    )
    rows = json.loads(run(vault, "orgs", "--json").stdout)
    assert sorted((row["name"], row["note"], row["contacts"]) for row in rows) == [
        ("Fabrikam", None, 3),
        ("Litware", "organizations/litware.md", 1),
        ("Procter-Gamble", None, 2),
    ]
    here = run(vault, "orgs", "Fabrikam, Inc.")
    assert here.exit_code == 0, here.stderr
    assert all(name in here.stdout for name in ("Ana Ruiz", "Ben Carter", "Cy Dunn"))
