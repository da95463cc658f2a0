"""What infoint writes and prints is safe whatever a vault holds (SPEC 2, 5).

- `.infoint` is used only when it is a real folder inside the vault: a planted symlink
  (`.infoint -> ..`, committed by git in a shared vault) or file means no cache, and
  nothing is written or deleted through it.
- The template's `.gitignore` ignores `.infoint` in every form and the writer's
  temporary files.
- No control character from a note reaches the terminal, whatever the command and
  format: names, organizations, file names and bodies are shown escaped, and a newline
  in a value never starts an output line; JSON escapes them and reads back exactly.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from infoint_notes.cli import cli
from infoint_notes.core.vault import walk_notes
from infoint_notes.formats.jsontext import encode_json, json_string, json_text
from infoint_notes.formats.safetext import printable, printable_document
from tests.conftest import NOW, write_vault

HAS_GIT = shutil.which("git") is not None

NOTES = {
    "contacts/ada.md": "---\ntype: contact\nname: Ada Lovelace\nrequested: 2026-11-01\n"
    "request_via: email\n---\n",
    "contacts/bob.md": '---\ntype: contact\nname: Bob Stone\nreferred_by: "[[ada]]"\n---\n',
    "interviews/2026-11-19-ada.md": '---\ntype: interview\ncontact: "[[ada]]"\n'
    "date: 2026-11-19T10:00\nreferrals:\n  - name: Cy Young\n---\n",
}


def invoke(vault: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    environment = {"INFOINT_NOW": NOW, "INFOINT_VAULT": None, "NO_COLOR": None}
    return CliRunner().invoke(
        cli, ["--vault", str(vault), *args], env={**environment, **(env or {})}
    )


def age(root: Path) -> None:
    """Every note an hour old: out of the racy window, so a memo would be written."""
    stamp = time.time_ns() - 3600 * 10**9
    for file in walk_notes(root):
        os.utime(file.path, ns=(stamp, stamp))


def tree(folder: Path, skip: Path | None = None) -> dict[str, str]:
    """Every entry below `folder` (not following links), with a hash of each file,
    but not `skip` and what is below it."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if skip is not None and (path == skip or skip in path.parents):
            continue
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[rel] = "dir"
    return found


def vault_tree(vault: Path) -> dict[str, str]:
    """The vault's tree, `.infoint` itself included but not what a real one holds."""
    return {rel: found for rel, found in tree(vault).items() if not rel.startswith(".infoint/")}


# --- 1. a planted `.infoint` -------------------------------------------------------------


def _plant(kind: str, vault: Path, outside: Path) -> None:
    target = vault / ".infoint"
    if kind == "parent":
        target.symlink_to("..")
    elif kind == "outside":
        target.symlink_to(outside)
    elif kind == "dangling":
        target.symlink_to(outside / "not-yet")
    elif kind == "file":
        target.write_text("not a folder\n")
    else:  # a real folder whose files are links out of the vault
        target.mkdir()
        for name in (
            "cache.sqlite",
            "cache.sqlite-journal",
            "agenda.memo",
            ".gitignore",
            "CACHEDIR.TAG",
        ):
            (target / name).symlink_to(outside / f"victim-{name}")
        (outside / "victim-cache.sqlite").write_bytes(b"precious")
        (outside / "victim-agenda.memo").write_bytes(b"precious")


PLANTED = ["parent", "outside", "dangling", "file", "links-inside"]
COMMANDS = [
    ["agenda"],
    ["agenda", "--all", "--json"],
    ["validate", "--format", "json"],
    ["list", "--json"],
    ["graph", "--format", "json"],
    ["index"],
    ["index", "--rebuild"],
]


@pytest.fixture
def planted_world(tmp_path: Path) -> Callable[[str], tuple[Path, Path]]:
    def make(kind: str) -> tuple[Path, Path]:
        vault = write_vault(tmp_path / "vault", NOTES)
        age(vault)
        outside = tmp_path / "outside"
        outside.mkdir()
        # What a cache written through `.infoint -> ..` or a stale run would delete.
        (tmp_path / "agenda.memo").write_bytes(b"not infoint's")
        (outside / "agenda.memo").write_bytes(b"not infoint's")
        (outside / "cache.sqlite").write_bytes(b"not infoint's")
        _plant(kind, vault, outside)
        return vault, outside

    return make


