"""Writes that must never lose or damage what the user has (SPEC 4.11, 4.17, 5).

Each test stages one way a write can go wrong: an editor saving between the moment a
command reads the vault and the moment it writes, an owner or group lost in the rename,
line endings the editor does not split as the reader does, a folder that is a dangling
symlink, a temporary file left by a killed write.
"""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from infoint_notes.live import watch

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


# --- an editor's save between the command's first read and its write -------------------


def _lf(template: str) -> str:
    return template.format(eol="\n")


def _save_during(monkeypatch, module, name: str, path, data: bytes, keep_stat: bool = False):
    """Make `module.name` save `data` at `path` before it runs, as an editor would while
    the command works (after it read the vault, before it writes). `keep_stat`: the save
    keeps the file's mtime, as a coarse clock would."""
    original = getattr(module, name)

    def saving(*args, **kwargs):
        info = path.stat()
        path.write_bytes(data)
        if keep_stat:
            os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, saving)


def _temporaries(folder) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


SCALAR_UPDATES = _lf(CONTACT).replace("updates:\n  - 2026-10-01\n", "updates: 2026-10-01\n")
# (log arguments, the note, its text when the command reads it, the editor's save)
LOST_UPDATES = [
    (
        ["thank-you", "2026-11-19-jane", "--date", "2026-11-19T18:00"],
        "interviews/2026-11-19-jane.md",
        _lf(INTERVIEW),
        _lf(INTERVIEW).replace("thank_you_sent:\n", "thank_you_sent: 2026-11-19T17:00\n"),
    ),
    (
        ["request", "jane-doe", "--via", "email", "--date", "2026-11-02"],
        "contacts/jane-doe.md",
        _lf(CONTACT),
        _lf(CONTACT).replace(
            "requested:\nrequest_via:\n", "requested: 2026-11-01\nrequest_via: phone\n"
        ),
    ),
    (
        ["response", "jane-doe", "--date", "2026-11-03"],
        "contacts/jane-doe.md",
        _lf(CONTACT),
        _lf(CONTACT).replace("responded:\n", "responded: 2026-11-02\n"),
    ),
    (
        ["update", "jane-doe", "--date", "2026-11-04"],
        "contacts/jane-doe.md",
        SCALAR_UPDATES,
        SCALAR_UPDATES.replace("updates: 2026-10-01\n", "updates: [2026-10-01, 2026-10-15]\n"),
    ),
    (
        ["done", "2026-11-19-jane"],
        "interviews/2026-11-19-jane.md",
        _lf(INTERVIEW),
        _lf(INTERVIEW).replace("status: planned\n", "status: cancelled\n"),
    ),
    (
        ["cancel", "2026-11-19-jane"],
        "interviews/2026-11-19-jane.md",
        _lf(INTERVIEW),
        _lf(INTERVIEW).replace("status: planned\n", "status: done\n"),
    ),
]


@pytest.mark.parametrize(
    ("args", "rel", "read", "saved"), LOST_UPDATES, ids=[case[0][0] for case in LOST_UPDATES]
)
def test_log_never_undoes_a_save_made_after_it_read_the_vault(
    run, make_vault, monkeypatch, args, rel, read, saved
):
    """The event is computed from the note as the index read it; writing it over a save
    made since would put the old value back (or drop the date just added)."""
    from infoint_notes.write import record as command  # the command imports it from there

    vault = make_vault(
        {"contacts/jane-doe.md": _lf(CONTACT), "interviews/2026-11-19-jane.md": _lf(INTERVIEW)}
    )
    (vault / rel).write_text(read)
    _save_during(monkeypatch, command, "log_entry", vault / rel, saved.encode())
    result = run(vault, "log", *args)
    _clean(result)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{rel} changed on disk after infoint read it")
    assert (vault / rel).read_text() == saved
    assert _temporaries((vault / rel).parent) == []


ANN = "---\ntype: contact\nname: Ann\nreferred_by: [[jane-doe]]\n---\n"


