"""`infoint validate --fix`: quote unquoted wikilinks and phone numbers, nothing else."""

from __future__ import annotations

import difflib

CONTACT = (
    "---\n"
    "type: contact\n"
    "name: Ann\n"
    "referred_by: [[jane-doe]]   # met at the meetup\n"
    "phone: 0049301234\n"
    "mobile: 0123\n"
    "---\n"
    "Body: [[jane-doe]] and phone: 0123\n"
)
JANE = "---\ntype: contact\nname: Jane Doe\n---\n"
MILESTONE = (
    "---\r\n"
    "type: milestone\r\n"
    "date: 2026-11-01\r\n"
    "summary: Offer\r\n"
    "thanks:\r\n"
    "  - [[jane-doe]]\r\n"
    '  - "[[ann]]"\r\n'
    "  - [[ann|Ann]]  # both\r\n"
    "---\r\n"
)


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.ndiff(before.splitlines(True), after.splitlines(True))
        if line[:1] in "+-"
    ]


def test_fix_quotes_links_and_phones_with_minimal_diffs(run, make_vault):
    vault = make_vault(
        {
            "contacts/ann.md": CONTACT,
            "contacts/jane-doe.md": JANE,
            "milestones/m.md": MILESTONE.encode(),
        }
    )
    result = run(vault, "validate", "--fix")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines()[:5] == [
        "contacts/ann.md:4: quoted wikilink in referred_by",
        "contacts/ann.md:5: quoted phone number in phone",
        "milestones/m.md:6: quoted wikilink in thanks",
        "milestones/m.md:8: quoted wikilink in thanks",
        "fixed 4 problems in 2 notes",
    ]
    ann = (vault / "contacts" / "ann.md").read_text()
    assert sorted(_changed_lines(CONTACT, ann)) == [
        '+ phone: "0049301234"\n',
        '+ referred_by: "[[jane-doe]]"   # met at the meetup\n',
        "- phone: 0049301234\n",
        "- referred_by: [[jane-doe]]   # met at the meetup\n",
    ]
    assert "mobile: 0123\n" in ann  # not a field infoint knows: left alone
    milestone = (vault / "milestones" / "m.md").read_bytes().decode()
    assert milestone == MILESTONE.replace("  - [[jane-doe]]", '  - "[[jane-doe]]"').replace(
        "  - [[ann|Ann]]", '  - "[[ann|Ann]]"'
    )


def test_fix_is_idempotent(run, make_vault):
    vault = make_vault({"contacts/ann.md": CONTACT, "contacts/jane-doe.md": JANE})
    run(vault, "validate", "--fix")
    once = (vault / "contacts" / "ann.md").read_bytes()
    again = run(vault, "validate", "--fix", "--strict")
    assert again.exit_code == 0
    assert "fixed" not in again.stderr
    assert (vault / "contacts" / "ann.md").read_bytes() == once


def test_remaining_problems_are_reported_as_usual(run, make_vault):
    vault = make_vault({"contacts/ann.md": CONTACT.replace("name: Ann\n", "")})
    result = run(vault, "validate", "--fix", "--format", "json")
    assert result.exit_code == 1
    codes = {item["code"] for item in __import__("json").loads(result.stdout)}
    assert codes == {"missing-field", "broken-link"}  # no unquoted-wikilink, no phone


def test_fix_only_touches_the_given_paths(run, make_vault):
    vault = make_vault(
        {
            "contacts/ann.md": CONTACT,
            "contacts/bob.md": CONTACT.replace("Ann", "Bob"),
            "contacts/jane-doe.md": JANE,
        }
    )
    run(vault, "validate", "--fix", str(vault / "contacts" / "bob.md"))
    assert (vault / "contacts" / "ann.md").read_text() == CONTACT
    assert '"[[jane-doe]]"' in (vault / "contacts" / "bob.md").read_text()


