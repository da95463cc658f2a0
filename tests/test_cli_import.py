"""`infoint import` end to end: LinkedIn, vCard and JSON into real vaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import vault_files, write_vault
from tests.test_contacts_io import ROUND_TRIP_VAULT

FIXTURES = Path(__file__).parent / "fixtures"
MARIA = "---\ntype: contact\nname: Maria Chen\nemail: maria.chen@example.com\n---\n"


def test_linkedin_import_creates_prospects_and_reports(make_vault, run):
    vault = make_vault({"contacts/maria-chen.md": MARIA})
    result = run(vault, "import", "linkedin", str(FIXTURES / "Connections.csv"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "created contacts/jose-nunez.md",
        "created contacts/sam-lee.md",
        "created contacts/aisha-rahman.md",
    ]
    summary = result.stderr.strip().splitlines()[-1]
    assert summary == "created 3 contacts, skipped 2 duplicates, 1 invalid (line 8)"
    assert "Connections.csv:9: skipped Maria Chen: same person as contacts/maria-chen.md" in (
        result.stderr
    )
    listed = json.loads(run(vault, "list", "--json", "--where", "source=linkedin").stdout)
    jose = next(item for item in listed if item["id"] == "jose-nunez")
    assert jose["organization"] == "Fabrikam, Inc." and jose["stage"] == "prospect"
    assert jose["connected_on"] == "2023-03-03"
    assert run(vault, "validate", "--strict").exit_code == 0


def test_reimport_adds_nothing(make_vault, run):
    vault = make_vault()
    run(vault, "import", "linkedin", str(FIXTURES / "Connections.csv"))
    before = vault_files(vault)
    again = run(vault, "import", "linkedin", str(FIXTURES / "Connections.csv"))
    assert again.stdout == ""
    assert "created 0 contacts, skipped 5 duplicates" in again.stderr
    assert vault_files(vault) == before


def test_dry_run_writes_nothing(make_vault, run):
    vault = make_vault({"contacts/maria-chen.md": MARIA})
    before = vault_files(vault)
    result = run(vault, "import", "vcard", str(FIXTURES / "contacts.vcf"), "--dry-run")
    assert result.stdout.splitlines() == [
        "would create contacts/lena-fischer.md",
        "would create contacts/soren-kierkegaard-orsted.md",
        "would create contacts/daniel-okafor.md",
    ]
    assert vault_files(vault) == before


def test_malformed_files_are_exit_2_and_write_nothing(make_vault, run, tmp_path):
    vault = make_vault()
    before = vault_files(vault)
    broken = tmp_path / "broken.vcf"
    broken.write_text("FN:Jane\nEMAIL:jane@example.com\n")
    not_linkedin = tmp_path / "other.csv"
    not_linkedin.write_text("Name,Phone\nJane,1\n")
    garbled = tmp_path / "garbled.csv"
    garbled.write_bytes(b"First Name,Last Name\nJos\x81,N\n")  # 0x81: in no code page
    for kind, path, message in (
        ("vcard", broken, "broken.vcf: no vCard in it"),
        ("linkedin", not_linkedin, "no header row"),
        ("linkedin", garbled, "neither UTF-8 nor Windows-1252 (bad byte on line 2)"),
        ("json", tmp_path / "missing.json", "cannot read"),
    ):
        result = run(vault, "import", kind, str(path))
        assert result.exit_code == 2, result.stderr
        assert message in result.stderr and "Traceback" not in result.stderr
    assert vault_files(vault) == before


def _export(run, source: Path, tmp_path: Path, fmt: str) -> Path:
    """`export contacts --format fmt` of `source`, in a file."""
    path = tmp_path / f"contacts.{fmt}"
    path.write_bytes(run(source, "export", "contacts", "--format", fmt).stdout_bytes)
    return path


def _new_vault(run, tmp_path: Path) -> Path:
    target = tmp_path / "target"
    run(None, "init", str(target))
    return target


def _round_trip(make_vault, run, tmp_path, fmt: str) -> None:
    source = make_vault(ROUND_TRIP_VAULT)
    target = _new_vault(run, tmp_path)
    result = run(target, "import", fmt, str(_export(run, source, tmp_path, fmt)))
    assert result.exit_code == 0, result.stderr
    assert "created 2 contacts" in result.stderr
    original = json.loads(run(source, "export", "contacts", "--format", "json").stdout)
    copied = json.loads(run(target, "export", "contacts", "--format", "json").stdout)
    for before, after in zip(original, copied, strict=True):
        assert after["id"] == before["id"]
        # Every field survives; the template may add empty ones, which mean nothing.
        assert {k: v for k, v in after["fields"].items() if v not in (None, [], "")} == {
            k: v for k, v in before["fields"].items() if v not in (None, [], "")
        }
    assert copied[0]["body"] == original[0]["body"]


def test_vcard_export_import_round_trip(make_vault, run, tmp_path):
    _round_trip(make_vault, run, tmp_path, "vcard")


def test_json_export_import_round_trip(make_vault, run, tmp_path):
    _round_trip(make_vault, run, tmp_path, "json")


def test_an_organization_note_matches_its_name_and_aliases(make_vault, run, tmp_path):
    vault = make_vault(
        {
            "organizations/northwind.md": "---\ntype: organization\nname: Northwind Traders\n"
            "aliases: [NWT]\n---\n",
            "contacts/aisha-rahman.md": "---\ntype: contact\nname: Aisha Rahman\n"
            'organization: "[[northwind]]"\n---\n',
        }
    )
    export = tmp_path / "Connections.csv"
    export.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Aisha,Rahman,https://www.linkedin.com/in/a2,,Northwind Traders,Ops,"
        "02 Feb 2026\nAisha,Rahman,,,NWT,Ops,02 Feb 2026\n"
    )
    result = run(vault, "import", "linkedin", str(export))
    assert "created 0 contacts, skipped 2 duplicates" in result.stderr
    (vault / "contacts" / "other.md").write_text(
        "---\ntype: contact\nname: aisha rahman\norganization: Northwind Traders\n---\n"
    )
    codes = [item["code"] for item in json.loads(run(vault, "validate", "--format", "json").stdout)]
    assert codes == ["duplicate-contact"]


def test_a_linkedin_export_larger_than_a_note_imports(make_vault, run, tmp_path):
    """An import file may be larger than the 1 MiB a note may hold (10,000 connections
    are): the size is in LinkedIn's note lines above the header here, so a few rows
    make the point without importing thousands."""
    notes = "Notes:\n" + f'"{"When exporting your connection data, " * 30}"\n' * 1000
    rows = "".join(f"Person{n},Tester{n},,,Company {n},Role,02 Feb 2026\n" for n in range(3))
    export = tmp_path / "Connections.csv"
    export.write_text(
        notes + "\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + rows
    )
    assert export.stat().st_size > 1024 * 1024
    result = run(make_vault(), "import", "linkedin", str(export), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "would create 3 contacts" in result.stderr


# --- the corpus of real formats (tests/fixtures/contacts/) -------------------------------

CORPUS = FIXTURES / "contacts"
KINDS_BY_SUFFIX = {".vcf": "vcard", ".csv": "linkedin", ".txt": "linkedin"}
CORPUS_FILES = sorted(path.name for path in CORPUS.iterdir() if path.suffix in KINDS_BY_SUFFIX)


def _import(run, vault, name: str, *options: str):
    path = CORPUS / name
    return run(vault, "import", KINDS_BY_SUFFIX[path.suffix], str(path), *options)


def _front(vault, rel: str) -> dict:
    from infoint_notes.core.parse import parse_note

    return parse_note(rel, (vault / rel).read_bytes()).front_matter


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_importing_any_file_of_the_corpus_twice_adds_nothing(make_vault, run, name):
    """A person known only by name, or by name and phone, was created again on every
    import (`minimal-contact-2.md`); khard's fixtures gave 39 more notes each time."""
    vault = make_vault()
    first = _import(run, vault, name)
    assert first.exit_code == 0, first.stderr
    assert first.stdout.count("created ") >= 2
    assert run(vault, "validate", "--strict").exit_code == 0
    before = vault_files(vault)
    again = _import(run, vault, name)
    assert again.exit_code == 0, again.stderr
    assert again.stdout == ""
    assert "created 0 contacts" in again.stderr
    assert vault_files(vault) == before