@pytest.mark.parametrize("kind", PLANTED)
def test_planted_infoint_is_never_written_through(planted_world, tmp_path, kind):
    """Nothing outside the vault (nor in it) changes, and every answer is the one
    given without a cache."""
    vault, _ = planted_world(kind)
    before = tree(tmp_path, skip=vault)
    # `.infoint` itself stays what it is (a link inside a real one may be removed).
    inside = vault_tree(vault)
    for args in COMMANDS:
        expected = invoke(vault, *args, env={"INFOINT_NO_CACHE": "1"})
        for _ in range(2):  # the second run would answer from a memo, or write one
            result = invoke(vault, *args)
            assert "Traceback" not in result.output and "internal error" not in result.output
            if args[0] != "index":
                assert (result.exit_code, result.stdout) == (expected.exit_code, expected.stdout)
                assert result.stderr == expected.stderr
    assert tree(tmp_path, skip=vault) == before
    assert vault_tree(vault) == inside


@pytest.mark.parametrize("kind", ["parent", "outside", "dangling", "file"])
def test_index_says_plainly_why_there_is_no_cache(planted_world, kind):
    vault, _ = planted_world(kind)
    result = invoke(vault, "index")
    assert result.exit_code == 1
    assert result.stdout == "read 3, reused 0, removed 0\n"
    assert result.stderr.count("\n") == 1
    assert ".infoint is not a folder" in result.stderr


def test_cache_folder_swapped_for_a_link_while_created_is_not_followed(tmp_path, monkeypatch):
    """Another process replaces `.infoint` by a link right after it is created."""
    from infoint_notes.speed.loader import update_cache

    vault = write_vault(tmp_path / "vault", NOTES)
    outside = tmp_path / "outside"
    outside.mkdir()
    real_mkdir = os.mkdir

    def mkdir_then_swap(path, mode=0o777, *args, **kwargs):
        real_mkdir(path, mode, *args, **kwargs)
        if os.fspath(path).endswith(".infoint"):
            os.rmdir(path)
            os.symlink(outside, path)

    monkeypatch.setattr(os, "mkdir", mkdir_then_swap)
    stats = update_cache(vault)
    assert not stats.written
    assert list(outside.iterdir()) == []


# --- 2. the template's .gitignore ----------------------------------------------------------


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)


@pytest.mark.skipif(not HAS_GIT, reason="needs git")
@pytest.mark.parametrize("form", ["folder", "symlink", "file"])
def test_template_gitignore_ignores_infoint_in_every_form(tmp_path, form):
    vault = tmp_path / "vault"
    assert invoke_init(vault).exit_code == 0
    assert _git(vault, "init", "-q").returncode == 0
    target = vault / ".infoint"
    if form == "folder":
        target.mkdir()
        (target / "cache.sqlite").write_bytes(b"x")
    elif form == "symlink":
        target.symlink_to("..")
    else:
        target.write_text("x")
    ignored = _git(vault, "check-ignore", "--no-index", "-v", ".infoint")
    assert ignored.returncode == 0, ignored.stdout + ignored.stderr
    status = _git(vault, "status", "--porcelain", "--untracked-files=all").stdout
    assert ".infoint" not in status


@pytest.mark.skipif(not HAS_GIT, reason="needs git")
def test_template_gitignore_ignores_the_writers_temporary_files(tmp_path):
    vault = tmp_path / "vault"
    assert invoke_init(vault).exit_code == 0
    assert _git(vault, "init", "-q").returncode == 0
    temporaries = [
        "contacts/.jane.md.ab12cd34.tmp",
        ".top.md.x_9yz0k1.tmp",
        "interviews/2026/.x.md.abcdefgh.tmp",
        ".infoint.yaml.k2j4h6g8.tmp",
    ]
    notes = [
        "contacts/jane.md",
        "contacts/.hidden-but-mine.md",
        "contacts/jane.md.tmp",
        "contacts/.notes.tmp",
    ]
    for rel in temporaries + notes:
        path = vault / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    for rel in temporaries:
        assert _git(vault, "check-ignore", "-q", rel).returncode == 0, rel
    for rel in notes:
        assert _git(vault, "check-ignore", "-q", rel).returncode == 1, rel


