"""Issue 14: the pre-commit hook cannot be dodged, and odd values are diagnostics, not
crashes.

`validate --staged` checks the commit as it will be: every staged path whatever its name,
and what a deletion breaks elsewhere (SPEC 4.17). A huge integer, a zone that is a
folder, an offset of 99 hours, a float or a mapping in an import: each is a per-note
diagnostic or a one-line exit-2 message, never `internal error` (SPEC 5).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from infoint_notes.core.yamlread import load_front_matter
from infoint_notes.write.edit import scalar_text, written_value
from tests.test_githook import REPO_ROOT, git

HAS_GIT = shutil.which("git") is not None
needs_git = pytest.mark.skipif(not HAS_GIT, reason="git is not installed")

MARIA = "---\ntype: contact\nname: Maria Chen\n---\n"
SAM = '---\ntype: contact\nname: Sam Lee\nreferred_by: "[[maria]]"\n---\n'
BROKEN = "---\ntype: contact\ntitle: no name\n---\n"
HUGE = "9" * 5000


def infoint(vault: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command in its own process: its streams print any file name (a name that
    is not UTF-8 reaches text as surrogate escapes, which CliRunner cannot encode)."""
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "infoint_notes", "--vault", str(vault), *args],
        capture_output=True,
        text=True,
        env=env,
    )


def committed_vault(make_vault) -> Path:
    vault = make_vault({"contacts/maria.md": MARIA, "contacts/sam.md": SAM})
    git(vault, "init", "-q")
    git(vault, "add", "-A")
    assert git(vault, "commit", "-qm", "start").returncode == 0
    return vault


# --- validate --staged: every staged path, whatever its name ----------------------------


@needs_git
@pytest.mark.parametrize(
    "name",
    [
        "contacts/new\nline.md",  # threw `git cat-file --batch` out of step: 0 notes checked
        os.fsdecode(b"contacts/lat\xe9n.md"),  # not UTF-8: skipped silently
    ],
)
def test_validate_staged_checks_every_staged_name(make_vault, name):
    vault = committed_vault(make_vault)
    (vault / name).write_text(BROKEN)
    (vault / "contacts" / "good.md").write_text(MARIA.replace("Maria Chen", "Good One"))
    git(vault, "add", "-A")
    result = infoint(vault, "validate", "--staged", "--format", "json")
    assert result.returncode == 1, result.stderr
    problems = json.loads(result.stdout)
    assert [(p["path"], p["code"]) for p in problems] == [(name, "missing-field")]
    assert "checked 2 notes: 1 error" in result.stderr


@needs_git
def test_hook_refuses_a_broken_note_named_with_a_newline_in_a_vault_folder_with_one(run, tmp_path):
    top = tmp_path / "repo"
    vault = top / "my\nnotes"
    (vault / "contacts").mkdir(parents=True)
    (vault / "infoint.yaml").write_text("timezone: UTC\n")
    git(top, "init", "-q")
    assert run(vault, "hook", "install").exit_code == 0
    note = vault / "contacts" / "odd\nname.md"
    note.write_text(BROKEN)
    git(top, "add", "-A")
    refused = git(top, "commit", "-qm", "broken")
    assert refused.returncode != 0
    assert "error missing-field" in refused.stdout + refused.stderr

    note.write_text(MARIA)
    git(top, "add", "-A")
    assert git(top, "commit", "-qm", "fixed").returncode == 0, git(top, "status").stdout


# --- deletions and what the commit holds -------------------------------------------------


@needs_git
@pytest.mark.parametrize("how", [["rm", "-q"], ["rm", "-q", "--cached"], ["mv"]])
def test_a_staged_deletion_that_breaks_a_link_field_is_an_error(run, make_vault, how):
    vault = committed_vault(make_vault)
    target = ["contacts/maria.md", "contacts/maria-chen.md"] if how == ["mv"] else []
    git(vault, *how, "contacts/maria.md", *target[1:])
    result = run(vault, "validate", "--staged")
    assert result.exit_code == 1, result.stderr
    line = result.stdout.splitlines()[-1]
    assert line.startswith("contacts/sam.md:4:14: error broken-link: ")
    assert line.endswith("; this commit deletes contacts/maria.md")
    # sam.md (for what the commit did to it), and the renamed note
    checked = "checked 2 notes" if how == ["mv"] else "checked 1 note"
    assert result.stderr.startswith(f"{checked}: 1 error")


@needs_git
def test_hook_refuses_a_deletion_that_leaves_a_referral_pointing_at_nothing(run, make_vault):
    vault = committed_vault(make_vault)
    run(vault, "hook", "install")
    git(vault, "rm", "-q", "contacts/maria.md")
    refused = git(vault, "commit", "-qm", "delete maria")
    assert refused.returncode != 0
    assert "contacts/sam.md:4:14: error broken-link" in refused.stdout + refused.stderr
    # Deleting the note that links is fine, and then so is deleting the one it linked to.
    git(vault, "rm", "-q", "contacts/sam.md")
    assert git(vault, "commit", "-qm", "delete both").returncode == 0


