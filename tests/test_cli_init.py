"""`infoint init` and the global behaviour of the command line."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from infoint_notes.cli import COMMANDS, cli
from infoint_notes.core.vault import NOT_IN_VAULT
from infoint_notes.write.scaffold import template_files


def test_init_copies_the_whole_template(run, tmp_path):
    target = tmp_path / "v"
    result = run(None, "init", str(target))
    assert result.exit_code == 0, result.stderr
    for rel, source in template_files():
        assert (target / rel).read_bytes() == source.read_bytes()
    names = {rel for rel, _ in template_files()}
    assert {
        "infoint.yaml",
        ".gitignore",
        "README.md",
        "templates/contact.md",
        "templates/interview.md",
        "templates/organization.md",
        "templates/milestone.md",
        "templates/message-request.md",
        "templates/message-thank-you.md",
        "templates/message-update.md",
    } <= names
    assert ".infoint" in (target / ".gitignore").read_text().splitlines()


def test_every_config_key_is_documented_in_the_template(tmp_path):
    from infoint_notes.core.config import _SETTINGS

    text = dict(template_files())["infoint.yaml"].read_text()
    for key in _SETTINGS:
        assert f"# {key}:" in text


def test_init_refuses_a_non_empty_folder(run, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run(None, "init", str(tmp_path))
    assert result.exit_code == 2
    assert "not empty" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_in_an_existing_vault_adds_only_missing_files(run, tmp_path):
    target = tmp_path / "v"
    run(None, "init", str(target))
    (target / "infoint.yaml").write_text("timezone: UTC\n")
    (target / "templates" / "contact.md").unlink()
    result = run(None, "init", str(target))
    assert result.stdout == "created templates/contact.md\n"
    assert (target / "infoint.yaml").read_text() == "timezone: UTC\n"


def test_demo_vault_is_clean_and_realistic(run, tmp_path):
    target = tmp_path / "demo"
    assert run(None, "init", str(target), "--demo").exit_code == 0
    contacts = list((target / "contacts").glob("*.md"))
    interviews = list((target / "interviews").glob("*.md"))
    assert 12 <= len(contacts) <= 20 and 6 <= len(interviews) <= 10
    result = run(target, "validate", "--format", "json", "--strict")
    assert json.loads(result.stdout) == [] and result.exit_code == 0


def test_outside_a_vault_is_exit_2_with_one_line(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(None, "validate")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [NOT_IN_VAULT]
    assert "Traceback" not in result.stderr


def test_vault_from_environment(run, make_vault, tmp_path, monkeypatch):
    vault = make_vault({"a.md": "---\ntype: contact\n---\n"})
    monkeypatch.chdir(tmp_path)
    result = run(None, "validate", env={"INFOINT_VAULT": str(vault)})
    assert result.exit_code == 1 and "missing-field" in result.stdout


def test_bad_now_is_a_usage_error(run, make_vault):
    result = run(make_vault(), "validate", "--now", "someday")
    assert result.exit_code == 2 and "--now" in result.stderr


def test_unexpected_failures_never_show_a_traceback(run, make_vault, monkeypatch):
    import infoint_notes.rules.validate as validate_module

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(validate_module, "validate_parts", explode)
    result = run(make_vault(), "validate")
    assert result.exit_code == 2
    assert "internal error: RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.stderr


def test_version_and_help(run):
    assert run(None, "--version").stdout.startswith("infoint, version ")
    assert "validate" in run(None, "--help").stdout


def _command_paths() -> list[list[str]]:
    """Every command and subcommand, as the words a user types."""
    import click

    found = []
    for name in sorted(COMMANDS):
        command = cli.get_command(None, name)  # type: ignore[arg-type]
        found.append([name])
        if isinstance(command, click.Group):
            found.extend([name, sub] for sub in sorted(command.commands))
    return found


@pytest.mark.parametrize("words", _command_paths(), ids=" ".join)
def test_every_command_has_help_with_an_example(run, words):
    result = run(None, *words, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    examples = result.stdout.split("Example:", 1)[1].split("Options:", 1)[0]
    lines = [line for line in examples.splitlines() if line.strip()]
    # Click must not rewrap the examples: each command stays on its own line.
    assert lines and all(line.startswith("      infoint ") for line in lines), lines
    assert not any(re.search(r"\S {2,}infoint ", line) for line in lines), lines
    readme = Path(__file__).resolve().parent.parent / "README.md"
    assert f"infoint {words[0]}" in readme.read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_init_git_makes_a_first_commit(run, tmp_path):
    target = tmp_path / "v"
    result = run(None, "init", str(target), "--git")
    assert result.exit_code == 0, result.stderr
    log = subprocess.run(["git", "log", "--oneline"], cwd=target, capture_output=True, text=True)
    assert "Start an infoint vault" in log.stdout
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=target, capture_output=True, text=True
    )
    assert status.stdout == ""


def test_cli_object_is_importable_without_loading_commands():
    assert cli.name == "cli"


def test_the_templates_commented_me_example_works_uncommented(tmp_path):
    from infoint_notes.core.config import load_config

    text = dict(template_files())["infoint.yaml"].read_text()
    start = text.index("# me:")
    example = [line.removeprefix("# ") for line in text[start:].split("\n\n")[0].splitlines()]
    (tmp_path / "infoint.yaml").write_text("\n".join(example) + "\n")
    config = load_config(tmp_path)
    assert config.diagnostics == ()
    assert config.me.name == "Ana Ruiz" and config.me.pitch


def test_init_says_to_fill_in_me_until_it_is_set(run, tmp_path):
    target = tmp_path / "v"
    result = run(None, "init", str(target))
    assert "fill in 'me:'" in result.stderr and "infoint.yaml" in result.stderr
    (target / "infoint.yaml").write_text("me:\n  name: Ana Ruiz\n")
    assert "me:" not in run(None, "init", str(target)).stderr


@pytest.mark.parametrize("notes", [False, True], ids=["template-only", "with-notes"])
def test_init_demo_never_goes_into_an_existing_vault(run, tmp_path, notes):
    """SPEC 4.1: an existing vault only gets its missing template files, so the fake demo
    network never mixes with real notes (nor a second, differently dated copy with the
    first)."""
    vault = tmp_path / "w"
    run(None, "init", str(vault))
    if notes:
        (vault / "contacts").mkdir()
        (vault / "contacts/sam-lee.md").write_text("---\ntype: contact\nname: Sam Lee\n---\n")
    (vault / "templates/contact.md").unlink()
    before = {p.relative_to(vault).as_posix() for p in vault.rglob("*")}
    result = run(None, "init", str(vault), "--demo")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"{vault} is already a vault; --demo writes its sample network only into a new or "
        "empty folder (try: infoint init demo --demo)\n"
    )
    assert {p.relative_to(vault).as_posix() for p in vault.rglob("*")} == before


def test_init_demo_twice_leaves_the_first_demo_alone(run, tmp_path):
    vault = tmp_path / "demo"
    assert run(None, "init", str(vault), "--demo", "--now", "2026-11-20T12:00").exit_code == 0
    before = {p.relative_to(vault).as_posix(): p.read_bytes() for p in vault.rglob("*.md")}
    result = run(None, "init", str(vault), "--demo", "--now", "2026-12-03T09:00")
    assert result.exit_code == 2
    after = {p.relative_to(vault).as_posix(): p.read_bytes() for p in vault.rglob("*.md")}
    assert after == before
