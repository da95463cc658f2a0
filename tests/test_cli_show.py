"""`infoint show ID`: one note in full, as text and JSON; unknown and ambiguous ids."""

from __future__ import annotations

import json

import pytest

FILES = {
    "contacts/daniel-okafor.md": "---\ntype: contact\nname: Daniel Okafor\n---\n",
    "contacts/lena-fischer.md": (
        '---\ntype: contact\nname: Lena Fischer\naliases: [Lena]\norganization: "[[fabrikam]]"\n'
        'referred_by: "[[daniel-okafor]]"\nrequested: 2026-10-01\n---\n'
    ),
    "contacts/rita-gomez.md": (
        "---\ntype: contact\nname: Rita Gomez\norganization: Fabrikam\nreferred_by: Lena Fischer\n"
        "---\n"
    ),
    "contacts/tom-becker.md": (
        '---\ntype: contact\nname: Tom Becker\nreferred_by: "[[lena-fischer]]"\n'
        "requested: 2026-11-01\n---\n"
    ),
    "interviews/2026-10-21-lena-fischer.md": (
        '---\ntype: interview\ncontact: "[[lena-fischer]]"\ndate: 2026-10-21T16:00\n'
        'thank_you_sent: 2026-10-21\nreferrals:\n  - "[[rita-gomez]]"\n'
        "  - name: Priya Patel\n    may_use_name: true\n---\n## Reflection\nGood.\n"
    ),
    "organizations/fabrikam.md": "---\ntype: organization\nname: Fabrikam\n---\n",
    "organizations/tailspin.md": "---\ntype: organization\nname: Tailspin\naliases: [Lena]\n---\n",
}


@pytest.fixture
def vault(make_vault):
    return make_vault(FILES)


