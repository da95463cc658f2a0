"""`infoint draft`: the guides' content rules, whatever the template."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infoint_notes.write.drafts import first_point
from infoint_notes.write.spoken import after_colon, full_stop, plain_text, second_person
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
    assert "Dear Jane Doe," in text
    assert "at Contoso Ltd" in text
    assert "particular: the lab runs usability studies every second week." in text
    assert "I will get in touch with Sam Lee and Ana Ruiz." in text
    assert "keep you posted" in text
    assert vault_files(vault) == before  # no writes


def test_thank_you_falls_back_to_reflection_then_leaves_the_point_out(run, make_vault):
    only_reflection = INTERVIEW.replace(
        "- The lab runs **usability studies** every second week.\n- Second point.\n", ""
    )
    vault = make_vault({"contacts/jane-doe.md": JANE, "interviews/i.md": only_reflection})
    assert "particular: I liked it." in run(vault, "draft", "thank-you", "i").stdout
    empty = only_reflection.replace("I liked it. A lot.\n", "")
    (vault / "interviews" / "i.md").write_text(empty.lstrip())
    result = run(vault, "draft", "thank-you", "i")
    # No placeholder but the signature: the line goes, and stderr says what to add.
    assert "particular" not in result.stdout and "[something" not in result.stdout
    assert "nothing under '## Notes' in interviews/i.md" in result.stderr


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


def test_update_with_nothing_new_has_no_placeholder(run, make_vault):
    vault = make_vault(
        {
            "contacts/jane-doe.md": JANE,
            "interviews/i.md": INTERVIEW.replace("2026-11-19T10:00", "2026-10-01T10:00"),
        }
    )
    result = run(vault, "draft", "update", "Jane Doe")
    assert result.exit_code == 0, result.stderr
    assert (
        "I wanted to let you know that your advice from our conversation on October 1 is still"
        in result.stdout
    )
    assert "- " not in result.stdout and "[what happened" not in result.stdout
    assert "infoint new milestone" in result.stderr


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


# --- refusals (SPEC 4.10) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("status: cancelled\n", "was cancelled"),
        ("status: no-show\n", "is a no-show"),
        ("date: 2026-11-23T10:00\n", "has not started yet (it is on 2026-11-23 10:00)"),
        ("date: 2026-11-23\n", "has not started yet (it is on 2026-11-23)"),
    ],
)
def test_a_thank_you_for_a_conversation_that_did_not_happen_is_refused(
    run, make_vault, change, reason
):
    interview = INTERVIEW.replace("date: 2026-11-19T10:00\n", "").replace(
        "type: interview\n", f"type: interview\ndate: 2026-11-19T10:00\n{change}"
    )
    if change.startswith("date"):
        interview = interview.replace("date: 2026-11-19T10:00\n", "", 1)
    vault = make_vault({"contacts/jane-doe.md": JANE, "interviews/i.md": interview})
    result = run(vault, "draft", "thank-you", "i")
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert reason in line and "interviews/i.md" in line and "--force" in line
    forced = run(vault, "draft", "thank-you", "i", "--force")
    assert forced.exit_code == 0 and "Dear Jane Doe," in forced.stdout


def test_a_thank_you_once_the_interview_has_started_is_drafted(run, make_vault):
    started = INTERVIEW.replace("2026-11-19T10:00", "2026-11-20T11:45\nstatus: planned")
    vault = make_vault({"contacts/jane-doe.md": JANE, "interviews/i.md": started})
    assert run(vault, "draft", "thank-you", "i").exit_code == 0


@pytest.mark.parametrize(
    "interviews",
    [
        {},
        {"interviews/i.md": INTERVIEW.replace("2026-11-19T10:00", "2026-11-25T10:00")},
        {"interviews/i.md": INTERVIEW.replace("date:", "status: cancelled\ndate:")},
    ],
)
def test_an_update_to_someone_never_talked_to_is_refused(run, make_vault, interviews):
    vault = make_vault({"contacts/jane-doe.md": JANE, **interviews})
    result = run(vault, "draft", "update", "jane-doe")
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert "not talked with Jane Doe" in line and "--force" in line
    assert "your advice" not in result.stderr
    assert run(vault, "draft", "update", "jane-doe", "--force").exit_code == 0


# --- the referral that introduced them (item 3) --------------------------------------------

GRACE = "---\ntype: contact\nname: Grace Liu\norganization: Fabrikam\nsource: referral\n---\n"


@pytest.mark.parametrize(
    ("referral", "named"),
    [
        ("  - name: Grace Liu\n    may_use_name: true\n", True),
        ('  - name: "[[grace-liu]]"\n    may_use_name: true\n', True),
        ("  - name: grace liu\n    organization: Fabrikam\n    may_use_name: true\n", True),
        ("  - name: Grace Liu\n    may_use_name: false\n", False),
        ("  - name: Grace Liu\n", False),
        ('  - "[[grace-liu]]"\n', False),
    ],
)
def test_request_names_the_interviewee_whose_referral_allows_it(run, make_vault, referral, named):
    interview = (
        '---\ntype: interview\ncontact: "[[jane-doe]]"\ndate: 2026-11-10T10:00\n'
        f"referrals:\n{referral}---\n"
    )
    vault = make_vault(
        {
            "contacts/jane-doe.md": JANE,
            "contacts/grace-liu.md": GRACE,
            "interviews/2026-11-10-jane.md": interview,
        }
    )
    result = run(vault, "draft", "request", "grace-liu")
    assert result.exit_code == 0, result.stderr
    assert ("Jane Doe suggested I get in touch with you." in result.stdout) is named
    assert ("Jane" in result.stdout) is named


def test_referrer_ok_false_keeps_that_referrer_unnamed_whatever_the_interview_says(run, make_vault):
    interview = (
        '---\ntype: interview\ncontact: "[[jane-doe]]"\ndate: 2026-11-10T10:00\n'
        "referrals:\n  - name: Grace Liu\n    may_use_name: true\n---\n"
    )
    sam = "---\ntype: contact\nname: Sam Lee\n---\n"
    sam_interview = interview.replace("jane-doe", "sam-lee").replace("11-10", "11-12")
    grace = GRACE.replace("source: referral\n", 'referred_by: "[[jane-doe]]"\nreferrer_ok: false\n')
    vault = make_vault(
        {
            "contacts/jane-doe.md": JANE,
            "contacts/sam-lee.md": sam,
            "contacts/grace-liu.md": grace,
            "interviews/a.md": interview,
            "interviews/b.md": sam_interview,
        }
    )
    text = run(vault, "draft", "request", "grace-liu").stdout
    assert "Sam Lee suggested I get in touch with you." in text
    assert "Jane" not in text


# --- names, me:, the five-point email (items 4, 5) -------------------------------------------

ME = (
    "timezone: America/New_York\n"
    "me:\n"
    "  name: Ana Ruiz\n"
    "  email: ana.ruiz@example.com\n"
    '  phone: "+1 555 0100"\n'
    "  school: UMBC, M.S. Information Systems\n"
    "  pitch: a move from teaching into UX research\n"
)
ELENA = (
    "---\ntype: contact\nname: Dr. Elena Álvarez\norganization: Fabrikam\n"
    "field: user research\nsource: alumni\n---\n"
)


@pytest.mark.parametrize(
    ("salutation", "greeting"),
    [
        ("", "Dear Dr. Álvarez,"),
        ("salutation: formal\n", "Dear Dr. Álvarez,"),
        ("salutation: first-name\n", "Hi Elena,"),
    ],
)
def test_drafts_greet_by_the_parsed_name(run, make_vault, salutation, greeting):
    vault = make_vault({"contacts/elena.md": ELENA}, config=ME + salutation)
    lines = run(vault, "draft", "request", "elena").stdout.split("\n")
    assert lines[2] == greeting
    assert "Dr.," not in "\n".join(lines)


def _body_words(text: str) -> list[str]:
    """The words between the greeting and the signature."""
    lines = text.rstrip("\n").split("\n")
    body = lines[3 : lines.index("Best regards,") + 1]
    return " ".join(body).split()


def test_request_is_a_five_point_email_signed_by_me(run, make_vault):
    vault = make_vault(
        {
            "contacts/jane-doe.md": JANE,
            "contacts/elena.md": ELENA.replace(
                "source: alumni\n",
                'source: alumni\nreferred_by: "[[jane-doe]]"\nreferrer_ok: true\n',
            ),
        },
        config=ME,
    )
    result = run(vault, "draft", "request", "elena")
    assert result.exit_code == 0 and result.stderr == ""
    text = result.stdout
    paragraphs = text.split("\n\n")
    # The connection first: the referrer, then the shared school.
    assert paragraphs[2] == (
        "Jane Doe suggested I get in touch with you. I found you through the UMBC alumni network."
    )
    assert "I am exploring a move from teaching into UX research." in paragraphs[3]
    assert "insight" in paragraphs[3]
    assert text.lower().count("job") == 1 and "not asking for a job" in text
    assert "15–20 minutes at your convenience" in text and "?" in paragraphs[4]
    assert len(_body_words(text)) <= 100
    assert text.endswith(
        "Best regards,\nAna Ruiz\nUMBC, M.S. Information Systems\n"
        "ana.ruiz@example.com · +1 555 0100\n"
    )
    assert "[" not in text


def test_without_me_the_name_is_the_only_placeholder_and_stderr_says_so(run, make_vault):
    vault = make_vault(
        {
            "contacts/jane-doe.md": JANE,
            "contacts/sam-lee.md": _sam("true"),
            "interviews/2026-11-19-jane-doe.md": INTERVIEW,
        }
    )
    for args in (
        ("request", "sam-lee"),
        ("thank-you", "2026-11-19-jane-doe"),
        ("update", "jane-doe"),
    ):
        result = run(vault, "draft", *args)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.endswith("\n[your name]\n")
        assert result.stdout.count("[") == 1, result.stdout
        assert "set 'me: name:' in infoint.yaml" in result.stderr


def test_a_template_from_before_me_signs_with_the_name(run, make_vault):
    old = "Subject: Hello\n\nDear {{first_name}},\n\nHi.\n\nBest regards,\n[your name]\n"
    vault = make_vault({"contacts/elena.md": ELENA, "templates/message-request.md": old}, config=ME)
    assert run(vault, "draft", "request", "elena").stdout == (
        "Hello\n\nDear Elena,\n\nHi.\n\nBest regards,\nAna Ruiz\n"
    )


def test_a_pitch_written_as_a_sentence_is_kept(run, make_vault):
    config = ME.replace(
        "pitch: a move from teaching into UX research", "pitch: I'm moving from teaching to UX."
    )
    vault = make_vault({"contacts/elena.md": ELENA}, config=config)
    text = run(vault, "draft", "request", "elena").stdout
    assert "\nI'm moving from teaching to UX. I would value" in text


# --- the specific point, said to them (item 6) ----------------------------------------------


def _thank_you_for(run, make_vault, note: str) -> str:
    """The thank-you to Elena for an interview whose notes say `note`."""
    interview = (
        '---\ntype: interview\ncontact: "[[elena]]"\ndate: 2026-11-19T10:00\n---\n'
        f"## Notes\n- {note}\n"
    )
    vault = make_vault({"contacts/elena.md": ELENA, "interviews/i.md": interview}, config=ME)
    return run(vault, "draft", "thank-you", "i").stdout


@pytest.mark.parametrize(
    ("note", "said"),
    [
        (
            "She runs *usability* studies every second week.",
            "you run usability studies every second week",
        ),
        ("**Elena's** team doesn't hire juniors", "your team doesn't hire juniors"),
        ("Dr. Álvarez said: _learn SQL first_", "you said: learn SQL first"),
        ("Usability studies every ==second== week", "usability studies every second week"),
        ("UX research is booming", "UX research is booming"),
        ("Fabrikam hires twice a year", "Fabrikam hires twice a year"),
        (
            "I asked her about [[mentoring|mentors]]; she's been one for years",
            "I asked you about mentors; you've been one for years",
        ),
    ],
)
def test_the_specific_point_is_said_to_them_in_plain_text(run, make_vault, note, said):
    text = _thank_you_for(run, make_vault, note)
    assert f"One thing I am taking away in particular: {said}.\n" in text


def test_a_request_longer_than_the_five_point_email_is_said(run, make_vault):
    pitch = "a move " + "from one long thing into another " * 10
    vault = make_vault(
        {"contacts/elena.md": ELENA},
        config=ME.replace("a move from teaching into UX research", pitch.strip()),
    )
    result = run(vault, "draft", "request", "elena")
    assert result.exit_code == 0
    assert "keeps to 100" in result.stderr and "me: pitch:" in result.stderr
    short = make_vault({"contacts/elena.md": ELENA}, config=ME)
    assert run(short, "draft", "request", "elena").stderr == ""


@settings(max_examples=200, deadline=None)
@given(note=st.text(max_size=80), person=st.text(max_size=30))
def test_any_note_and_any_name_make_a_point_without_failing(note, person):
    said = after_colon(second_person(plain_text(note), person), ["UMBC"])
    assert "\n" not in said


# --- sentences end once, whatever the note's grammar (SPEC 4.10) ------------------------------


@pytest.mark.parametrize(
    ("note", "said"),
    [
        (
            "Should I learn SQL before applying, months ahead?",
            "should I learn SQL before applying, months ahead?",
        ),
        ('She said: "data beats opinions."', 'you said: "data beats opinions."'),
        ("Hiring slows down in summer!", "hiring slows down in summer."),
        ("Her team ships weekly —", "your team ships weekly."),
        ("Budgets are planned in Q3…", "budgets are planned in Q3…"),
    ],
)
def test_the_specific_point_ends_its_sentence_once(run, make_vault, note, said):
    text = _thank_you_for(run, make_vault, note)
    assert f"One thing I am taking away in particular: {said}\n" in text


FABRIKAM_INC = (
    "---\ntype: contact\nname: Sam Lee Jr.\norganization: Fabrikam, Inc.\nsource: linkedin\n---\n"
)


def test_a_name_that_ends_in_a_period_ends_the_sentence_once(run, make_vault):
    """ "your work at Fabrikam, Inc.", not "Fabrikam, Inc.."; "Sam Lee Jr.", not "Jr..",
    in the built-in template and in one the user wrote ({{specific}}. and {{name}}.)."""
    interview = (
        '---\ntype: interview\ncontact: "[[sam]]"\ndate: 2026-11-19T10:00\n'
        'referrals: ["[[sam]]"]\n---\n## Notes\n- Is it worth a certificate?\n'
    )
    vault = make_vault({"contacts/sam.md": FABRIKAM_INC, "interviews/i.md": interview}, config=ME)
    text = run(vault, "draft", "thank-you", "i", "--force").stdout
    assert "about your work at Fabrikam, Inc.\n" in text
    assert "I will get in touch with Sam Lee Jr.\n" in text
    assert ".." not in text and "?." not in text
    (vault / "templates").mkdir()
    (vault / "templates/message-thank-you.md").write_text(
        "Thanks\n\nYou work at {{organization}}. You said: {{specific}}. Bye {{name}}!\n"
    )
    text = run(vault, "draft", "thank-you", "i", "--force").stdout
    assert text == (
        "Thanks\n\nYou work at Fabrikam, Inc. You said: is it worth a certificate? "
        "Bye Sam Lee Jr.!\n"
    )


def test_request_and_update_end_their_sentences_once(run, make_vault):
    config = ME.replace("a move from teaching into UX research", 'a move into "design ops."')
    vault = make_vault(
        {
            "contacts/elena.md": ELENA.replace("Fabrikam", "Fabrikam, Inc."),
            "contacts/sam.md": FABRIKAM_INC.replace("Fabrikam, Inc.", "''"),
            "interviews/2026-10-01-elena.md": (
                '---\ntype: interview\ncontact: "[[elena]]"\ndate: 2026-10-01T10:00\n---\n'
            ),
            "interviews/2026-11-10-sam.md": (
                '---\ntype: interview\ncontact: "[[sam]]"\ndate: 2026-11-10T10:00\n---\n'
            ),
            "milestones/m.md": (
                "---\ntype: milestone\ndate: 2026-11-15\nsummary: Second round at Contoso?\n---\n"
            ),
            "milestones/n.md": (
                "---\ntype: milestone\ndate: 2026-11-16\nsummary: Offer from Fabrikam?\n"
                'thanks: ["[[elena]]"]\n---\n'
            ),
        },
        config=config,
    )
    request = run(vault, "draft", "request", "elena").stdout
    assert 'I am exploring a move into "design ops." I would value' in request
    update = run(vault, "draft", "update", "elena").stdout
    news = [line for line in update.split("\n") if line.startswith("- ")]
    assert news == [
        "- I had an informational interview with Sam Lee Jr.",
        "- Second round at Contoso?",
        "- Offer from Fabrikam? Thanks in part to you.",
    ]


@settings(max_examples=300, deadline=None)
@given(note=st.text(max_size=60))
def test_a_point_made_a_sentence_ends_with_one_mark(note):
    point = first_point(f"- {note}")
    if not point.strip(" ,;:-–—"):
        return
    sentence = full_stop(f"One thing: {point}")
    assert re.search(r"[.!?…][\"'”’»]*\Z", sentence)
    assert not re.search(r"[.!?…][\"'”’»]*\.\Z", sentence)


def test_drafts_name_the_organization_as_its_note_does(run, make_vault):
    """SPEC 3.3: "Fabrikam, Inc." is the organization note "Fabrikam"; drafts say its name."""
    interview = '---\ntype: interview\ncontact: "[[sam]]"\ndate: 2026-11-19T10:00\n---\n'
    vault = make_vault(
        {
            "contacts/sam.md": FABRIKAM_INC,
            "organizations/fabrikam.md": "---\ntype: organization\nname: Fabrikam\n---\n",
            "interviews/i.md": interview,
        },
        config=ME,
    )
    assert "about your work at Fabrikam.\n" in run(vault, "draft", "thank-you", "i").stdout
