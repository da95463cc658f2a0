"""`infoint import` end to end: LinkedIn, vCard and JSON into real vaults."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import vault_files
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


def _round_trip(make_vault, run, tmp_path, fmt: str) -> None:
    source = make_vault(ROUND_TRIP_VAULT)
    exported = run(source, "export", "contacts", "--format", fmt).stdout_bytes
    path = tmp_path / f"contacts.{fmt}"
    path.write_bytes(exported)
    target = tmp_path / "target"
    run(None, "init", str(target))
    result = run(target, "import", fmt, str(path))
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