def invoke_init(vault: Path) -> Result:
    return CliRunner().invoke(cli, ["init", str(vault)], env={"INFOINT_NOW": NOW})


# --- 3. terminal injection ---------------------------------------------------------------

#: Clears the screen, retitles the window, reverses what follows, and a C1 CSI.
EVIL = "Eve\x1b[2J\x1b]0;title\x07\u202eevil\x9b1m"
EVIL_YAML = '"Eve\\e[2J\\e]0;title\\a\\u202Eevil\\x9B1m"'
#: A newline that would forge a GitHub Actions annotation in a CI log.
FORGED = "::error file=x::pwned"
FORGE = "Mal\n" + FORGED
FORGE_YAML = '"Mal\\n::error file=x::pwned"'
#: An OSC 8 hyperlink around "click".
ORG_YAML = '"Acme\\e]8;;http://evil.example\\aclick\\e]8;;\\a"'
ORG = "Acme\x1b]8;;http://evil.example\x07click\x1b]8;;\x07"
SUMMARY = "Offer\x1b[2J\n" + FORGED
ESC_PATH = "contacts/x\x1b[2J.md"

HOSTILE_NOTES: dict[str, str | bytes] = {
    "contacts/eve.md": f"---\ntype: contact\nname: {EVIL_YAML}\norganization: {ORG_YAML}\n"
    'title: "Boss\\u2066\\u202E"\nemail: eve@example.com\nsource: "bad\\e[2J"\n'
    'requested: 2026-10-01\nrequest_via: email\ntags: ["t\\e[1m"]\n'
    'phone: "+1 555 0100"\n---\nBody with \x1b[31mred\x1b[0m and \u202ebidi.\n',
    "contacts/mal.md": f'---\ntype: contact\nname: {FORGE_YAML}\nreferred_by: "[[eve]]"\n'
    f"referrer_ok: true\norganization: {ORG_YAML}\ntitle: {FORGE_YAML}\n---\n",
    "interviews/2026-11-19-eve.md": '---\ntype: interview\ncontact: "[[eve]]"\n'
    "date: 2026-11-19T10:00\nstatus: done\nreferrals:\n"
    '  - name: "Ref\\e[31mRed\\u2066x\\n::error file=x::pwned"\n    may_use_name: true\n'
    '  - "[[nobody\\e[2J]]"\n---\n## Notes\n- Learned about \x1b[2Jstuff\n',
    "organizations/acme.md": f"---\ntype: organization\nname: {ORG_YAML}\n---\n",
    "milestones/2026-11-15-offer.md": "---\ntype: milestone\ndate: 2026-11-15\n"
    'summary: "Offer\\e[2J\\n::error file=x::pwned"\nthanks: ["[[eve]]"]\n---\n',
    ESC_PATH: '---\ntype: contact\nname: Plain Person\nreferred_by: "[[eve]]"\n---\n',
    "contacts/nl\n::error file=x::pwned.md": "---\ntype: contact\nname: [broken\n---\n",
    "contacts/bidi\u202etxt.md": "---\ntype: contact\nname: Bidi File\n---\n",
}