@pytest.mark.parametrize("cached", [False, True], ids=["parsed", "from-cache"])
def test_validate_fix_never_writes_the_old_referrer_back(run, make_vault, monkeypatch, cached):
    """The user changes the referrer while `--fix` works, in a save that keeps the size
    and (coarse clock) the mtime: only the digest of what the command read tells. From
    the cache, that is the digest of the bytes the cache vouches for."""
    from infoint_notes.speed import reading
    from infoint_notes.write import fix

    vault = make_vault(
        {
            "contacts/ann.md": ANN,
            "contacts/jane-doe.md": "---\ntype: contact\nname: Jane Doe\n---\n",
            "contacts/joan-doe.md": "---\ntype: contact\nname: Joan Doe\n---\n",
        }
    )
    hour_ago = time.time_ns() - 3600 * 10**9
    for note in (vault / "contacts").iterdir():
        os.utime(note, ns=(hour_ago, hour_ago))
    if cached:
        assert run(vault, "index").exit_code == 0
    saved = ANN.replace("[[jane-doe]]", "[[joan-doe]]")
    _save_during(monkeypatch, fix, "plan_fixes", vault / "contacts/ann.md", saved.encode(), True)
    parsed, parsed_by_then = [], []
    read, saving = reading.read_and_parse, fix.plan_fixes
    monkeypatch.setattr(reading, "read_and_parse", lambda *a: (parsed.append(a[0]), read(*a))[1])
    monkeypatch.setattr(
        fix, "plan_fixes", lambda *a: (parsed_by_then.extend(parsed), saving(*a))[1]
    )
    result = run(vault, "validate", "--fix")
    _clean(result)
    assert result.exit_code == 1
    assert "contacts/ann.md: not fixed: contacts/ann.md changed on disk" in result.stderr
    assert (vault / "contacts/ann.md").read_text() == saved
    assert ("contacts/ann.md" not in parsed_by_then) == cached
    assert _temporaries(vault / "contacts") == []


def test_validate_fix_writes_the_other_notes(run, make_vault, monkeypatch):
    """One note saved meanwhile is refused; the others are fixed."""
    from infoint_notes.write import fix

    bob = ANN.replace("Ann", "Bob")
    vault = make_vault(
        {
            "contacts/ann.md": ANN,
            "contacts/bob.md": bob,
            "contacts/jane-doe.md": "---\ntype: contact\nname: Jane Doe\n---\n",
        }
    )
    saved = ANN + "New line the user typed\n"
    _save_during(monkeypatch, fix, "plan_fixes", vault / "contacts/ann.md", saved.encode())
    result = run(vault, "validate", "--fix")
    assert result.exit_code == 1
    assert (vault / "contacts/ann.md").read_text() == saved
    assert (vault / "contacts/bob.md").read_text() == bob.replace("[[jane-doe]]", '"[[jane-doe]]"')


def test_new_never_replaces_a_note_that_appeared_meanwhile(run, make_vault, monkeypatch):
    from infoint_notes.write import create as command  # the command calls it from there

    vault = make_vault({"contacts/jane-doe.md": "---\ntype: contact\nname: Jane Doe\n---\n"})
    mine = b"---\ntype: contact\nname: Ada Lovelace\n---\nWritten by hand meanwhile.\n"
    original = command.check_new_note

    def appearing(index, new, now):
        (vault / new.rel).write_bytes(mine)
        return original(index, new, now)

    monkeypatch.setattr(command, "check_new_note", appearing)
    result = run(vault, "new", "contact", "Ada Lovelace")
    _clean(result)
    assert result.exit_code == 1
    assert result.stderr == "contacts/ada-lovelace.md already exists; not overwriting it\n"
    assert (vault / "contacts/ada-lovelace.md").read_bytes() == mine
    assert _temporaries(vault / "contacts") == []


CARDS = "".join(
    f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEND:VCARD\r\n"
    for name in ("Ada Lovelace", "Grace Hopper", "Alan Turing")
)


