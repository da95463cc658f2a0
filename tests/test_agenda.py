"""The agenda rules (SPEC 4.3) and their boundaries, on small vaults built inline."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infoint_notes.core.config import load_config
from infoint_notes.core.dates import parse_now
from infoint_notes.core.index import VaultIndex
from infoint_notes.formats.jsontext import RecordJSON, encode_json
from infoint_notes.rules.agenda import (
    KINDS,
    AgendaItem,
    build_agenda,
    describe_due,
    group_of,
    select,
)
from infoint_notes.speed.loader import load_index

NOW = "2026-11-20T12:00"
ITEM_JSON = RecordJSON(AgendaItem, around="overdue")


class Vault:
    """An index over a vault written from `files`, and its agenda at any moment."""

    def __init__(self, index: VaultIndex) -> None:
        self.index = index

    def at(self, text: str) -> datetime:
        return parse_now(text, self.index.config.zone)

    def items(self, now: str = NOW, kind: str | None = None) -> list[AgendaItem]:
        found = build_agenda(self.index, self.at(now))
        return [item for item in found if kind is None or item.kind == kind]

    def one(self, kind: str, now: str = NOW) -> AgendaItem:
        found = self.items(now, kind)
        assert len(found) == 1, found
        return found[0]


@pytest.fixture
def vault(make_vault):
    def build(files: dict[str, str], config: str = "") -> Vault:
        root = make_vault(files, config)
        return Vault(load_index(root, load_config(root)))

    return build


def contact(name: str = "Jane Doe", extra: str = "") -> str:
    return f"---\ntype: contact\nname: {name}\n{extra}---\n"


def interview(
    when: str,
    who: str = "jane-doe",
    extra: str = "",
    body: str = "## Reflection\nGreat fit.\n",
) -> str:
    return f'---\ntype: interview\ncontact: "[[{who}]]"\ndate: {when}\n{extra}---\n{body}'


READY = (
    "## Preparation\n- [x] Research\n\n## Questions\n"
    + "".join(f"- What about topic {n}?\n" for n in range(5))
    + "\n## Reflection\n"
)


def due_text(item: AgendaItem) -> str:
    return item.to_dict()["due"]


# --- thank-you ---------------------------------------------------------------------------


def test_thank_you_is_due_24_hours_after_the_interview_ends(vault):
    v = vault(
        {
            "contacts/jane-doe.md": contact(),
            "interviews/2026-11-19-jane-doe.md": interview(
                "2026-11-19T14:00", extra="duration: 60\n"
            ),
        }
    )
    item = v.one("thank-you")
    assert item.to_dict() == {
        "kind": "thank-you",
        "due": "2026-11-20T15:00:00-05:00",
        "overdue": False,
        "note": "interviews/2026-11-19-jane-doe.md",
        "contact": "jane-doe",
        "text": "Send Jane Doe a thank-you note (interview 2026-11-19)",
    }
    # The due moment itself is still on time; one second later it is overdue.
    assert v.one("thank-you", "2026-11-20T15:00:00").overdue is False
    assert v.one("thank-you", "2026-11-20T15:00:01").overdue is True


def test_a_sent_thank_you_clears_the_item(vault):
    v = vault(
        {
            "contacts/jane-doe.md": contact(),
            "interviews/a.md": interview("2026-11-19T14:00", extra="thank_you_sent: 2026-11-19\n"),
        }
    )
    assert v.items(kind="thank-you") == []


def test_thank_you_hours_come_from_the_config(vault):
    v = vault(
        {"contacts/jane-doe.md": contact(), "interviews/a.md": interview("2026-11-19T14:00")},
        config="timezone: America/New_York\nthank_you_within_hours: 48\n",
    )
    assert due_text(v.one("thank-you")) == "2026-11-21T14:30:00-05:00"


def test_date_only_interview_gives_date_only_dues(vault):
    v = vault({"contacts/jane-doe.md": contact(), "interviews/a.md": interview("2026-11-18")})
    item = v.one("thank-you")
    # The interview ends with its day; 24 h later is the end of the next day.
    assert item.due == date(2026, 11, 19) and due_text(item) == "2026-11-19"
    assert v.one("thank-you", "2026-11-19T23:59:59").overdue is False
    assert v.one("thank-you", "2026-11-20T00:00").overdue is True


@pytest.mark.parametrize(
    ("hours", "due"),
    [(1, "2026-11-19"), (24, "2026-11-19"), (25, "2026-11-20"), (48, "2026-11-20")],
)
def test_hours_after_a_date_only_interview_round_up_to_whole_days(vault, hours, due):
    v = vault(
        {"contacts/jane-doe.md": contact(), "interviews/a.md": interview("2026-11-18")},
        config=f"timezone: America/New_York\nthank_you_within_hours: {hours}\n",
    )
    assert due_text(v.one("thank-you")) == due


def test_hours_are_added_on_the_wall_clock_across_the_autumn_change(vault):
    # 2026-11-01 02:00 EDT -> 01:00 EST in New York: the day after has 25 hours.
    v = vault({"contacts/jane-doe.md": contact(), "interviews/a.md": interview("2026-10-31T14:00")})
    item = v.one("thank-you", "2026-11-01T10:00")
    assert due_text(item) == "2026-11-01T14:30:00-05:00"
    # 24 real hours after the end would be 13:30 EST; on the wall clock it is not due yet.
    assert v.one("thank-you", "2026-11-01T14:00").overdue is False
    assert v.one("thank-you", "2026-11-01T14:31").overdue is True


def test_a_due_in_the_spring_gap_moves_past_it(vault):
    # 2026-03-08 02:00 EST -> 03:00 EDT: 02:30 does not exist that day.
    v = vault({"contacts/jane-doe.md": contact(), "interviews/a.md": interview("2026-03-07T02:00")})
    assert due_text(v.one("thank-you", "2026-03-07T12:00")) == "2026-03-08T03:30:00-04:00"


# --- reflect ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("## Reflection\nI liked it.\n", 0),
        ("## Reflection\n<!-- What did you learn? -->\n", 1),
        ("## Notes\nlots\n", 1),
    ],
)
def test_reflect_until_the_reflection_is_written(vault, body, expected):
    v = vault(
        {
            "contacts/jane-doe.md": contact(),
            "interviews/a.md": interview("2026-11-19T14:00", body=body),
        }
    )
    found = v.items(kind="reflect")
    assert len(found) == expected
    if found:
        assert due_text(found[0]) == "2026-11-21T14:30:00-05:00"
        assert found[0].text.startswith("Write your reflection on the conversation with Jane Doe")


# --- status overrides ------------------------------------------------------------------


@pytest.mark.parametrize("status", ["declined", "inactive", "do-not-contact"])
def test_a_contact_not_active_produces_nothing(vault, status):
    v = vault(
        {
            "contacts/jane-doe.md": contact(
                extra=f"status: {status}\nrequested: 2026-11-01\nrequest_via: email\n"
            ),
            "interviews/a.md": interview("2026-11-19T14:00", body=""),
            "interviews/b.md": interview("2026-11-22T14:00"),
            "milestones/m.md": "---\ntype: milestone\ndate: 2026-11-20\nsummary: Offer\n---\n",
        }
    )
    assert v.items() == []


@pytest.mark.parametrize("status", ["cancelled", "no-show"])
def test_cancelled_and_no_show_interviews_produce_nothing(vault, status):
    v = vault(
        {
            "contacts/jane-doe.md": contact(),
            "interviews/a.md": interview(
                "2026-11-19T14:00",
                extra=f'status: {status}\nreferrals: ["Sam Lee"]\n',
                body="",
            ),
            "interviews/b.md": interview("2026-11-22T14:00", extra=f"status: {status}\n"),
        }
    )
    assert v.items() == []


def test_an_interview_is_planned_until_its_end_then_done(vault):
    v = vault({"contacts/jane-doe.md": contact(), "interviews/a.md": interview("2026-11-20T14:00")})
    assert [item.kind for item in v.items("2026-11-20T14:29")] == ["prepare", "interview"]
    assert [item.kind for item in v.items("2026-11-20T14:30")] == ["thank-you", "keep-in-touch"]


# --- contact-referral ------------------------------------------------------------------


def referral_vault(vault, referrals: str, *others: tuple[str, str]):
    files = {
        "contacts/jane-doe.md": contact(),
        "interviews/a.md": interview("2026-11-19T14:00", extra=f"referrals:\n{referrals}"),
    }
    files.update(dict(others))
    return vault(files)


def test_a_referral_without_a_note_is_pending(vault):
    v = referral_vault(
        vault,
        "  - name: Priya Patel\n    organization: Contoso\n    may_use_name: true\n",
    )
    item = v.one("contact-referral")
    assert item.to_dict() == {
        "kind": "contact-referral",
        "due": "2026-11-26T14:30:00-05:00",
        "overdue": False,
        "note": "interviews/a.md",
        "contact": None,
        "text": "Contact Priya Patel (Contoso), suggested by Jane Doe; "
        "you may mention Jane Doe's name",
    }


@pytest.mark.parametrize(
    ("flag", "phrase"),
    [
        ("    may_use_name: false\n", "do not mention Jane Doe's name"),
        ("", "ask Jane Doe whether you may mention their name"),
    ],
)
def test_the_referral_text_says_whether_you_may_use_the_name(vault, flag, phrase):
    v = referral_vault(vault, f"  - name: Priya Patel\n{flag}")
    assert v.one("contact-referral").text.endswith(phrase)


def test_a_referral_is_resolved_by_link_and_pending_until_requested(vault):
    sam = ("contacts/sam-lee.md", contact("Sam Lee", "referrer_ok: false\n"))
    v = referral_vault(vault, '  - "[[sam-lee]]"\n', sam)
    item = v.one("contact-referral")
    assert item.contact == "sam-lee"
    # referrer_ok on the referral's own note says whether the name may be used.
    assert item.text == "Contact Sam Lee, suggested by Jane Doe; do not mention Jane Doe's name"
    requested = ("contacts/sam-lee.md", contact("Sam Lee", "requested: 2026-11-20\n"))
    assert (
        referral_vault(vault, '  - "[[sam-lee]]"\n', requested).items(kind="contact-referral") == []
    )


def test_a_referral_is_resolved_by_name_or_alias(vault):
    sam = contact("Samuel Lee", "aliases: [Sam Lee]\nrequested: 2026-11-20\n")
    v = referral_vault(vault, "  - name: Sam Lee\n  - Samuel Lee\n", ("contacts/sam.md", sam))
    assert v.items(kind="contact-referral") == []
    unrequested = ("contacts/sam.md", contact("Samuel Lee", "aliases: [Sam Lee]\n"))
    v = referral_vault(vault, "  - name: Sam Lee\n", unrequested)
    assert v.one("contact-referral").contact == "sam"


def test_a_referral_with_an_interview_is_not_pending(vault):
    sam = ("contacts/sam-lee.md", contact("Sam Lee"))
    talk = ("interviews/sam.md", interview("2026-11-25T10:00", who="sam-lee", body=READY))
    v = referral_vault(vault, '  - "[[sam-lee]]"\n', sam, talk)
    assert v.items(kind="contact-referral") == []


def test_a_referral_whose_note_is_not_active_produces_nothing(vault):
    sam = ("contacts/sam-lee.md", contact("Sam Lee", "status: do-not-contact\n"))
    v = referral_vault(vault, '  - "[[sam-lee]]"\n', sam)
    assert v.items(kind="contact-referral") == []


def test_referral_days_come_from_the_config(vault):
    v = vault(
        {
            "contacts/jane-doe.md": contact(),
            "interviews/a.md": interview("2026-11-19", extra='referrals: ["Sam Lee"]\n'),
        },
        config="timezone: America/New_York\nreferral_contact_days: 3\n",
    )
    assert due_text(v.one("contact-referral")) == "2026-11-22"


# --- follow-up-request -----------------------------------------------------------------


def test_a_written_request_without_answer_needs_a_phone_call(vault):
    v = vault(
        {
            "contacts/jane-doe.md": contact(
                extra='requested: 2026-11-12\nrequest_via: linkedin\nphone: "+1 555 0100"\n'
            )
        }
    )
    item = v.one("follow-up-request")
    assert item.to_dict() == {
        "kind": "follow-up-request",
        "due": "2026-11-17",
        "overdue": True,
        "note": "contacts/jane-doe.md",
        "contact": "jane-doe",
        "text": "No answer from Jane Doe since your request of 2026-11-12 on LinkedIn: "
        "confirm by phone (+1 555 0100)",
    }
    assert v.one("follow-up-request", "2026-11-17T23:59").overdue is False


@pytest.mark.parametrize(
    "extra",
    [
        "request_via: phone\n",
        "request_via: in-person\n",
        "request_via: email\nresponded: 2026-11-13\n",
    ],
)
def test_no_follow_up_after_a_spoken_request_or_an_answer(vault, extra):
    v = vault({"contacts/jane-doe.md": contact(extra=f"requested: 2026-11-12\n{extra}")})
    assert v.items(kind="follow-up-request") == []


def test_no_follow_up_once_an_interview_exists(vault):
    v = vault(
        {
            "contacts/jane-doe.md": contact(extra="requested: 2026-11-12\n"),
            "interviews/a.md": interview("2026-12-20T10:00", body=READY),
        }
    )
    assert v.items(kind="follow-up-request") == []


def test_follow_up_days_come_from_the_config(vault):
    v = vault(
        {"contacts/jane-doe.md": contact(extra="requested: 2026-11-12T09:00\n")},
        config="timezone: America/New_York\nrequest_follow_up_days: 10\n",
    )
    item = v.one("follow-up-request")
    assert due_text(item) == "2026-11-22T09:00:00-05:00"
    assert item.text == "No answer from Jane Doe since your request of 2026-11-12: confirm by phone"


BUSINESS_DAYS = "timezone: America/New_York\nbusiness_days: true\n"


def test_a_follow_up_counts_business_days_when_asked_to(vault):
    # Friday 2026-11-13 + 5 business days is Friday 2026-11-20 (7 calendar days).
    files = {"contacts/jane-doe.md": contact(extra="requested: 2026-11-13\nrequest_via: email\n")}
    assert due_text(vault(files).one("follow-up-request")) == "2026-11-18"
    assert due_text(vault(files, config=BUSINESS_DAYS).one("follow-up-request")) == "2026-11-20"


def test_business_days_skip_thanksgiving_with_us_holidays(vault):
    # Tuesday 2026-11-24 + 5 business days: Wed 25, (Thanksgiving), Fri 27, Mon 30, Tue 1,
    # Wed 2.
    files = {"contacts/jane-doe.md": contact(extra="requested: 2026-11-24\nrequest_via: email\n")}
    weekdays = vault(files, config=BUSINESS_DAYS).one("follow-up-request", "2026-11-25T09:00")
    assert due_text(weekdays) == "2026-12-01"
    us = vault(files, config=BUSINESS_DAYS + "holidays: US\n")
    assert due_text(us.one("follow-up-request", "2026-11-25T09:00")) == "2026-12-02"


def test_a_request_with_a_time_keeps_its_time_in_business_days(vault):
    v = vault(
        {"contacts/jane-doe.md": contact(extra="requested: 2026-11-13T16:30\n")},
        config=BUSINESS_DAYS,
    )
    assert due_text(v.one("follow-up-request")) == "2026-11-20T16:30:00-05:00"


# --- try-another ---------------------------------------------------------------------------


def at_fabrikam(name: str, extra: str = "") -> str:
    return contact(name, f"organization: Fabrikam\n{extra}")


ASKED = "requested: 2026-11-13\nrequest_via: email\n"


def test_no_answer_after_three_days_names_colleagues_not_yet_asked(vault):
    v = vault(
        {
            "contacts/rita.md": at_fabrikam("Rita Gomez", ASKED),
            "contacts/noah.md": at_fabrikam("Noah Williams"),
            "contacts/ana.md": at_fabrikam("Ana Silva"),
            "contacts/zoe.md": at_fabrikam("Zoe Wu", "source: alumni\n"),
            "contacts/ola.md": at_fabrikam("Ola Berg"),
            "contacts/asked.md": at_fabrikam(
                "Asked Already", "requested: 2026-11-01\nresponded: 2026-11-02\n"
            ),
            "contacts/gone.md": at_fabrikam("Gone Away", "status: inactive\n"),
            "contacts/talked.md": at_fabrikam("Talked To"),
            "interviews/t.md": interview("2026-11-02T10:00", "talked"),
            "contacts/elsewhere.md": contact("Elsewhere", "organization: Contoso\n"),
        }
    )
    item = v.one("try-another")
    assert item.to_dict() == {
        "kind": "try-another",
        "due": "2026-11-16",
        "overdue": True,
        "note": "contacts/rita.md",
        "contact": "rita",
        # Alumni first, then by name; three named, the rest counted.
        "text": "Try someone else at Fabrikam while Rita Gomez has not answered "
        "(asked 2026-11-13): Zoe Wu, Ana Silva, Noah Williams and 1 more",
    }


def test_try_another_waits_three_business_days_after_a_friday(vault):
    files = {
        "contacts/rita.md": at_fabrikam("Rita Gomez", ASKED),  # Friday 2026-11-13
        "contacts/noah.md": at_fabrikam("Noah Williams"),
    }
    assert due_text(vault(files).one("try-another")) == "2026-11-16"
    assert due_text(vault(files, config=BUSINESS_DAYS).one("try-another")) == "2026-11-18"
    days = vault(files, config="timezone: America/New_York\nanother_contact_days: 1\n")
    assert due_text(days.one("try-another")) == "2026-11-14"


def test_an_organization_known_only_from_contacts_names_groups_them(vault):
    # No organization note: the names written in `organization` match when normalised.
    v = vault(
        {
            "contacts/rita.md": contact("Rita Gomez", f"organization: Tailspin  Toys\n{ASKED}"),
            "contacts/noah.md": contact("Noah Williams", "organization: tailspin toys\n"),
        }
    )
    assert v.one("try-another").text.endswith(": Noah Williams")
    assert "at Tailspin" in v.one("try-another").text


def test_an_organization_note_gathers_its_links_and_names(vault):
    v = vault(
        {
            "organizations/fabrikam.md": "---\ntype: organization\nname: Fabrikam\n"
            "aliases: [Fabrikam Retail]\n---\n",
            "contacts/rita.md": contact("Rita Gomez", f'organization: "[[fabrikam]]"\n{ASKED}'),
            "contacts/noah.md": contact("Noah Williams", "organization: Fabrikam Retail\n"),
        }
    )
    assert v.one("try-another").text.endswith("(asked 2026-11-13): Noah Williams")


@pytest.mark.parametrize(
    "extra",
    [
        "request_via: phone\n",
        "request_via: email\nresponded: 2026-11-14\n",
        "request_via: email\nstatus: declined\n",
    ],
)
def test_no_try_another_after_a_spoken_request_an_answer_or_for_inactive(vault, extra):
    v = vault(
        {
            "contacts/rita.md": at_fabrikam("Rita Gomez", f"requested: 2026-11-13\n{extra}"),
            "contacts/noah.md": at_fabrikam("Noah Williams"),
        }
    )
    assert v.items(kind="try-another") == []


def test_no_try_another_once_an_interview_exists_or_nobody_is_left(vault):
    alone = vault({"contacts/rita.md": at_fabrikam("Rita Gomez", ASKED)})
    assert alone.items(kind="try-another") == []
    no_org = vault(
        {
            "contacts/rita.md": contact("Rita Gomez", ASKED),
            "contacts/noah.md": contact("Noah Williams"),
        }
    )
    assert no_org.items(kind="try-another") == []
    booked = vault(
        {
            "contacts/rita.md": at_fabrikam("Rita Gomez", ASKED),
            "contacts/noah.md": at_fabrikam("Noah Williams"),
            "interviews/r.md": interview("2026-12-01T10:00", "rita"),
        }
    )
    assert booked.items(kind="try-another") == []


# --- prepare and interview -------------------------------------------------------------

UNPREPARED = (
    "## Preparation\n- [x] Read profile\n- [ ] Research the company\n\n"
    "## Questions\n- How did you start?\n"
)


def test_prepare_says_what_is_missing(vault):
    v = vault(
        {
            "contacts/jane-doe.md": contact(),
            "interviews/a.md": interview(
                "2026-11-22T10:00",
                extra='questions: ["What is hard?"]\nformat: video\nlocation: Cafe\n',
                body=UNPREPARED,
            ),
        }
    )
    prepare = v.one("prepare")
    assert prepare.due == v.one("interview").due
    assert due_text(prepare) == "2026-11-22T10:00:00-05:00"
    assert prepare.text == (
        "Prepare for the conversation with Jane Doe (2026-11-22 10:00): "
        "1 unchecked task (Research the company), 3 questions short of 5 (have 2), "
        "no question yet on trends, advice, resources or assignments (TIARA)"
    )
    assert v.one("interview").text == "Informational interview with Jane Doe (video, 30 min, Cafe)"


def test_prepare_appears_prepare_days_before(vault):
    v = vault(
        {
            "contacts/jane-doe.md": contact(),
            "interviews/a.md": interview("2026-11-23T12:00", body=UNPREPARED),
        }
    )
    assert v.items("2026-11-20T11:59", "prepare") == []
    assert len(v.items("2026-11-20T12:00", "prepare")) == 1
    assert len(v.items("2026-11-20T11:59", "interview")) == 1


def test_a_date_only_interview_is_prepared_for_by_date(vault):
    v = vault(
        {"contacts/jane-doe.md": contact(), "interviews/a.md": interview("2026-11-23", body="")}
    )
    assert v.items("2026-11-19T23:59", "prepare") == []
    item = v.one("prepare", "2026-11-20T00:00")
    assert item.due == date(2026, 11, 23)
    assert "): 5 questions short of 5 (have 0), " in item.text


def test_complete_preparation_needs_no_item(vault):
    v = vault(
        {"contacts/jane-doe.md": contact(), "interviews/a.md": interview("2026-11-21", body=READY)}
    )
    assert [item.kind for item in v.items()] == ["interview"]


def test_prepare_names_the_tiara_kinds_no_question_covers(vault):
    questions = (
        "## Questions\n- How is the field changing?\n- What surprised you most?\n"
        "- What resources should I look into?\n"
    )
    v = vault(
        {
            "contacts/jane-doe.md": contact(),
            "interviews/a.md": interview("2026-11-21T10:00", body=questions),
        }
    )
    assert v.one("prepare").text == (
        "Prepare for the conversation with Jane Doe (2026-11-21 10:00): "
        "2 questions short of 5 (have 3), no question yet on advice or assignments (TIARA)"
    )


def test_tiara_gaps_alone_leave_preparation_complete(vault):
    # Five prepared questions, none a TIARA kind: advice, not a missing preparation.
    v = vault(
        {
            "contacts/jane-doe.md": contact(),
            "interviews/a.md": interview("2026-11-21T10:00", body=READY),
        }
    )
    assert v.items(kind="prepare") == []


def test_min_questions_comes_from_the_config(vault):
    v = vault(
        {"contacts/jane-doe.md": contact(), "interviews/a.md": interview("2026-11-21", body=READY)},
        config="timezone: America/New_York\nmin_questions: 7\n",
    )
    assert "): 2 questions short of 7 (have 5), " in v.one("prepare").text


# --- share-news ------------------------------------------------------------------------

CHAIN = {
    "contacts/daniel.md": contact("Daniel Okafor"),
    "contacts/lena.md": contact("Lena Fischer", 'referred_by: "[[daniel]]"\n'),
    "contacts/maria.md": contact("Maria Chen"),
    "interviews/2026-10-01-daniel.md": interview("2026-10-01T10:00", who="daniel"),
    "interviews/2026-10-20-lena.md": interview("2026-10-20T10:00", who="lena"),
    "interviews/2026-11-01-maria.md": interview("2026-11-01", who="maria"),
    "milestones/offer.md": (
        '---\ntype: milestone\ndate: 2026-11-17\nsummary: "Offer from Fabrikam."\n'
        'thanks: ["[[lena]]"]\n---\n'
    ),
}


def test_share_news_names_the_helpers_and_their_chain(vault):
    v = vault(CHAIN)
    items = v.items(kind="share-news")
    assert [(item.contact, item.text) for item in items] == [
        (
            "daniel",
            "Share your news with Daniel Okafor: Offer from Fabrikam (2026-11-17); "
            "they helped: they referred you to Lena Fischer",
        ),
        (
            "lena",
            "Share your news with Lena Fischer: Offer from Fabrikam (2026-11-17); "
            "they helped make it possible",
        ),
        ("maria", "Share your news with Maria Chen: Offer from Fabrikam (2026-11-17)"),
    ]
    assert {item.to_dict()["due"] for item in items} == {"2026-11-24"}
    assert {item.note for item in items} == {"milestones/offer.md"}


def test_share_news_skips_those_told_or_met_later(vault):
    files = dict(CHAIN)
    files["contacts/maria.md"] = contact("Maria Chen", "updates: [2026-11-17]\n")
    files["contacts/daniel.md"] = contact("Daniel Okafor", "updates: [2026-11-16]\n")
    files["interviews/2026-10-20-lena.md"] = interview("2026-11-17T09:00", who="lena")
    v = vault(files)
    # Maria was told on the day; Lena's interview was not before it; Daniel's update was.
    assert [item.contact for item in v.items(kind="share-news")] == ["daniel"]


# --- keep-in-touch ---------------------------------------------------------------------


def test_keep_in_touch_counts_from_the_latest_touch(vault):
    v = vault(
        {
            "contacts/jane-doe.md": contact(extra="updates: [2026-09-01, 2026-09-20]\n"),
            "interviews/a.md": interview(
                "2026-09-10T10:00", extra="thank_you_sent: 2026-09-11T08:00\n"
            ),
        }
    )
    item = v.one("keep-in-touch")
    assert item.to_dict()["due"] == "2026-11-19" and item.overdue
    assert item.text == "Send Jane Doe a progress update (last in touch 2026-09-20)"


def test_keep_in_touch_from_a_date_time_touch(vault):
    v = vault(
        {
            "contacts/jane-doe.md": contact(),
            "interviews/a.md": interview(
                "2026-09-10T10:00", extra="thank_you_sent: 2026-09-11T08:00\n"
            ),
        }
    )
    assert due_text(v.one("keep-in-touch")) == "2026-11-10T08:00:00-05:00"


def test_keep_in_touch_days_per_contact_and_per_vault(vault):
    files = {
        "contacts/jane-doe.md": contact(extra="keep_in_touch_days: 10\n"),
        "contacts/sam.md": contact("Sam Lee"),
        "interviews/a.md": interview("2026-11-01", extra="thank_you_sent: 2026-11-01\n"),
        "interviews/b.md": interview("2026-11-01", who="sam", extra="thank_you_sent: 2026-11-01\n"),
    }
    v = vault(files, config="timezone: America/New_York\nkeep_in_touch_days: 30\n")
    dues = {item.contact: due_text(item) for item in v.items(kind="keep-in-touch")}
    assert dues == {"jane-doe": "2026-11-11", "sam": "2026-12-01"}


# --- order, selection, identity --------------------------------------------------------


def test_items_sort_by_due_then_kind_then_note_then_text(vault):
    v = vault(
        {
            "contacts/jane-doe.md": contact(extra="requested: 2026-11-15\n"),
            "contacts/sam.md": contact("Sam Lee", "requested: 2026-11-15\n"),
            "interviews/b.md": interview("2026-11-19", who="ann", body=""),
            "interviews/a.md": interview(
                "2026-11-19T14:00", who="ann", extra='referrals: ["Zoe Wu", "Priya Patel"]\n'
            ),
        }
    )
    order = [(item.kind, item.note, due_text(item), item.text[:13]) for item in v.items()]
    assert order == [
        # A day's date-only dues come before the moments of that day.
        ("thank-you", "interviews/b.md", "2026-11-20", "Send ann a th"),
        ("follow-up-request", "contacts/jane-doe.md", "2026-11-20", "No answer fro"),
        ("follow-up-request", "contacts/sam.md", "2026-11-20", "No answer fro"),
        ("thank-you", "interviews/a.md", "2026-11-20T14:30:00-05:00", "Send ann a th"),
        ("reflect", "interviews/b.md", "2026-11-21", "Write your re"),
        ("contact-referral", "interviews/a.md", "2026-11-26T14:30:00-05:00", "Contact Priya"),
        ("contact-referral", "interviews/a.md", "2026-11-26T14:30:00-05:00", "Contact Zoe W"),
    ]


def test_every_kind_has_its_rank():
    assert KINDS == (
        "thank-you",
        "reflect",
        "contact-referral",
        "follow-up-request",
        "try-another",
        "prepare",
        "interview",
        "share-news",
        "keep-in-touch",
    )


def test_select_by_horizon_and_kind(vault):
    v = vault(
        {
            "contacts/jane-doe.md": contact(extra="requested: 2026-11-22\nrequest_via: email\n"),
            "contacts/sam.md": contact("Sam Lee"),
            "interviews/a.md": interview("2026-11-27T12:00", who="sam", body=READY),
        }
    )
    now = v.at(NOW)
    items = build_agenda(v.index, now)
    assert [item.kind for item in select(items, now)] == ["follow-up-request", "interview"]
    # The horizon is inclusive: a moment exactly 7 days ahead and a day 7 days ahead.
    earlier = v.at("2026-11-20T11:59:59")
    assert [item.kind for item in select(build_agenda(v.index, earlier), earlier)] == [
        "follow-up-request"
    ]
    assert [item.kind for item in select(items, now, 0)] == []
    assert len(select(items, now, None)) == 2
    assert [item.kind for item in select(items, now, None, {"interview"})] == ["interview"]


def test_overdue_items_are_always_selected(vault):
    v = vault({"contacts/jane-doe.md": contact(extra="requested: 2026-01-01\n")})
    now = v.at(NOW)
    assert [item.kind for item in select(build_agenda(v.index, now), now, 0)] == [
        "follow-up-request"
    ]


def test_uid_names_the_item_not_its_due_or_text(vault):
    v = referral_vault(vault, '  - "Sam Lee"\n  - "Priya Patel"\n')
    early = v.items("2026-11-20T12:00", "contact-referral")
    late = v.items("2026-12-20T12:00", "contact-referral")
    assert [item.uid for item in early] == [item.uid for item in late]
    assert len({item.uid for item in early}) == 2
    assert early[0].overdue != late[0].overdue


# --- wording of times ------------------------------------------------------------------


ZONE_NOW = "2026-11-20T12:00"


@pytest.mark.parametrize(
    ("due", "text"),
    [
        ("2026-11-20T16:00", "due in 4 h"),
        ("2026-11-20T12:20", "due in 20 min"),
        ("2026-11-20T12:00", "due in 1 min"),
        ("2026-11-23T12:00", "due in 3 days"),
        ("2026-11-17T12:00", "3 days overdue"),
        ("2026-11-20T09:00", "3 h overdue"),
        ("2026-11-20", "due today"),
        ("2026-11-21", "due tomorrow"),
        ("2026-11-25", "due in 5 days"),
        ("2026-11-19", "1 day overdue"),
        ("2026-11-17", "3 days overdue"),
    ],
)
def test_describe_due(vault, due, text):
    v = vault({})
    now = v.at(ZONE_NOW)
    value = v.at(due) if "T" in due else date.fromisoformat(due)
    assert describe_due(value, now) == text


@pytest.mark.parametrize(
    ("due", "overdue", "group"),
    [
        (date(2026, 11, 19), True, "Overdue"),
        (date(2026, 11, 20), False, "Today"),
        (date(2026, 11, 26), False, "This week"),
        # SPEC 4.3: due within seven days, the seventh included (the default --within 7
        # shows it, so it must not be grouped as "Later").
        (date(2026, 11, 27), False, "This week"),
        (date(2026, 11, 28), False, "Later"),
    ],
)
def test_groups(vault, due, overdue, group):
    now = vault({}).at(ZONE_NOW)
    item = AgendaItem("reflect", due, overdue, "a.md", None, "x", "x")
    assert group_of(item, now) == group
    soon = AgendaItem("reflect", now + timedelta(hours=1), False, "a.md", None, "x", "x")
    assert group_of(soon, now) == "Today"


# --- laws over time --------------------------------------------------------------------

_LAW_FILES = {
    "contacts/jane-doe.md": contact(extra="requested: 2026-11-12\nrequest_via: email\n"),
    "contacts/sam.md": contact("Sam Lee"),
    "interviews/2026-10-31-jane-doe.md": interview(
        "2026-10-31T14:00", extra='referrals: ["Priya Patel"]\n', body=""
    ),
    "interviews/2026-11-05-sam.md": interview("2026-11-05", who="sam", body=UNPREPARED),
    "milestones/offer.md": "---\ntype: milestone\ndate: 2026-11-03\nsummary: Offer\n---\n",
}


@pytest.fixture(scope="module")
def law_vault(tmp_path_factory):
    from conftest import write_vault

    root = write_vault(tmp_path_factory.mktemp("laws"), _LAW_FILES)
    return Vault(load_index(root, load_config(root)))


@settings(max_examples=200, deadline=None)
@given(minutes=st.integers(min_value=0, max_value=120 * 24 * 60))
def test_overdue_sort_and_wording_agree_at_any_moment(law_vault, minutes):
    now = law_vault.at("2026-10-25T00:00") + timedelta(minutes=minutes)
    items = build_agenda(law_vault.index, now)
    assert items == sorted(items, key=AgendaItem.sort_key)
    for item in items:
        wording = describe_due(item.due, now)
        assert item.overdue == wording.endswith("overdue")
        assert (group_of(item, now) == "Overdue") == item.overdue


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(),
    note=st.text(min_size=1),
    contact=st.none() | st.text(),
    kind=st.sampled_from(KINDS),
    overdue=st.booleans(),
    due=st.dates(min_value=date(1000, 1, 1), max_value=date(9000, 12, 31))
    | st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9000, 12, 30)).map(
        lambda moment: moment.replace(tzinfo=ZoneInfo("America/New_York"))
    ),
)
def test_item_json_is_exactly_the_encoded_to_dict(text, note, contact, kind, overdue, due):
    """--json lines are written by an encoder derived from the item's fields (and, from
    the agenda memo, around `overdue`): they must be the very text the one JSON encoder
    gives `to_dict` (quotes, backslashes, control characters, non-ASCII), whatever
    `overdue` turns out to be, and read back as the item."""
    item = AgendaItem(kind, due, overdue, note, contact, text, "s")
    assert ITEM_JSON.write(item) == encode_json(item.to_dict())
    before, after = ITEM_JSON.around_text(item)
    for value in (True, False):
        assert before + encode_json(value) + after == encode_json(
            {**item.to_dict(), "overdue": value}
        )
    assert json.loads(ITEM_JSON.write(item)) == item.to_dict()


def test_the_json_object_holds_every_field_shown_in_order():
    """SPEC 4.3's keys are the item's fields, less the one kept from users."""
    item = AgendaItem("reflect", date(2026, 1, 2), True, "a.md", None, "x", "subject")
    assert list(item.to_dict()) == ["kind", "due", "overdue", "note", "contact", "text"]
    assert item.to_dict()["due"] == "2026-01-02"


_WHEN = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 1, 10)) | st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2026, 1, 10)
).map(lambda moment: moment.replace(tzinfo=ZoneInfo("America/New_York")))


@settings(max_examples=400, deadline=None)
@given(
    starts=st.lists(_WHEN, min_size=1, max_size=3),
    updates=st.lists(_WHEN, max_size=3),
    happened=_WHEN,
)
def test_owed_news_is_the_rule_of_spec_3_4(starts, updates, happened):
    """Talked to before the milestone and not updated on or after it (a date compares
    by day): the per-contact shortcut must say what the rule says."""
    from infoint_notes.core.dates import before
    from infoint_notes.core.model import Contact, Interview, ParsedNote
    from infoint_notes.rules.agenda import Talked

    parsed = ParsedNote("c.md", "c", {})
    person = Contact("c.md", "c", "contact", parsed, updates=tuple(updates))
    done = [
        Interview(f"i{n}.md", f"i{n}", "interview", parsed, start=s) for n, s in enumerate(starts)
    ]
    expected = any(before(start, happened) for start in starts) and not any(
        not before(update, happened) for update in updates
    )
    assert Talked(person, done).owed_news(happened) == expected


def test_the_rules_see_the_clock_only_through_decide():
    """A remembered agenda stays right only if every decision that depends on the moment
    says when it flips. So the rules are given a `Clock`, not the moment: inside
    the agenda's modules only `Clock` reads its moment, and `Rules` keeps none of its own."""
    import ast
    import inspect

    from infoint_notes.rules import agenda, agenda_item, agenda_rules, dues

    readers = set()
    for module in (agenda, agenda_item, agenda_rules, dues):
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if isinstance(node, ast.ClassDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Attribute) and inner.attr in ("_now", "now"):
                        readers.add(node.name)
    assert readers == {"Clock"}
    assert set(agenda.Clock.__slots__) == {"_now", "overdue", "valid_until"}


def test_try_another_finds_colleagues_whatever_the_legal_suffix(vault):
    v = vault(
        {
            "contacts/rita.md": contact("Rita Gomez", f"organization: Fabrikam, Inc.\n{ASKED}"),
            "contacts/noah.md": contact("Noah Williams", "organization: FABRIKAM\n"),
        }
    )
    assert v.one("try-another").text.endswith("(asked 2026-11-13): Noah Williams")
