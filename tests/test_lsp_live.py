"""The language server's live vault: after any sequence of edits (in buffers, on disk,
buffers closed), what it says of each open buffer is what `validate` says of that note
in the vault as the editor shows it, and its index answers as one built afresh."""

from __future__ import annotations

import asyncio
import gc
import weakref
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infoint_notes.core.config import Config
from infoint_notes.core.index import VaultIndex
from infoint_notes.core.links import note_keys
from infoint_notes.core.model import Contact
from infoint_notes.live.watch import VaultState
from infoint_notes.lsp.disk import DiskWatch, load
from infoint_notes.lsp.live import LiveVault, typed_text
from infoint_notes.rules.validate import validate

NOW = datetime(2026, 11, 20, 12, tzinfo=ZoneInfo("America/New_York"))
CONFIG = Config(timezone="America/New_York")
ROOT = Path("/nonexistent-vault")

#: Texts a note may take; names, aliases, kinds and links collide on purpose.
VARIANTS = [
    "---\ntype: contact\nname: Jane Doe\nemail: jane@example.com\n---\nSee [[sam-lee]].\n",
    "---\ntype: contact\nname: Jane Doe\nemail: jane@example.com\n---\nSee [[sam-leee]].\n",
    "---\ntype: contact\nname: Sam Lee\nreferred_by: '[[jane-doe]]'\n---\n",
    "---\ntype: contact\nname: Sam Lee\nreferred_by: '[[sam-lee]]'\nemail: jane@example.com\n---\n",
    "---\ntype: contact\nname: Jane Doe\naliases: [JD, Sam Lee]\norganization: Contoso\n---\n",
    "---\ntype: contact\nname: Priya\nreferred_by: [[jane-doe]]\n"
    "organization: '[[contoso]]'\n---\n",
    "---\ntype: organization\nname: Contoso\naliases: [JD]\n---\n",
    "---\ntype: interview\ncontact: '[[jane-doe]]'\ndate: 2026-11-10\n"
    "thank_you_sent: 2026-11-30\nreferrals: [Priya, '[[nobody]]']\n---\n"
    "## Questions\n- Do you like it?\n- Are you hiring?\n",
    "---\ntype: interview\ncontact: '[[Sam Lee]]'\ndate: 2026-11-10\n---\n[[jane doe]] [[JD]]\n",
    "---\ntype: milestone\ndate: 2026-11-01\nsummary: Offer\nthanks: ['[[priya]]', '[[x]]']\n---\n",
    "---\ntype: contact\nname: [broken\n---\n",
    "no front matter, a link to [[contoso]] and [[jane-dough]]\n",
    "---\ntype: contact\nname: Jane Doe\n\nemail: jane@example.com\n---\n",
]
PATHS = [
    "contacts/jane-doe.md",
    "contacts/sam-lee.md",
    "people/jane-doe.md",
    "priya.md",
    "contoso.md",
    "i/one.md",
]

operations = st.lists(
    st.tuples(
        st.sampled_from(["buffer", "disk", "close"]),
        st.sampled_from(PATHS),
        st.one_of(st.none(), st.sampled_from(VARIANTS)),
    ),
    max_size=12,
)


def fresh(notes: dict[str, str]) -> VaultIndex:
    typed = [typed_text(path, text, CONFIG) for path, text in notes.items()]
    return VaultIndex(ROOT, CONFIG, typed)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(PATHS), st.sampled_from(VARIANTS), max_size=4), operations)
def test_open_buffers_say_what_validate_says_after_any_edits(disk, steps):
    live = LiveVault(fresh(disk), lambda: NOW)
    disk = dict(disk)
    buffers: dict[str, str] = {}
    for action, path, text in steps:
        if action == "buffer" and text is not None:
            live.update(path, text)
            buffers[path] = text
        elif action == "close" and path in buffers:
            live.update(path, None)
            del buffers[path]
        elif action == "disk":
            if text is None:
                disk.pop(path, None)
            else:
                disk[path] = text
            note = None if text is None else typed_text(path, text, CONFIG)
            live.disk_update([(path, note)])
        expected = fresh({**disk, **buffers})
        assert [note.path for note in live.index.notes] == [note.path for note in expected.notes]
        keys = {key for note in expected.notes for key in note_keys(note)} | {"nobody", "jd"}
        for key in keys:
            got = [note.path for note in live.index.resolver.resolve(key)]
            assert got == [note.path for note in expected.resolver.resolve(key)], key
        for open_path in buffers:
            assert live.diagnostics(open_path) == validate(expected, NOW, [open_path])


