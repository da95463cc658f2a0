"""`infoint agenda` end to end: every option, the output formats, exit codes, the demo."""

from __future__ import annotations

import json
import os
import time
from datetime import timedelta

import icalendar
import pytest
from click.testing import CliRunner

from infoint_notes.cli import cli
from infoint_notes.rules.agenda import KINDS

FILES = {
    "contacts/jane-doe.md": "---\ntype: contact\nname: Jane Doe\n---\n",
    "contacts/sam-lee.md": (
        "---\ntype: contact\nname: Sam Lee\nrequested: 2026-11-10\nrequest_via: email\n---\n"
    ),
    "contacts/ann-park.md": "---\ntype: contact\nname: Ann Park\n---\n",
    # Done yesterday: thank-you due today 15:00, reflection tomorrow, referral in a week.
    "interviews/2026-11-19-jane-doe.md": (
        '---\ntype: interview\ncontact: "[[jane-doe]]"\ndate: 2026-11-19T14:00\n'
        "duration: 60\nreferrals:\n  - name: Priya Patel\n    may_use_name: true\n---\n"
    ),
    # Planned in ten days, prepared: only the interview itself, outside the 7 days.
    "interviews/2026-11-30-ann-park.md": (
        '---\ntype: interview\ncontact: "[[ann-park]]"\ndate: 2026-11-30T10:00\n---\n'
        "## Preparation\n- [x] Research\n\n## Questions\n"
        + "".join(f"- What about topic {n}?\n" for n in range(5))
    ),
}


@pytest.fixture
def vault(make_vault):
    return make_vault(FILES)


def items(run, vault, *args):
    result = run(vault, "agenda", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def kinds(found):
    return [item["kind"] for item in found]


def test_json_has_exactly_the_spec_keys_in_spec_order(run, vault):
    found = items(run, vault)
    assert kinds(found) == ["follow-up-request", "thank-you", "reflect", "contact-referral"]
    assert all(
        list(item) == ["kind", "due", "overdue", "note", "contact", "text"] for item in found
    )
    assert found[0] == {
        "kind": "follow-up-request",
        "due": "2026-11-15",
        "overdue": True,
        "note": "contacts/sam-lee.md",
        "contact": "sam-lee",
        "text": "No answer from Sam Lee since your request of 2026-11-10 by email: "
        "confirm by phone",
    }
    assert found[3]["contact"] is None


def test_now_option_and_environment(run, vault):
    # INFOINT_NOW (2026-11-20T12:00, set by the fixture) is used without --now.
    assert [item["overdue"] for item in items(run, vault)][1] is False
    later = items(run, vault, "--now", "2026-11-20T15:00:01")
    assert later[1]["kind"] == "thank-you" and later[1]["overdue"] is True
    result = run(vault, "agenda", "--json", env={"INFOINT_NOW": "2026-11-22T09:00"})
    assert [item["overdue"] for item in json.loads(result.stdout)][:3] == [True, True, True]


def test_bad_now_is_a_usage_error(run, vault):
    result = run(vault, "agenda", "--now", "soon")
    assert result.exit_code == 2 and "--now" in result.stderr


def test_within_all_and_kind(run, vault):
    # The horizon is now + DAYS: with 0 only what is already due shows.
    assert kinds(items(run, vault, "--within", "0")) == ["follow-up-request"]
    assert kinds(items(run, vault, "--within", "1")) == ["follow-up-request", "thank-you"]
    assert "interview" not in kinds(items(run, vault))
    assert kinds(items(run, vault, "--within", "10"))[-1] == "interview"
    everything = kinds(items(run, vault, "--all"))
    assert everything[-2:] == ["interview", "keep-in-touch"]
    picked = items(run, vault, "--all", "--kind", "thank-you", "--kind", "interview")
    assert kinds(picked) == ["thank-you", "interview"]


def test_unknown_kind_and_negative_within_are_usage_errors(run, vault):
    assert run(vault, "agenda", "--kind", "party").exit_code == 2
    assert run(vault, "agenda", "--within", "-1").exit_code == 2


def test_check_exits_1_only_when_a_shown_item_is_overdue(run, vault):
    assert run(vault, "agenda", "--check").exit_code == 1
    assert run(vault, "agenda", "--check", "--kind", "thank-you").exit_code == 0
    late = run(vault, "agenda", "--check", "--kind", "thank-you", "--now", "2026-11-20T15:01")
    assert late.exit_code == 1
    assert run(vault, "agenda", "--kind", "follow-up-request").exit_code == 0


def test_text_groups_items_with_relative_times_and_paths(run, vault):
    result = run(vault, "agenda")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Overdue (1)",
        "  - No answer from Sam Lee since your request of 2026-11-10 by email: confirm by phone",
        "    5 days overdue (2026-11-15) · follow-up-request · contacts/sam-lee.md",
        "",
        "Today (1)",
        "  - Send Jane Doe a thank-you note (interview 2026-11-19)",
        "    due in 3 h (2026-11-20 15:00) · thank-you · interviews/2026-11-19-jane-doe.md",
        "",
        "This week (2)",
        "  - Write your reflection on the conversation with Jane Doe (interview 2026-11-19)",
        "    due in 27 h (2026-11-21 15:00) · reflect · interviews/2026-11-19-jane-doe.md",
        "  - Contact Priya Patel, suggested by Jane Doe; you may mention Jane Doe's name",
        "    due in 6 days (2026-11-26 15:00) · contact-referral · "
        "interviews/2026-11-19-jane-doe.md",
    ]
    assert result.stderr == "4 items, 1 overdue; 2 more due later (--all shows them)\n"
    later = run(vault, "agenda", "--all").stdout
    assert "Later (2)" in later and "due in 10 days (2026-11-30 10:00)" in later


