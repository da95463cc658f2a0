"""`infoint log`: one key changes, nothing else in the file."""

from __future__ import annotations

import os

import pytest

from infoint_notes.write import edit
from tests.conftest import vault_files

JANE = (
    "---\r\n"
    "type: contact   # a person\r\n"
    "name: Jane Doe\r\n"
    "requested:\r\n"
    "request_via:\r\n"
    "updates:\r\n"
    "  - 2026-10-01  # after the coffee\r\n"
    "---\r\n"
    "# Jane\r\n"
    "Body text --- kept: as is\r\n"
)
INTERVIEW = """\
---
type: interview
contact: "[[jane-doe]]"
date: 2026-11-19T10:00
thank_you_sent:
---
## Notes
- talked
"""


@pytest.fixture
def vault(make_vault):
    return make_vault(
        {"contacts/jane-doe.md": JANE.encode(), "interviews/2026-11-19-jane.md": INTERVIEW}
    )


def _text(vault, rel):
    return (vault / rel).read_bytes().decode()


@pytest.mark.parametrize(
    ("args", "old", "new"),
    [
        (
            ["thank-you", "2026-11-19-jane"],
            "thank_you_sent:\n",
            "thank_you_sent: 2026-11-20T12:00\n",
        ),
        (
            ["thank-you", "2026-11-19-jane", "--date", "2026-11-19"],
            "thank_you_sent:\n",
            "thank_you_sent: 2026-11-19\n",
        ),
        (
            ["thank-you", "interviews/2026-11-19-jane.md", "--date", "2026-11-19T20:15"],
            "thank_you_sent:\n",
            "thank_you_sent: 2026-11-19T20:15\n",
        ),
        (
            ["thank-you", "2026-11-19-jane", "--now", "2026-11-19T18:00:30+00:00"],
            "thank_you_sent:\n",
            "thank_you_sent: 2026-11-19T13:00\n",  # vault time, to the minute
        ),
        (["done", "2026-11-19-jane"], "thank_you_sent:\n", "thank_you_sent:\nstatus: done\n"),
        (
            ["cancel", "2026-11-19-jane"],
            "thank_you_sent:\n",
            "thank_you_sent:\nstatus: cancelled\n",
        ),
    ],
)
def test_interview_events(run, vault, args, old, new):
    result = run(vault, "log", *args)
    assert result.exit_code == 0, result.stderr
    assert _text(vault, "interviews/2026-11-19-jane.md") == INTERVIEW.replace(old, new)
    assert result.stdout.startswith("interviews/2026-11-19-jane.md: ")


@pytest.mark.parametrize(
    ("args", "old", "new"),
    [
        (
            ["request", "Jane Doe", "--via", "email", "--date", "2026-11-02"],
            "requested:\r\nrequest_via:\r\n",
            "requested: 2026-11-02\r\nrequest_via: email\r\n",
        ),
        (
            ["response", "jane-doe"],
            "---\r\n# Jane",
            "responded: 2026-11-20T12:00\r\n---\r\n# Jane",
        ),
        (
            ["update", "jane-doe"],
            "coffee\r\n",
            "coffee\r\n  - 2026-11-20T12:00\r\n",
        ),
    ],
)
def test_contact_events_keep_crlf_and_comments(run, vault, args, old, new):
    result = run(vault, "log", *args)
    assert result.exit_code == 0, result.stderr
    assert _text(vault, "contacts/jane-doe.md") == JANE.replace(old, new)


def test_update_appends_to_a_flow_list(run, make_vault):
    vault = make_vault(
        {"contacts/a.md": "---\ntype: contact\nname: A\nupdates: [2026-01-01]\n---\n"}
    )
    run(vault, "log", "update", "a", "--date", "2026-02-01")
    assert "updates: [2026-01-01, 2026-02-01]\n" in _text(vault, "contacts/a.md")


def test_logging_twice_changes_nothing_the_second_time(run, vault):
    run(vault, "log", "done", "2026-11-19-jane")
    before = _text(vault, "interviews/2026-11-19-jane.md")
    again = run(vault, "log", "done", "2026-11-19-jane")
    assert again.exit_code == 0
    assert "already recorded" in again.stderr
    assert _text(vault, "interviews/2026-11-19-jane.md") == before


