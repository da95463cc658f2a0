"""`infoint completion` and the completions it asks for (SPEC 4.18): commands, options,
choices and note arguments, answered from the cache without parsing the vault."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from infoint_notes.cli import cli
from infoint_notes.core.config import load_config
from infoint_notes.speed.loader import load_index

FILES = {
    "contacts/priya-natarajan.md": (
        "---\ntype: contact\nname: Priya Natarajan\naliases: [Pri]\n---\n"
    ),
    "contacts/priya-patel.md": "---\ntype: contact\nname: Priya Patel\n---\n",
    "interviews/2026-11-19-priya.md": (
        '---\ntype: interview\ncontact: "[[priya-natarajan]]"\ndate: 2026-11-19T10:00\n---\n'
    ),
    "organizations/contoso.md": "---\ntype: organization\nname: Contoso\n---\n",
    "contacts/eve.md": '---\ntype: contact\nname: "Pri\\e]0;owned\\a"\n---\n',
}


def complete(vault: Path, line: str, shell: str = "bash") -> list[str]:
    """What `infoint` answers the shell for the command line `line` (cursor at its end)."""
    words = line.split(" ")
    env = {
        "INFOINT_VAULT": str(vault),
        "_INFOINT_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(words) - 1),
    }
    result = CliRunner().invoke(cli, [], prog_name="infoint", env=env)
    assert result.exit_code == 0, result.output
    if shell == "zsh":
        lines = result.stdout.split("\n")
        return [lines[i + 1] for i in range(0, len(lines) - 1, 3)]
    return [line.split(",", 1)[1].split("\t")[0] for line in result.stdout.splitlines() if line]


@pytest.fixture
def vault(make_vault, run):
    root = make_vault(FILES)
    assert run(root, "index").exit_code == 0  # any command leaves the cache behind
    return root


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_the_shell_script(run, shell):
    result = run(None, "completion", shell)
    assert result.exit_code == 0, result.stderr
    assert "_INFOINT_COMPLETE" in result.stdout
    assert "infoint" in result.stdout


def test_an_unknown_shell_is_a_usage_error(run):
    assert run(None, "completion", "tcsh").exit_code == 2


def test_commands_options_and_choices_complete(vault):
    assert "completion" in complete(vault, "infoint co")
    assert complete(vault, "infoint log d") == ["done"]
    assert "--referred-by" in complete(vault, "infoint new contact X --ref")
    assert complete(vault, "infoint log request x --via e") == ["email"]


def test_note_arguments_complete_ids_names_and_aliases_of_the_right_kind(vault):
    assert complete(vault, "infoint show ") == [
        "2026-11-19-priya",
        "contoso",
        "eve",
        "priya-natarajan",
        "priya-patel",
    ]
    # Once typing: names (escaped for bash) and aliases too; contacts only for a request;
    # never a name with control characters (Eve's would retitle the terminal).
    assert complete(vault, "infoint log request pri") == [
        "Pri",
        "Priya\\\\ Natarajan",
        "Priya\\\\ Patel",
        "priya-natarajan",
        "priya-patel",
    ]
    # An interview argument takes the contact too (SPEC 4.9).
    assert complete(vault, "infoint log done 2026") == ["2026-11-19-priya"]
    assert "priya-natarajan" in complete(vault, "infoint draft thank-you p")
    assert complete(vault, "infoint orgs c") == ["contoso", "Contoso"]
    assert "Priya Natarajan" in complete(vault, "infoint show Priya", shell="zsh")


def test_without_a_cache_file_names_still_complete(make_vault):
    vault = make_vault(FILES)
    assert not (vault / ".infoint").exists()
    assert complete(vault, "infoint show prip") == []
    assert complete(vault, "infoint show priya-n") == ["priya-natarajan"]
    assert not (vault / ".infoint").exists()  # completing never writes


def test_completing_answers_from_the_cache_without_parsing(vault):
    """The cache holds the names; a keypress imports no parser and reads no note."""
    environment = {
        **os.environ,
        "INFOINT_VAULT": str(vault),
        "_INFOINT_COMPLETE": "bash_complete",
        "COMP_WORDS": "infoint log done pri",
        "COMP_CWORD": "3",
    }
    root = str(Path(__file__).resolve().parent.parent)
    environment["PYTHONPATH"] = root + os.pathsep + environment.get("PYTHONPATH", "")
    command = [sys.executable, "-X", "importtime", "-m", "infoint_notes"]
    result = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert result.returncode == 0, result.stderr
    assert "plain,priya-natarajan" in result.stdout.splitlines()
    for module in ("yaml", "markdown_it", "ruamel", "infoint_notes.core.index"):
        assert f" {module}\n" not in result.stderr, module


NAMESAKES = {
    "contacts/sam-lee.md": "---\ntype: contact\nname: Sam Lee\naliases: [Sammy, Lee]\n---\n",
    "contacts/sam-lee-2.md": "---\ntype: contact\nname: Sam Lee\n---\n",
    "organizations/samsung.md": "---\ntype: organization\nname: Samsung\naliases: [Sammy]\n---\n",
    # A plain note is found by its file name only, as links find it.
    "notes/sam-notes.md": "---\ntitle: x\nname: Sam Plain\naliases: [Samuel]\n---\n",
    # Shares its file name with contacts/sam-lee.md: its id is a path suffix (SPEC 2).
    "notes/sam-lee.md": "---\ntype: contact\nname: Other Sam\n---\n",
    "interviews/2026-11-19-sam.md": (
        '---\ntype: interview\ncontact: "[[sam-lee-2]]"\ndate: 2026-11-19T10:00\n---\n'
    ),
}


def offers(vault: Path, words: list[str], typed: str) -> dict[str, str]:
    """What fish is offered for `infoint WORDS TYPED<TAB>`: each word and its description."""
    env = {
        "INFOINT_VAULT": str(vault),
        "_INFOINT_COMPLETE": "fish_complete",
        "COMP_WORDS": " ".join(["infoint", *words, typed]),
        "COMP_CWORD": typed,
    }
    result = CliRunner().invoke(cli, [], prog_name="infoint", env=env)
    assert result.exit_code == 0, result.output
    pairs = [line.split(",", 1)[1].split("\t") for line in result.stdout.splitlines()]
    return {pair[0]: pair[1] if len(pair) > 1 else "" for pair in pairs}


@pytest.fixture
def namesakes(make_vault, run):
    root = make_vault(NAMESAKES)
    assert run(root, "index").exit_code == 0
    return root


def test_only_words_that_name_exactly_one_note_are_offered(namesakes):
    # Two contacts are called Sam Lee: the name is refused by every command, never offered.
    assert offers(namesakes, ["show"], "Sa") == {
        "sam-lee-2": "Sam Lee · contact",
        "sam-notes": "Sam Plain · note",
        "samsung": "Samsung · organization",
        "Samsung": "samsung · organization",
    }
    # Every note by its id; a file name two notes share, by its path suffix (SPEC 2).
    assert offers(namesakes, ["log", "request"], "") == {
        "contacts/sam-lee": "Sam Lee · contact",
        "notes/sam-lee": "Other Sam · contact",
        "sam-lee-2": "Sam Lee · contact",
    }
    # A contact argument: Sammy is the one contact of that alias (the other is an
    # organization), and says which contact it stands for.
    assert offers(namesakes, ["log", "request"], "Sa") == {
        "sam-lee-2": "Sam Lee · contact",
        "Sammy": "contacts/sam-lee · contact",
    }
    assert offers(namesakes, ["orgs"], "Sa") == {
        "Sammy": "samsung · organization",
        "samsung": "Samsung · organization",
        "Samsung": "samsung · organization",
    }


@pytest.mark.parametrize(
    ("words", "kinds"),
    [
        (["show"], ()),
        (["log", "request"], ("contact",)),
        (["log", "done"], ("interview", "contact")),
    ],
)
def test_every_word_offered_names_the_note_it_describes(namesakes, words, kinds):
    index = load_index(namesakes, load_config(namesakes))
    for typed in ("", "s", "o", "c", "n"):
        for word, about in offers(namesakes, words, typed).items():
            note = index.find(word, kinds)  # as the command finds it: one note, no error
            kind = "note" if note.kind == "plain" else note.kind
            if word == note.id:  # the id: described by the name
                assert about == (f"{note.name} · {kind}" if note.name else kind)
            else:  # a name or alias: by the id of the note it stands for
                assert about == f"{note.id} · {kind}", (word, about)


# --- bash asking for a note argument, answered before Click (`quick_complete`) ----------


def _bash_env(vault: Path, line: str) -> dict[str, str]:
    return {
        "INFOINT_VAULT": str(vault),
        "_INFOINT_COMPLETE": "bash_complete",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(line.split(" ")) - 1),
    }


def _by_click(vault: Path, line: str) -> str:
    result = CliRunner().invoke(cli, [], prog_name="infoint", env=_bash_env(vault, line))
    assert result.exit_code == 0, result.output
    return result.stdout


def _lines_answered_before_click() -> list[str]:
    from infoint_notes.commands.quick_complete import NOTE_ARGUMENTS
    from infoint_notes.write.events import EVENTS

    commands = [*NOTE_ARGUMENTS, *(f"log {event}" for event in EVENTS)]
    typed = ["", "p", "Pri", "Priya", "con", "2026", "zz", "eve"]
    return [f"infoint {command} {prefix}" for command in commands for prefix in typed]


def test_a_note_after_its_command_is_answered_before_click_as_click_answers(vault):
    from infoint_notes.commands.quick_complete import quick_completion

    for line in _lines_answered_before_click():
        printed = quick_completion(_bash_env(vault, line))
        assert printed is not None, line
        assert printed + "\n" == _by_click(vault, line), line


@pytest.mark.parametrize(
    "line",
    [
        "infoint --vault x show p",  # an option: Click reads it
        "infoint show --j",
        "infoint log request sam --via e",
        "infoint draft request p",  # the note comes second
        "infoint new contact X --referred-by p",
        "infoint show 'Priya N",  # a quote: Click splits the line
        "infoint show Priya\\ N",
        "infoint sh",  # a command's name
        "infoint log d",
        "infoint agenda p",
    ],
)
def test_every_other_command_line_is_left_to_click(vault, line):
    from infoint_notes.commands.quick_complete import quick_completion

    assert quick_completion(_bash_env(vault, line)) is None


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_are_left_to_click(vault, shell):
    from infoint_notes.commands.quick_complete import quick_completion

    asked = {**_bash_env(vault, "infoint show p"), "_INFOINT_COMPLETE": f"{shell}_complete"}
    assert quick_completion(asked) is None


def test_the_console_script_completes_a_note_without_importing_click(vault):
    line = "infoint log done pri"
    environment = {**os.environ, **_bash_env(vault, line)}
    script = "import sys; from infoint_notes.cli import main; sys.exit(main())"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", script],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0
    assert done.stdout == _by_click(vault, line)
    assert "plain,priya-natarajan" in done.stdout.splitlines()
    imported = {row.split("|")[-1].strip() for row in done.stderr.splitlines() if "|" in row}
    assert "click" not in imported


# --- the quick answer is Click's, whatever the command line and the environment ---------

#: The console script, and the same with the quick answers turned off: Click's path.
_CONSOLE = "import sys; from infoint_notes.cli import main; sys.exit(main())"
_CLICK_PATH = (
    "import sys; import infoint_notes.cli as c; c._quick = lambda argv: None; sys.exit(c.main())"
)


def _asked(vault: Path, line: str, word: int) -> dict[str, str]:
    return {
        "INFOINT_VAULT": str(vault),
        "_INFOINT_COMPLETE": "bash_complete",
        "COMP_WORDS": line,
        "COMP_CWORD": str(word),
    }


def _both_paths(
    env: dict[str, str], **how: object
) -> tuple[subprocess.CompletedProcess[bytes], subprocess.CompletedProcess[bytes]]:
    """The console script's answer and Click's, run as bash runs them."""
    answers = []
    for script in (_CONSOLE, _CLICK_PATH):
        environment = {**os.environ, **env}
        command = [sys.executable, "-c", script]
        answers.append(subprocess.run(command, env=environment, capture_output=True, **how))
    return answers[0], answers[1]


@pytest.mark.parametrize("space", ["\u00a0", "\u2003", "\u3000", "\u2028", "\x85", "\x0b", "\x1c"])
@pytest.mark.parametrize(("line", "word"), [("infoint show{}p", 2), ("infoint show Priya{}N", 2)])
def test_a_space_bash_keeps_in_a_word_is_read_as_click_reads_it(vault, space, line, word):
    """Bash splits the command line on blanks only (its COMP_WORDS), and so does Click's
    reading of them: `show<U+00A0>p` (Option-Space on a Mac) is one word, not `show p`."""
    from infoint_notes.commands.quick_complete import quick_completion

    env = _asked(vault, line.format(space), word)
    printed = quick_completion(env)
    by_click = CliRunner().invoke(cli, [], prog_name="infoint", env=env)
    assert by_click.exit_code == 0, by_click.output
    assert printed is None or printed + "\n" == by_click.stdout


def test_a_damaged_names_record_prints_what_click_prints(vault):
    """A record of the cache whose names are not texts (written by another version, or
    damaged): completing never shows a traceback at the prompt, on either path."""
    import marshal
    import sqlite3

    from infoint_notes.commands.quick_complete import quick_completion

    with contextlib.closing(sqlite3.connect(vault / ".infoint" / "cache.sqlite")) as database:
        damaged = marshal.dumps((5, "contact", None, ()))
        database.execute("UPDATE notes SET names = ? WHERE path LIKE '%patel%'", (damaged,))
        database.commit()
    for line, word in (("infoint show p", 2), ("infoint orgs ", 2), ("infoint log done ", 3)):
        env = _asked(vault, line, word)
        printed = quick_completion(env)
        by_click = CliRunner().invoke(cli, [], prog_name="infoint", env=env)
        assert by_click.exit_code == 0, by_click.output
        assert printed is None or printed + "\n" == by_click.stdout
    quick, click_path = _both_paths(_asked(vault, "infoint show p", 2))
    assert (quick.returncode, quick.stdout, quick.stderr) == (0, click_path.stdout, b"")


def test_completing_with_stdout_closed_ends_quietly_as_click_does(vault):
    quick, click_path = _both_paths(
        _asked(vault, "infoint show p", 2), preexec_fn=lambda: os.close(1)
    )
    assert (click_path.returncode, click_path.stderr) == (0, b"")
    assert (quick.returncode, quick.stderr) == (0, b"")


@pytest.mark.parametrize(
    "encoding",
    [
        {"PYTHONIOENCODING": "latin-1"},
        {"PYTHONIOENCODING": "ascii"},
        {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""},  # no UTF-8 mode
    ],
)
def test_a_name_beyond_ascii_is_written_as_click_writes_it_on_any_stdout(make_vault, run, encoding):
    zoe = "---\ntype: contact\nname: Zoë Ångström\n---\n"
    vault = make_vault({**FILES, "contacts/zoe.md": zoe})
    assert run(vault, "index").exit_code == 0
    quick, click_path = _both_paths({**_asked(vault, "infoint show Zo", 2), **encoding})
    assert click_path.returncode == 0, click_path.stderr
    assert "Zoë\\\\ Ångström".encode() in click_path.stdout.splitlines()[-1]
    assert (quick.returncode, quick.stdout, quick.stderr) == (0, click_path.stdout, b"")


def test_a_vault_under_an_unknown_users_home_is_not_a_vault_when_completing(make_vault):
    """`INFOINT_VAULT=~nobody/notes`: Python cannot expand it; completion offers nothing
    and prints no traceback, on either path."""
    env = _asked(Path("~no-such-user-infoint/notes"), "infoint show p", 2)
    quick, click_path = _both_paths(env)
    assert (click_path.returncode, click_path.stdout, click_path.stderr) == (0, b"\n", b"")
    assert (quick.returncode, quick.stdout, quick.stderr) == (0, b"\n", b"")
