"""The `--where` mini-language: every operator on text, lists, dates, numbers and links."""

from __future__ import annotations

import pytest

from infoint_notes.core.config import load_config
from infoint_notes.core.errors import UsageError
from infoint_notes.rules.query import QueryError, parse_condition, parse_query
from infoint_notes.speed.loader import load_index

NOTES = {
    "contacts/maria.md": """
        ---
        type: contact
        name: Maria Chen
        organization: "[[contoso]]"
        title: Senior Product Manager
        tags: [alumni, product]
        requested: 2026-10-23
        rating: 4.5
        met_at: Alumni Night
        ---
        """,
    "contacts/sam.md": """
        ---
        type: contact
        name: Sam Lee
        organization: Contoso
        title: UX Researcher
        tags: [research]
        referred_by: "[[maria]]"
        requested: 2026-11-10T09:00
        rating: 3
        phone: ""
        ---
        """,
    "contacts/ola.md": """
        ---
        type: contact
        name: Ola Berg
        organization: Big Co
        referred_by: [[Maria Chen]]
        tags: []
        ---
        """,
    "contacts/kim.md": """
        ---
        type: contact
        name: Kim Park
        organization: Contoso Ltd
        phone: "+1 555 0100"
        ---
        """,
    "organizations/contoso.md": """
        ---
        type: organization
        name: Contoso
        aliases: [Contoso Corporation]
        ---
        """,
    "interviews/i1.md": """
        ---
        type: interview
        contact: "[[maria]]"
        date: 2026-11-20T14:00
        duration: 45
        ---
        """,
    "interviews/i2.md": """
        ---
        type: interview
        contact: "[[sam]]"
        date: 2026-11-21
        ---
        """,
}


@pytest.fixture
def index(make_vault):
    root = make_vault(NOTES)
    return load_index(root, load_config(root))


def ids(index, *expressions, kind="contact"):
    query = parse_query(expressions, index.config.zone, index.resolver.resolve_one)
    return sorted(note.id for note in index.notes if note.kind == kind and query.matches(note))


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # text: equal ignoring case, not equal (absent counts), substring
        ("title=ux researcher", ["sam"]),
        ("title!=UX Researcher", ["kim", "maria", "ola"]),
        ("title~PRODUCT", ["maria"]),
        ("Title=ux researcher", ["sam"]),  # field names ignore case too
        ("met_at=alumni night", ["maria"]),  # a field the user invented
        ("title='Senior Product Manager'", ["maria"]),  # quotes are optional
        # lists: membership, its negation, substring of an item
        ("tags=alumni", ["maria"]),
        ("tags!=alumni", ["kim", "ola", "sam"]),
        ("tags~sea", ["sam"]),
        # presence; "" and [] are empty
        ("phone?", ["kim"]),
        ("!phone", ["maria", "ola", "sam"]),
        ("tags?", ["maria", "sam"]),
        ("!tags", ["kim", "ola"]),
        # dates: a date against a date-time compares by day
        ("requested>2026-11-01", ["sam"]),
        ("requested<2026-11-01", ["maria"]),
        ("requested>=2026-11-10", ["sam"]),
        ("requested>2026-11-10", []),
        ("requested>2026-11-10T08:00", ["sam"]),
        ("requested=2026-11-10", ["sam"]),
        # numbers
        ("rating>4", ["maria"]),
        ("rating<=3", ["sam"]),
        ("rating=4.5", ["maria"]),
        # links: the same note, however it is written
        ("organization=contoso", ["maria", "sam"]),
        ("organization=Contoso Corporation", ["maria", "sam"]),
        ("organization=[[contoso]]", ["maria", "sam"]),
        ("organization~contoso", ["kim", "maria", "sam"]),
        ("referred_by=maria", ["ola", "sam"]),  # ola's is unquoted [[Maria Chen]]
        ("referred_by=Maria Chen", ["ola", "sam"]),
        ("referred_by!=maria", ["kim", "maria"]),
    ],
)
def test_operators(index, expression, expected):
    assert ids(index, expression) == expected


def test_several_filters_all_apply(index):
    assert ids(index, "organization=contoso", "tags=research") == ["sam"]
    assert ids(index, "organization=contoso", "!tags") == []


def test_interview_dates_and_numbers(index):
    assert ids(index, "date=2026-11-20", kind="interview") == ["i1"]
    assert ids(index, "date>2026-11-20", kind="interview") == ["i2"]
    assert ids(index, "date<2026-11-20T15:00", kind="interview") == ["i1"]
    assert ids(index, "duration>30", kind="interview") == ["i1"]
    assert ids(index, "contact=Maria Chen", kind="interview") == ["i1"]


def test_derived_values_are_used_when_the_front_matter_has_none(index):
    query = parse_query(["stage=interviewed"], index.config.zone)
    sam = index.find("sam")
    assert query.matches(sam, {"stage": "interviewed"})
    assert not query.matches(sam, {"stage": "prospect"})
    assert not query.matches(sam)


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("stage", "use field=value"),
        ("=value", "use field=value"),
        ("!a=b", "use field=value"),
        ("name=", "no value after '='; to test for a missing field write !name"),
        ("requested>soon", "'soon' is not a date"),
        ("rating<", "no value after '<'"),
        ("", "use field=value"),
    ],
)
def test_malformed_expressions_name_themselves(expression, reason, index):
    with pytest.raises(QueryError) as caught:
        parse_condition(expression, index.config.zone)
    assert f"bad --where expression {expression!r}: " in str(caught.value)
    assert reason in str(caught.value)
    assert isinstance(caught.value, UsageError)  # the CLI turns it into exit 2