def test_import_keeps_a_note_that_appeared_meanwhile_and_reports_the_others(
    run, make_vault, monkeypatch, tmp_path
):
    from infoint_notes.commands import import_ as command  # patched where it is called

    vault = make_vault()
    cards = tmp_path / "people.vcf"
    cards.write_text(CARDS)
    mine = b"---\ntype: contact\nname: Grace Hopper\n---\nmine\n"
    original = command.prepare_import

    def appearing(*args):
        result = original(*args)
        (vault / "contacts").mkdir(exist_ok=True)
        (vault / "contacts/grace-hopper.md").write_bytes(mine)
        return result

    monkeypatch.setattr(command, "prepare_import", appearing)
    result = run(vault, "import", "vcard", str(cards))
    _clean(result)
    assert result.exit_code == 1
    assert result.stdout == "created contacts/ada-lovelace.md\ncreated contacts/alan-turing.md\n"
    assert "not written: contacts/grace-hopper.md already exists" in result.stderr
    assert result.stderr.splitlines()[-1] == ("created 2 contacts, skipped 0 duplicates, 0 invalid")
    assert (vault / "contacts/grace-hopper.md").read_bytes() == mine


# --- owner, group, mode ---------------------------------------------------------------


needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving files away needs root"
)


@needs_root
@pytest.mark.parametrize("command", ["log", "fix"])
def test_a_write_keeps_owner_group_and_mode(run, make_vault, command):
    vault = make_vault({"contacts/ann.md": ANN, "contacts/jane-doe.md": _lf(CONTACT)})
    note = vault / ("contacts/jane-doe.md" if command == "log" else "contacts/ann.md")
    os.chown(note, 1234, 5678)
    note.chmod(0o640)
    args = ["log", "response", "jane-doe"] if command == "log" else ["validate", "--fix"]
    result = run(vault, *args)
    assert result.exit_code == 0, result.stderr
    info = note.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 5678, 0o640)
    assert "responded:" in note.read_text() or '"[[jane-doe]]"' in note.read_text()


@needs_root
def test_a_user_who_cannot_give_a_file_away_keeps_its_group(make_vault, monkeypatch):
    """As a user who belongs to the note's group but does not own it: chown to the owner
    fails (EPERM), the group is kept."""
    from infoint_notes.write import atomic
    from infoint_notes.write.edit import set_key, update_note

    vault = make_vault({"contacts/jane-doe.md": _lf(CONTACT)})
    note = vault / "contacts/jane-doe.md"
    os.chown(note, 1234, 5678)
    real_chown = os.chown

    def as_a_user(path, uid, gid):
        if uid != -1:
            raise PermissionError(1, "Operation not permitted")
        real_chown(path, uid, gid)

    monkeypatch.setattr(atomic.os, "chown", as_a_user)
    assert update_note(note, vault, [set_key("responded", "2026-11-03")], None)
    assert (note.stat().st_uid, note.stat().st_gid) == (os.geteuid(), 5678)


def test_a_read_only_note_is_written_with_a_warning(run, make_vault):
    vault = make_vault({"contacts/jane-doe.md": _lf(CONTACT)})
    note = vault / "contacts/jane-doe.md"
    note.chmod(0o444)
    result = run(vault, "log", "response", "jane-doe", "--date", "2026-11-03")
    assert result.exit_code == 0, result.stderr
    assert "responded: 2026-11-03\n" in note.read_text()
    assert stat.S_IMODE(note.stat().st_mode) == 0o444
    assert result.stderr == (
        "warning: contacts/jane-doe.md is read-only (its owner may not write it); "
        "written anyway, as an editor would, and left read-only\n"
    )


def test_a_note_with_another_hard_link_is_written_with_a_warning(run, make_vault):
    """The rename makes the note a new file: its other name keeps the old text."""
    vault = make_vault({"contacts/jane-doe.md": _lf(CONTACT)})
    os.link(vault / "contacts/jane-doe.md", vault / "jane-doe.backup")
    result = run(vault, "log", "response", "jane-doe", "--date", "2026-11-03")
    assert result.exit_code == 0, result.stderr
    assert "responded: 2026-11-03\n" in (vault / "contacts/jane-doe.md").read_text()
    assert (vault / "jane-doe.backup").read_text() == _lf(CONTACT)
    assert result.stderr == (
        "warning: contacts/jane-doe.md had 1 other hard link(s); they keep the old text "
        "(the note is a new file now)\n"
    )