def test_an_overwritten_value_is_reported(run, vault):
    run(vault, "log", "thank-you", "2026-11-19-jane", "--date", "2026-11-19")
    result = run(vault, "log", "thank-you", "2026-11-19-jane", "--date", "2026-11-20", "--force")
    assert result.stdout == (
        "interviews/2026-11-19-jane.md: thank_you_sent: 2026-11-20 (was 2026-11-19)\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["thank-you", "nobody"],
        ["request", "2026-11-19-jane", "--via", "email"],
        ["request", "jane-doe"],  # --via is required
        ["request", "jane-doe", "--via", "pigeon"],
        ["update", "nobody"],
        ["thank-you", "2026-11-19-jane", "--date", "someday"],
        ["thank-you", "2026-11-19-jane", "--date", "2026-11-18"],  # before the interview
        ["done", "2026-11-19-jane", "--date", "2026-11-19"],  # done takes no date
    ],
)
def test_usage_errors_touch_nothing(run, vault, args):
    result = run(vault, "log", *args)
    assert result.exit_code == 2, result.stdout
    assert _text(vault, "contacts/jane-doe.md") == JANE
    assert _text(vault, "interviews/2026-11-19-jane.md") == INTERVIEW


def test_a_file_saved_meanwhile_is_refused_with_exit_1(run, vault, monkeypatch):
    path = vault / "contacts" / "jane-doe.md"
    saved = JANE.replace("Jane Doe", "Jane Q. Doe")
    real = edit.edit_bytes

    def edit_while_someone_saves(raw, changes):
        result = real(raw, changes)
        path.write_bytes(saved.encode())  # the user's editor saves now
        return result

    monkeypatch.setattr(edit, "edit_bytes", edit_while_someone_saves)
    result = run(vault, "log", "update", "jane-doe")
    assert result.exit_code == 1
    assert "changed on disk" in result.stderr
    assert path.read_bytes() == saved.encode()
    assert [name for name in os.listdir(path.parent) if name.endswith(".tmp")] == []


def test_a_note_whose_front_matter_cannot_be_edited_safely_is_refused(run, make_vault):
    note = "---\ntype: contact\nname: A\nupdates: [2026-01-01,\n  2026-02-01]\n---\n"
    vault = make_vault({"contacts/a.md": note})
    result = run(vault, "log", "update", "a")
    assert result.exit_code == 1
    assert "cannot change 'updates'" in result.stderr and "edit it by hand" in result.stderr
    assert _text(vault, "contacts/a.md") == note


def test_update_twice_writes_once_and_a_single_date_becomes_a_list(make_vault, run):
    vault = make_vault(
        {
            "contacts/a.md": "---\ntype: contact\nname: A\nupdates: []\n---\n",
            "contacts/b.md": "---\ntype: contact\nname: B\nupdates: 2026-01-05\n---\n",
        }
    )
    assert run(vault, "log", "update", "a", "--date", "2026-11-20").exit_code == 0
    second = run(vault, "log", "update", "a", "--date", "2026-11-20")
    assert second.exit_code == 0 and "unchanged" in second.stderr
    assert "updates: [2026-11-20]\n" in (vault / "contacts" / "a.md").read_text()
    assert run(vault, "log", "update", "b", "--date", "2026-11-20").exit_code == 0
    assert "updates: [2026-01-05, 2026-11-20]" in (vault / "contacts" / "b.md").read_text()
    assert run(vault, "validate", "--strict").exit_code == 0


def test_a_value_that_stays_the_same_has_no_was(run, make_vault):
    vault = make_vault(
        {
            "contacts/a.md": (
                "---\ntype: contact\nname: A\nrequested: 2026-11-02\nrequest_via: email\n---\n"
            )
        }
    )
    result = run(vault, "log", "request", "a", "--via", "email", "--date", "2026-11-05", "--force")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "contacts/a.md: requested: 2026-11-05 (was 2026-11-02)\ncontacts/a.md: request_via: email\n"
    )


# --- nothing changed: nothing on stdout; a recorded value is kept unless --force (SPEC 4.9) ---


