"""Friendly dates on the command line (SPEC 2.2): typed as people say them, written as ISO."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from infoint_notes.core.friendly import friendly, parse_moment, parse_typed

NY = ZoneInfo("America/New_York")
FRIDAY = datetime(2026, 11, 20, 12, 0, tzinfo=NY)  # conftest's NOW: a Friday noon


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2026, 11, 20)),
        ("tomorrow", date(2026, 11, 21)),
        ("Yesterday", date(2026, 11, 19)),
        ("+3d", date(2026, 11, 23)),
        ("-2d", date(2026, 11, 18)),
        ("+1w", date(2026, 11, 27)),
        ("+2 weeks", date(2026, 12, 4)),
        ("monday", date(2026, 11, 23)),
        # `friday` on a Friday is the next one, a week ahead; `next friday` a week later.
        ("friday", date(2026, 11, 27)),
        ("next friday", date(2026, 12, 4)),
        ("thu", date(2026, 11, 26)),
        ("tomorrow 15:00", datetime(2026, 11, 21, 15, 0, tzinfo=NY)),
        ("friday 2pm", datetime(2026, 11, 27, 14, 0, tzinfo=NY)),
        ("monday at 9:30 am", datetime(2026, 11, 23, 9, 30, tzinfo=NY)),
        ("today 12am", datetime(2026, 11, 20, 0, 0, tzinfo=NY)),
        ("+3d noon", datetime(2026, 11, 23, 12, 0, tzinfo=NY)),
        ("2026-12-03 2pm", datetime(2026, 12, 3, 14, 0, tzinfo=NY)),
        ("15:00", datetime(2026, 11, 20, 15, 0, tzinfo=NY)),
        # ISO as notes hold them is read as before.
        ("2026-12-03", date(2026, 12, 3)),
        ("2026-12-03T14:00", datetime(2026, 12, 3, 14, 0, tzinfo=NY)),
    ],
)
def test_friendly_dates_mean_what_people_mean(text, expected):
    assert parse_typed(text, NY, FRIDAY) == expected


@pytest.mark.parametrize("text", ["someday", "tomorrow 25:00", "13pm", "fr", "+3x", "next"])
def test_other_text_is_refused_with_examples(text):
    with pytest.raises(ValueError, match="tomorrow 15:00"):
        parse_typed(text, NY, FRIDAY)


def test_an_impossible_iso_date_says_so():
    with pytest.raises(ValueError, match="impossible date"):
        parse_typed("2026-02-30", NY, FRIDAY)


def test_now_moved_by_days_keeps_the_time_of_day():
    assert parse_moment("friday", NY, FRIDAY) == datetime(2026, 11, 27, 12, 0, tzinfo=NY)
    assert parse_moment("2026-11-27", NY, FRIDAY) == datetime(2026, 11, 27, 0, 0, tzinfo=NY)


def test_messages_show_dates_for_people():
    assert friendly(datetime(2026, 12, 3, 14, 0, tzinfo=NY)) == "Thu 3 Dec 2026 14:00"
    assert friendly(date(2026, 12, 3)) == "Thu 3 Dec 2026"


# --- through the CLI --------------------------------------------------------------------

CONTACT = """
---
type: contact
name: Jane Doe
requested: 2026-11-12
request_via: email
---
"""


def test_new_interview_takes_tomorrow_at_three_and_writes_iso(run, make_vault):
    vault = make_vault({"contacts/jane-doe.md": CONTACT})
    result = run(vault, "new", "interview", "jane-doe", "--date", "tomorrow 3pm")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "interviews/2026-11-21-jane-doe.md\n"
    text = (vault / "interviews/2026-11-21-jane-doe.md").read_text(encoding="utf-8")
    assert "\ndate: 2026-11-21T15:00\n" in text


def test_log_takes_yesterday_evening(run, make_vault):
    vault = make_vault({"contacts/jane-doe.md": CONTACT})
    result = run(vault, "log", "response", "jane-doe", "--date", "yesterday 18:30")
    assert result.exit_code == 0, result.stderr
    assert "responded: 2026-11-19T18:30\n" in (vault / "contacts/jane-doe.md").read_text()


def test_list_where_takes_a_relative_date(run, make_vault):
    vault = make_vault({"contacts/jane-doe.md": CONTACT})
    assert "Jane Doe" in run(vault, "list", "--where", "requested>-2w").stdout
    assert run(vault, "list", "--where", "requested>-3d").stdout == ""
    assert "Jane Doe" in run(vault, "list", "--where", "requested=-8d").stdout


def test_agenda_now_takes_a_weekday(run, make_vault):
    vault = make_vault({"contacts/jane-doe.md": CONTACT})
    # The follow-up is due 2026-11-17: overdue today, and by next Friday it still is.
    result = run(vault, "agenda", "--now", "friday", "--json")
    assert result.exit_code == 0, result.stderr
    assert '"overdue": true' in result.stdout
    bad = run(vault, "agenda", "--now", "someday")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("--now: must be a date such as")
