"""`infoint list`: kinds, filters, sorting, the table and the JSON."""

from __future__ import annotations

import json

import pytest

VAULT = {
    "contacts/maria-chen.md": """
        ---
        type: contact
        name: Maria Chen
        organization: "[[contoso]]"
        source: alumni
        tags: [alumni, product]
        requested: 2026-10-23
        ---
        """,
    "contacts/sam-lee.md": """
        ---
        type: contact
        name: Sam Lee
        organization: Contoso
        source: referral
        referred_by: "[[maria-chen]]"
        requested: 2026-11-10T09:00
        ---
        """,
    "contacts/zoe-adams.md": """
        ---
        type: contact
        name: Zoe Adams
        organization: Fabrikam
        tags: [product]
        priority: 2
        ---
        """,
    "organizations/contoso.md": "---\ntype: organization\nname: Contoso\nfield: software\n---\n",
    "interviews/2026-11-01-maria-chen.md": """
        ---
        type: interview
        contact: "[[maria-chen]]"
        date: 2026-11-01T11:00
        thank_you_sent: 2026-11-01
        referrals: ["[[sam-lee]]"]
        ---
        """,
    "interviews/2026-11-25-sam-lee.md": """
        ---
        type: interview
        contact: "[[sam-lee]]"
        date: 2026-11-25T10:00
        ---
        """,
    "milestones/2026-11-15-offer.md": """
        ---
        type: milestone
        date: 2026-11-15
        summary: First-round interview at Contoso
        ---
        """,
}


@pytest.fixture
def vault(make_vault):
    return make_vault(VAULT)


def first_column(result):
    return [line.split("  ")[0] for line in result.stdout.splitlines()[1:]]


def test_contacts_table_has_stage_and_last_interview(run, vault):
    result = run(vault, "list")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "ID          NAME        ORGANIZATION  STAGE        LAST INTERVIEW",
        "maria-chen  Maria Chen  Contoso       interviewed  2026-11-01 11:00",
        "sam-lee     Sam Lee     Contoso       scheduled",
        "zoe-adams   Zoe Adams   Fabrikam      prospect",
    ]
    assert result.stderr == "3 contacts\n"


def test_other_kinds(run, vault):
    interviews = run(vault, "list", "interviews").stdout.splitlines()
    assert interviews[0].split() == ["DATE", "CONTACT", "STATUS", "THANK-YOU", "REFERRALS", "ID"]
    assert interviews[1].split() == [
        "2026-11-01", "11:00", "Maria", "Chen", "done", "2026-11-01", "1",
        "2026-11-01-maria-chen",
    ]  # fmt: skip
    assert "planned" in interviews[2]
    assert first_column(run(vault, "list", "organizations")) == ["contoso"]
    assert first_column(run(vault, "list", "milestones")) == ["2026-11-15"]


def test_where_on_links_dates_and_derived_status(run, vault):
    assert first_column(run(vault, "list", "--where", "organization=contoso")) == [
        "maria-chen",
        "sam-lee",
    ]
    assert first_column(run(vault, "list", "--where", "referred_by=Maria Chen")) == ["sam-lee"]
    assert (
        first_column(run(vault, "list", "--where", "requested>2026-11-01", "--where", "tags?"))
        == []
    )
    assert first_column(run(vault, "list", "--where", "priority>1")) == ["zoe-adams"]
    done = run(vault, "list", "interviews", "--where", "status=done", "--json")
    assert [item["id"] for item in json.loads(done.stdout)] == ["2026-11-01-maria-chen"]


def test_stage_tag_and_sort(run, vault):
    assert first_column(run(vault, "list", "--stage", "scheduled")) == ["sam-lee"]
    assert first_column(run(vault, "list", "--stage", "scheduled", "--stage", "prospect")) == [
        "sam-lee",
        "zoe-adams",
    ]
    assert first_column(run(vault, "list", "--tag", "#product")) == ["maria-chen", "zoe-adams"]
    # Descending by date; a contact without `requested` comes last either way.
    assert first_column(run(vault, "list", "--sort", "-requested")) == [
        "sam-lee",
        "maria-chen",
        "zoe-adams",
    ]
    assert first_column(run(vault, "list", "--sort", "requested")) == [
        "maria-chen",
        "sam-lee",
        "zoe-adams",
    ]
    assert first_column(run(vault, "list", "--sort", "stage")) == [
        "maria-chen",
        "zoe-adams",
        "sam-lee",
    ]


def test_json_objects(run, vault):
    result = run(vault, "list", "--where", "name=Sam Lee", "--json")
    assert json.loads(result.stdout) == [
        {
            "id": "sam-lee",
            "path": "contacts/sam-lee.md",
            "type": "contact",
            "name": "Sam Lee",
            "organization": "Contoso",
            "source": "referral",
            "referred_by": "[[maria-chen]]",
            "requested": "2026-11-10T09:00:00-05:00",
            "stage": "scheduled",
        }
    ]
    interviews = json.loads(run(vault, "list", "interviews", "--json").stdout)
    assert interviews[0]["date"] == "2026-11-01T11:00:00-05:00"
    assert interviews[0]["thank_you_sent"] == "2026-11-01"
    assert "stage" not in interviews[0]


def test_malformed_where_is_exit_2_naming_it(run, vault):
    result = run(vault, "list", "--where", "organization=contoso", "--where", "stage")
    assert result.exit_code == 2
    assert "bad --where expression 'stage'" in result.stderr
    assert result.stdout == ""
    bad_date = run(vault, "list", "--where", "requested>last week")
    assert bad_date.exit_code == 2
    assert "'last week' is not a date" in bad_date.stderr


def test_stage_is_for_contacts_only(run, vault):
    result = run(vault, "list", "interviews", "--stage", "prospect")
    assert result.exit_code == 2
    assert "--stage applies to contacts only" in result.stderr


def test_nothing_matches(run, vault):
    result = run(vault, "list", "--where", "name=nobody")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "0 contacts\n"
    assert run(vault, "list", "--where", "name=nobody", "--json").stdout == "[]\n"


def _at(name: str, organization: str) -> str:
    return f"---\ntype: contact\nname: {name}\norganization: {organization}\n---\n"


def test_where_organization_ignores_legal_suffixes_as_the_table_does(run, make_vault):
    """SPEC 3.3: the table shows "Fabrikam" for "Fabrikam, Inc.", so the filter finds it."""
    vault = make_vault(
        {
            "organizations/fabrikam.md": "---\ntype: organization\nname: Fabrikam\n---\n",
            "contacts/ana-ruiz.md": _at("Ana", "Fabrikam, Inc."),
            "contacts/bo-lind.md": _at("Bo", "Contoso Ltd"),
            "contacts/cy-moe.md": _at("Cy", "'[[fabrikam]]'"),
        }
    )
    result = run(vault, "list", "--where", "organization=fabrikam")
    assert first_column(result) == ["ana-ruiz", "cy-moe"]
    assert result.stdout.splitlines()[1].split() == ["ana-ruiz", "Ana", "Fabrikam", "prospect"]
    assert first_column(run(vault, "list", "--where", "organization=Fabrikam Inc.")) == [
        "ana-ruiz",
        "cy-moe",
    ]
    # Without an organization note, the names still compare as one organization.
    assert first_column(run(vault, "list", "--where", "organization=contoso")) == ["bo-lind"]
    assert first_column(run(vault, "list", "--where", "organization!=fabrikam")) == ["bo-lind"]
