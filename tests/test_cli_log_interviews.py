"""`infoint log` on interviews (SPEC 4.9): refusals before the interview, a contact in
place of their interview, follow-up, no-show and reschedule, and what the agenda says
afterwards. NOW (conftest) is Friday 2026-11-20 12:00 in New York."""

from __future__ import annotations

import json

import pytest

from tests.conftest import vault_files

PRIYA = "---\ntype: contact\nname: Priya Natarajan\norganization: Contoso\n---\n"


def _interview(day: str, extra: str = "") -> str:
    return f'---\ntype: interview\ncontact: "[[priya-natarajan]]"\ndate: {day}\n{extra}---\n'


@pytest.fixture
def vault(make_vault):
    return make_vault(
        {
            "contacts/priya-natarajan.md": PRIYA,
            "interviews/2026-11-01-priya.md": _interview(
                "2026-11-01T10:00", "thank_you_sent: 2026-11-01\n"
            ),
            "interviews/2026-11-19-priya.md": _interview("2026-11-19T10:00"),
            "interviews/2026-11-25-priya.md": _interview("2026-11-25T10:00"),
            "interviews/2026-12-05-priya.md": _interview("2026-12-05", "status: planned\n"),
        }
    )


def _front(vault, rel):
    return (vault / rel).read_text(encoding="utf-8").split("---\n")[1]


def _agenda(run, vault):
    result = run(vault, "agenda", "--all", "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _ics(run, vault):
    return run(vault, "agenda", "--all", "--format", "ics").stdout.splitlines()


@pytest.mark.parametrize("event", ["done", "thank-you", "no-show"])
def test_an_interview_that_has_not_started_is_refused_until_forced(run, vault, event):
    before = vault_files(vault)
    refused = run(vault, "log", event, "2026-11-25-priya")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "interviews/2026-11-25-priya.md has not started yet (it starts Wed 25 Nov 2026 "
        f"10:00); nothing written. Log {event} once it has, or add --force to record it "
        "anyway\n"
    )
    assert vault_files(vault) == before
    if event == "thank-you":  # forced, it still needs a date after the start
        forced = run(vault, "log", event, "2026-11-25-priya", "--force", "--date", "+5d")
    else:
        forced = run(vault, "log", event, "2026-11-25-priya", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert vault_files(vault) != before


def test_a_thank_you_before_the_interview_names_its_start_for_people(run, vault):
    result = run(vault, "log", "thank-you", "2026-11-19-priya", "--date", "2026-11-18")
    assert result.exit_code == 2
    assert "the interview starts Thu 19 Nov 2026 10:00;" in result.stderr
    assert "T10:00:00" not in result.stderr


def test_a_date_only_interview_has_started_on_its_day(run, make_vault):
    vault = make_vault(
        {
            "contacts/priya-natarajan.md": PRIYA,
            "interviews/2026-11-20-priya.md": _interview("2026-11-20"),
            "interviews/2026-11-21-priya.md": _interview("2026-11-21"),
        }
    )
    assert run(vault, "log", "done", "2026-11-20-priya").exit_code == 0
    tomorrow = run(vault, "log", "done", "2026-11-21-priya")
    assert tomorrow.exit_code == 2
    assert "(it starts Sat 21 Nov 2026)" in tomorrow.stderr


def test_a_contact_means_their_latest_started_interview_for_done(run, vault):
    result = run(vault, "log", "done", "priya-natarajan")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "interviews/2026-11-19-priya.md: status: done\n"


def test_a_contact_means_their_next_planned_interview_for_cancel(run, vault):
    result = run(vault, "log", "cancel", "Priya Natarajan")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "interviews/2026-11-25-priya.md: status: cancelled\n"


def test_draft_thank_you_takes_the_contact(run, vault):
    result = run(vault, "draft", "thank-you", "priya-natarajan")
    assert result.exit_code == 0, result.stderr
    assert "November 19" in result.stdout


@pytest.mark.parametrize(
    ("days", "event", "expected"),
    [
        # Only interviews ahead: the next one, refused as not started (with --force).
        (["2026-11-25T10:00"], "done", "interviews/2026-11-25-priya.md has not started yet"),
        (
            [],
            "done",
            "Priya Natarajan (contacts/priya-natarajan.md) has no interview yet; create one: "
            "infoint new interview priya-natarajan --date T\n",
        ),
        (["2026-11-19T10:00"], "cancel", "Priya Natarajan has no planned interview (the latest, "),
    ],
)
def test_a_contact_without_such_an_interview_says_what_to_do(
    run, make_vault, days, event, expected
):
    files = {f"interviews/{day[:10]}-priya.md": _interview(day) for day in days}
    vault = make_vault({"contacts/priya-natarajan.md": PRIYA, **files})
    result = run(vault, "log", event, "priya-natarajan")
    assert result.exit_code == 2
    assert result.stderr.startswith(expected)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["log", "done", "priya-natarjan"], "did you mean priya-natarajan (Priya Natarajan)?"),
        (["draft", "thank-you", "Priya Natarjan"], "did you mean priya-natarajan"),
        (["show", "2026-11-19-priy"], "did you mean 2026-11-19-priya"),
        (["log", "request", "2026-11-19-priya", "--via", "email"], "is an interview"),
    ],
)
def test_an_argument_that_matches_nothing_suggests_the_closest(run, vault, args, expected):
    result = run(vault, *args)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert run(vault, "show", "zzz").stderr == "no note matches 'zzz'\n"  # nothing is close