def test_a_person_known_only_by_name_or_by_name_and_phone_is_the_same_person(make_vault, run):
    vault = make_vault(
        {
            "contacts/minimal-contact.md": "---\ntype: contact\nname: Minimal Contact\n---\n",
            "contacts/phone-only.md": "---\ntype: contact\nname: Phone Only\n"
            'organization: Contoso\nphone: "+49 151 00000000"\n---\n',
        }
    )
    result = _import(run, vault, "khard-4.0.vcf", "--dry-run")
    assert (
        "khard-4.0.vcf:1: skipped Minimal Contact: same person as contacts/minimal-contact.md"
        in (result.stderr)
    )
    assert "khard-4.0.vcf:6: skipped Phone Only: same person as contacts/phone-only.md" in (
        result.stderr
    )
    assert "would create contacts/minimal-contact-2.md" not in result.stdout


def test_two_people_of_one_name_at_two_employers_are_two_people(make_vault, run):
    vault = make_vault()
    result = _import(run, vault, "google-3.0.vcf")
    assert result.stdout.splitlines() == [
        "created contacts/sam-lee.md",
        "created contacts/sam-lee-2.md",
        "created contacts/maria-chen.md",
    ]
    assert _front(vault, "contacts/sam-lee-2.md")["organization"] == "Fabrikam"


