"""The corpus of address books and LinkedIn exports (tests/fixtures/contacts/), read.

Each file is written in the shape a real program writes (see the README there): vCard
2.1 from Android (quoted-printable, CHARSET) and Outlook (Windows-1252), 3.0 from Apple
Contacts, Google Contacts and a UTF-16 Windows file, 4.0 as khard keeps it, a file
with a broken card; LinkedIn's Connections.csv of several vintages, and saved again by
spreadsheets.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from infoint_notes.formats.importfile import ImportFailure, decode_import
from infoint_notes.formats.linkedin import connected_on, read_linkedin_csv
from infoint_notes.formats.vcard import read_vcards

CORPUS = Path(__file__).parent / "fixtures" / "contacts"

#: file -> (the people read, how it was decoded when not UTF-8, (line, reason) left out)
EXPECTED = {
    "android-2.1.vcf": (["Jörg Müller", "김철수", "Grace Okafor", "Tomás Diaz"], None, ()),
    "outlook-2.1.vcf": (["René François", "Åse Jørgensen"], "Windows-1252 (not UTF-8)", ()),
    "windows-utf16.vcf": (["Ελένη Παπαδοπούλου", "Дмитрий Шостакович"], "UTF-16", ()),
    "apple-3.0.vcf": (["Johnny Appleseed", "Aisha Rahman"], None, ()),
    "google-3.0.vcf": (["Sam Lee", "Sam Lee", "Maria Chen"], None, ()),
    "khard-4.0.vcf": (
        ["Minimal Contact", "Phone Only", "Hana Kim", "Min-jun Kim", "최유림"],
        None,
        (),
    ),
    "one-bad-card.vcf": (
        ["Ada Lovelace", "Mary Somerville", "Grace Hopper"],
        None,
        (
            (10, "cannot read this card: not a vCard property (no ':'): this line lost its fold"),
            (17, "no END:VCARD before the next card (line 21)"),
        ),
    ),
    "linkedin-2024.csv": (
        ["Maria Chen", "Ελένη Παπαδοπούλου", "철수 김", "Дмитрий Шостакович", "José Núñez"],
        None,
        (),
    ),
    "linkedin-2018.csv": (["Ben Carter", "Emma Larsson", "Olivia Brown"], None, ()),
    "linkedin-excel.csv": (
        ["Sofia Rossi", "Åse Jørgensen", "René François"],
        "Windows-1252 (not UTF-8)",
        (),
    ),
    "linkedin-unicode-text.txt": (["Hiro Tanaka", "Zoë Nakamura"], "UTF-16", ()),
    "linkedin-sheets.csv": (["Jordan Kim", "Marcus Webb"], None, ()),
}


def read(name: str):
    path = CORPUS / name
    return read_vcards(path) if name.endswith(".vcf") else read_linkedin_csv(path)


def test_the_corpus_is_all_here():
    assert sorted(path.name for path in CORPUS.iterdir() if path.name != "README.md") == sorted(
        EXPECTED
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_file_of_the_corpus_reads(name):
    names, read_as, invalid = EXPECTED[name]
    result = read(name)
    assert [record.name for record in result.records] == names
    assert result.read_as == read_as
    assert result.invalid == invalid


def _person(name: str, who: str):
    return next(record for record in read(name).records if record.name == who)


def test_android_2_1_keeps_every_value_decoded():
    """Quoted-printable UTF-8 with soft line breaks, bare TYPE parameters, a photo
    folded the 2.1 way; every EMAIL, TEL and URL, the whole ADR, BDAY."""
    jorg = _person("android-2.1.vcf", "Jörg Müller")
    assert jorg.fields == {
        "type": "contact",
        "name": "Jörg Müller",
        "organization": "Fabrikam GmbH",
        "title": "Leiter Datenanalyse",
        "location": "Berlin",
        "address": "Hauptstraße 5, Hinterhaus, Berlin, 10115, Deutschland",
        "email": "joerg.mueller@example.de",
        "other_emails": ["j.mueller@fabrikam.example"],
        "phone": "+49 170 1234567",  # TEL;CELL;PREF
        "other_phones": ["+49 30 9876543", "+49 30 1112223"],
        "linkedin": "https://www.linkedin.com/in/joerg-mueller-berlin",
        "websites": ["https://joerg-mueller.example.de"],
        "birthday": "1984-03-09",
    }
    assert jorg.body == (
        "Kennt das Team für Datenanalyse bei Fabrikam; hat angeboten, mich beim Leiter "
        "vorzustellen."
    )


def test_outlook_2_1_in_windows_1252_with_a_quoted_printable_note():
    rene = _person("outlook-2.1.vcf", "René François")
    assert rene.fields["organization"] == "Northwind Traders"
    assert rene.fields["address"] == "1250 rue Université, Montréal, QC, H3B 4W8, Canada"
    assert rene.fields["email"] == "rene.francois@northwind.example"  # EMAIL;PREF
    assert rene.fields["other_emails"] == ["rfrancois@example.ca"]
    assert rene.fields["websites"] == ["https://www.northwind.example/equipe"]
    assert rene.fields["birthday"] == "1976-02-18"
    assert rene.body == ("Rencontré au salon de l'emploi; prêt à présenter l'équipe logistique.")


def test_apple_preferred_values_come_first_and_a_yearless_birthday_is_said():
    johnny = _person("apple-3.0.vcf", "Johnny Appleseed")
    assert johnny.fields["email"] == "johnny@contoso.example"  # item1.EMAIL;type=pref
    assert johnny.fields["other_emails"] == ["johnny.appleseed@example.com"]
    assert johnny.fields["address"] == "1 Orchard Lane, Apt 3, Seattle, WA, 98101, United States"
    assert johnny.fields["location"] == "Seattle"
    assert johnny.fields["websites"] == ["https://johnny.example.com/blog"]
    assert "birthday" not in johnny.fields and "referred_by" not in johnny.fields
    assert johnny.notes == ("BDAY '1604-04-12' has no year; left out (birthday is a date)",)
    assert johnny.uid == "2F6E7A8B-1C3D-4E5F-8A9B-0C1D2E3F4A5B"
    assert johnny.body == (
        "Met at the product meetup, Seattle. Offered to introduce me to the growth team."
    )


def test_google_escaped_colons_and_whole_titles():
    sam = _person("google-3.0.vcf", "Sam Lee")
    assert sam.fields["linkedin"] == "https://www.linkedin.com/in/samlee"  # `https\://`
    assert sam.fields["websites"] == ["https://samlee.example.net"]
    aisha = _person("apple-3.0.vcf", "Aisha Rahman")
    assert aisha.fields["title"] == "Director, Operations"  # an unescaped comma ends nothing


def test_khard_family_relations_are_no_referrals():
    hana = _person("khard-4.0.vcf", "Hana Kim")
    assert hana.referrer_uid is None  # RELATED;TYPE=spouse
    assert hana.fields["phone"] == "+1-312-555-0133"  # VALUE=uri:tel:...
    assert hana.fields["address"] == (
        "PostBox 7, Suite 200, 100 Main Street, Chicago, IL, 60601, USA"
    )
    assert hana.notes == ("BDAY '--0412' has no year; left out (birthday is a date)",)


def test_a_referral_relation_names_the_referrers_uid(tmp_path):
    path = tmp_path / "referral.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:1\nFN:Ann Bell\n"
        "RELATED;TYPE=contact:urn:uuid:2\nRELATED;TYPE=friend:urn:uuid:3\nEND:VCARD\n"
    )
    (ann,) = read_vcards(path).records
    assert ann.referrer_uid == "urn:uuid:2"


def test_linkedin_dates_of_every_vintage_are_iso_dates():
    dates = {
        record.name: record.fields.get("connected_on")
        for name in EXPECTED
        if not name.endswith(".vcf")
        for record in read(name).records
    }
    assert dates["Ben Carter"] == "2018-01-08"  # 1/8/18, 6:14 PM
    assert dates["Sofia Rossi"] == "2023-04-23"  # 23-Apr-23
    assert dates["Maria Chen"] == "2024-05-30"  # 30 May 2024
    assert dates["Marcus Webb"] == "2020-10-05"  # 2020-10-05 00:00:00
    assert all(len(value) == 10 and value[4] == "-" for value in dates.values()), dates


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("30 May 2024", "2024-05-30"),
        ("03 Mar 2023", "2023-03-03"),
        ("23-Apr-23", "2023-04-23"),
        ("7-Sept-22", "2022-09-07"),
        ("1/8/18, 6:14 PM", "2018-01-08"),
        ("12/31/2019", "2019-12-31"),
        ("May 30, 2024", "2024-05-30"),
        ("2024-05-30", "2024-05-30"),
        ("2024-05-30T10:00:00Z", "2024-05-30"),
        ("31 Feb 2024", "31 Feb 2024"),  # no such day: kept as written
        ("last spring", "last spring"),
    ],
)
def test_connected_on(text, iso):
    assert connected_on(text) == iso


def test_a_member_urn_is_no_email():
    kim = _person("linkedin-2024.csv", "철수 김")
    assert "email" not in kim.fields and kim.notes == ()


def test_a_value_that_is_no_email_address_is_said(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text("First Name,Last Name,Email Address\nAda,Lovelace,ada at example dot org\n")
    (ada,) = read_linkedin_csv(path).records
    assert "email" not in ada.fields
    assert ada.notes == ("'ada at example dot org' is not an email address; left out",)


@pytest.mark.parametrize(
    ("raw", "text", "read_as"),
    [
        (b"\xef\xbb\xbfJos\xc3\xa9", "José", None),
        ("José".encode("utf-16"), "José", "UTF-16"),
        ("José".encode("utf-16-be").join([b"\xfe\xff", b""]), "José", "UTF-16"),
        (b"Jos\xe9 \x93quoted\x94", "José “quoted”", "Windows-1252 (not UTF-8)"),
    ],
)
def test_import_files_are_decoded_as_their_programs_wrote_them(raw, text, read_as):
    decoded = decode_import(raw, "file")
    assert (decoded.text, decoded.read_as) == (text, read_as)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"Jos\x81", "neither UTF-8 nor Windows-1252 (bad byte on line 1)"),
        (b"J\x00o\x00s\x00", "binary (contains NUL bytes)"),
    ],
)
def test_undecodable_files_are_refused(raw, message):
    with pytest.raises(ImportFailure, match=re.escape(message)):
        decode_import(raw, "file")
