"""`infoint validate` end to end: every diagnostic code, its line, formats, exit codes."""

from __future__ import annotations

import json

import pytest

JANE = """
---
type: contact
name: Jane Doe
email: jane@example.com
---
"""


def diagnostics(run, vault, *args):
    result = run(vault, "validate", "--format", "json", *args)
    return result, json.loads(result.stdout)


def found(items):
    return {
        (item["path"], item["line"], item["column"], item["severity"], item["code"])
        for item in items
    }


CASES = {
    "yaml-syntax": ("a.md", "---\ntitle: Part 1: Intro\n---\n", (2, 14, "error")),
    "not-a-mapping": ("a.md", "---\n- a\n---\n", (2, 1, "error")),
    "conflict-marker": (
        "a.md",
        "---\nname: a\n---\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n",
        (4, 1, "error"),
    ),
    "unknown-type": ("a.md", "---\ntype: person\n---\n", (2, 7, "warning")),
    "missing-field": ("a.md", "---\ntype: contact\ntitle: Boss\n---\n", (1, 1, "error")),
    "bad-value": (
        "a.md",
        "---\ntype: interview\ncontact: jane-doe\ndate: 2026-11-01\nformat: zoom\n---\n",
        (5, 9, "error"),
    ),
    "broken-link": (
        "a.md",
        '---\ntype: contact\nname: A\nreferred_by: "[[nobody]]"\n---\n',
        (4, 14, "error"),
    ),
    "wrong-link-kind": (
        "a.md",
        '---\ntype: interview\ncontact: "[[org]]"\ndate: 2026-11-01\n---\n',
        (3, 10, "error"),
    ),
    "unquoted-wikilink": (
        "a.md",
        "---\ntype: contact\nname: A\nreferred_by: [[jane-doe]]\n---\n",
        (4, 14, "warning"),
    ),
    "duplicate-contact": (
        "people/other.md",
        "---\ntype: contact\nname: Other\nemail: JANE@example.com\n---\n",
        (4, 1, "warning"),
    ),
    "thank-you-before-interview": (
        "a.md",
        "---\ntype: interview\ncontact: jane-doe\ndate: 2026-11-10T10:00\n"
        "thank_you_sent: 2026-11-09\n---\n",
        (5, 1, "error"),
    ),
    "future-thank-you": (
        "a.md",
        "---\ntype: interview\ncontact: jane-doe\ndate: 2026-11-10\n"
        "thank_you_sent: 2026-12-01\n---\n",
        (5, 1, "warning"),
    ),
    "job-question": (
        "a.md",
        "---\ntype: interview\ncontact: jane-doe\ndate: 2026-11-10\n"
        "questions:\n  - Are you hiring right now?\n---\n",
        (6, 5, "warning"),
    ),
    "closed-question": (
        "a.md",
        "---\ntype: interview\ncontact: jane-doe\ndate: 2026-11-10\n---\n"
        "## Questions\n- Do you like your job?\n",
        (7, 3, "info"),
    ),
    "unreadable": ("a.md", "---\nname: José\n---\n".encode("latin-1"), (1, 1, "error")),
    "duplicate-key": ("a.md", "---\nname: a\nname: b\n---\n", (3, 1, "error")),
    "unterminated-front-matter": ("a.md", "---\nname: a\n", (1, 1, "warning")),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_code_is_reported_at_its_line(make_vault, run, code):
    rel, content, (line, column, severity) = CASES[code]
    vault = make_vault(
        {
            "contacts/jane-doe.md": JANE,
            "org.md": "---\ntype: organization\nname: O\n---\n",
            rel: content,
        }
    )
    result, items = diagnostics(run, vault)
    assert (rel, line, column, severity, code) in found(items), items
    assert result.exit_code == (1 if severity == "error" else 0)


def test_duplicate_id_ambiguous_link_and_body_broken_link(make_vault, run):
    # Two contacts with one file name, at paths of one length: a link from a third
    # folder has nothing to choose by (SPEC 2.1).
    vault = make_vault(
        {
            "team/Sam.md": "---\ntype: contact\nname: Sam A\n---\n",
            "work/sam.md": "---\ntype: contact\nname: Sam B\n---\n",
            "x.md": "See [[sam]] and [[ghost]].\n",
        }
    )
    result, items = diagnostics(run, vault)
    assert ("team/Sam.md", 1, 1, "warning", "duplicate-id") in found(items)
    assert ("work/sam.md", 1, 1, "warning", "duplicate-id") in found(items)
    assert ("x.md", 1, 5, "warning", "ambiguous-link") in found(items)
    assert ("x.md", 1, 17, "warning", "broken-link") in found(items)
    assert result.exit_code == 0


def test_nfd_and_nfc_file_names_are_the_same_id(make_vault, run):
    contact = "---\ntype: contact\nname: José\n---\n"
    vault = make_vault({"Jose\u0301.md": contact, "José.md": contact})
    _, items = diagnostics(run, vault)
    assert [item["code"] for item in items] == ["duplicate-id", "duplicate-id"]


def test_referral_cycle(make_vault, run):
    vault = make_vault(
        {
            "a.md": '---\ntype: contact\nname: A\nreferred_by: "[[b]]"\n---\n',
            "b.md": '---\ntype: contact\nname: B\nreferred_by: "[[a]]"\n---\n',
        }
    )
    _, items = diagnostics(run, vault)
    assert found(items) == {
        ("a.md", 4, 1, "warning", "referral-cycle"),
        ("b.md", 4, 1, "warning", "referral-cycle"),
    }


def test_unknown_config_key(make_vault, run):
    vault = make_vault(config="timezone: UTC\nthank_you_hours: 12\n")
    _, items = diagnostics(run, vault)
    assert found(items) == {("infoint.yaml", 2, 1, "warning", "unknown-config-key")}


def test_unknown_key_under_me(make_vault, run):
    vault = make_vault(config="timezone: UTC\nme:\n  name: Ana Ruiz\n  linkedin: ana\n")
    _, items = diagnostics(run, vault)
    assert found(items) == {("infoint.yaml", 4, 3, "warning", "unknown-config-key")}
    bad = make_vault(config="me:\n  phone: 5550100\n")
    result = run(bad, "validate")
    assert result.exit_code == 2 and "'me.phone'" in result.stderr


def test_links_resolve_by_name_and_alias_case_insensitively(make_vault, run):
    vault = make_vault(
        {
            "contacts/jane-doe.md": "---\ntype: contact\nname: Jane Doe\naliases: [JD]\n---\n",
            "b.md": "---\ntype: contact\nname: B\nreferred_by: jane  DOE\n---\n",
            "c.md": '---\ntype: contact\nname: C\nreferred_by: "[[jd|Jane]]"\n---\n',
            "d.md": "See [[JANE-DOE#History]] and ![[photo.png]]\n",
            "photo.png": b"\x89PNG\r\n",
        }
    )
    result, items = diagnostics(run, vault)
    assert items == [] and result.exit_code == 0


def test_text_format_and_summary(make_vault, run):
    vault = make_vault({"a.md": "---\ntype: contact\n---\n"})
    result = run(vault, "validate")
    assert result.stdout == "a.md:1:1: error missing-field: 'name' is required\n"
    assert "checked 1 note: 1 error, 0 warnings, 0 info" in result.stderr
    assert result.exit_code == 1


def test_github_format(make_vault, run):
    vault = make_vault({"a.md": "---\ntype: contact\n---\n"})
    result = run(vault, "validate", "--format", "github")
    assert result.stdout.startswith("::error file=a.md,line=1,col=1,title=infoint missing-field::")


def test_a_control_character_in_yaml_is_reported_at_its_line_and_column(make_vault, run):
    vault = make_vault({"contacts/evil.md": '---\ntype: contact\nname: "Evil\x1b[31mName"\n---\n'})
    message = (
        "control character U+001B is not allowed in YAML "
        '(remove it, or write it as "\\x1b" in a double-quoted value)'
    )
    result = run(vault, "validate")
    assert result.stdout == f"contacts/evil.md:3:12: error yaml-syntax: {message}\n"
    github = run(vault, "validate", "--format", "github").stdout
    assert github == (
        f"::error file=contacts/evil.md,line=3,col=12,title=infoint yaml-syntax::{message}\n"
    )


def test_strict_fails_on_warnings(make_vault, run):
    vault = make_vault({"a.md": "---\ntype: person\n---\n"})
    assert run(vault, "validate").exit_code == 0
    assert run(vault, "validate", "--strict").exit_code == 1


def test_paths_limit_the_report_but_links_see_the_whole_vault(make_vault, run, monkeypatch):
    vault = make_vault(
        {
            "contacts/jane-doe.md": JANE,
            "contacts/b.md": '---\ntype: contact\nname: B\nreferred_by: "[[jane-doe]]"\n---\n',
            "other/c.md": "---\ntype: contact\n---\n",
        }
    )
    monkeypatch.chdir(vault)
    result, items = diagnostics(run, None, "contacts")
    assert items == [] and result.exit_code == 0
    result, items = diagnostics(run, None, "other/c.md")
    assert [item["code"] for item in items] == ["missing-field"]


def test_path_outside_the_vault_is_a_usage_error(make_vault, run, tmp_path):
    vault = make_vault()
    result = run(vault, "validate", str(tmp_path))
    assert result.exit_code == 2
    assert "outside the vault" in result.stderr


def test_read_only_command_writes_nothing(make_vault, run):
    vault = make_vault({"a.md": "---\ntype: contact\nname: [[x]]\n---\n"})
    before = {path: path.read_bytes() for path in vault.rglob("*") if path.is_file()}
    run(vault, "validate")
    after = {
        path: path.read_bytes()
        for path in vault.rglob("*")
        if path.is_file() and ".infoint" not in path.parts
    }
    assert before == after


def test_relative_paths_fall_back_to_the_vault(make_vault, run, tmp_path, monkeypatch):
    vault = make_vault(
        {"contacts/a.md": "---\ntype: contact\n---\n", "b.md": "---\ntype: x\n---\n"}
    )
    monkeypatch.chdir(tmp_path)
    _, items = diagnostics(run, vault, "contacts")
    assert [item["path"] for item in items] == ["contacts/a.md"]


def test_fix_hints_say_what_to_write(make_vault, run):
    vault = make_vault(
        {
            "a.md": "---\ntype: contact\nname: A\nphone: 0049301234\n---\n",
            "m.md": "---\ntype: milestone\ndate: 2026-11-01\nsummary: S\nthanks:\n  - [[a]]\n---\n",
        }
    )
    _, items = diagnostics(run, vault)
    messages = {item["path"]: item["message"] for item in items}
    assert "+1 555" not in messages["a.md"] and "quote it as written" in messages["a.md"]
    assert messages["m.md"].endswith('write - "[[a]]"')


def test_thank_you_dates_are_shown_for_people(run, make_vault):
    vault = make_vault(
        {
            "contacts/jane-doe.md": "---\ntype: contact\nname: Jane Doe\n---\n",
            "interviews/a.md": (
                "---\ntype: interview\ncontact: jane-doe\ndate: 2026-11-10T10:00\n"
                "thank_you_sent: 2026-11-09T18:30\n---\n"
            ),
        }
    )
    result = run(vault, "validate")
    assert (
        "thank_you_sent (Mon 9 Nov 2026 18:30) is before the interview (Tue 10 Nov 2026 10:00)"
    ) in result.stdout


def test_a_remembered_check_loads_neither_the_fixer_nor_git_nor_yaml(make_vault):
    """`validate` runs after every save (the pre-commit hook, editors' tasks): when its
    answer is remembered it must not pay for what only `--fix` and `--staged` use."""
    import os
    import subprocess
    import sys

    vault = make_vault({"contacts/jane-doe.md": JANE, "notes/a.md": "[[nobody]]\n"})
    for note in (vault / "contacts/jane-doe.md", vault / "notes/a.md"):
        os.utime(note, (1_600_000_000, 1_600_000_000))  # old enough to be remembered
    env = {**os.environ, "INFOINT_NOW": "2026-06-15T12:00:00"}
    env.pop("INFOINT_NO_CACHE", None)
    command = [sys.executable, "-X", "importtime", "-c"]
    command += ["from infoint_notes.cli import main; main()", "--vault", str(vault), "validate"]
    first = subprocess.run(command, env=env, capture_output=True, text=True)
    again = subprocess.run(command, env=env, capture_output=True, text=True)
    assert (first.returncode, first.stdout) == (again.returncode, again.stdout)
    assert "broken-link" in again.stdout
    imported = {line.split("|")[-1].strip() for line in again.stderr.splitlines() if "|" in line}
    assert "infoint_notes.speed.validate_memo" in imported  # (what imports report)
    for heavy in ("infoint_notes.write.fix", "infoint_notes.git.staged", "yaml", "ruamel.yaml"):
        assert heavy not in imported