# --- folders that are not what they seem -----------------------------------------------

NEW_IN = {
    "contacts": ["new", "contact", "Ada Lovelace"],
    "interviews": ["new", "interview", "jane-doe", "--date", "2026-12-02T10:00"],
    "milestones": ["new", "milestone", "Offer", "--date", "2026-11-18"],
}


@pytest.mark.parametrize("shape", ["dangling", "file", "link-to-file", "outside"])
@pytest.mark.parametrize("folder", sorted(NEW_IN))
def test_new_into_a_folder_that_is_not_a_folder_is_a_clear_refusal(
    run, make_vault, tmp_path, folder, shape
):
    vault = make_vault({"people/jane-doe.md": "---\ntype: contact\nname: Jane Doe\n---\n"})
    outside = tmp_path / "outside"
    outside.mkdir()
    place = vault / folder
    if shape == "dangling":
        place.symlink_to("nowhere")
    elif shape == "file":
        place.write_text("not a folder\n")
    elif shape == "link-to-file":
        place.symlink_to(vault / "infoint.yaml")
    else:
        place.symlink_to(outside)
    result = run(vault, *NEW_IN[folder])
    _clean(result)
    assert result.exit_code == 1, result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""
    assert result.stderr.startswith(f"cannot create {folder}/")
    assert list(outside.iterdir()) == []
    assert not (vault / "nowhere").exists()


def test_import_into_a_dangling_contacts_folder_is_a_clear_refusal(run, make_vault, tmp_path):
    vault = make_vault()
    (vault / "contacts").symlink_to("nowhere")
    cards = tmp_path / "people.vcf"
    cards.write_text(CARDS)
    result = run(vault, "import", "vcard", str(cards))
    _clean(result)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(
        "cannot create contacts/ada-lovelace.md: contacts is a dangling symlink (to "
        "'nowhere'); not writing; 3 contacts not imported"
    )


# --- temporaries of a killed write ------------------------------------------------------

KILLED_WRITE = """
import os, signal, sys
os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)  # the power goes mid-write
from infoint_notes.cli import cli
cli(["--vault", sys.argv[1], "log", "response", "jane-doe"])
"""


def test_a_killed_write_leaves_the_note_and_a_later_write_sweeps_its_temporary(run, make_vault):
    vault = make_vault({"contacts/jane-doe.md": _lf(CONTACT)})
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WRITE, str(vault)], env=env, capture_output=True
    )
    assert killed.returncode == -signal.SIGKILL
    assert (vault / "contacts/jane-doe.md").read_text() == _lf(CONTACT)
    [left] = _temporaries(vault / "contacts")
    assert re.fullmatch(r"\.jane-doe\.md\.[a-z0-9_]{8}\.tmp", left)

    # Read commands neither take it for a note nor remove it (they never write).
    listed = run(vault, "list", "contacts", "--json")
    assert [item["path"] for item in json.loads(listed.stdout)] == ["contacts/jane-doe.md"]
    for args in (["validate"], ["agenda"], ["stats"], ["show", "jane-doe"]):
        _clean(run(vault, *args))
    assert _temporaries(vault / "contacts") == [left]

    # Old enough that no running write can own it (a young one is kept: see below).
    hour_ago = time.time() - 3600
    os.utime(vault / "contacts" / left, (hour_ago, hour_ago))
    result = run(vault, "log", "response", "jane-doe")
    assert result.exit_code == 0, result.stderr
    assert _temporaries(vault / "contacts") == []
    assert "responded: 2026-11-20T12:00\n" in (vault / "contacts/jane-doe.md").read_text()


