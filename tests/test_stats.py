"""`infoint stats` on a small hand-made vault whose figures are worked out by hand."""

from __future__ import annotations

import json

import pytest

from infoint_notes.core.config import load_config
from infoint_notes.core.dates import parse_now
from infoint_notes.rules.graph import build_graph
from infoint_notes.rules.stats import compute_stats
from infoint_notes.speed.loader import load_index


def contact(name: str, extra: str = "") -> str:
    return f"---\ntype: contact\nname: {name}\n{extra}---\n"


def interview(who: str, when: str, extra: str = "") -> str:
    return f'---\ntype: interview\ncontact: "[[{who}]]"\ndate: {when}\n{extra}---\n'


# now = 2026-11-20T12:00 America/New_York; thank_you_within_hours = 24.
VAULT = {
    "contacts/alice.md": contact("Alice", "source: alumni\nrequested: 2026-10-01\n"),
    "contacts/bruno.md": contact(
        "Bruno", 'source: referral\nreferred_by: "[[alice]]"\nrequested: 2026-10-10\n'
    ),
    "contacts/chen.md": contact("Chen", "source: alumni\nrequested: 2026-11-01\n"),
    "contacts/dara.md": contact("Dara", "source: linkedin\nrequested: 2026-11-10\n"),
    "contacts/emil.md": contact("Emil", 'referred_by: "[[chen]]"\n'),
    "contacts/femi.md": contact("Femi", "source: event\n"),
    "contacts/gus.md": contact("Gus", "source: linkedin\n"),
    "contacts/hana.md": contact("Hana", "source: friends-family\nstatus: declined\n"),
    "contacts/ines.md": contact("Ines", 'referred_by: "[[bruno]]"\n'),
    # in time (same evening); refers Bruno (also his referred_by) and someone with no note
    "interviews/a1.md": interview(
        "alice",
        "2026-10-05T10:00",
        'status: done\nthank_you_sent: 2026-10-05T18:00\nreferrals: ["[[bruno]]", "Zed Pending"]\n',
    ),
    # date-only interview: ends with its day, so a thank-you the next day is in time
    "interviews/b1.md": interview("bruno", "2026-10-20", "thank_you_sent: 2026-10-21\n"),
    # late: the window closed 2026-11-05T09:30 and the thank-you is dated the 6th
    "interviews/c1.md": interview("chen", "2026-11-04T09:00", "thank_you_sent: 2026-11-06\n"),
    # planned: counts for the request-to-interview span, not as done
    "interviews/d1.md": interview("dara", "2026-11-30T10:00"),
    # ended at 09:30 today, no thank-you yet: still in its window, not counted
    "interviews/f1.md": interview("femi", "2026-11-20T09:00"),
    # no thank-you and the window has closed: late
    "interviews/g1.md": interview("gus", "2026-11-01T10:00"),
    "interviews/x1.md": interview("dara", "2026-11-12T10:00", "status: cancelled\n"),
}


@pytest.fixture
def vault(make_vault):
    return make_vault(VAULT)


def test_figures(vault):
    config = load_config(vault)
    index = load_index(vault, config)
    now = parse_now("2026-11-20T12:00", config.zone)
    stats = compute_stats(index, build_graph(index, now), now)
    assert stats.contacts == 9
    assert stats.by_stage == {
        "prospect": 2,  # emil, ines
        "requested": 0,
        "scheduled": 1,  # dara
        "interviewed": 5,  # alice, bruno, chen, femi, gus
        "declined": 1,
        "inactive": 0,
        "do-not-contact": 0,
    }
    assert stats.by_source == {
        "alumni": 2,
        "linkedin": 2,
        "unknown": 2,
        "event": 1,
        "friends-family": 1,
        "referral": 1,
    }
    assert stats.interviews == {"planned": 1, "done": 5, "cancelled": 1, "no-show": 0}
    # alice -> bruno (merged), alice -> Zed Pending, chen -> emil, bruno -> ines
    assert stats.referrals == 4
    assert stats.referrals_per_done_interview == pytest.approx(0.8)
    # a1 and b1 in time; c1 and g1 late; f1 still inside its window
    assert (stats.thank_you_in_time, stats.thank_you_counted) == (2, 4)
    assert stats.thank_you_share == 0.5
    # alice 4, bruno 10, chen 3, dara 20 (planned counts; the cancelled one does not)
    assert stats.median_days_to_interview == 7
    assert stats.interviews_by_source == {"alumni": 2, "event": 1, "linkedin": 1, "referral": 1}
    assert stats.longest_chain == ("alice", "bruno", "ines")


def test_thank_you_window_follows_the_config(make_vault):
    files = dict(VAULT)
    root = make_vault(files, config="timezone: America/New_York\nthank_you_within_hours: 48\n")
    config = load_config(root)
    index = load_index(root, config)
    now = parse_now("2026-11-20T12:00", config.zone)
    stats = compute_stats(index, build_graph(index, now), now)
    assert stats.thank_you_hours == 48
    assert (stats.thank_you_in_time, stats.thank_you_counted) == (3, 4)  # c1 now in time