@needs_git
def test_a_staged_change_of_kind_breaks_the_link_fields_that_point_at_it(run, make_vault):
    vault = committed_vault(make_vault)
    (vault / "contacts" / "maria.md").write_text("---\ntype: organization\nname: Maria Chen\n---\n")
    git(vault, "add", "contacts/maria.md")
    result = run(vault, "validate", "--staged")
    assert result.exit_code == 1
    assert "contacts/sam.md:4:14: error wrong-link-kind" in result.stdout
    assert "this commit changes contacts/maria.md" in result.stdout


@needs_git
def test_an_added_note_that_makes_a_link_ambiguous_is_reported_at_the_link(run, make_vault):
    vault = committed_vault(make_vault)
    # A link by name: a second contact of that name leaves nothing to choose by. (A
    # note `notes/maria.md` would not: from contacts/, [[maria]] means the one beside.)
    (vault / "contacts" / "ana.md").write_text(SAM.replace("[[maria]]", "[[Maria Chen]]"))
    git(vault, "add", "contacts/ana.md")
    assert git(vault, "commit", "-qm", "ana").returncode == 0
    (vault / "people").mkdir()
    (vault / "people" / "maria-c.md").write_text(MARIA)
    git(vault, "add", "people/maria-c.md")
    result = run(vault, "validate", "--staged", "--strict")
    assert result.exit_code == 1
    line = result.stdout.splitlines()[0]
    assert line.startswith("contacts/ana.md:4:14: warning ambiguous-link: ")
    assert line.endswith("; this commit adds people/maria-c.md")


@needs_git
def test_the_commit_is_checked_as_git_holds_it_not_as_the_folder_is(run, make_vault):
    vault = committed_vault(make_vault)
    # On disk only: maria is gone, but the commit still holds her ...
    (vault / "contacts" / "maria.md").unlink()
    (vault / "contacts" / "sam.md").write_text(SAM.replace("Sam Lee", "Sam J. Lee"))
    git(vault, "add", "contacts/sam.md")
    clean = run(vault, "validate", "--staged")
    assert clean.exit_code == 0, clean.stdout
    # ... and a note that is only on disk is not in the commit.
    (vault / "contacts" / "priya.md").write_text(MARIA.replace("Maria Chen", "Priya"))
    (vault / "contacts" / "ana.md").write_text(SAM.replace("[[maria]]", "[[priya]]"))
    git(vault, "add", "contacts/ana.md")
    result = run(vault, "validate", "--staged")
    assert result.exit_code == 1
    assert "contacts/ana.md:4:14: error broken-link: 'referred_by' points to no note: 'priya'" in (
        result.stdout
    )


# --- integers Python will not turn into text ----------------------------------------------


@pytest.mark.parametrize(
    "field, value",
    [
        ("score", HUGE),
        ("keep_in_touch_days", HUGE),
        ("score", "0x" + "f" * 4000),  # read fine, but could never be printed
        ("score", f"!!int {HUGE}"),
        ("extra", f"[1, {{deep: {HUGE}}}]"),
    ],
)
def test_a_huge_integer_is_a_diagnostic_and_every_command_goes_on(run, make_vault, field, value):
    vault = make_vault(
        {
            "contacts/big.md": f"---\ntype: contact\nname: Big\n{field}: {value}\n---\n",
            "contacts/maria.md": MARIA,
        }
    )
    result = run(vault, "validate", "--format", "json")
    assert result.exit_code == 1, result.stderr
    (problem,) = json.loads(result.stdout)
    assert (problem["path"], problem["code"], problem["line"]) == (
        "contacts/big.md",
        "yaml-syntax",
        4,
    )
    assert "more than 4,300 digits" in problem["message"]
    for command in (["list"], ["show", "maria"], ["agenda", "--all"], ["stats"], ["graph"]):
        shown = run(vault, *command)
        assert shown.exit_code in (0, 1), (command, shown.stderr)
        assert "internal error" not in shown.stderr
    assert "Maria Chen" in run(vault, "list").stdout


def test_a_huge_duration_in_an_interview_is_a_diagnostic(run, make_vault):
    vault = make_vault(
        {
            "contacts/maria.md": MARIA,
            "interviews/i.md": '---\ntype: interview\ncontact: "[[maria]]"\n'
            f"date: 2026-11-10T10:00\nduration: {HUGE}\n---\n",
        }
    )
    result = run(vault, "validate")
    assert result.exit_code == 1
    assert result.stdout.startswith("interviews/i.md:5:11: error yaml-syntax: a number of more")


