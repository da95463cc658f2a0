"""`infoint export contacts`: what an address book gets."""

from __future__ import annotations

import pytest


def _card(text: str, name: str) -> list[str]:
    """The unfolded lines of the card whose FN is `name`."""
    unfolded = text.replace("\r\n ", "").replace("\r\n", "\n")
    for card in unfolded.split("BEGIN:VCARD")[1:]:
        lines = card.strip().split("\n")
        if f"FN:{name}" in lines:
            return lines
    raise AssertionError(f"no card for {name}")


@pytest.mark.parametrize(
    ("name", "structured"),
    [
        ("Dr. Elena Álvarez", "N:Álvarez;Elena;;Dr.;"),
        ("Ludwig van Beethoven", "N:van Beethoven;Ludwig;;;"),
        ("Martin Luther King Jr.", "N:King;Martin;Luther;;Jr."),
        ("Sam Lee", "N:Lee;Sam;;;"),
    ],
)
def test_the_vcard_name_is_split_into_its_parts(make_vault, run, name, structured):
    vault = make_vault({"contacts/x.md": f"---\ntype: contact\nname: {name}\n---\n"})
    result = run(vault, "export", "contacts", "--format", "vcard")
    assert result.exit_code == 0, result.stderr
    assert structured in _card(result.stdout, name)


def test_a_contact_made_from_the_template_exports_without_its_noise(run, make_vault, tmp_path):
    from infoint_notes.write.scaffold import template_files

    templates = {
        rel: source.read_text() for rel, source in template_files() if rel.startswith("templates/")
    }
    vault = make_vault(templates)
    for name in ("Ana Ruiz", "Ben Carter"):
        assert run(vault, "new", "contact", name, "--org", "Fabrikam").exit_code == 0
    ana = vault / "contacts" / "ana-ruiz.md"
    text = ana.read_text().replace("## Background\n", "## Background\nMet at the UX meetup.\n")
    ana.write_text(text + "%% ask about her thesis %%\n")
    result = run(vault, "export", "contacts", "--format", "vcard")
    assert result.exit_code == 0, result.stderr
    assert "<!--" not in result.stdout and "%%" not in result.stdout
    assert not [line for line in result.stdout.splitlines() if line.endswith(":null")]
    assert not [line for line in result.stdout.splitlines() if line.endswith(":[]")]
    ana_card, ben_card = _card(result.stdout, "Ana Ruiz"), _card(result.stdout, "Ben Carter")
    (note,) = [line for line in ana_card if line.startswith("NOTE:")]
    assert note == "NOTE:# Ana Ruiz\\n\\n## Background\\nMet at the UX meetup.\\n\\n## Log"
    assert not [line for line in ben_card if line.startswith("NOTE:")]  # only the template's
    # The same people come back, with the same fields.
    card = tmp_path / "out.vcf"
    card.write_bytes(result.stdout_bytes)
    other = tmp_path / "other"
    assert run(None, "init", str(other)).exit_code == 0
    assert run(other, "import", "vcard", str(card)).exit_code == 0
    again = run(other, "export", "contacts", "--format", "vcard").stdout
    assert again == result.stdout