def test_cli_text_and_json(run, vault):
    text = run(vault, "stats")
    assert text.exit_code == 0, text.stderr
    assert text.stdout.splitlines() == [
        "Contacts: 9",
        "  by stage:  prospect 2, scheduled 1, interviewed 5, declined 1",
        "  by source: alumni 2, linkedin 2, unknown 2, event 1, friends-family 1, referral 1",
        "Interviews: planned 1, done 5, cancelled 1",
        "Referrals per done interview: 0.8 (4 from 5)",
        "Thank-yous within 24 h: 2 of 4 (50%)",
        "Median days from request to first interview: 7",
        "Sources that led to interviews: alumni 2, event 1, linkedin 1, referral 1",
        "Longest referral chain (3): Alice → Bruno → Ines",
        # Everyone asked has an interview, and no `responded`: when they answered is unknown.
        "Answers to requests, in business days (boosters answer within 3):",
        "  within 3: none",
        "  later:    none",
        "  never:    none",
        "  waiting:  none",
    ]
    data = json.loads(run(vault, "stats", "--json").stdout)
    assert data["thank_you"] == {"within_hours": 24, "in_time": 2, "counted": 4, "share": 0.5}
    assert data["referrals"] == {"total": 4, "per_done_interview": 0.8}
    assert data["median_days_request_to_interview"] == 7
    assert data["longest_chain"] == ["alice", "bruno", "ines"]
    assert data["contacts"]["by_stage"]["interviewed"] == 5


def test_empty_vault(run, make_vault):
    data = json.loads(run(make_vault(), "stats", "--json").stdout)
    assert data["referrals"]["per_done_interview"] is None
    assert data["thank_you"]["share"] is None
    assert data["median_days_request_to_interview"] is None
    assert data["longest_chain"] == []
    text = run(make_vault(), "stats").stdout
    assert "Longest referral chain (0): none" in text


# now = Friday 2026-11-20; Thanksgiving (US) is Thursday 2026-11-26.
ANSWERS = {
    # Asked on a Friday, answered on Wednesday: three business days, a booster.
    "contacts/fast.md": contact("Fast", "requested: 2026-11-13\nresponded: 2026-11-18\n"),
    # Asked on a Friday, answered the next Friday: five business days, later.
    "contacts/slow.md": contact("Slow", "requested: 2026-11-13\nresponded: 2026-11-20T09:00\n"),
    # Asked on Tuesday 17th: three business days have passed by Friday, not yet more.
    "contacts/wait.md": contact("Wait", "requested: 2026-11-17\n"),
    "contacts/mute.md": contact("Mute", "requested: 2026-11-12\n"),
    # Answered, but when is not written: not counted.
    "contacts/told.md": contact("Told", "requested: 2026-11-02\nstatus: declined\n"),
    "contacts/met.md": contact("Met", "requested: 2026-11-02\n"),
    "interviews/m1.md": interview("met", "2026-11-10T10:00"),
    "contacts/none.md": contact("Never Asked"),
}


def answered(stats) -> dict[str, list[tuple[str, int | None]]]:
    return {
        group: [(answer.contact.id, answer.days) for answer in found]
        for group, found in stats.answers.items()
    }


def test_answers_to_requests_in_business_days(make_vault):
    root = make_vault(ANSWERS)
    index = load_index(root, load_config(root))
    now = parse_now("2026-11-20T12:00", index.config.zone)
    assert answered(compute_stats(index, build_graph(index, now), now)) == {
        "within_3_business_days": [("fast", 3)],
        "later": [("slow", 5)],
        "never": [("mute", None)],
        "waiting": [("wait", None)],
    }


def test_answers_skip_thanksgiving_with_us_holidays(make_vault):
    files = {
        # Tuesday 24th to Monday 30th: Wed, Fri, Mon with Thanksgiving off; 4 without.
        "contacts/ann.md": contact("Ann", "requested: 2026-11-24\nresponded: 2026-11-30\n"),
    }
    for config, group, days in (
        ("timezone: America/New_York\n", "later", 4),
        ("timezone: America/New_York\nholidays: US\n", "within_3_business_days", 3),
    ):
        root = make_vault(files, config)
        index = load_index(root, load_config(root), cache=False)
        now = parse_now("2026-12-01T12:00", index.config.zone)
        found = answered(compute_stats(index, build_graph(index, now), now))
        assert found[group] == [("ann", days)], config


def test_answers_in_the_cli(run, make_vault):
    vault = make_vault(ANSWERS)
    text = run(vault, "stats").stdout.splitlines()
    assert text[-5:] == [
        "Answers to requests, in business days (boosters answer within 3):",
        "  within 3: Fast (3)",
        "  later:    Slow (5)",
        "  never:    Mute",
        "  waiting:  Wait",
    ]
    data = json.loads(run(vault, "stats", "--json").stdout)
    assert data["answers"] == {
        "within_3_business_days": [{"id": "fast", "name": "Fast", "days": 3}],
        "later": [{"id": "slow", "name": "Slow", "days": 5}],
        "never": [{"id": "mute", "name": "Mute", "days": None}],
        "waiting": [{"id": "wait", "name": "Wait", "days": None}],
    }


def test_list_filters_and_sorts_on_response_days(run, make_vault):
    vault = make_vault(ANSWERS)

    def ids(*args: str) -> list[str]:
        result = run(vault, "list", "--json", *args)
        assert result.exit_code == 0, result.stderr
        return [row["id"] for row in json.loads(result.stdout)]

    assert ids("--where", "response_days<=3") == ["fast"]
    assert ids("--where", "response_days>3") == ["slow"]
    assert ids("--where", "requested?", "--where", "!response_days") == [
        "met",
        "mute",
        "told",
        "wait",
    ]
    assert ids("--where", "response_days?", "--sort", "-response_days") == ["slow", "fast"]