def test_what_is_already_recorded_prints_nothing_as_written(run, make_vault):
    vault = make_vault(
        {
            "contacts/ben.md": (
                "---\ntype: contact\nname: Ben Carter\nrequested: 2026-11-19\nrequest_via: email\n"
                "---\n"
            )
        }
    )
    before = _text(vault, "contacts/ben.md")
    result = run(vault, "log", "request", "ben", "--via", "email", "--date", "2026-11-19")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "already recorded; the note is unchanged\n"
    assert _text(vault, "contacts/ben.md") == before


SENT = """\
---
type: interview
contact: "[[jane-doe]]"
date: 2026-11-05T10:00
thank_you_sent: 2026-11-05T20:00
status: done
---
"""


@pytest.mark.parametrize(
    ("args", "note", "refusal"),
    [
        (
            ["thank-you", "jane-doe", "--date", "2026-11-16T10:00"],
            "interviews/2026-11-05-jane.md",
            "interviews/2026-11-05-jane.md: thank_you_sent is already 2026-11-05T20:00; "
            "nothing written (add --force to replace it with 2026-11-16T10:00)",
        ),
        (
            ["response", "jane-doe", "--date", "2026-11-12"],
            "contacts/jane-doe.md",
            "contacts/jane-doe.md: responded is already 2026-11-03; nothing written "
            "(add --force to replace it with 2026-11-12)",
        ),
        (
            ["request", "jane-doe", "--via", "phone", "--date", "2026-11-12"],
            "contacts/jane-doe.md",
            "contacts/jane-doe.md: requested is already 2026-11-02; nothing written "
            "(add --force to replace it with 2026-11-12)",
        ),
        (
            ["no-show", "jane-doe"],
            "interviews/2026-11-05-jane.md",
            "interviews/2026-11-05-jane.md: status is already done; nothing written "
            "(add --force to replace it with no-show)",
        ),
        (
            ["cancel", "2026-11-05-jane"],
            "interviews/2026-11-05-jane.md",
            "interviews/2026-11-05-jane.md: status is already done; nothing written "
            "(add --force to replace it with cancelled)",
        ),
        (
            ["reschedule", "2026-11-05-jane", "--date", "2026-11-30T10:00"],
            "interviews/2026-11-05-jane.md",
            "interviews/2026-11-05-jane.md: status is already done; nothing written "
            "(add --force to replace it with planned)",
        ),
    ],
    ids=["thank-you", "response", "request", "no-show", "cancel", "reschedule"],
)
def test_a_recorded_date_or_a_held_conversation_is_replaced_only_with_force(
    run, make_vault, args, note, refusal
):
    jane = (
        "---\ntype: contact\nname: Jane Doe\nrequested: 2026-11-02\nrequest_via: email\n"
        "responded: 2026-11-03\n---\n"
    )
    vault = make_vault({"contacts/jane-doe.md": jane, "interviews/2026-11-05-jane.md": SENT})
    before = vault_files(vault)
    refused = run(vault, "log", *args)
    assert refused.exit_code == 2
    assert refused.stdout == ""
    assert refused.stderr == refusal + "\n"
    assert vault_files(vault) == before
    forced = run(vault, "log", *args, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "(was " in forced.stdout
    assert _text(vault, note) != before[note].decode()


def test_the_same_date_again_a_first_date_or_a_correction_needs_no_force(run, make_vault):
    vault = make_vault(
        {
            "contacts/jane-doe.md": "---\ntype: contact\nname: Jane Doe\nresponded:\n---\n",
            "interviews/2026-11-05-jane.md": SENT,
            "interviews/c.md": SENT.replace("status: done", "status: cancelled"),
        }
    )
    again = run(vault, "log", "thank-you", "2026-11-05-jane", "--date", "2026-11-05T20:00")
    assert again.exit_code == 0 and again.stdout == ""
    first = run(vault, "log", "response", "jane-doe")
    assert first.exit_code == 0
    assert first.stdout == "contacts/jane-doe.md: responded: 2026-11-20T12:00\n"
    done = run(vault, "log", "done", "c")  # it took place after all: a correction, not a loss
    assert done.exit_code == 0 and "status: done (was cancelled)" in done.stdout