def test_a_huge_integer_in_infoint_yaml_is_a_one_line_error(run, make_vault):
    vault = make_vault(config=f"timezone: UTC\nprepare_days: {HUGE}\n")
    result = run(vault, "agenda")
    assert result.exit_code == 2
    assert result.stderr.startswith("infoint.yaml:2:15: a number of more than 4,300 digits")
    assert len(result.stderr.splitlines()) == 1


def test_infoint_yaml_is_not_called_front_matter(run, make_vault):
    vault = make_vault(config="- timezone: UTC\n")
    result = run(vault, "agenda")
    assert result.exit_code == 2
    assert result.stderr == "infoint.yaml:1:1: infoint.yaml is a list, not a set of 'key: value'\n"


def test_numbers_beyond_a_float_compare_and_sort(run, make_vault):
    """`1` and 400 zeros is a valid integer, but float() of it overflows."""
    big = "1" + "0" * 400
    vault = make_vault(
        {
            "contacts/big.md": f"---\ntype: contact\nname: Big\nscore: {big}\n---\n",
            "contacts/small.md": "---\ntype: contact\nname: Small\nscore: 2\n---\n",
        }
    )

    def ids(*args: str) -> list[str]:
        result = run(vault, "list", *args, "--json")
        assert result.exit_code == 0, result.stderr
        return [item["id"] for item in json.loads(result.stdout)]

    assert ids("--where", "score>5") == ["big"]
    assert ids("--where", f"score={big}") == ["big"]
    assert ids("--where", f"score<{HUGE}") == ["big", "small"]
    assert ids("--sort", "score") == ["small", "big"]
    # Integers compare exactly, not as the nearest float (which is the same for both).
    assert ids("--where", f"score={big[:-1]}1") == []


# --- zones and offsets ----------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["America", "Etc", "A" * 300, "Europe/" + "x" * 5000])
def test_a_zone_that_is_no_zone_is_a_config_error(run, make_vault, zone):
    vault = make_vault(config=f"timezone: {zone}\n")
    result = run(vault, "agenda")
    assert result.exit_code == 2
    assert result.stderr.startswith("infoint.yaml: unknown time zone ")
    assert len(result.stderr) < 200  # a 5,000-character name is not printed whole


@pytest.mark.parametrize("tz", ["America", "A" * 300, "Europe/" + "x" * 5000])
def test_a_tz_variable_that_is_no_zone_falls_back_to_the_system_zone(run, make_vault, tz):
    vault = make_vault({"contacts/maria.md": MARIA}, config="timezone: null\n")
    result = run(vault, "agenda", env={"TZ": tz})
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("offset", ["+99:00", "+24:00", "-25", "+05:75"])
def test_an_impossible_offset_gets_a_plain_message_everywhere(run, make_vault, tmp_path, offset):
    vault = make_vault(
        {
            "contacts/maria.md": MARIA,
            "interviews/i.md": '---\ntype: interview\ncontact: "[[maria]]"\n'
            f"date: 2026-11-10T10:00{offset}\n---\n",
        }
    )
    expected = f"has an impossible offset {offset} (from -23:59 to +23:59)"
    result = run(vault, "validate")
    assert result.stdout.startswith(f"interviews/i.md:4:7: error bad-value: 'date' {expected}"), (
        result.stdout
    )
    moment = f"2026-11-20T10:00{offset}"
    for args, env, source in (
        (["agenda", "--now", moment], None, "--now"),
        (["agenda"], {"INFOINT_NOW": moment}, "INFOINT_NOW"),
        (["list", "--where", f"date>{moment}"], None, "bad --where expression"),
        (["init", str(tmp_path / "demo"), "--demo"], {"INFOINT_NOW": moment}, "INFOINT_NOW"),
        (["new", "interview", "maria", "--date", moment], None, "--date"),
        (["log", "request", "maria", "--via", "email", "--date", moment], None, "--date"),
    ):
        refused = run(None if args[0] == "init" else vault, *args, env=env)
        assert refused.exit_code == 2
        assert refused.stderr.startswith(source) and expected in refused.stderr
        assert "timedelta" not in refused.stderr


# --- export -> import keeps every value ---------------------------------------------------

ODD_VALUES = (
    "---\ntype: contact\nname: Ada Lovelace\nstatus: active\n"
    "score: 1.5\ntiny: 1e-7\nlarge: 12345e300\n"
    "extra: {a: 1, 'b c': [x, 2.5, null], d: {e: true}}\n"
    "jobs:\n  - {title: eng, years: 3}\n  - title: mgr\n    since: 2020-01-01\n"
    "overflow: 1e309\ninf: .inf\nninf: -.inf\nnan: .nan\nkeys: {'1': one, 'yes': y, '': e}\n"
    "---\nBody\n"
)


