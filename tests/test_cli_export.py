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