TWO_SAM_LEES = {
    "contacts/sam-lee.md": "---\ntype: contact\nname: Sam Lee\norganization: Contoso\n---\n",
    "contacts/sam-lee-2.md": "---\ntype: contact\nname: Sam Lee\norganization: Fabrikam\n---\n",
    "contacts/ann.md": '---\ntype: contact\nname: Ann Bell\nreferred_by: "[[sam-lee-2]]"\n---\n',
}


@pytest.mark.parametrize("fmt", ["json", "vcard"])
def test_a_round_trip_keeps_every_id_and_so_every_link(make_vault, run, tmp_path, fmt):
    """The export lists sam-lee-2 before sam-lee: imported by name, the Fabrikam Sam
    Lee became sam-lee and Ann's referrer was silently the Contoso one."""
    source = make_vault(TWO_SAM_LEES)
    exported = _export(run, source, tmp_path, fmt)
    target = _new_vault(run, tmp_path)
    result = run(target, "import", fmt, str(exported))
    assert result.exit_code == 0, result.stderr
    assert sorted(result.stdout.splitlines()) == [
        "created contacts/ann.md",
        "created contacts/sam-lee-2.md",
        "created contacts/sam-lee.md",
    ]
    assert _front(target, "contacts/sam-lee-2.md")["organization"] == "Fabrikam"
    assert _front(target, "contacts/ann.md")["referred_by"] == "[[sam-lee-2]]"
    # And into the vault it came from: nothing new, whatever the order.
    again = run(source, "import", fmt, str(exported))
    assert "created 0 contacts, skipped 3 duplicates" in again.stderr


@pytest.mark.parametrize("fmt", ["json", "vcard"])
def test_an_exported_id_taken_by_another_person_is_said_and_links_follow(
    make_vault, run, tmp_path, fmt
):
    people = {**TWO_SAM_LEES, "contacts/ann.md": TWO_SAM_LEES["contacts/ann.md"].replace("-2", "")}
    source = make_vault(people)
    exported = _export(run, source, tmp_path, fmt)
    northwind = "---\ntype: contact\nname: Sam Lee\norganization: Northwind\n---\n"
    target = write_vault(tmp_path / "target", {"contacts/sam-lee.md": northwind})
    result = run(target, "import", fmt, str(exported))
    assert result.exit_code == 0, result.stderr
    assert "created contacts/sam-lee-3.md" in result.stdout
    assert (
        "note: Sam Lee: its id 'sam-lee' is taken by contacts/sam-lee.md; "
        "its note is contacts/sam-lee-3.md"
    ) in result.stderr
    assert _front(target, "contacts/sam-lee-3.md")["organization"] == "Contoso"
    assert _front(target, "contacts/ann.md")["referred_by"] == "[[sam-lee-3]]"
    assert _front(target, "contacts/sam-lee.md")["organization"] == "Northwind"


def test_family_relations_are_not_referrals(make_vault, run):
    """RELATED;TYPE=spouse both ways became referred_by both ways: a referral cycle."""
    vault = make_vault()
    result = _import(run, vault, "khard-4.0.vcf")
    assert result.exit_code == 0, result.stderr
    assert _front(vault, "contacts/hana-kim.md")["referred_by"] is None
    assert _front(vault, "contacts/min-jun-kim.md")["referred_by"] is None
    assert "referral-cycle" not in run(vault, "validate").stdout


