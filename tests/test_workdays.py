"""Business days (SPEC 2.4): Monday to Friday, less a country's public holidays."""

from __future__ import annotations

from datetime import date

import pytest

from infoint_notes.core.config import load_config
from infoint_notes.core.errors import UsageError
from infoint_notes.core.workdays import BusinessDays

FRIDAY = date(2026, 11, 20)
#: Thanksgiving (US) 2026 is Thursday, November 26.
TUESDAY_BEFORE_THANKSGIVING = date(2026, 11, 24)


def test_a_request_made_on_a_friday_has_three_business_days_by_wednesday():
    week = BusinessDays()
    assert week.add(FRIDAY, 1) == date(2026, 11, 23)  # Monday
    assert week.add(FRIDAY, 3) == date(2026, 11, 25)  # Wednesday
    assert week.add(FRIDAY, 7) == date(2026, 12, 1)  # the next Tuesday
    assert week.add(FRIDAY, 0) == FRIDAY


def test_a_request_made_on_a_weekend_counts_from_monday():
    assert BusinessDays().add(date(2026, 11, 21), 1) == date(2026, 11, 23)
    assert BusinessDays().add(date(2026, 11, 22), 3) == date(2026, 11, 25)


def test_thanksgiving_is_no_business_day_in_the_us():
    us = BusinessDays("US")
    assert not us.is_business_day(date(2026, 11, 26))
    assert us.is_business_day(date(2026, 11, 27))  # the Friday after is a working day
    # Wed 25 (1), Thanksgiving skipped, Fri 27 (2), Mon 30 (3)
    assert us.add(TUESDAY_BEFORE_THANKSGIVING, 3) == date(2026, 11, 30)
    assert BusinessDays().add(TUESDAY_BEFORE_THANKSGIVING, 3) == date(2026, 11, 27)
    assert us.between(TUESDAY_BEFORE_THANKSGIVING, date(2026, 11, 30)) == 3
    assert BusinessDays().between(TUESDAY_BEFORE_THANKSGIVING, date(2026, 11, 30)) == 4


def test_a_state_has_its_own_holidays():
    # Epiphany is a public holiday in Bavaria, not in Berlin.
    assert not BusinessDays("DE-BY").is_business_day(date(2026, 1, 6))
    assert BusinessDays("DE-BE").is_business_day(date(2026, 1, 6))


def test_business_days_between_two_days():
    week = BusinessDays()
    assert week.between(FRIDAY, FRIDAY) == 0
    assert week.between(FRIDAY, date(2026, 11, 22)) == 0  # answered on the weekend
    assert week.between(FRIDAY, date(2026, 11, 23)) == 1
    assert week.between(FRIDAY, date(2026, 11, 27)) == 5
    assert week.between(FRIDAY, date(2026, 11, 19)) == 0


def test_the_settings_are_read_and_checked(make_vault):
    config = load_config(
        make_vault(config="business_days: true\nholidays: us\nanother_contact_days: 2\n")
    )
    assert (config.business_days, config.holidays, config.another_contact_days) == (
        True,
        "US",
        2,
    )
    assert config.diagnostics == ()
    assert load_config(make_vault(config="holidays: null\n")).holidays is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("business_days: yes\n", "'business_days' must be true or false"),
        ("holidays: 5\n", "'holidays' must be a country code"),
        ("holidays: [US]\n", "'holidays' must be a country code"),
        ("holidays: XX\n", "no public holidays are known for 'XX'"),
        ("another_contact_days: -1\n", "'another_contact_days' must be a whole number"),
    ],
)
def test_wrong_settings_are_usage_errors_naming_the_key(make_vault, text, message):
    with pytest.raises(UsageError, match=message):
        load_config(make_vault(config=text))


def test_a_wrong_setting_stops_a_command_with_exit_2(make_vault, run):
    vault = make_vault(config="holidays: Atlantis\n")
    result = run(vault, "agenda")
    assert result.exit_code == 2
    assert result.stderr.startswith("infoint.yaml: 'holidays'")