def test_an_empty_agenda_says_so(run, make_vault):
    result = run(make_vault({}), "agenda")
    assert result.exit_code == 0
    assert result.stdout == "Nothing due in the next 7 days. You are all caught up.\n"
    vault = make_vault(
        {"contacts/a.md": "---\ntype: contact\nname: A\nrequested: 2026-12-20\n---\n"}
    )
    result = run(vault, "agenda", "--within", "1")
    assert result.stdout == "Nothing due in the next 1 day. 1 item later (infoint agenda --all).\n"
    assert run(vault, "agenda", "--json").stdout.strip() == "[]"


def _colored(vault, *args, env=None):
    runner = CliRunner()
    base = {"INFOINT_NOW": "2026-11-20T12:00", "NO_COLOR": None, **(env or {})}
    return runner.invoke(cli, ["--vault", str(vault), *args], env=base, color=True).stdout


def test_color_on_a_terminal_and_off_on_request(vault):
    assert "\x1b[" in _colored(vault, "agenda")
    assert "\x1b[" not in _colored(vault, "--no-color", "agenda")
    assert "\x1b[" not in _colored(vault, "agenda", env={"NO_COLOR": "1"})


def test_no_color_when_not_a_terminal(run, vault):
    assert "\x1b[" not in run(vault, "agenda").stdout


def _calendar(run, vault, *args):
    result = run(vault, "agenda", "--format", "ics", *args)
    assert result.exit_code == 0, result.stderr
    return icalendar.Calendar.from_ical(result.stdout_bytes)


