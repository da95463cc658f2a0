"""Dates and date-times as notes write them, in the vault zone."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from infoint_notes.core import dates

NY = ZoneInfo("America/New_York")


def test_date_only_stays_a_day():
    assert dates.parse_when("2026-11-20", NY) == date(2026, 11, 20)


@pytest.mark.parametrize("text", ["2026-11-20T14:00", "2026-11-20 14:00", "2026-11-20T14:00:00"])
def test_naive_times_are_in_the_vault_zone(text):
    assert dates.parse_when(text, NY) == datetime(2026, 11, 20, 14, 0, tzinfo=NY)


def test_offsets_are_converted_to_the_vault_zone():
    value = dates.parse_when("2026-11-20T19:00Z", NY)
    assert value == datetime(2026, 11, 20, 14, 0, tzinfo=NY)
    assert value.tzinfo is NY
    assert dates.parse_when("2026-11-20T20:00+01:00", NY).hour == 14


@pytest.mark.parametrize("text", ["soon", "2026-02-30", "2026-11-20T25:00", "20.11.2026", ""])
def test_bad_dates_raise_value_error(text):
    with pytest.raises(ValueError):
        dates.parse_when(text, NY)


def test_non_strings_are_rejected():
    with pytest.raises(ValueError):
        dates.parse_when(20261120, NY)


def test_format_and_comparison():
    moment = datetime(2026, 11, 20, 14, 0, tzinfo=NY)
    assert dates.format_when(moment) == "2026-11-20T14:00:00-05:00"
    assert dates.format_when(date(2026, 2, 25)) == "2026-02-25"
    assert not dates.before(date(2026, 11, 20), moment)  # same day: compared by date
    assert dates.before(date(2026, 11, 19), moment)
    assert dates.sort_key(date(2026, 11, 20)) < dates.sort_key(moment)


def test_durations_follow_daylight_saving_in_wall_clock_time():
    # 2026-11-01 is the end of DST in New York: 24 h of wall clock is 25 h of real time.
    start = dates.parse_when("2026-10-31T15:00", NY)
    assert (start + timedelta(hours=24)).isoformat() == "2026-11-01T15:00:00-05:00"


def test_now_accepts_a_bare_date():
    assert dates.parse_now("2026-11-20", NY) == datetime(2026, 11, 20, tzinfo=NY)
    assert dates.parse_now("2026-11-20T09:30+00:00", NY).utcoffset() == timedelta(hours=-5)


def test_unknown_zone_name():
    with pytest.raises(ValueError, match="IANA"):
        dates.zone_named("Mars/Olympus")
    assert dates.zone_named("UTC") == ZoneInfo("UTC")
    assert dates.zone_named(None).utcoffset(datetime(2026, 1, 1)) is not None
    assert timezone.utc  # the fallback type exists