#: What a terminal obeys: C0 but LF (and CR only in CRLF), DEL, C1, bidi controls.
_UNSAFE = re.compile(
    "\r(?!\n)|[\x00-\x09\x0b-\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
#: Our own colour.
_OUR_STYLE = re.compile("\x1b\\[[0-9;]*m")


def assert_safe(text: str, where: object) -> None:
    found = _UNSAFE.search(_OUR_STYLE.sub("", text))
    assert found is None, (where, found, text)
    for line in text.splitlines():
        assert not line.lstrip(" -└├│").startswith(FORGED), (where, text)


@pytest.fixture(scope="module")
def hostile_vault(tmp_path_factory) -> Path:
    vault = write_vault(tmp_path_factory.mktemp("terminal") / "vault", HOSTILE_NOTES)
    files = vault.parent
    (files / "cards.vcf").write_text(
        # The same email as contacts/eve.md: "skipped <name>: same person as ..."
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + EVIL + "\r\nEMAIL:eve@example.com\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Vic\x1b[2J\u202eNew\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nORG:No Name\x1b[2J\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    row = '"Zed\x1b[2J","Q\u202e\n::error file=x::pwned",,,"=cmd|\' /C calc\'!A0",Boss,1 Jan 2024\n'
    (files / "Connections.csv").write_text(
        # The same row twice: "skipped <name>: same person as line 2 of the same file"
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + row * 2,
        encoding="utf-8",
    )
    return vault


TEXT_COMMANDS = [
    ["agenda"],
    ["agenda", "--all"],
    ["agenda", "--all", "--format", "ics"],
    ["show", "eve"],
    ["show", "mal"],
    ["show", "2026-11-19-eve"],
    ["show", "acme"],
    ["show", "2026-11-15-offer"],
    ["show", ESC_PATH],
    ["graph"],
    ["graph", "--format", "dot"],
    ["graph", "--format", "mermaid"],
    ["list"],
    ["list", "interviews"],
    ["list", "organizations"],
    ["list", "milestones"],
    ["links", "eve"],
    ["links", "2026-11-19-eve"],
    ["draft", "request", "mal"],
    ["draft", "thank-you", "2026-11-19-eve"],
    ["draft", "update", "eve"],
    ["export", "contacts"],
    ["export", "contacts", "--format", "vcard"],
    ["validate"],
    ["validate", "--format", "github"],
    ["orgs"],
    ["orgs", "acme"],
    ["stats"],
    ["import", "vcard", "{files}/cards.vcf", "--dry-run"],
    ["import", "linkedin", "{files}/Connections.csv", "--dry-run"],
    ["show", "nobody\x1b[2J\u202e"],  # an error quoting the argument
    ["new", "contact", EVIL, "--org", ORG],  # refused: names the note it duplicates
    ["new", "interview", "nobody\x1b]0;x\x07"],
]
JSON_COMMANDS = [
    ["agenda", "--all", "--json"],
    ["show", "eve", "--json"],
    ["show", "2026-11-19-eve", "--json"],
    ["graph", "--format", "json"],
    ["list", "--json"],
    ["list", "milestones", "--json"],
    ["links", "eve", "--json"],
    ["export", "contacts", "--format", "json"],
    ["validate", "--format", "json"],
    ["orgs", "--json"],
    ["orgs", "acme", "--json"],
    ["stats", "--json"],
]


def run_in(vault: Path, args: list[str]) -> Result:
    args = [arg.replace("{files}", str(vault.parent)) for arg in args]
    result = CliRunner().invoke(
        cli,
        ["--vault", str(vault), *args],
        env={"INFOINT_NOW": NOW, "INFOINT_VAULT": None, "NO_COLOR": None},
        color=True,  # as on a terminal: Click strips nothing
    )
    output = result.stdout + result.stderr
    assert result.exit_code in (0, 1, 2), output
    assert "Traceback" not in output and "internal error" not in output, output
    return result


@pytest.mark.parametrize("args", TEXT_COMMANDS + JSON_COMMANDS, ids=repr)
def test_no_control_character_reaches_the_terminal(hostile_vault, args):
    """Text shows them escaped; JSON escapes them and reads back as the exact values."""
    before = tree(hostile_vault, skip=hostile_vault / ".infoint")
    result = run_in(hostile_vault, args)
    assert_safe(result.stdout, (args, "stdout"))
    assert_safe(result.stderr, (args, "stderr"))
    assert tree(hostile_vault, skip=hostile_vault / ".infoint") == before  # dry runs too
    if args in JSON_COMMANDS and args[0] != "stats":
        strings = set(_strings(json.loads(result.stdout)))
        exact = {EVIL, FORGE, ORG, SUMMARY, "contacts/nl\n::error file=x::pwned.md", ESC_PATH}
        assert strings & exact or any(EVIL in found for found in strings), strings


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_escapes_are_readable(hostile_vault):
    listing = run_in(hostile_vault, ["list"]).stdout
    assert "Eve\\x1b[2J\\x1b]0;title\\x07\\u202eevil\\x9b1m" in listing
    assert "Mal ::error file=x::pwned" in listing  # a cell is one line
    assert (
        "\n  name: Mal\\n::error file=x::pwned\n" in run_in(hostile_vault, ["show", "mal"]).stdout
    )
    problems = run_in(hostile_vault, ["validate"]).stdout
    assert "contacts/nl\\n::error file=x::pwned.md:" in problems
    assert "\nx\\x1b[2J " in listing  # the id of contacts/x\x1b[2J.md


def test_log_prints_a_hostile_path_escaped(tmp_path):
    vault = write_vault(tmp_path / "vault", HOSTILE_NOTES)
    result = run_in(vault, ["log", "response", ESC_PATH, "--date", "2026-11-20"])
    assert result.exit_code == 0, result.output
    assert_safe(result.stdout, "log")
    assert result.stdout == "contacts/x\\x1b[2J.md: responded: 2026-11-20\n"


def test_watch_prints_problems_and_items_escaped(capsys):
    from infoint_notes.commands.watch import _print
    from infoint_notes.core.model import ERROR, Diagnostic
    from infoint_notes.rules.agenda import AgendaItem

    problem = Diagnostic("contacts/nl\n" + FORGED + ".md", 1, 1, ERROR, "yaml-syntax", EVIL)
    item = AgendaItem("thank-you", date(2026, 11, 20), False, "i.md", "eve", FORGE, "s")
    report = SimpleNamespace(
        changed=[ESC_PATH],
        config_error=None,
        appeared=[problem],
        resolved=[problem],
        new_items=[item],
        done_items=[item],
    )
    _print(report)
    captured = capsys.readouterr()
    assert_safe(captured.out, "watch stdout")
    assert_safe(captured.err, "watch stderr")
    assert captured.out.count("\n") == 4


def test_vcard_export_is_safe_and_round_trips_exactly(tmp_path):
    """vCard values hold no control characters (RFC 6350): shown escaped, and the
    exact value travels in X-INFOINT-*, so importing the export gives it back."""
    vault = write_vault(
        tmp_path / "vault",
        {
            "contacts/eve.md": f"---\ntype: contact\nname: {EVIL_YAML}\norganization: {ORG_YAML}\n"
            'title: "Boss\\u2066\\u202E"\ntags: ["t\\e[1m", plain]\n---\nBody \x1b[2J.\n',
            "contacts/mal.md": f"---\ntype: contact\nname: {FORGE_YAML}\n---\n",
        },
    )
    exported = run_in(vault, ["export", "contacts", "--format", "vcard"]).stdout
    assert_safe(exported, "vcard")
    assert "\nNOTE:Body \\\\x1b[2J.\n" in exported  # the body, escaped (then vCard-escaped)
    (tmp_path / "out.vcf").write_text(exported, encoding="utf-8", newline="")
    other = write_vault(tmp_path / "other", {})
    imported = run_in(other, ["import", "vcard", str(tmp_path / "out.vcf")])
    assert imported.exit_code == 0, imported.output
    rows = {row["name"]: row for row in json.loads(run_in(other, ["list", "--json"]).stdout)}
    assert len(rows) == 2  # (import makes a name one line: "Mal ::error ...")
    eve = rows[EVIL]
    assert (eve["organization"], eve["title"]) == (ORG, "Boss\u2066\u202e")
    assert eve["tags"] == ["t\x1b[1m", "plain"]


# --- 4. CSV formula injection ----------------------------------------------------------------


def test_csv_export_never_hands_a_spreadsheet_a_formula(tmp_path):
    vault = write_vault(
        tmp_path / "vault",
        {
            "contacts/f.md": '---\ntype: contact\nname: "=HYPERLINK(\\"http://evil\\",\\"x\\")"\n'
            'organization: "+cmd|\' /C calc\'!A0"\ntitle: "-2+3"\nemail: "@SUM(1+1)"\n'
            'location: "\\tTabbed"\nfield: "\\rReturn"\nphone: "+1 555 0100"\n'
            'tags: ["=a", "b"]\nkeep_in_touch_days: 30\n---\n',
            "=cmd.md": "---\ntype: contact\nname: Safe Name\nemail: a@b.example\n---\n",
        },
    )
    result = run_in(vault, ["export", "contacts"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    formula = next(row for row in rows if row["id"] == "f")
    assert formula["name"] == '\'=HYPERLINK("http://evil","x")'
    assert formula["organization"] == "'+cmd|' /C calc'!A0"
    assert formula["title"] == "'-2+3"
    assert formula["email"] == "'@SUM(1+1)"
    assert formula["location"] == "'\\tTabbed"  # a tab escaped too, as in the terminal
    assert formula["field"] == "'\\rReturn"
    assert formula["phone"] == "'+1 555 0100"  # OWASP: a leading + is a formula to Excel
    assert formula["tags"] == "'=a; b"
    assert formula["keep_in_touch_days"] == "30"
    planted = next(row for row in rows if row["name"] == "Safe Name")
    assert (planted["id"], planted["path"]) == ("'=cmd", "'=cmd.md")
    assert planted["email"] == "a@b.example"
    # JSON is data, not a spreadsheet: exact values.
    exported = json.loads(run_in(vault, ["export", "contacts", "--format", "json"]).stdout)
    fields = next(item["fields"] for item in exported if item["id"] == "f")
    assert fields["phone"] == "+1 555 0100" and fields["title"] == "-2+3"


# --- one place -------------------------------------------------------------------------------

_PRINTERS = {("click", "echo"), ("click", "secho"), ("click", "style"), ("click", "echo_via_pager")}
_STREAMS = {("sys", "stdout"), ("sys", "stderr")}


def _printing_calls(tree_: ast.AST) -> list[int]:
    """Lines that print other than through `output`: click.echo/secho/style, print(),
    sys.stdout/sys.stderr.write()."""
    found = []
    for node in ast.walk(tree_):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "print":
            found.append(node.lineno)
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if (func.value.id, func.attr) in _PRINTERS:
                found.append(node.lineno)
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "write"
            and isinstance(func.value, ast.Attribute)
            and isinstance(func.value.value, ast.Name)
            and (func.value.value.id, func.value.attr) in _STREAMS
        ):
            found.append(node.lineno)
    return found


def test_every_command_prints_through_the_output_module():
    """So no renderer can forget to escape: `output` is the only module that prints."""
    package = Path(__file__).resolve().parents[2] / "infoint_notes"
    offenders = {}
    for path in sorted(package.rglob("*.py")):
        if path == package / "commands" / "output.py":
            continue
        lines = _printing_calls(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            offenders[path.relative_to(package).as_posix()] = lines
    assert offenders == {}


@given(st.text())
def test_printable_and_json_escape_any_text(text):
    shown = printable(text)
    assert _UNSAFE.search(shown) is None and "\n" not in shown
    assert printable(shown) == shown  # escaping twice changes nothing
    if _UNSAFE.search(text) is None and "\n" not in text:
        assert shown == text  # ordinary text (accents, scripts, emoji) is left alone
    for encoded in (json_string(text), encode_json({"k": [text]}), json_text([{"k": text}])):
        assert _UNSAFE.search(encoded.replace("\n", "")) is None
    assert json.loads(json_string(text)) == text
    assert json.loads(json_text({"k": [text]})) == {"k": [text]}


def test_printable_spells_escapes_as_python_does():
    assert printable("a\x1b[2J\x07\x9b\u202e\u2066\n\t\r\x7f\u2028z") == (
        "a\\x1b[2J\\x07\\x9b\\u202e\\u2066\\n\\t\\r\\x7f\\u2028z"
    )
    assert printable("José Núñez · Ελένη · דוד\u200f") == "José Núñez · Ελένη · דוד\u200f"
    assert printable_document("a,b\r\nc\rd\n\x1b") == "a,b\r\nc\\rd\n\\x1b"