@pytest.mark.parametrize("fmt", ["json", "vcard"])
def test_export_then_import_keeps_floats_mappings_and_infinities(run, make_vault, tmp_path, fmt):
    source = make_vault({"contacts/ada-lovelace.md": ODD_VALUES})
    exported = tmp_path / f"out.{fmt}"
    exported.write_bytes(run(source, "export", "contacts", "--format", fmt).stdout_bytes)
    target = tmp_path / "target"
    run(None, "init", str(target))
    result = run(target, "import", fmt, str(exported))
    assert result.exit_code == 0, result.stderr
    assert "created 1 contact" in result.stderr

    def fields(vault: Path) -> str:
        (item,) = json.loads(run(vault, "export", "contacts", "--format", "json").stdout)
        kept = {k: v for k, v in item["fields"].items() if v not in (None, [], "")}
        return json.dumps(kept, sort_keys=True)  # nan != nan: compare the text

    assert fields(target) == fields(source)
    assert run(target, "validate").exit_code == 0


@pytest.mark.parametrize(
    "value",
    [
        1.5,
        -0.0,
        1e16,
        1e-7,
        float("inf"),
        float("-inf"),
        {"a": 1, "b c": [1.5, None, {"d": "x: y"}], "": {}},
        [{"title": "eng", "years": 3}, {"title": "mgr"}],
        {"1": "one", "yes": "no", "null": None, "#": "[[x]]"},
    ],
)
def test_any_value_the_writer_writes_reads_back_as_itself(value):
    text = f"key: {scalar_text(value)}"
    result = load_front_matter(text, 1)
    assert not result.problems, text
    assert repr(result.data["key"]) == repr(written_value(value)), text


@pytest.mark.parametrize(
    "before, after",
    [
        ("updates: [1.5, {a: 1}]", "updates: [1.5, {a: 1}, 2026-11-20T12:00]"),
        ("updates: 1.5", "updates: [1.5, 2026-11-20T12:00]"),
    ],
)
def test_log_update_beside_a_number_or_mapping_in_updates(run, make_vault, before, after):
    vault = make_vault({"contacts/ada.md": f"---\ntype: contact\nname: Ada\n{before}\n---\n"})
    result = run(vault, "log", "update", "ada")
    assert result.exit_code == 0, result.stderr
    assert (vault / "contacts" / "ada.md").read_text().splitlines()[3] == after


def test_nan_is_written_so_that_it_reads_back(run):
    result = load_front_matter(f"key: {scalar_text(float('nan'))}", 1)
    assert repr(result.data["key"]) == "nan"


def test_an_import_value_no_yaml_can_hold_is_reported_and_the_rest_import(
    run, make_vault, tmp_path
):
    vault = make_vault()
    deep = "[" * 900 + "]" * 900
    path = tmp_path / "odd.json"
    path.write_text(
        "["
        '{"fields": {"name": "Lone \\ud800 Surrogate"}},'
        f'{{"fields": {{"name": "Deep", "d": {deep}}}}},'
        '{"fields": {"name": "Fine", "score": 2.5}}'
        "]"
    )
    result = run(vault, "import", "json", str(path))
    assert result.exit_code == 0, result.stderr
    assert "created 1 contact, skipped 0 duplicates, 2 invalid (lines 1, 2)" in result.stderr
    assert "nested deeper than 50 levels" in result.stderr
    assert "score: 2.5" in (vault / "contacts" / "fine.md").read_text()

    too_deep = tmp_path / "deeper.json"
    too_deep.write_text('[{"fields": {"name": "X", "d": ' + "[" * 100_000 + "]" * 100_000 + "}}]")
    refused = run(vault, "import", "json", str(too_deep))
    assert refused.exit_code == 2
    assert refused.stderr == f"{too_deep}: not valid JSON: nested too deeply\n"


def test_a_name_that_is_not_utf8_is_refused_in_one_line(run, make_vault):
    """A terminal in Latin-1 passes `\xff` bytes, which reach Python as lone surrogates."""
    vault = make_vault()
    result = run(vault, "new", "contact", "Jos\udce9")
    assert result.exit_code == 2
    assert result.stderr == (
        "'Jos\\udce9' is not valid text (a lone surrogate: bytes that are not UTF-8?)\n"
    )
    assert not (vault / "contacts").exists()


def test_the_pre_commit_framework_hook_checks_the_commit_deletions_included():
    """pre-commit passes only added and changed files, so a commit that deletes
    `maria.md` would never reach a hook that checks file names."""
    (hook,) = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["args"][-2:] == ["validate", "--staged"]
    assert hook["always_run"] is True and hook["pass_filenames"] is False