def test_ics_parses_back_with_one_todo_per_item(run, vault):
    calendar = _calendar(run, vault, "--all")
    todos = [todo for todo in calendar.walk("VTODO") if todo["STATUS"] == "NEEDS-ACTION"]
    expected = items(run, vault, "--all")
    assert [str(todo["SUMMARY"]) for todo in todos] == [item["text"] for item in expected]
    follow_up, thank_you = todos[0], todos[1]
    # A date due is a DATE; a moment keeps its zone, whose VTIMEZONE is included.
    assert follow_up["DUE"].params.get("VALUE") == "DATE"
    assert follow_up.decoded("DUE").isoformat() == "2026-11-15"
    assert thank_you["DUE"].params["TZID"] == "America/New_York"
    assert thank_you.decoded("DUE").isoformat() == "2026-11-20T15:00:00-05:00"
    zones = [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")]
    assert zones == ["America/New_York"]
    assert all("DTSTAMP" in todo and "UID" in todo for todo in todos)


def test_ics_uids_are_stable_across_runs(run, vault):
    first = _calendar(run, vault, "--all", "--now", "2026-11-20T12:00")
    second = _calendar(run, vault, "--all", "--now", "2026-11-25T12:00")
    uids = [str(todo["UID"]) for todo in first.walk("VTODO")]
    assert len(set(uids)) == len(uids)
    by_uid = {str(todo["UID"]): str(todo["SUMMARY"]) for todo in second.walk("VTODO")}
    assert {str(todo["UID"]): str(todo["SUMMARY"]) for todo in first.walk("VTODO")} == by_uid


def test_ics_without_a_named_zone_is_written_in_utc(run, make_vault):
    # No timezone configured and no TZ: the zone comes from /etc/localtime and has no
    # name a calendar knows, so moments are written in UTC.
    vault = make_vault(FILES, config="timezone: null\n")
    result = run(vault, "agenda", "--format", "ics", env={"TZ": ""})
    calendar = icalendar.Calendar.from_ical(result.stdout_bytes)
    thank_you = calendar.walk("VTODO")[1]
    assert "TZID" not in thank_you["DUE"].params
    assert thank_you.decoded("DUE").utcoffset() == timedelta(0)
    assert calendar.walk("VTIMEZONE") == []


def test_json_and_ics_cannot_be_combined(run, vault):
    result = run(vault, "agenda", "--json", "--format", "ics")
    assert result.exit_code == 2 and "--json" in result.stderr


def test_demo_vault_shows_every_kind(run, tmp_path):
    demo = tmp_path / "demo"
    assert run(None, "init", str(demo), "--demo").exit_code == 0
    found = items(run, demo)
    assert set(kinds(found)) == set(KINDS)
    overdue = {item["kind"] for item in found if item["overdue"]}
    assert overdue == {"keep-in-touch", "contact-referral", "follow-up-request"}


def test_within_beyond_a_century_is_a_usage_error(make_vault, run):
    vault = make_vault()
    result = run(vault, "agenda", "--within", "3000000")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_a_person_suggested_twice_is_one_to_do_naming_both(run, make_vault):
    """Issue 17 item 7: one contact-referral per person however many suggested them,
    due at the earliest suggestion, naming everyone and what each allows."""
    vault = make_vault(
        {
            **FILES,
            "contacts/ann-park.md": "---\ntype: contact\nname: Ann Park\n---\n",
            # Ann, two days before Jane, also suggests Priya (written by link-less name,
            # in another letter case), without saying whether her name may be used.
            "interviews/2026-11-17-ann-park.md": (
                '---\ntype: interview\ncontact: "[[ann-park]]"\ndate: 2026-11-17T10:00\n'
                "referrals:\n  - name: priya patel\n    organization: Contoso\n---\n"
            ),
        }
    )
    found = [item for item in items(run, vault, "--all") if item["kind"] == "contact-referral"]
    assert found == [
        {
            "kind": "contact-referral",
            "due": "2026-11-24T10:30:00-05:00",
            "overdue": False,
            "note": "interviews/2026-11-17-ann-park.md",
            "contact": None,
            "text": "Contact priya patel (Contoso), suggested by Ann Park and Jane Doe; "
            "ask Ann Park whether you may mention their name; "
            "you may mention Jane Doe's name",
        }
    ]


def test_a_referral_with_a_note_suggested_by_link_and_by_name_is_one_to_do(run, make_vault):
    files = {
        **FILES,
        "contacts/priya-patel.md": "---\ntype: contact\nname: Priya Patel\n---\n",
        "interviews/2026-11-18-sam-lee.md": (
            '---\ntype: interview\ncontact: "[[sam-lee]]"\ndate: 2026-11-18T09:00\n'
            'referrals:\n  - "[[priya-patel]]"\n---\n'
        ),
    }
    found = [
        item
        for item in items(run, make_vault(files), "--all")
        if item["kind"] == "contact-referral"
    ]
    assert [(item["note"], item["contact"]) for item in found] == [
        ("interviews/2026-11-18-sam-lee.md", "priya-patel")
    ]
    assert "suggested by Sam Lee and Jane Doe" in found[0]["text"]


def test_an_item_due_in_exactly_seven_days_is_this_week(run, vault):
    """Issue 17 item 8: the default --within 7 shows it, under "This week"."""
    result = run(vault, "agenda", "--kind", "interview", "--now", "2026-11-23T10:30")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "This week (1)"
    assert "(2026-11-30 10:00)" in result.stdout


def _todos(calendar):
    return {str(todo["UID"]): todo for todo in calendar.walk("VTODO")}


def test_ics_closes_what_was_done_under_the_same_uid(run, make_vault):
    """Issue 17 item 13 (SPEC 4.3): a calendar that imported a to-do hears it is done."""
    vault = make_vault(FILES)
    before = _todos(_calendar(run, vault, "--all"))
    by_text = {str(todo["SUMMARY"]): uid for uid, todo in before.items()}
    thank_you = by_text["Send Jane Doe a thank-you note (interview 2026-11-19)"]
    request = by_text[
        "No answer from Sam Lee since your request of 2026-11-10 by email: confirm by phone"
    ]
    referral = by_text[
        "Contact Priya Patel, suggested by Jane Doe; you may mention Jane Doe's name"
    ]
    jane = "interviews/2026-11-19-jane-doe.md"
    text = (vault / jane).read_text()
    (vault / jane).write_text(
        text.replace("duration: 60\n", "duration: 60\nthank_you_sent: 2026-11-20T08:00\n")
    )
    sam = vault / "contacts/sam-lee.md"
    sam.write_text(
        sam.read_text().replace(
            "request_via: email\n", "request_via: email\nresponded: 2026-11-18\n"
        )
    )
    (vault / "contacts/priya-patel.md").write_text(
        "---\ntype: contact\nname: Priya Patel\nrequested: 2026-11-20\n---\n"
    )
    after = _todos(_calendar(run, vault, "--all"))
    for uid, completed in (
        (thank_you, "20261120T130000Z"),
        (request, "20261118T050000Z"),
        (referral, "20261120T050000Z"),
    ):
        todo = after[uid]
        assert todo["STATUS"] == "COMPLETED"
        assert todo["COMPLETED"].to_ical().decode() == completed
        assert str(todo["SUMMARY"]) == str(before[uid]["SUMMARY"])
    held = [
        t
        for t in after.values()
        if str(t["SUMMARY"]).startswith("Informational interview with Jane")
    ]
    assert [(t["STATUS"], t["COMPLETED"].to_ical().decode()) for t in held] == [
        ("COMPLETED", "20261119T200000Z")
    ]
    # --json and the text view list what is open only.
    assert all(item["kind"] != "thank-you" for item in items(run, vault, "--all"))
    # --kind applies to completed items too.
    only = _calendar(run, vault, "--all", "--kind", "thank-you").walk("VTODO")
    assert [str(todo["UID"]) for todo in only] == [thank_you]


def test_ics_forgets_completions_older_than_completed_days(run, make_vault):
    vault = make_vault(FILES, config="completed_days: 0\n")
    jane = vault / "interviews/2026-11-19-jane-doe.md"
    jane.write_text(
        jane.read_text().replace("duration: 60\n", "duration: 60\nthank_you_sent: 2026-11-19\n")
    )
    statuses = [str(t["STATUS"]) for t in _calendar(run, vault, "--all").walk("VTODO")]
    assert "COMPLETED" not in statuses
    same_day = make_vault(FILES, config="completed_days: 1\n")
    jane = same_day / "interviews/2026-11-19-jane-doe.md"
    jane.write_text(
        jane.read_text().replace("duration: 60\n", "duration: 60\nthank_you_sent: 2026-11-19\n")
    )
    completed = [
        t for t in _calendar(run, same_day, "--all").walk("VTODO") if t["STATUS"] == "COMPLETED"
    ]
    assert {str(t["SUMMARY"]).split(" (")[0] for t in completed} == {
        "Send Jane Doe a thank-you note",
        "Informational interview with Jane Doe",
        # It was held unprepared: a prepare to-do the calendar may hold closes too.
        "Prepare for the conversation with Jane Doe",
    }


def test_try_another_through_kind_filter_memo_and_calendar(run, make_vault):
    """The 3B7 item goes through `--kind`, the remembered agenda and the ICS export."""
    vault = make_vault(
        {
            "contacts/rita.md": "---\ntype: contact\nname: Rita Gomez\norganization: Fabrikam\n"
            "requested: 2026-11-13\nrequest_via: email\n---\n",
            "contacts/noah.md": "---\ntype: contact\nname: Noah Williams\n"
            "organization: Fabrikam\n---\n",
        },
        config="timezone: America/New_York\nbusiness_days: true\nholidays: US\n",
    )
    an_hour_ago = time.time_ns() - 3600 * 10**9  # settled notes: the memo may be written
    for note in vault.rglob("*.md"):
        os.utime(note, ns=(an_hour_ago, an_hour_ago))
    computed = items(run, vault, "--kind", "try-another")
    assert (vault / ".infoint" / "agenda.memo").exists()
    recalled = items(run, vault, "--kind", "try-another")
    assert (
        computed
        == recalled
        == [
            {
                "kind": "try-another",
                "due": "2026-11-18",
                "overdue": True,
                "note": "contacts/rita.md",
                "contact": "rita",
                "text": "Try someone else at Fabrikam while Rita Gomez has not answered "
                "(asked 2026-11-13): Noah Williams",
            }
        ]
    )
    result = run(vault, "agenda", "--kind", "try-another", "--format", "ics")
    (todo,) = icalendar.Calendar.from_ical(result.stdout_bytes).walk("VTODO")
    assert todo.decoded("DUE").isoformat() == "2026-11-18"
    assert "try-another" in str(todo["CATEGORIES"].to_ical())


def test_a_date_only_interview_completes_as_its_day_ends(run, make_vault):
    """SPEC 2.2: a date-only interview ends with its day; the calendar hears it then."""
    vault = make_vault(
        {
            "contacts/ann-park.md": "---\ntype: contact\nname: Ann Park\n---\n",
            "interviews/2026-11-17-ann-park.md": (
                '---\ntype: interview\ncontact: "[[ann-park]]"\ndate: 2026-11-17\n---\n'
            ),
        }
    )
    held = [
        todo
        for todo in _calendar(run, vault, "--all").walk("VTODO")
        if str(todo["SUMMARY"]).startswith("Informational interview with Ann Park")
    ]
    assert [todo["COMPLETED"].to_ical().decode() for todo in held] == ["20261118T050000Z"]


@pytest.mark.parametrize("cache", ["", "1"])
def test_notes_the_config_excludes_give_no_items(run, make_vault, cache):
    """`exclude` makes a note no note: no agenda item, with the cache as without it."""
    root = make_vault(
        {
            "archive/ann.md": "---\ntype: contact\nname: Ann\nrequested: 2026-01-01\n"
            "request_via: email\n---\n",
        },
        'timezone: UTC\nexclude: ["archive"]\n',
    )
    result = run(root, "agenda", "--json", "--all", env={"INFOINT_NO_CACHE": cache})
    assert result.exit_code == 0 and json.loads(result.stdout) == []
