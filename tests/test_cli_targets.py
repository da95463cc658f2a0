"""`infoint targets`: the target-employer list of "The 2-Hour Job Search" (SPEC 4.20)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import write_vault


def org(name: str, extra: str = "") -> str:
    return f"---\ntype: organization\nname: {name}\n{extra}---\n"


def person(name: str, organization: str, extra: str = "") -> str:
    return f"---\ntype: contact\nname: {name}\norganization: {organization}\n{extra}---\n"


def targets(run, vault) -> list[dict]:
    result = run(vault, "targets", "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_json_has_exactly_the_spec_keys(run, make_vault):
    vault = make_vault({"organizations/contoso.md": org("Contoso", "motivation: 2\nposting: 1\n")})
    assert targets(run, vault) == [
        {
            "organization": "Contoso",
            "motivation": 2,
            "posting": 1,
            "contacts": 0,
            "alumni": 0,
            "interviews": 0,
            "next_step": "find a contact",
        }
    ]


def test_ranked_by_motivation_posting_advocacy_then_name(run, make_vault):
    vault = make_vault(
        {
            "organizations/a.md": org("Alpha", "motivation: 2\nposting: 3\n"),
            "organizations/b.md": org("Beta", "motivation: 3\nposting: 0\n"),
            "organizations/c.md": org("Gamma", "motivation: 3\nposting: 0\n"),
            "organizations/d.md": org("Delta", "motivation: 0\n"),
            "organizations/e.md": org("Epsilon"),  # unscored: after every score
            # Gamma: one alumna (counted twice) beats Beta's... nobody; ties go by name.
            "contacts/g1.md": person("Gina", "Gamma", "source: alumni\n"),
            "contacts/b1.md": person("Bo", "Beta"),
            "contacts/b2.md": person("Bea", "Beta", "status: inactive\n"),
            # Known only from contacts: unscored, ranked by advocacy among the unscored.
            "contacts/z1.md": person("Zed", "Zeta"),
            "contacts/z2.md": person("Zoe", "Zeta"),
        }
    )
    rows = targets(run, vault)
    assert [(row["organization"], row["contacts"], row["alumni"]) for row in rows] == [
        ("Gamma", 1, 1),
        ("Beta", 1, 0),
        ("Alpha", 0, 0),
        ("Delta", 0, 0),
        ("Zeta", 2, 0),
        ("Epsilon", 0, 0),
    ]


def test_an_organization_known_only_from_contacts_organization_strings(run, make_vault):
    vault = make_vault(
        {
            "contacts/ann.md": person("Ann Lee", "Tailspin Toys"),
            "contacts/bo.md": person("Bo Chan", "tailspin  toys", "source: alumni\n"),
        }
    )
    assert targets(run, vault) == [
        {
            "organization": "Tailspin Toys",
            "motivation": None,
            "posting": None,
            "contacts": 2,
            "alumni": 1,
            "interviews": 0,
            "next_step": "ask Bo Chan for a conversation",  # alumni first
        }
    ]


@pytest.mark.parametrize(
    ("people", "step"),
    [
        ({}, "find a contact"),
        ({"contacts/a.md": person("Ann Lee", "Contoso", "status: declined\n")}, "find a contact"),
        (
            {
                "contacts/a.md": person("Ann Lee", "Contoso"),
                "contacts/b.md": person("Bo Chan", "Contoso"),
            },
            "ask Ann Lee for a conversation",
        ),
        (
            {
                "contacts/a.md": person("Ann Lee", "Contoso"),
                "contacts/b.md": person("Bo Chan", "Contoso", "requested: 2026-11-10\n"),
                "contacts/c.md": person("Cy Dorn", "Contoso", "requested: 2026-11-02\n"),
            },
            "follow up with Cy Dorn",  # waiting longest
        ),
        (
            {
                "contacts/b.md": person("Bo Chan", "Contoso", "requested: 2026-11-10\n"),
                "contacts/c.md": person("Cy Dorn", "Contoso"),
                "interviews/iv-c.md": '---\ntype: interview\ncontact: "[[c]]"\n'
                "date: 2026-11-25T10:00\n---\n",
            },
            "talk with Cy Dorn on 2026-11-25",
        ),
        (
            {
                "contacts/b.md": person("Bo Chan", "Contoso", "requested: 2026-11-10\n"),
                "contacts/c.md": person("Cy Dorn", "Contoso"),
                "interviews/iv-c.md": '---\ntype: interview\ncontact: "[[c]]"\n'
                "date: 2026-11-02T10:00\n---\n",
            },
            "keep in touch",
        ),
    ],
)
def test_the_next_step_follows_the_furthest_stage(run, make_vault, people, step):
    vault = make_vault({"organizations/contoso.md": org("Contoso"), **people})
    (row,) = targets(run, vault)
    assert row["next_step"] == step


def test_text_table_and_count(run, make_vault, tmp_path):
    vault = make_vault(
        {
            "organizations/contoso.md": org("Contoso", "motivation: 3\n"),
            "contacts/a.md": person("Ann Lee", '"[[contoso]]"'),
            "interviews/iv-a.md": '---\ntype: interview\ncontact: "[[a]]"\ndate: 2026-11-02\n---\n',
        }
    )
    result = run(vault, "targets")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "ORGANIZATION  MOTIVATION  POSTING  CONTACTS  ALUMNI  INTERVIEWS  NEXT STEP",
        "Contoso       3           -        1         0       1           keep in touch",
    ]
    assert result.stderr == "1 organization\n"
    empty = run(write_vault(tmp_path / "empty", {}), "targets")
    assert empty.stdout == ""
    assert empty.stderr.startswith("0 organizations (add one: infoint new organization")


def test_scores_out_of_range_are_bad_values(run, make_vault):
    vault = make_vault({"organizations/contoso.md": org("Contoso", "motivation: 4\nposting: -1\n")})
    result = run(vault, "validate")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "organizations/contoso.md:4:13: error bad-value: 'motivation' must be a whole number "
        "from 0 to 3, not 4",
        "organizations/contoso.md:5:10: error bad-value: 'posting' must be a whole number "
        "from 0 to 3, not -1",
    ]
    assert targets(run, vault)[0]["motivation"] is None


def test_legal_suffixes_do_not_make_another_organization(run, make_vault):
    vault = make_vault(
        {
            "organizations/fabrikam.md": org("Fabrikam", "motivation: 3\n"),
            "contacts/ann.md": person("Ann Lee", "Fabrikam, Inc.", "source: alumni\n"),
            "contacts/bo.md": person("Bo Chan", "Tailspin Toys GmbH"),
            "contacts/cy.md": person("Cy Dorn", "Tailspin Toys"),
        }
    )
    rows = targets(run, vault)
    assert [(row["organization"], row["contacts"], row["alumni"]) for row in rows] == [
        ("Fabrikam", 1, 1),
        ("Tailspin Toys", 2, 0),
    ]
    again = run(vault, "new", "organization", "FABRIKAM INC")
    assert again.exit_code == 2
    assert "organizations/fabrikam.md already" in again.stderr