def test_follow_up_clears_confirm_by_phone_and_keeps_requested(run, make_vault):
    contact = (
        "---\ntype: contact\nname: Sam Lee\nphone: '555 0100'\nrequested: 2026-11-10\n"
        "request_via: email\n---\n"
    )
    vault = make_vault({"contacts/sam-lee.md": contact})
    [before] = _agenda(run, vault)
    assert before["kind"] == "follow-up-request" and "confirm by phone" in before["text"]
    uid = [line for line in _ics(run, vault) if line.startswith("UID:")]
    result = run(vault, "log", "follow-up", "sam-lee", "--via", "phone", "--date", "-1d")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "contacts/sam-lee.md: followed_up: 2026-11-19\n"
    text = (vault / "contacts/sam-lee.md").read_text(encoding="utf-8")
    assert text == contact.replace("email\n---", "email\nfollowed_up: [2026-11-19]\n---")
    [after] = _agenda(run, vault)
    assert after["kind"] == "follow-up-request"
    assert "confirm by phone" not in after["text"]
    assert "your follow-up of 2026-11-19" in after["text"]
    assert (after["due"], after["overdue"]) == ("2026-11-24", False)
    # The calendar's to-do moves (same UID) rather than vanishing unfinished.
    assert [line for line in _ics(run, vault) if line.startswith("UID:")] == uid
    stats = run(vault, "stats", "--json")
    assert stats.exit_code == 0  # `requested` untouched: nothing skews


def test_no_show_leaves_no_agenda_items(run, make_vault):
    vault = make_vault(
        {
            "contacts/priya-natarajan.md": PRIYA,
            "interviews/2026-11-19-priya.md": _interview("2026-11-19T10:00"),
        }
    )
    assert any(item["kind"] == "thank-you" for item in _agenda(run, vault))
    result = run(vault, "log", "no-show", "priya-natarajan")
    assert result.exit_code == 0, result.stderr
    assert "status: no-show\n" in _front(vault, "interviews/2026-11-19-priya.md")
    assert [item for item in _agenda(run, vault) if item["note"].startswith("interviews/")] == []


def test_reschedule_moves_the_interview_and_plans_it_again(run, vault):
    result = run(vault, "log", "reschedule", "priya-natarajan", "--date", "friday 2pm")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "interviews/2026-11-25-priya.md: date: 2026-11-27T14:00 (was 2026-11-25T10:00)\n"
        "interviews/2026-11-25-priya.md: status: planned\n"
    )
    assert _front(vault, "interviews/2026-11-25-priya.md") == (
        'type: interview\ncontact: "[[priya-natarajan]]"\ndate: 2026-11-27T14:00\nstatus: planned\n'
    )
    dues = [
        item["due"]
        for item in _agenda(run, vault)
        if item["note"] == "interviews/2026-11-25-priya.md"
    ]
    assert "2026-11-27T14:00:00-05:00" in dues


def test_reschedule_needs_a_date(run, vault):
    result = run(vault, "log", "reschedule", "priya-natarajan")
    assert result.exit_code == 2
    assert "--date" in result.stderr
