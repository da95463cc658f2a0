"""`agenda --json` answered before Click (`commands/quick.py`) and remembered
(`speed/answers.py`): the same bytes and status as the Click command, always."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from infoint_notes.cli import cli
from infoint_notes.commands import quick
from infoint_notes.commands.quick import parse_request, quick_agenda
from infoint_notes.rules.agenda import Shown, overdue_at, shown_steady_until
from infoint_notes.speed import answers
from tests.conftest import write_vault

NOW = "2026-11-20T12:00"

CONTACT = "---\ntype: contact\nname: Ana Lima\nrequested: 2026-11-10\n---\n\n## Notes\n"
INTERVIEW = (
    '---\ntype: interview\ncontact: "[[ana]]"\ndate: 2026-11-18T10:00\n---\n\n'
    "## Questions\n\n- What surprised you?\n\n## Notes\n\nShe said hello.\n"
)
LATER = '---\ntype: interview\ncontact: "[[ben]]"\ndate: 2026-11-24\n---\n'
BEN = "---\ntype: contact\nname: Ben Okafor\n---\n"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = write_vault(
        tmp_path / "vault",
        {
            "contacts/ana.md": CONTACT,
            "contacts/ben.md": BEN,
            "interviews/ana-1.md": INTERVIEW,
            "interviews/ben-1.md": LATER,
        },
    )
    settle(root)
    return root


def settle(root: Path) -> None:
    """Every note written an hour ago (out of the racy window), each at its own second."""
    stamp = time.time() - 3600
    for number, path in enumerate(sorted(root.rglob("*.md"))):
        os.utime(path, (stamp + number, stamp + number))


def by_quick(argv: list[str], env: dict[str, str]) -> tuple[int | None, str]:
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("INFOINT_NO_CACHE", raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        with contextlib.redirect_stdout(out):
            status = quick_agenda(argv)
    return status, out.getvalue()


def by_click(argv: list[str], env: dict[str, str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, argv, env={**env, "INFOINT_NO_CACHE": "1"})
    return result.exit_code, result.stdout


REQUESTS = [
    ["agenda", "--json"],
    ["agenda", "--json", "--all"],
    ["agenda", "--json", "--within", "3"],
    ["agenda", "--json", "--within=0", "--check"],
    ["agenda", "--check", "--json", "--kind", "thank-you", "--kind=prepare"],
    ["agenda", "--json", "--now", "2026-11-23T09:00"],
    ["agenda", "--json", "--now=2026-12-30", "--all", "--check"],
]


@pytest.mark.parametrize("request_argv", REQUESTS, ids=" ".join)
def test_quick_prints_what_the_command_prints(vault, request_argv):
    argv = ["--vault", str(vault), *request_argv]
    env = {"INFOINT_NOW": NOW}
    expected = by_click(argv, env)
    assert expected[1].startswith("[")
    for _ in range(2):  # computed, then remembered
        assert by_quick(argv, env) == expected
    assert by_quick(["--no-color", *argv], env) == expected


@pytest.mark.parametrize(
    "argv",
    [
        ["agenda"],
        ["agenda", "--format", "ics"],
        ["agenda", "--json", "--help"],
        ["agenda", "--json", "--within", "-1"],
        ["agenda", "--json", "--within", "36501"],
        ["agenda", "--json", "--within", "9" * 5000],  # more digits than int() reads
        ["agenda", "--json", "--kind", "nonsense"],
        ["agenda", "--json", "--kinds", "thank-you"],
        ["agenda", "--json", "--vault", "x"],
        ["--vault", "--json", "agenda"],
        ["list", "--json"],
        ["--help"],
        [],
    ],
    ids=lambda argv: " ".join(argv)[:40] or "(nothing)",
)
def test_anything_else_is_left_to_click_with_nothing_printed(vault, argv):
    argv = [arg if arg != "x" else str(vault) for arg in argv]
    if argv[:1] == ["agenda"] or argv[:1] == ["list"]:
        argv = ["--vault", str(vault), *argv]
    assert by_quick(argv, {"INFOINT_NOW": NOW}) == (None, "")


def test_a_vault_that_is_not_one_is_left_to_click(tmp_path):
    assert by_quick(["--vault", str(tmp_path), "agenda", "--json"], {}) == (None, "")


def test_the_parser_reads_options_as_click_does():
    request = parse_request(["--vault=v", "agenda", "--json", "--within", "9", "--within=3"])
    assert request is not None
    assert (request.vault_option, request.within, request.show_all) == ("v", 3, False)
    request = parse_request(["agenda", "--all", "--json", "--kind", "thank-you"])
    assert request is not None
    assert (request.show_all, request.kinds) == (True, ["thank-you"])


def remembered_calls(monkeypatch) -> list[bool]:
    """Whether each run after an edit kept the remembered answer."""
    seen: list[bool] = []
    kept = answers.kept_through_edits

    def spy(*args):
        found = kept(*args)
        seen.append(found is not None)
        return found

    monkeypatch.setattr(quick, "kept_through_edits", spy)
    return seen


def edit(path: Path, text: str) -> None:
    stamp = path.stat().st_mtime + 1
    path.write_text(text, encoding="utf-8")
    os.utime(path, (stamp, stamp))


@pytest.mark.parametrize(
    ("new_text", "kept"),
    [
        (INTERVIEW + "\nThen we talked about the team.\n", True),
        (INTERVIEW.replace("She said hello.", "She said hello twice."), True),
        (INTERVIEW.replace("2026-11-18T10:00", "2026-11-19T10:00"), False),
        (INTERVIEW + "\n## Reflection\n\nI learned a lot.\n", False),
        (INTERVIEW.replace("- What surprised you?", "- [ ] read the report"), False),
        (INTERVIEW + "\nSee [[ben]].\n", False),
    ],
    ids=["prose added", "prose changed", "date", "reflection", "task", "link"],
)
def test_an_answer_is_kept_through_prose_and_only_prose(vault, monkeypatch, new_text, kept):
    seen = remembered_calls(monkeypatch)
    argv = ["--vault", str(vault), "agenda", "--json", "--all"]
    env = {"INFOINT_NOW": NOW}
    by_quick(argv, env)
    edit(vault / "interviews" / "ana-1.md", new_text)
    assert by_quick(argv, env) == by_click(argv, env)
    assert seen == [kept]
    # And the next run is answered as it is, whichever way this one went.
    assert by_quick(argv, env) == by_click(argv, env)
    assert seen == [kept]


def test_an_answer_is_for_its_moment(vault):
    argv = ["--vault", str(vault), "agenda", "--json"]
    for moment in ("2026-11-20T12:00", "2026-11-24T09:00", "2026-11-20T12:00", "2026-11-30"):
        env = {"INFOINT_NOW": moment}
        assert by_quick(argv, env) == by_click(argv, env), moment


def test_a_moment_that_depends_on_the_clock_is_not_remembered(vault):
    argv = ["--vault", str(vault), "agenda", "--json", "--now", "tomorrow 9am"]
    assert by_quick(argv, {"INFOINT_NOW": NOW}) == by_click(argv, {"INFOINT_NOW": NOW})
    assert answers.read_answer(vault) is None


def test_an_answer_found_damaged_is_a_miss(vault):
    argv = ["--vault", str(vault), "agenda", "--json"]
    env = {"INFOINT_NOW": NOW}
    by_quick(argv, env)
    answer = vault / ".infoint" / answers.ANSWER_FILE
    data = bytearray(answer.read_bytes())
    data[-5] ^= 0xFF
    answer.write_bytes(bytes(data))
    assert by_quick(argv, env) == by_click(argv, env)


def test_the_console_script_answers_without_importing_click(vault):
    env = {**os.environ, "INFOINT_NOW": NOW}
    env.pop("INFOINT_NO_CACHE", None)
    argv = ["--vault", str(vault), "agenda", "--json"]
    console = [sys.executable, "-c", "from infoint_notes.cli import main; main()", *argv]
    printed = subprocess.run(console, env=env, capture_output=True, text=True, check=True)
    assert printed.stdout == by_click(argv, {"INFOINT_NOW": NOW})[1]
    script = (
        "import sys\n"
        "from infoint_notes.commands.quick import quick_agenda\n"
        "status = quick_agenda(sys.argv[1:])\n"
        "print(status, 'click' in sys.modules, file=sys.stderr)\n"
    )
    again = subprocess.run(
        [sys.executable, "-c", script, *argv], env=env, capture_output=True, text=True, check=True
    )
    assert again.stdout == printed.stdout
    assert again.stderr.split() == ["0", "False"]


# --- how long a printed answer holds -------------------------------------------------

ZONES = ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Santiago"]


@st.composite
def dues_and_moments(draw: st.DrawFn):
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    start = datetime(2026, 1, 1, tzinfo=zone)
    now = start + timedelta(minutes=draw(st.integers(0, 365 * 24 * 60)))
    now = now.astimezone(zone)

    def due(offset_minutes: int, as_date: bool):
        moment = (now + timedelta(minutes=offset_minutes)).astimezone(zone)
        return moment.date() if as_date else moment

    offsets = st.integers(-3 * 24 * 60, 30 * 24 * 60)
    dues = draw(st.lists(st.builds(due, offsets, st.booleans()), min_size=1, max_size=8))
    within = draw(st.sampled_from([None, 0, 1, 7, 14]))
    return now, dues, within


@settings(max_examples=150, deadline=None)
@given(dues_and_moments(), st.floats(0, 1))
def test_an_answer_holds_exactly_while_nothing_it_shows_can_change(case, fraction):
    now, dues, within = case
    until = shown_steady_until(dues, now, within)
    zone = now.tzinfo
    horizon_end = min(until, now.timestamp() + 40 * 86400)
    later = datetime.fromtimestamp(
        now.timestamp() + fraction * (horizon_end - now.timestamp()), zone
    )
    if later.timestamp() >= until:
        return

    def facts(at: datetime) -> list[tuple[bool, bool]]:
        overdue, shown = overdue_at(at), Shown(at, within).due
        return [(overdue(due), shown(due)) for due in dues]

    assert facts(later) == facts(now)
    if until < now.timestamp() + 40 * 86400:  # and it does change right after
        after = datetime.fromtimestamp(until + 0.002, zone)
        assert facts(after) != facts(now)


def test_a_date_due_holds_until_the_next_day_starts():
    zone = ZoneInfo("America/New_York")
    now = datetime(2026, 11, 20, 12, 0, tzinfo=zone)
    until = shown_steady_until([date(2026, 11, 20)], now, None)
    midnight = datetime(2026, 11, 21, tzinfo=zone).timestamp()
    assert midnight - 0.001 <= until <= midnight


def test_no_cache_reads_and_writes_nothing_in_the_cache_folder(vault):
    argv = ["--vault", str(vault), "agenda", "--json"]
    by_quick(argv, {"INFOINT_NOW": NOW})  # an answer remembered
    cache = vault / ".infoint"
    before = {path.name: path.read_bytes() for path in cache.iterdir()}
    edit(vault / "interviews" / "ana-1.md", INTERVIEW + "\nMore prose.\n")
    env = {"INFOINT_NOW": NOW, "INFOINT_NO_CACHE": "1"}
    assert by_quick(argv, env) == by_click(argv, env)
    assert {path.name: path.read_bytes() for path in cache.iterdir()} == before


def test_an_answer_holds_at_its_own_moment_even_when_the_next_one_changes_it(tmp_path, monkeypatch):
    """An interview at exactly the moment asked about: the answer changes an instant
    later, but asked again for that moment it is the one remembered."""
    at_now = INTERVIEW.replace("2026-11-18T10:00", NOW)
    root = write_vault(tmp_path / "vault", {"contacts/ana.md": CONTACT, "interviews/a.md": at_now})
    settle(root)
    argv = ["--vault", str(root), "agenda", "--json", "--all"]
    env = {"INFOINT_NOW": NOW}
    first = by_quick(argv, env)
    assert first == by_click(argv, env)

    def computed(*args):
        raise AssertionError("computed again")

    monkeypatch.setattr(quick, "_answered", computed)
    assert by_quick(argv, env) == first


class FullDisk(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")


def test_a_failed_write_is_one_line_and_exit_2_as_with_click(vault):
    argv = ["--vault", str(vault), "agenda", "--json"]
    errors = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INFOINT_NOW", NOW)
        patch.delenv("INFOINT_DEBUG", raising=False)
        with contextlib.redirect_stdout(FullDisk()), contextlib.redirect_stderr(errors):
            status = quick_agenda(argv)
    assert status == 2
    assert errors.getvalue() == (
        "internal error: OSError: [Errno 28] No space left on device "
        "(set INFOINT_DEBUG=1 for details, and please report it)\n"
    )


def test_an_answer_after_an_edit_left_young_is_found_again(vault, monkeypatch):
    """The update marks the note to be read again; the answer it leaves is still the
    vault's (not keyed on an empty infoint.yaml)."""
    argv = ["--vault", str(vault), "agenda", "--json", "--all"]
    env = {"INFOINT_NOW": NOW}
    by_quick(argv, env)
    note = vault / "contacts" / "ana.md"
    note.write_text(CONTACT.replace("requested: 2026-11-10", "requested: 2026-11-12"))
    updated = by_quick(argv, env)  # young: racy, read again next time
    assert updated == by_click(argv, env)

    def computed(*args):
        raise AssertionError("computed again")

    monkeypatch.setattr(quick, "_answered", computed)
    assert by_quick(argv, env) == updated


@pytest.mark.parametrize("answered_by", ["quick", "click"])
def test_a_json_agenda_with_stdout_closed_ends_quietly_as_the_text_agenda_does(vault, answered_by):
    """`infoint agenda --json >&-` (a cron line): nothing to print to, nothing to report,
    as `click.echo` does for the text agenda; not an internal error."""
    env = {**os.environ, "INFOINT_NOW": NOW}
    env.pop("INFOINT_NO_CACHE", None)
    script = "import sys; import infoint_notes.cli as c; sys.exit(c.main())"
    if answered_by == "click":
        script = script.replace("sys.exit", "c._quick = lambda argv: None; sys.exit")
    for json in ([], ["--json"]):
        argv = ["--vault", str(vault), "agenda", *json]
        done = subprocess.run(
            [sys.executable, "-c", script, *argv],
            env=env,
            capture_output=True,
            preexec_fn=lambda: os.close(1),
        )
        assert done.returncode == 0, (json, done.stderr)
        assert b"error" not in done.stderr and b"Traceback" not in done.stderr