def test_a_link_on_its_own_line_is_fixed_too(run, make_vault):
    note = "---\ntype: contact\nname: A\nreferred_by:\n  [[jane-doe]]\nx: ~\n---\n"
    vault = make_vault({"contacts/a.md": note, "contacts/jane-doe.md": JANE})
    assert run(vault, "validate", "--fix").exit_code == 0
    assert (vault / "contacts" / "a.md").read_text() == (
        '---\ntype: contact\nname: A\nreferred_by: "[[jane-doe]]"\nx: ~\n---\n'
    )


def test_an_unfixable_note_is_reported_left_alone_and_exit_1(run, make_vault):
    # The comment inside the value would be lost, and ruamel would rewrite `x: ~`.
    note = "---\ntype: contact\nname: A\nreferred_by:\n  # who\n  [[jane-doe]]\nx: ~\n---\n"
    vault = make_vault({"contacts/a.md": note, "contacts/jane-doe.md": JANE})
    result = run(vault, "validate", "--fix")
    assert result.exit_code == 1
    assert "contacts/a.md: not fixed: cannot change 'referred_by'" in result.stderr
    assert "unquoted-wikilink" in result.stdout
    assert (vault / "contacts" / "a.md").read_text() == note


OTHER_PHONES = (
    "---\n"
    "type: contact\n"
    "name: Ann\n"
    "other_phones: [0049301234, '+1 555 0100', 0123 ]  # work, home\n"
    "other_emails: [1]\n"
    "---\n"
)
BLOCK_PHONES = (
    "---\r\n"
    "type: contact\r\n"
    "name: Bo\r\n"
    "other_phones:\r\n"
    "  - 0049301234  # home\r\n"
    '  - "030 1234"\r\n'
    "  -   +4930\r\n"
    "---\r\n"
)


def test_fix_quotes_numbers_in_other_phones_as_written(run, make_vault):
    vault = make_vault({"contacts/ann.md": OTHER_PHONES, "contacts/bo.md": BLOCK_PHONES.encode()})
    assert [
        line for line in run(vault, "validate").stdout.splitlines() if "other_phones" in line
    ] == [
        "contacts/ann.md:4:16: error bad-value: 'other_phones' items must be text, not "
        "49301234; quote it as written (infoint validate --fix does)",
        "contacts/ann.md:4:43: error bad-value: 'other_phones' items must be text, not "
        "123; quote it as written (infoint validate --fix does)",
        "contacts/bo.md:5:5: error bad-value: 'other_phones' items must be text, not "
        "49301234; quote it as written (infoint validate --fix does)",
        "contacts/bo.md:7:7: error bad-value: 'other_phones' items must be text, not "
        "4930; quote it as written (infoint validate --fix does)",
    ]
    result = run(vault, "validate", "--fix")
    assert result.stderr.splitlines()[:5] == [
        "contacts/ann.md:4: quoted phone number in other_phones",
        "contacts/ann.md:4: quoted phone number in other_phones",
        "contacts/bo.md:5: quoted phone number in other_phones",
        "contacts/bo.md:7: quoted phone number in other_phones",
        "fixed 4 problems in 2 notes",
    ]
    # Only the numbers' quoting changed: digits, leading zeros, `+`, comments all kept.
    assert (vault / "contacts/ann.md").read_text() == OTHER_PHONES.replace(
        "[0049301234, '+1 555 0100', 0123 ]", '["0049301234", \'+1 555 0100\', "0123" ]'
    )
    assert (vault / "contacts/bo.md").read_bytes() == BLOCK_PHONES.replace(
        "- 0049301234", '- "0049301234"'
    ).replace("-   +4930", '-   "+4930"').encode()
    # `other_emails: [1]` is no phone number: reported, never guessed at.
    assert run(vault, "validate").stdout == (
        "contacts/ann.md:5:16: error bad-value: 'other_emails' items must be text, not 1; "
        "quote it\n"
    )
    exported = run(vault, "export", "contacts", "--format", "json").stdout
    assert '"0049301234"' in exported and "49301234," not in exported
