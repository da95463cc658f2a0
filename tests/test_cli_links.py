"""`infoint links`: outgoing links and backlinks with their lines, fields and targets."""

from __future__ import annotations

import json

import pytest

VAULT = {
    "contacts/maria.md": """
        ---
        type: contact
        name: Maria Chen
        organization: Contoso
        ---
        Met at the alumni night; see [[sam|Sam]] and [[Nobody Yet]].

        ```
        [[in-code]] is not a link
        ```
        ![[photo.png]] is an attachment.
        """,
    "contacts/sam.md": """
        ---
        type: contact
        name: Sam Lee
        organization: Tailspin Toys
        referred_by: "[[maria]]"
        ---
        """,
    "interviews/m1.md": """
        ---
        type: interview
        contact: "[[Maria Chen]]"
        date: 2026-11-01
        referrals:
          - "[[sam]]"
          - name: Priya Patel
        ---
        Talked about [[maria#Background]] and her team.
        """,
    "organizations/contoso.md": "---\ntype: organization\nname: Contoso\n---\n",
    "notes/plain.md": "Ideas for [[maria]].\n",
    "attachments/photo.png": b"\x89PNG\r\n",
}


@pytest.fixture
def vault(make_vault):
    return make_vault(VAULT)


def test_json_outgoing_and_backlinks(run, vault):
    result = run(vault, "links", "Maria Chen", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["note"] == "contacts/maria.md"
    assert data["outgoing"] == [
        {
            "line": 4,
            "column": 15,
            "field": "organization",
            "target": "Contoso",
            "to": "organizations/contoso.md",
            "status": "resolved",
        },
        {
            "line": 6,
            "column": 30,
            "field": None,
            "target": "sam",
            "to": "contacts/sam.md",
            "status": "resolved",
        },
        {
            "line": 6,
            "column": 46,
            "field": None,
            "target": "Nobody Yet",
            "to": None,
            "status": "missing",
        },
        {
            "line": 11,
            "column": 1,
            "field": None,
            "target": "photo.png",
            "to": "attachments/photo.png",
            "status": "resolved",
        },
    ]
    assert data["backlinks"] == [
        {"path": "contacts/sam.md", "line": 5, "column": 14, "field": "referred_by",
         "target": "maria"},
        {"path": "interviews/m1.md", "line": 3, "column": 10, "field": "contact",
         "target": "Maria Chen"},
        {"path": "interviews/m1.md", "line": 9, "column": 14, "field": None, "target": "maria"},
        {"path": "notes/plain.md", "line": 1, "column": 11, "field": None, "target": "maria"},
    ]  # fmt: skip


def test_plain_text_fields_are_not_links_unless_they_name_a_note(run, vault):
    data = json.loads(run(vault, "links", "sam", "--json").stdout)
    assert [(item["field"], item["target"]) for item in data["outgoing"]] == [
        ("referred_by", "maria")  # "Tailspin Toys" names no note: just text
    ]
    interview = json.loads(run(vault, "links", "interviews/m1.md", "--json").stdout)
    assert [(i["field"], i["target"], i["status"]) for i in interview["outgoing"]] == [
        ("contact", "Maria Chen", "resolved"),
        ("referrals", "sam", "resolved"),
        (None, "maria", "resolved"),  # the body link,
    ]


def test_text_output(run, vault):
    result = run(vault, "links", "sam")
    assert result.stdout.splitlines() == [
        "Sam Lee (contacts/sam.md)",
        "",
        "links to (1):",
        "  LINE  WHERE        TARGET  NOTE",
        "  5:14  referred_by  maria   contacts/maria.md",
        "",
        "linked from (2):",
        "  FROM                    WHERE      AS",
        "  contacts/maria.md:6:30  body       sam",
        "  interviews/m1.md:6:5    referrals  sam",
    ]


def test_unknown_note_is_a_usage_error(run, vault):
    result = run(vault, "links", "nobody")
    assert result.exit_code == 2
    assert "no note matches 'nobody'" in result.stderr
