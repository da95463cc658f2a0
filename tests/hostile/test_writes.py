"""Writes that must never lose or damage what the user has (SPEC 4.11, 4.17, 5).

Each test stages one way a write can go wrong: an editor saving between the moment a
command reads the vault and the moment it writes, an owner or group lost in the rename,
line endings the editor does not split as the reader does, a folder that is a dangling
symlink, a temporary file left by a killed write.
"""

from __future__ import annotations

import pytest

# A note of each kind a `log` event writes, with every line ending written `{eol}`
# except where a test wants them mixed.
CONTACT = (
    "---{eol}type: contact   # a person{eol}name: Jane Doe{eol}requested:{eol}request_via:{eol}"
    "responded:{eol}updates:{eol}  - 2026-10-01{eol}---{eol}# Jane{eol}Body text{eol}"
)
INTERVIEW = (
    '---{eol}type: interview{eol}contact: "[[jane-doe]]"{eol}date: 2026-11-19T10:00{eol}'
    "thank_you_sent:{eol}status: planned{eol}---{eol}## Notes{eol}- talked{eol}"
)

# (log arguments, the note, its text before, after): one per kind of event.
LOG_EVENTS = [
    (
        ["thank-you", "2026-11-19-jane", "--date", "2026-11-19T18:00"],
        "interviews/2026-11-19-jane.md",
        "thank_you_sent:{eol}",
        "thank_you_sent: 2026-11-19T18:00{eol}",
    ),
    (
        ["request", "jane-doe", "--via", "email", "--date", "2026-11-02"],
        "contacts/jane-doe.md",
        "requested:{eol}request_via:{eol}",
        "requested: 2026-11-02{eol}request_via: email{eol}",
    ),
    (
        ["response", "jane-doe", "--date", "2026-11-03"],
        "contacts/jane-doe.md",
        "responded:{eol}",
        "responded: 2026-11-03{eol}",
    ),
    (
        ["update", "jane-doe", "--date", "2026-11-04"],
        "contacts/jane-doe.md",
        "  - 2026-10-01{eol}",
        "  - 2026-10-01{eol}  - 2026-11-04{eol}",
    ),
    (
        ["done", "2026-11-19-jane"],
        "interviews/2026-11-19-jane.md",
        "status: planned{eol}",
        "status: done{eol}",
    ),
    (
        ["cancel", "2026-11-19-jane"],
        "interviews/2026-11-19-jane.md",
        "status: planned{eol}",
        "status: cancelled{eol}",
    ),
]


def _log_vault(make_vault, eol: str):
    return make_vault(
        {
            "contacts/jane-doe.md": CONTACT.format(eol=eol).encode(),
            "interviews/2026-11-19-jane.md": INTERVIEW.format(eol=eol).encode(),
        },
    )


def _clean(result) -> None:
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


# --- line endings ------------------------------------------------------------------------


@pytest.mark.parametrize("eol", ["\r", "\r\n", "\n"], ids=["cr", "crlf", "lf"])
@pytest.mark.parametrize(
    ("args", "rel", "old", "new"), LOG_EVENTS, ids=[event[0][0] for event in LOG_EVENTS]
)
def test_every_log_event_keeps_lone_cr_endings(run, make_vault, eol, args, rel, old, new):
    """Old Mac editors (and some sync tools) end lines with a lone CR: the reader splits
    there, so the writer must too; the new line takes the file's ending."""
    vault = _log_vault(make_vault, eol)
    before = (vault / rel).read_bytes().decode()
    result = run(vault, "log", *args)
    _clean(result)
    assert result.exit_code == 0, result.stderr
    expected = before.replace(old.format(eol=eol), new.format(eol=eol))
    assert expected != before
    assert (vault / rel).read_bytes().decode() == expected


MIXED = (
    "---\ntype: contact\rname: Jane Doe\r\nrequested:\rrequest_via:\nresponded:\r\n"
    "updates:\r  - 2026-10-01\n---\r\n# Jane\rBody\n"
)


@pytest.mark.parametrize(
    ("args", "old", "new"),
    [
        (
            ["request", "jane-doe", "--via", "phone", "--date", "2026-11-02"],
            "requested:\rrequest_via:\n",
            "requested: 2026-11-02\rrequest_via: phone\n",
        ),
        (
            ["response", "jane-doe", "--date", "2026-11-03"],
            "responded:\r\n",
            "responded: 2026-11-03\r\n",
        ),
        (
            ["update", "jane-doe", "--date", "2026-11-04"],
            "  - 2026-10-01\n",
            "  - 2026-10-01\n  - 2026-11-04\n",
        ),
    ],
)
def test_log_in_a_file_of_mixed_endings_keeps_each_lines_ending(run, make_vault, args, old, new):
    vault = make_vault({"contacts/jane-doe.md": MIXED.encode()})
    result = run(vault, "log", *args)
    _clean(result)
    assert result.exit_code == 0, result.stderr
    assert (vault / "contacts/jane-doe.md").read_bytes().decode() == MIXED.replace(old, new)


@pytest.mark.parametrize("eols", [("\r",) * 3, ("\r", "\n", "\r\n")], ids=["cr", "mixed"])
def test_validate_fix_keeps_lone_cr_and_mixed_endings(run, make_vault, eols):
    one, two, three = eols
    ann = (
        f"---{one}type: contact{two}name: Ann{three}referred_by: [[jane-doe]]  # met{one}"
        f"phone: 0049301234{two}tags:{three}  - [[x]]{one}---{two}Body{three}"
    )
    vault = make_vault(
        {"contacts/ann.md": ann.encode(), "contacts/jane-doe.md": "---\ntype: contact\n---\n"}
    )
    result = run(vault, "validate", "--fix")
    _clean(result)
    assert "fixed 2 problems in 1 note" in result.stderr, result.stderr
    expected = ann.replace("[[jane-doe]]  #", '"[[jane-doe]]"  #').replace(
        "0049301234", '"0049301234"'
    )
    assert (vault / "contacts/ann.md").read_bytes().decode() == expected