def test_update_reports_only_the_buffers_whose_diagnostics_changed():
    live = LiveVault(fresh({"contacts/jane-doe.md": VARIANTS[0]}), lambda: NOW)
    first = live.update("contacts/jane-doe.md", VARIANTS[1])
    assert [problem.code for problem in first["contacts/jane-doe.md"]] == ["broken-link"]
    other = live.update("i/one.md", VARIANTS[8])
    assert list(other) == ["i/one.md"]  # jane-doe's problems are as they were
    # A contact named in another buffer makes the interview's link resolve.
    renamed = live.update("contacts/sam-lee.md", VARIANTS[2])
    assert "i/one.md" in renamed
    assert live.update("contacts/sam-lee.md", None)["contacts/sam-lee.md"] == []


def test_checks_across_notes_follow_fields_that_are_not_link_keys():
    """An email, a referrer or a key's line changes no link, yet duplicate-contact and
    referral-cycle must follow it."""
    disk = {"contacts/jane-doe.md": VARIANTS[0], "contacts/sam-lee.md": VARIANTS[2]}
    live = LiveVault(fresh(disk), lambda: NOW)
    steps = [
        ("contacts/sam-lee.md", VARIANTS[3]),  # jane's email, and a loop onto itself
        ("contacts/jane-doe.md", VARIANTS[12]),  # jane's email a line lower
        ("contacts/sam-lee.md", VARIANTS[2]),
    ]
    buffers: dict[str, str] = {}
    for path, text in steps:
        live.update(path, text)
        buffers[path] = text
        expected = fresh({**disk, **buffers})
        for open_path in buffers:
            assert live.diagnostics(open_path) == validate(expected, NOW, [open_path])
    codes = {problem.code for problem in live.diagnostics("contacts/jane-doe.md")}
    assert codes == set()


def notes_alive(kind: type, path: str) -> int:
    """How many notes of `kind` at `path` anything still holds."""
    gc.collect()
    return sum(1 for found in gc.get_objects() if type(found) is kind and found.path == path)


def test_a_long_editing_session_keeps_only_the_vault_as_it_is_now():
    """Each keystroke in a name makes another index; "did you mean" worked out for one
    must not keep it (and every note it held) alive for the rest of the session."""
    disk = {"contacts/jane-doe.md": VARIANTS[0], "i/one.md": VARIANTS[8]}
    live = LiveVault(fresh(disk), lambda: NOW)
    versions = []
    for typed in range(1, 30):
        name = "Jane Doe"[: typed % 8 + 1]
        live.update("contacts/jane-doe.md", VARIANTS[1].replace("Jane Doe", name))
        assert live.diagnostics("contacts/jane-doe.md")  # a broken link: a suggestion asked
        versions.append(weakref.ref(live.index))
    gc.collect()
    assert [version() for version in versions[:-1] if version() is not None] == []
    assert notes_alive(Contact, "contacts/jane-doe.md") <= 2  # on disk, in the buffer


def test_a_file_that_appears_or_goes_on_disk_counts_in_open_buffers(make_vault):
    """An image saved beside the notes: the buffer's link to it resolves; deleted, the
    link is broken again (a config change is not needed for the editor to see it)."""
    jane = "---\ntype: contact\nname: Jane Doe\n---\n"
    vault = make_vault({"contacts/jane-doe.md": jane})
    index, files = load(vault)
    live = LiveVault(index, lambda: NOW)
    published: list[dict] = []
    disk = DiskWatch(live, VaultState.loaded(index, files), published.append, print)
    live.update("contacts/jane-doe.md", jane + "![[photo.png]]\n")
    assert [d.code for d in live.diagnostics("contacts/jane-doe.md")] == ["broken-link"]
    (vault / "photo.png").write_bytes(b"\x89PNG")
    asyncio.run(disk.refresh())
    assert live.diagnostics("contacts/jane-doe.md") == []
    assert published[-1] == {"contacts/jane-doe.md": []}
    (vault / "photo.png").unlink()
    asyncio.run(disk.refresh())
    assert [d.code for d in live.diagnostics("contacts/jane-doe.md")] == ["broken-link"]