def test_the_referral_relation_export_writes_becomes_referred_by(make_vault, run, tmp_path):
    cards = tmp_path / "cards.vcf"
    cards.write_text(
        "BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:ann\nFN:Ann Bell\n"
        "RELATED;TYPE=contact:urn:uuid:sam\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:sam\nFN:Sam Lee\nORG:Contoso\nEND:VCARD\n"
    )
    vault = make_vault()
    assert run(vault, "import", "vcard", str(cards)).exit_code == 0
    assert _front(vault, "contacts/ann-bell.md")["referred_by"] == "[[sam-lee]]"


@pytest.mark.parametrize(
    ("name", "read_as", "path", "expected"),
    [
        ("android-2.1.vcf", None, "contacts/jorg-muller.md", "Jörg Müller"),
        (
            "outlook-2.1.vcf",
            "Windows-1252 (not UTF-8)",
            "contacts/rene-francois.md",
            "René François",
        ),
        ("windows-utf16.vcf", "UTF-16", "contacts/eleni-papadopoulou.md", "Ελένη Παπαδοπούλου"),
        (
            "linkedin-excel.csv",
            "Windows-1252 (not UTF-8)",
            "contacts/ase-jorgensen.md",
            "Åse Jørgensen",
        ),
        ("linkedin-unicode-text.txt", "UTF-16", "contacts/zoe-nakamura.md", "Zoë Nakamura"),
    ],
)
def test_common_files_import_and_the_summary_says_how_they_were_read(
    make_vault, run, name, read_as, path, expected
):
    """vCard 2.1 (quoted-printable, CHARSET), Windows-1252 and UTF-16 were refused."""
    vault = make_vault()
    result = _import(run, vault, name)
    assert result.exit_code == 0, result.stderr
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.endswith(f"; read as {read_as}") if read_as else "read as" not in summary
    assert _front(vault, path)["name"] == expected


def test_one_bad_card_is_reported_with_its_line_and_the_rest_import(make_vault, run):
    """One bad card rejected the whole file (354 good cards lost), at a line the file
    did not have."""
    vault = make_vault()
    result = _import(run, vault, "one-bad-card.vcf")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "created contacts/ada-lovelace.md",
        "created contacts/mary-somerville.md",
        "created contacts/grace-hopper.md",
    ]
    shown = str(CORPUS / "one-bad-card.vcf")
    assert (
        f"{shown}:10: invalid: cannot read this card: not a vCard property (no ':'): "
        "this line lost its fold"
    ) in result.stderr
    assert f"{shown}:17: invalid: no END:VCARD before the next card (line 21)" in result.stderr
    assert result.stderr.strip().endswith(
        "created 3 contacts, skipped 0 duplicates, 2 invalid (lines 10, 17)"
    )


def test_every_email_phone_url_birthday_and_address_is_kept(make_vault, run):
    """Second and later EMAIL and TEL, BDAY, ADR but its city, non-LinkedIn URLs were
    dropped without a word."""
    vault = make_vault()
    result = _import(run, vault, "android-2.1.vcf")
    assert result.exit_code == 0, result.stderr
    jorg = _front(vault, "contacts/jorg-muller.md")
    assert jorg["other_emails"] == ["j.mueller@fabrikam.example"]
    assert jorg["other_phones"] == ["+49 30 9876543", "+49 30 1112223"]
    assert jorg["websites"] == ["https://joerg-mueller.example.de"]
    assert jorg["birthday"] == "1984-03-09"
    assert jorg["address"] == "Hauptstraße 5, Hinterhaus, Berlin, 10115, Deutschland"
    assert "birthday: 1984-03-09\n" in (vault / "contacts/jorg-muller.md").read_text()  # a date
    listed = json.loads(run(vault, "list", "--json", "--where", "birthday<1990-01-01").stdout)
    assert [item["id"] for item in listed] == ["jorg-muller"]


def test_what_a_card_holds_but_a_note_cannot_is_said(make_vault, run):
    vault = make_vault()
    result = _import(run, vault, "khard-4.0.vcf")
    assert (
        f"{CORPUS / 'khard-4.0.vcf'}:12: note: Hana Kim: BDAY '--0412' has no year; "
        "left out (birthday is a date)"
    ) in result.stderr