def shown(run, vault, note_id):
    result = run(vault, "show", note_id, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_contact_json(run, vault):
    view = shown(run, vault, "lena-fischer")
    assert list(view) == [
        "id",
        "path",
        "kind",
        "name",
        "fields",
        "stage",
        "status",
        "contact",
        "interviews",
        "referral_chain",
        "referred",
        "contacts",
        "agenda",
        "tiara",
    ]
    assert view["kind"] == "contact" and view["stage"] == "interviewed"
    assert view["tiara"] is None  # for interviews only
    assert view["fields"]["requested"] == "2026-10-01"
    assert view["interviews"] == [
        {
            "id": "2026-10-21-lena-fischer",
            "path": "interviews/2026-10-21-lena-fischer.md",
            "date": "2026-10-21T16:00:00-04:00",
            "status": "done",
            "contact": "lena-fischer",
        }
    ]
    assert view["referral_chain"] == [
        {"id": "daniel-okafor", "name": "Daniel Okafor", "path": "contacts/daniel-okafor.md"}
    ]
    # From the interview's referrals (pending or not), then from referred_by alone.
    assert [(row["name"], row["via"], row["pending"]) for row in view["referred"]] == [
        ("Rita Gomez", "2026-10-21-lena-fischer", True),
        ("Priya Patel", "2026-10-21-lena-fischer", True),
        ("Tom Becker", None, False),
    ]
    assert [(item["kind"], item["contact"]) for item in view["agenda"]] == [
        ("contact-referral", None),
        ("contact-referral", "rita-gomez"),
        ("keep-in-touch", "lena-fischer"),
    ]


def test_contact_text(run, vault):
    result = run(vault, "show", "Lena Fischer")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("Lena Fischer\ncontact · interviewed · contacts/lena-fischer.md\n")
    assert "  referred_by: [[daniel-okafor]]\n" in text
    assert "Referral chain:\n  Daniel Okafor → Lena Fischer\n" in text
    assert (
        "Interviews:\n  2026-10-21 16:00  done       interviews/2026-10-21-lena-fischer.md\n"
    ) in text
    assert "  Priya Patel (no note yet): pending, via 2026-10-21-lena-fischer\n" in text
    assert "  Tom Becker (contacts/tom-becker.md): contacted, by their referred_by\n" in text
    assert "  - Send Lena Fischer a progress update (last in touch 2026-10-21)\n" in text


def test_the_chain_goes_up_to_the_first_contact(run, vault):
    view = shown(run, vault, "rita-gomez")
    assert [person["id"] for person in view["referral_chain"]] == [
        "lena-fischer",
        "daniel-okafor",
    ]
    assert view["stage"] == "prospect"
    text = run(vault, "show", "rita-gomez").stdout
    assert "  Daniel Okafor → Lena Fischer → Rita Gomez\n" in text


def test_interview(run, vault):
    view = shown(run, vault, "interviews/2026-10-21-lena-fischer.md")
    assert view["kind"] == "interview" and view["status"] == "done" and view["stage"] is None
    assert view["contact"] == {
        "id": "lena-fischer",
        "name": "Lena Fischer",
        "path": "contacts/lena-fischer.md",
        "stage": "interviewed",
    }
    assert [row["name"] for row in view["referred"]] == ["Rita Gomez", "Priya Patel"]
    assert {item["note"] for item in view["agenda"]} == {"interviews/2026-10-21-lena-fischer.md"}
    text = run(vault, "show", "2026-10-21-lena-fischer").stdout
    assert text.startswith("Conversation with Lena Fischer on 2026-10-21 16:00\n")


def test_an_interview_counts_its_questions_per_tiara_kind(run, make_vault):
    vault = make_vault(
        {
            "contacts/ann.md": "---\ntype: contact\nname: Ann Lee\n---\n",
            "interviews/talk.md": '---\ntype: interview\ncontact: "[[ann]]"\n'
            "date: 2026-11-25T10:00\nquestions:\n  - What trends are affecting your work?\n"
            "---\n## Questions\n<!--\n- What resources should I look into?\n-->\n"
            "- What surprised you most about your job?\n- What does a typical week look like?\n"
            "- Which associations would you recommend?\n- Do you like it?\n",
        }
    )
    view = shown(run, vault, "talk")
    # The commented starter is no question; "Do you like it?" is of no kind.
    assert view["tiara"] == {
        "trends": 1,
        "insights": 2,
        "advice": 0,
        "resources": 1,
        "assignments": 0,
    }
    text = run(vault, "show", "talk").stdout
    assert (
        "Questions by TIARA kind:\n"
        "  trends 1, insights 2, advice 0, resources 1, assignments 0\n" in text
    )


def test_organization(run, vault):
    view = shown(run, vault, "fabrikam")
    assert [(person["id"], person["stage"]) for person in view["contacts"]] == [
        ("lena-fischer", "interviewed"),
        ("rita-gomez", "prospect"),
    ]
    assert [row["id"] for row in view["interviews"]] == ["2026-10-21-lena-fischer"]
    assert {item["contact"] for item in view["agenda"]} == {"lena-fischer", "rita-gomez"}


def test_unknown_id_is_a_usage_error(run, vault):
    result = run(vault, "show", "nobody")
    assert result.exit_code == 2
    assert result.stderr == "no note matches 'nobody'\n"


def test_ambiguous_id_names_the_candidates(run, vault):
    # "Lena" is an alias of a contact and of an organization.
    result = run(vault, "show", "Lena")
    assert result.exit_code == 2
    assert result.stderr == (
        "'Lena' matches several notes: contacts/lena-fischer.md, "
        "organizations/tailspin.md; give the path\n"
    )


def test_milestone_and_plain_note(run, make_vault):
    vault = make_vault(
        {
            "contacts/lena.md": "---\ntype: contact\nname: Lena Fischer\n---\n",
            "interviews/2026-10-21-lena.md": (
                '---\ntype: interview\ncontact: "[[lena]]"\ndate: 2026-10-21\n'
                "thank_you_sent: 2026-10-21\n---\n## Reflection\nGood.\n"
            ),
            "milestones/offer.md": (
                "---\ntype: milestone\ndate: 2026-11-17\nsummary: An offer\n"
                'thanks: ["[[lena]]"]\n---\n'
            ),
            "ideas.md": "---\ntopic: careers\n---\nSome thoughts.\n",
        }
    )
    view = shown(run, vault, "offer")
    assert [person["id"] for person in view["contacts"]] == ["lena"]
    assert [(item["kind"], item["contact"]) for item in view["agenda"]] == [("share-news", "lena")]
    assert (
        "Thanks:\n  Lena Fischer (contacts/lena.md, interviewed)\n"
        in run(vault, "show", "offer").stdout
    )
    plain = shown(run, vault, "ideas")
    assert plain["kind"] == "plain" and plain["fields"] == {"topic": "careers"}
    assert plain["agenda"] == [] and plain["stage"] is None
    text = run(vault, "show", "ideas").stdout
    assert text == "ideas\nplain · ideas.md\n\n  topic: careers\n\nAgenda:\n  nothing to do\n"


def test_note_arguments_may_be_paths_from_here(make_vault, run, monkeypatch):
    vault = make_vault({"contacts/sam-lee.md": "---\ntype: contact\nname: Sam Lee\n---\n"})
    monkeypatch.chdir(vault / "contacts")
    for given in ("./sam-lee.md", "../contacts/sam-lee.md", str(vault / "contacts/sam-lee.md")):
        result = run(vault, "show", given)
        assert result.exit_code == 0, (given, result.stderr)
        assert result.stdout.startswith("Sam Lee\n")
    outside = run(vault, "show", "../../elsewhere.md")
    assert outside.exit_code == 2 and "outside the vault" in outside.stderr


def test_interview_text_lists_referrals_one_per_line_and_no_empty_fields(run, make_vault):
    vault = make_vault(
        {
            "contacts/sam-lee.md": "---\ntype: contact\nname: Sam Lee\n---\n",
            "interviews/2026-11-19-sam-lee.md": (
                '---\ntype: interview\ncontact: "[[sam-lee]]"\ndate: 2026-11-19T12:00\n'
                "format:\nlocation: ''\nthank_you_sent:\nquestions: []\nreferrals:\n"
                "  - name: Alex Romero\n    organization: Fabrikam\n"
                "    note: runs a research team\n    may_use_name: false\n"
                "  - name: Priya Patel\n    may_use_name: true\n"
                '  - "[[sam-lee]]"\n---\n'
            ),
        }
    )
    result = run(vault, "show", "2026-11-19-sam-lee")
    assert result.exit_code == 0, result.stderr
    fields = result.stdout.split("\n\n")[1]
    assert fields == (
        "  contact: [[sam-lee]]\n"
        "  date: 2026-11-19T12:00\n"
        "  referrals:\n"
        "    - Alex Romero (Fabrikam): runs a research team; do not mention Sam Lee's name\n"
        "    - Priya Patel: you may mention Sam Lee's name\n"
        "    - [[sam-lee]]"
    )


def test_an_organization_lists_the_contacts_who_write_it_with_a_legal_suffix(run, make_vault):
    """SPEC 3.3: "Fabrikam, Inc." is "Fabrikam", in `show` as in `orgs` and `targets`."""
    vault = make_vault(
        {
            "organizations/fabrikam.md": "---\ntype: organization\nname: Fabrikam\n---\n",
            "contacts/ana-ruiz.md": (
                "---\ntype: contact\nname: Ana Ruiz\norganization: Fabrikam, Inc.\n"
                "requested: 2026-11-02\n---\n"
            ),
            "contacts/bo-lind.md": (
                "---\ntype: contact\nname: Bo Lind\norganization: FABRIKAM LLC\n---\n"
            ),
            "interviews/2026-11-10-ana-ruiz.md": (
                '---\ntype: interview\ncontact: "[[ana-ruiz]]"\ndate: 2026-11-10T10:00\n---\n'
            ),
        }
    )
    view = shown(run, vault, "fabrikam")
    assert [person["id"] for person in view["contacts"]] == ["ana-ruiz", "bo-lind"]
    assert [row["id"] for row in view["interviews"]] == ["2026-11-10-ana-ruiz"]
    assert {item["contact"] for item in view["agenda"]} >= {"ana-ruiz"}
    text = run(vault, "show", "fabrikam").stdout
    assert "  Ana Ruiz (contacts/ana-ruiz.md, interviewed)" in text


def test_a_note_whose_front_matter_did_not_load_says_why(run, make_vault):
    """Shown as a plain, empty note otherwise, which reads as if the note were empty."""
    vault = make_vault({"contacts/bad-yaml.md": "---\ntype: contact\nname: [oops\n---\nbody\n"})
    result = run(vault, "show", "bad-yaml")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    at = lines.index("Problems (infoint validate):")
    assert lines[at + 1].startswith("  contacts/bad-yaml.md:") and "yaml-syntax" in lines[at + 1]