def test_the_sweep_removes_only_our_abandoned_temporaries(tmp_path):
    from infoint_notes.write import atomic

    folder = tmp_path / "contacts"
    folder.mkdir()
    now = time.time()
    ours = ".jane-doe.md.k3_x9a0q.tmp"
    others = [
        ".jane-doe.md.k3x9a0q.tmp",  # 7 characters
        ".jane-doe.md.K3X9A0QZ.tmp",  # not mkstemp's alphabet
        ".jane-doe.md.k3-x9a0q.tmp",
        "jane-doe.md.k3_x9a0q.tmp",  # not hidden
        ".jane-doe.md.k3_x9a0q.tmp.bak",
        ".memo-k3_x9a0q",
        "jane-doe.md",
        ".obsidian.k3_x9a0q.tmpl",
    ]
    for name in [ours, *others]:
        (folder / name).write_text("x")
    (folder / ".fresh.md.abcdefgh.tmp").write_text("a write in progress")
    (folder / ".dir.md.abcdefgh.tmp").mkdir()
    (folder / ".link.md.abcdefgh.tmp").symlink_to(folder / "jane-doe.md")
    for entry in folder.iterdir():
        if entry.name != ".fresh.md.abcdefgh.tmp":
            os.utime(entry, (now - 3600, now - 3600), follow_symlinks=False)
    before = sorted(os.listdir(folder))
    assert atomic.sweep_temporaries(folder, now) == [ours]
    assert sorted(os.listdir(folder)) == [name for name in before if name != ours]
    assert not watch.is_relevant(f"contacts/{ours}")


# --- init -------------------------------------------------------------------------------


def test_init_keeps_a_file_that_appears_after_it_looked(run, tmp_path, monkeypatch):
    """`init` in an existing vault adds the missing template files. One that appears
    after the command looked (its check said "missing") is kept, not replaced."""
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "infoint.yaml").write_text("timezone: UTC\n")
    readme = vault / "README.md"
    readme.write_text("my own notes about this vault\n")
    real_exists, real_lexists = Path.exists, os.path.lexists
    monkeypatch.setattr(Path, "exists", lambda self: self != readme and real_exists(self))
    monkeypatch.setattr(Path, "is_symlink", lambda self: self != readme and os.path.islink(self))
    monkeypatch.setattr(
        os.path, "lexists", lambda path: Path(path) != readme and real_lexists(path)
    )
    result = run(None, "init", str(vault))
    monkeypatch.undo()
    _clean(result)
    assert readme.read_text() == "my own notes about this vault\n"
    assert "created README.md" not in result.stdout
    assert "created templates/contact.md" in result.stdout


def test_init_never_writes_through_a_folder_that_leads_out_of_the_vault(run, tmp_path):
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "infoint.yaml").write_text("timezone: UTC\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (vault / "templates").symlink_to(outside)
    result = run(None, "init", str(vault))
    _clean(result)
    assert result.exit_code == 1
    assert "leads outside the vault" in result.stderr
    assert list(outside.iterdir()) == []


# `init --demo` only writes into a new or empty folder (an existing vault is refused), so
# a planted link can only appear there while it writes: the demo's own writes are guarded.


def test_demo_never_writes_through_a_folder_that_leads_out_of_the_vault(tmp_path):
    from infoint_notes.core.errors import WriteRefused
    from infoint_notes.write.demo import write_demo

    vault = tmp_path / "vault"
    vault.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (vault / "contacts").symlink_to(outside)
    with pytest.raises(WriteRefused, match="leads outside the vault"):
        write_demo(vault, datetime(2026, 11, 20, 12, 0))
    assert list(outside.iterdir()) == []


def test_demo_never_writes_through_a_dangling_note_symlink(tmp_path):
    from infoint_notes.write.demo import write_demo

    vault = tmp_path / "vault"
    (vault / "contacts").mkdir(parents=True)
    target = tmp_path / "outside" / "planted.md"
    target.parent.mkdir()
    (vault / "contacts/aisha-rahman.md").symlink_to(target)
    written = write_demo(vault, datetime(2026, 11, 20, 12, 0))
    assert not target.exists()
    assert "contacts/aisha-rahman.md" not in written
    assert "contacts/ben-carter.md" in written


def test_init_into_a_dangling_symlink_is_a_usage_error(run, tmp_path):
    (tmp_path / "vault").symlink_to("nowhere")
    result = run(None, "init", str(tmp_path / "vault"))
    _clean(result)
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path / 'vault'} exists and is not a folder\n"
    assert not (tmp_path / "nowhere").exists()