def test_linkedin_dates_of_every_style_filter_as_dates(make_vault, run):
    """`1/8/18, 6:14 PM` and `23-Apr-23` stayed text, so `--where connected_on>...`
    missed them; a member URN in the email column was stored as the email."""
    vault = make_vault()
    for name in ("linkedin-2018.csv", "linkedin-excel.csv", "linkedin-2024.csv"):
        assert _import(run, vault, name).exit_code == 0
    found = run(vault, "list", "--json", "--where", "connected_on>2010-01-01")
    ids = {item["id"] for item in json.loads(found.stdout)}
    assert {"ben-carter", "sofia-rossi", "maria-chen", "olivia-brown"} <= ids
    assert len(ids) == 11
    assert "connected_on: 2018-01-08\n" in (vault / "contacts/ben-carter.md").read_text()
    assert _front(vault, "contacts/cheol-su-gim.md")["email"] is None


def test_names_in_other_scripts_get_slugs_of_their_own(make_vault, run):
    """Korean, Greek and Cyrillic names all became contact.md, contact-2.md, ..."""
    result = _import(run, make_vault(), "linkedin-2024.csv")
    assert result.stdout.splitlines() == [
        "created contacts/maria-chen.md",
        "created contacts/eleni-papadopoulou.md",
        "created contacts/cheol-su-gim.md",
        "created contacts/dmitriy-shostakovich.md",
        "created contacts/jose-nunez.md",
    ]


def test_an_import_parses_each_new_note_a_bounded_number_of_times(
    make_vault, run, tmp_path, monkeypatch
):
    """Each note was built by eight guarded edits of the template: 18 front-matter
    parses per row (144,000 for 10,000 rows, most of a 43 s import). Now the template
    is parsed once and each note once more, to check it (and once for validation)."""
    from infoint_notes.core import yamlread
    from infoint_notes.write import edit

    rows = 40
    export = tmp_path / "Connections.csv"
    export.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        + "".join(
            f"P{n},Q,https://www.linkedin.com/in/p{n},p{n}@example.com,Co {n},Role,2 Feb 2026\n"
            for n in range(rows)
        )
    )
    calls = [0]
    real = yamlread.load_front_matter

    def counted(*args, **kwargs):
        calls[0] += 1
        return real(*args, **kwargs)

    for module in (edit, yamlread):
        monkeypatch.setattr(module, "load_front_matter", counted)
    from infoint_notes.write import create

    # (core.parse imports it from yamlread when it parses: patched above.)
    monkeypatch.setattr(create, "load_front_matter", counted)
    result = run(make_vault(), "import", "linkedin", str(export), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert f"would create {rows} contacts" in result.stderr
    assert rows <= calls[0] <= 2 * rows + 10, calls[0]


def test_a_legal_suffix_does_not_make_another_person_or_employer(make_vault, run):
    """LinkedIn writes "Fabrikam, Inc."; the user typed "Fabrikam"."""
    jose = "---\ntype: contact\nname: José Núñez\norganization: Fabrikam\n---\n"
    vault = make_vault({"contacts/jose.md": jose})
    result = run(vault, "import", "linkedin", str(FIXTURES / "Connections.csv"))
    assert result.exit_code == 0, result.stderr
    assert "skipped José Núñez: same person as contacts/jose.md" in result.stderr
    assert "contacts/jose-nunez.md" not in result.stdout
    # And typed twice, once with the suffix, the two notes are one person to validate.
    (vault / "contacts" / "jose-2.md").write_text(
        '---\ntype: contact\nname: José Núñez\norganization: "Fabrikam, Inc."\n---\n'
    )
    found = json.loads(run(vault, "validate", "--format", "json").stdout)
    assert [(item["path"], item["code"]) for item in found] == [
        ("contacts/jose.md", "duplicate-contact")
    ]


def test_import_messages_come_in_the_files_line_order(make_vault, run):
    vault = make_vault({"contacts/maria-chen.md": MARIA})
    result = run(vault, "import", "linkedin", str(FIXTURES / "Connections.csv"), "--dry-run")
    lines = [
        int(line.split(":")[1]) for line in result.stderr.splitlines() if "Connections.csv:" in line
    ]
    assert lines == sorted(lines) and 8 in lines and 9 in lines
