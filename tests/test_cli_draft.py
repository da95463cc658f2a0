"""`infoint draft`: the guides' content rules, whatever the template."""

from __future__ import annotations

import pytest

from infoint_notes.write.drafts import first_point
from tests.conftest import vault_files

JANE = """
---
type: contact
name: Jane Doe
organization: "[[contoso]]"
field: user research
---
"""
CONTOSO = "---\ntype: organization\nname: Contoso Ltd\n---\n"
INTERVIEW = """
---
type: interview
contact: "[[jane-doe]]"
date: 2026-11-19T10:00
referrals:
  - "[[sam-lee]]"
  - name: Ana Ruiz
    may_use_name: true
---
## Notes
<!-- What they said. -->
- The lab runs **usability studies** every second week.
- Second point.

## Reflection
I liked it. A lot.
"""


def _sam(referrer_ok: str) -> str:
    line = f"referrer_ok: {referrer_ok}\n" if referrer_ok else ""
    return (
        "---\ntype: contact\nname: Sam Lee\nsource: linkedin\n"
        f'referred_by: "[[jane-doe]]"\n{line}---\n'
    )


@pytest.mark.parametrize(("referrer_ok", "named"), [("true", True), ("false", False), ("", False)])
def test_request_names_the_referrer_only_when_allowed(run, make_vault, referrer_ok, named):
    vault = make_vault({"contacts/jane-doe.md": JANE, "contacts/sam-lee.md": _sam(referrer_ok)})
    result = run(vault, "draft", "request", "sam-lee")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert ("Jane Doe" in text) is named
    assert ("Jane" in text) is named
    subject, blank, *_ = text.split("\n")
    assert subject and blank == "" and not subject.lower().startswith("subject:")
    assert "not asking for a job" in text
    assert "15–20 minutes" in text and "at your convenience" in text
    assert "by phone or in person" in text
    assert "LinkedIn" in text  # how they were found


def test_an_edited_template_cannot_leak_the_referrer(run, make_vault):
    template = (
        "Subject: Hi {{first_name}}\n\n{{referrer_name}}\nRef: {{referrer_name}}.\n{{unknown}}\n"
    )
    vault = make_vault(
        {
            "contacts/jane-doe.md": JANE,
            "contacts/sam-lee.md": _sam("false"),
            "templates/message-request.md": template,
        }
    )
    result = run(vault, "draft", "request", "sam-lee")
    assert result.stdout == "Hi Sam\n\nRef: .\n{{unknown}}\n"


def test_thank_you_names_date_specific_point_and_referrals(run, make_vault):
    vault = make_vault(
        {
            "contacts/jane-doe.md": JANE,
            "contacts/sam-lee.md": _sam("true"),
            "organizations/contoso.md": CONTOSO,
            "interviews/2026-11-19-jane-doe.md": INTERVIEW,
        }
    )
    before = vault_files(vault)
    result = run(vault, "draft", "thank-you", "2026-11-19-jane-doe")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("Thank you for our conversation on Thursday, November 19\n\n")
    assert "Dear Jane," in text
    assert "at Contoso Ltd" in text
    assert "The lab runs usability studies every second week." in text
    assert "I will get in touch with Sam Lee and Ana Ruiz." in text
    assert "keep you posted" in text
    assert vault_files(vault) == before  # no writes


def test_thank_you_falls_back_to_reflection_then_a_prompt(run, make_vault):
    only_reflection = INTERVIEW.replace(
        "- The lab runs **usability studies** every second week.\n- Second point.\n", ""
    )
    vault = make_vault({"contacts/jane-doe.md": JANE, "interviews/i.md": only_reflection})
    assert "particular: I liked it." in run(vault, "draft", "thank-you", "i").stdout
    empty = only_reflection.replace("I liked it. A lot.\n", "")
    (vault / "interviews" / "i.md").write_text(empty.lstrip())
    assert (
        "[something specific you learned from them]" in run(vault, "draft", "thank-you", "i").stdout
    )


def test_update_names_what_happened_since_the_last_touch(run, make_vault):
    vault = make_vault(
        {
            "contacts/jane-doe.md": JANE.lstrip().replace(
                "field:", "updates: [2026-11-01]\nfield:"
            ),
            "contacts/sam-lee.md": _sam("true").replace(
                "source:", "requested: 2026-11-03\nsource:"
            ),
            "contacts/ana.md": (
                "---\ntype: contact\nname: Ana Ruiz\norganization: Fabrikam\n"
                'referred_by: "[[jane-doe]]"\n---\n'
            ),
            "interviews/2026-10-20-jane.md": (
                '---\ntype: interview\ncontact: "[[jane-doe]]"\ndate: 2026-10-20T10:00\n'
                'referrals: ["[[ana]]"]\n---\n'
            ),
            "interviews/2026-11-10-ana.md": (
                '---\ntype: interview\ncontact: "[[ana]]"\ndate: 2026-11-10T10:00\n---\n'
            ),
            "interviews/2026-10-25-ana.md": (
                '---\ntype: interview\ncontact: "[[ana]]"\ndate: 2026-10-25T10:00\n---\n'
            ),
            "milestones/m.md": (
                "---\ntype: milestone\ndate: 2026-11-15\nsummary: Offer from Fabrikam\n"
                'thanks: ["[[ana]]"]\n---\n'
            ),
            "milestones/future.md": "---\ntype: milestone\ndate: 2026-12-15\nsummary: Later\n---\n",
        }
    )
    result = run(vault, "draft", "update", "jane-doe")
    assert result.exit_code == 0, result.stderr
    assert "since November 1:" in result.stdout
    news = [line for line in result.stdout.split("\n") if line.startswith("- ")]
    assert news == [
        "- I reached out to Sam Lee, as you suggested.",
        "- I had an informational interview with Ana Ruiz (Fabrikam), whom you suggested.",
        "- Offer from Fabrikam, thanks in part to you.",
    ]


def test_update_with_nothing_new_prompts_for_news(run, make_vault):
    vault = make_vault({"contacts/jane-doe.md": JANE})
    result = run(vault, "draft", "update", "Jane Doe")
    assert "since we last spoke:" in result.stdout
    assert "- [what happened since then" in result.stdout


def test_drafts_need_the_right_kind_of_note(run, make_vault):
    vault = make_vault({"contacts/jane-doe.md": JANE})
    assert run(vault, "draft", "thank-you", "jane-doe").exit_code == 2
    assert run(vault, "draft", "request", "nobody").exit_code == 2


@pytest.mark.parametrize(
    ("section", "point"),
    [
        ("- [x] a task item\n- b", "a task item"),
        ("First sentence here. Second one.", "First sentence here"),
        ("A [[jane-doe|Jane]] said [this](http://x).", "A Jane said this"),
        ("\n\n", ""),
        ("1. numbered point.\n", "numbered point"),
    ],
)
def test_first_point(section, point):
    assert first_point(section) == point


def test_thank_you_for_an_interview_without_a_valid_date_is_refused(make_vault, run):
    vault = make_vault(
        {
            "contacts/jane.md": "---\ntype: contact\nname: Jane\n---\n",
            "interviews/x.md": '---\ntype: interview\ncontact: "[[jane]]"\ndate: 2026-02-30\n---\n',
        }
    )
    result = run(vault, "draft", "thank-you", "x")
    assert result.exit_code == 2
    assert "no valid 'date'" in result.stderr and result.stdout == ""
