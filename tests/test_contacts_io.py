"""Reading LinkedIn CSV, vCard and JSON contacts; de-duplication; exact export round trips."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infoint_notes.core.config import load_config
from infoint_notes.formats.contacts import export_csv, export_json, read_json_contacts
from infoint_notes.formats.importfile import ImportFailure
from infoint_notes.formats.linkedin import read_linkedin_csv
from infoint_notes.formats.vcard import export_vcards, read_vcards
from infoint_notes.speed.loader import load_index
from infoint_notes.write.import_plan import plan_import

FIXTURES = Path(__file__).parent / "fixtures"


def test_linkedin_export_with_preamble_bom_and_quoted_commas():
    result = read_linkedin_csv(FIXTURES / "Connections.csv")
    names = [record.name for record in result.records]
    assert names == ["Maria Chen", "José Núñez", "Sam Lee", "Maria Chen", "Aïsha Rahman"]
    jose = result.records[1].fields
    assert jose == {
        "type": "contact",
        "name": "José Núñez",
        "organization": "Fabrikam, Inc.",
        "title": "Director, Research & Data",
        "linkedin": "https://www.linkedin.com/in/jose-nunez-12345",
        "source": "linkedin",
        "connected_on": "2023-03-03",
    }
    assert "email" not in jose  # an empty email is no email
    assert result.records[0].fields["email"] == "maria.chen@example.com"
    assert result.records[4].fields["organization"] == 'Northwind "Traders"'
    assert result.invalid == ((8, "no first or last name"),)
    assert result.records[0].line == 5


def test_linkedin_duplicates_within_the_file_and_against_the_vault(make_vault):
    vault = make_vault(
        {
            "contacts/sam.md": "---\ntype: contact\nname: SAM  LEE\n"
            'organization: "[[contoso]]"\n---\n'
        }
    )
    index = load_index(vault, load_config(vault))
    plan = plan_import(index.contacts, read_linkedin_csv(FIXTURES / "Connections.csv"))
    assert [record.name for record in plan.create] == ["Maria Chen", "José Núñez", "Aïsha Rahman"]
    assert [(record.name, why) for record, why in plan.skipped] == [
        ("Sam Lee", "contacts/sam.md"),
        ("Maria Chen", "line 5 of the same file"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Name,Email\nJane,j@x\n", "no header row"),
        (b"First Name,Last Name\nJos\x81,N\n", "neither UTF-8 nor Windows-1252"),
        (b'First Name,Last Name\n"unclosed,x\n', "not valid CSV"),
    ],
)
def test_unusable_csv_files_name_the_file(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFailure, match=message) as caught:
        read_linkedin_csv(path)
    assert str(path) in str(caught.value)


def test_vcards_3_and_4_with_folding_escapes_and_non_ascii():
    result = read_vcards(FIXTURES / "contacts.vcf")
    lena, soren, daniel = result.records
    assert lena.fields == {
        "type": "contact",
        "name": "Lena Fischer",
        "organization": "Fabrikam, Inc.",
        "title": "Data Scientist; Forecasting",
        "email": "lena.fischer@example.com",
        "phone": "+49 30 1234567",
        "linkedin": "https://www.linkedin.com/in/lenafischer",
    }
    assert lena.body == (
        "Met at the analytics meetup. She suggested reading about demand "
        "forecasting before we talk."
    )
    assert soren.fields["name"] == "Søren Kierkegaard-Ørsted"
    assert soren.fields["aliases"] == ["Søren K"]
    assert soren.fields["location"] == "København"
    assert soren.fields["tags"] == ["philosophy", "consulting"]
    assert daniel.fields["name"] == "Daniel Okafor"  # from N when there is no FN
    assert result.invalid == ((27, "card has no name (FN or N)"),)


def test_a_file_without_a_card_names_itself(tmp_path):
    path = tmp_path / "broken.vcf"
    path.write_text("FN:Jane\nEND:VCARD\n")
    with pytest.raises(ImportFailure, match=r"broken\.vcf: no vCard in it"):
        read_vcards(path)


def test_a_card_cut_off_is_reported_with_its_line(tmp_path):
    path = tmp_path / "broken.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:4.0\nFN:Jane\n")
    result = read_vcards(path)
    assert result.records == ()
    assert result.invalid == ((1, "no END:VCARD: the card is cut off"),)


ROUND_TRIP_VAULT = {
    "contacts/maria-chen.md": """
        ---
        type: contact
        name: Maria Chen
        aliases: [M. Chen, Mimi]
        organization: "[[contoso]]"
        title: "Product Manager, Platform"
        field: product
        location: Seattle
        address: "1 Pike St, Seattle, WA 98101"
        email: maria@example.com
        other_emails: [m.chen@contoso.example, mimi@example.org]
        phone: "0123 555"
        other_phones: ["+1 206 555 0100"]
        linkedin: https://www.linkedin.com/in/mariachen
        websites: [https://mariachen.example.com]
        birthday: 1988-04-12
        source: alumni
        tags: [alumni, product]
        requested: 2026-10-01
        request_via: email
        responded: 2026-10-02T09:30
        updates: [2026-11-01, 2026-11-10]
        followed_up: [2026-10-06]
        keep_in_touch_days: 45
        status: active
        favourite-coffee: flat white
        shoe_size: 39
        ---
        # Maria

        Met at the alumni dinner; loves talking about platform teams.
        """,
    "contacts/sam-lee.md": """
        ---
        type: contact
        name: Sam Lee
        referred_by: "[[maria-chen]]"
        referrer_ok: true
        linkedin: samlee
        status: inactive
        ---
        """,
}


def _exported_index(make_vault):
    vault = make_vault(ROUND_TRIP_VAULT)
    return vault, load_index(vault, load_config(vault))


def test_vcard_round_trip_loses_nothing(make_vault, tmp_path):
    vault, index = _exported_index(make_vault)
    referrers = {c.path: index.referrer_of(c).id for c in index.contacts if index.referrer_of(c)}
    path = tmp_path / "out.vcf"
    path.write_text(export_vcards(index.contacts, referrers, vault))
    text = path.read_text()
    assert "VERSION:4.0" in text and "RELATED;TYPE=contact:urn:uuid:" in text
    assert "X-INFOINT-KEEP-IN-TOUCH-DAYS:45" in text
    # What an address book understands goes in its standard properties, not X-INFOINT.
    lines = text.splitlines()
    assert "EMAIL;PREF=1:maria@example.com" in lines and "EMAIL:mimi@example.org" in lines
    assert "TEL:+1 206 555 0100" in lines and "BDAY:19880412" in lines
    assert 'ADR;LABEL="1 Pike St, Seattle, WA 98101":;;;Seattle;;;' in lines
    assert "URL:https://mariachen.example.com" in lines
    assert not any(line.startswith(("X-INFOINT-EMAIL", "X-INFOINT-OTHER")) for line in lines)
    assert 'X-INFOINT--ID:"maria-chen"' in lines
    records = read_vcards(path).records
    for contact, record in zip(index.contacts, records, strict=True):
        assert record.fields == contact.data
    assert (
        records[0].body
        == "# Maria\n\nMet at the alumni dinner; loves talking about platform teams."
    )


def test_json_round_trip_loses_nothing(make_vault, tmp_path):
    vault, index = _exported_index(make_vault)
    path = tmp_path / "out.json"
    path.write_text(export_json(index.contacts, vault))
    records = read_json_contacts(path).records
    assert [record.fields for record in records] == [c.data for c in index.contacts]
    assert records[1].body is None


def test_csv_export_has_a_header_and_quotes_properly(make_vault):
    _, index = _exported_index(make_vault)
    import csv
    import io

    rows = list(csv.reader(io.StringIO(export_csv(index.contacts))))
    header = rows[0]
    assert header[:4] == ["id", "path", "name", "organization"]
    assert header[-2:] == ["favourite-coffee", "shoe_size"]
    maria = dict(zip(header, rows[1], strict=True))
    assert maria["title"] == "Product Manager, Platform"
    assert maria["aliases"] == "M. Chen; Mimi"
    assert maria["updates"] == "2026-11-01; 2026-11-10"
    assert maria["phone"] == "0123 555"
    sam = dict(zip(header, rows[2], strict=True))
    assert sam["referrer_ok"] == "true" and sam["referred_by"] == "[[maria-chen]]"


def test_export_command_formats(make_vault, run):
    vault = make_vault(ROUND_TRIP_VAULT)
    csv_out = run(vault, "export", "contacts")
    assert csv_out.exit_code == 0 and csv_out.stdout.startswith("id,path,name,")
    json_out = run(vault, "export", "contacts", "--format", "json")
    import json

    assert [item["id"] for item in json.loads(json_out.stdout)] == ["maria-chen", "sam-lee"]
    vcard_out = run(vault, "export", "contacts", "--format", "vcard")
    assert vcard_out.stdout.count("BEGIN:VCARD") == 2
    assert b"\r\n" in vcard_out.stdout_bytes  # RFC 6350 line endings


def test_export_where_filters_like_list(make_vault, run):
    vault = make_vault(ROUND_TRIP_VAULT)
    result = run(vault, "export", "contacts", "--format", "json", "--where", "status=inactive")
    import json

    assert [item["id"] for item in json.loads(result.stdout)] == ["sam-lee"]
    bad = run(vault, "export", "contacts", "--where", "=oops")
    assert bad.exit_code == 2 and "=oops" in bad.stderr


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
_EMAIL = st.from_regex(r"[a-z0-9._%+-]{1,8}@[a-z0-9-]{1,8}\.[a-z]{2,4}", fullmatch=True)
_CARRIED = {
    "name": _TEXT,
    "aliases": st.lists(_TEXT, max_size=3),
    "organization": _TEXT,
    "title": _TEXT,
    "location": _TEXT,
    "address": _TEXT,
    "email": st.one_of(_EMAIL, _TEXT),
    "other_emails": st.lists(st.one_of(_EMAIL, _TEXT), max_size=3),
    "phone": _TEXT,
    "other_phones": st.lists(_TEXT, max_size=3),
    "linkedin": st.one_of(st.just("https://www.linkedin.com/in/x,y;z"), _TEXT),
    "websites": st.lists(_TEXT, max_size=3),
    "birthday": st.one_of(st.dates().map(str), _TEXT),
    "tags": st.lists(_TEXT, max_size=3),
}


@settings(max_examples=150, deadline=None)
@given(fields=st.fixed_dictionaries({}, optional=_CARRIED))
def test_every_value_of_a_field_vcard_carries_comes_back_exactly(fields, tmp_path_factory):
    """Commas, semicolons, colons, backslashes, quotes, line breaks, control characters,
    several values or none: what the standard properties cannot give back exactly
    travels in X-INFOINT-<KEY> as well, and import prefers it."""
    from infoint_notes.core.notes import build_note
    from infoint_notes.core.parse import parse_note
    from infoint_notes.write.edit import scalar_text

    front = "".join(f"{key}: {scalar_text(value)}\n" for key, value in fields.items())
    text = f"---\ntype: contact\n{front}---\n"
    contact = build_note(parse_note("contacts/x.md", text.encode()), ZoneInfo("UTC"))
    path = tmp_path_factory.mktemp("vcard") / "x.vcf"
    path.write_text(export_vcards([contact], {}, None), encoding="utf-8")
    (record,) = read_vcards(path).records
    expected = dict(contact.data)
    expected.setdefault("name", "x")  # a card needs a name: the note's id stands in
    assert record.fields == {key: value for key, value in expected.items() if value != []}
    assert record.id == "x"
