"""`infoint watch` with a real watchdog observer on a tmp_path vault.

Timeouts are generous so a loaded 2-core machine does not make these flaky; each test
waits for the report it expects rather than sleeping a fixed time.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from infoint_notes.core.config import load_config
from infoint_notes.live.watch import VaultState, Watcher, is_relevant, start_observer
from infoint_notes.rules.validate import validate

NOW = datetime(2026, 11, 20, 12, tzinfo=ZoneInfo("America/New_York"))
GOOD = "---\ntype: contact\nname: {name}\n---\n"
BROKEN = "---\ntype: contact\n---\n"
WAIT = 20.0
#: A note written last, to know the watcher has looked at everything written before it.
MARKER = "marker.md"


def evaluate(index, now):
    return frozenset(validate(index, now)), frozenset()


class Running:
    """A Watcher with a real observer in a background thread, collecting its reports.
    `paused`: the observer collects events, but the watcher looks only once `start()`
    is called (so a sequence of writes is seen as a whole, however slow the machine)."""

    def __init__(self, vault: Path, poll: bool = False, paused: bool = False) -> None:
        self.vault = vault
        self.reports: queue.Queue = queue.Queue()
        self.watcher = Watcher(vault, load_config(vault), evaluate, lambda: NOW, settle=0.3)
        self.observer, self.notice = start_observer(vault, self.watcher.burst, poll)
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=self.watcher.run, args=(self.reports.put, self.stop), daemon=True
        )
        if not paused:
            self.start()

    def start(self) -> None:
        self.thread.start()

    def next_report(self, condition=lambda report: True):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                report = self.reports.get(timeout=0.5)
            except queue.Empty:
                continue
            if condition(report):
                return report
        raise AssertionError("no matching report before the timeout")

    def reports_until_marker(self) -> list:
        """Write a new note and return every report up to the one that saw it. The
        watcher reads the vault as it is on disk when a burst settles, so whatever the
        earlier writes changed is in that report or an earlier one: nothing else is
        waited for (no sleep stands in for "nothing more will come")."""
        (self.vault / MARKER).write_text(BROKEN)
        found = []
        while not found or MARKER not in found[-1].changed:
            found.append(self.next_report())
        return found

    def close(self) -> None:
        self.stop.set()
        self.observer.stop()
        self.observer.join(timeout=5)
        if self.thread.is_alive():
            self.thread.join(timeout=5)


@pytest.fixture
def watching(make_vault):
    running: list[Running] = []

    def start(files=None, poll=False, paused=False):
        vault = make_vault(files or {"contacts/jane.md": GOOD.format(name="Jane")})
        running.append(Running(vault, poll, paused))
        return vault, running[-1]

    yield start
    for item in running:
        item.close()


def only_the_marker(reports) -> bool:
    """The marker's report, and nothing before it."""
    return len(reports) == 1 and reports[0].changed == (MARKER,)


def codes(diagnostics):
    return [(d.path, d.code) for d in diagnostics]


def test_create_modify_and_delete(watching):
    vault, watch = watching()
    (vault / "contacts" / "sam.md").write_text(BROKEN)
    report = watch.next_report(lambda r: r.appeared)
    assert report.changed == ("contacts/sam.md",)
    assert codes(report.appeared) == [("contacts/sam.md", "missing-field")]

    (vault / "contacts" / "sam.md").write_text(GOOD.format(name="Sam"))
    report = watch.next_report(lambda r: r.resolved)
    assert codes(report.resolved) == [("contacts/sam.md", "missing-field")]

    (vault / "contacts" / "sam.md").write_text(BROKEN)
    watch.next_report(lambda r: r.appeared)
    (vault / "contacts" / "sam.md").unlink()
    report = watch.next_report(lambda r: r.resolved)
    assert report.changed == ("contacts/sam.md",)


def test_temp_file_and_rename_save_is_seen_on_the_note(watching):
    vault, watch = watching()
    temporary = vault / "contacts" / "jane.md.tmp"
    temporary.write_text(BROKEN)
    os.replace(temporary, vault / "contacts" / "jane.md")
    report = watch.next_report(lambda r: r.appeared)
    assert codes(report.appeared) == [("contacts/jane.md", "missing-field")]


def test_jetbrains_safe_write_and_vim_backup(watching):
    vault, watch = watching(paused=True)  # the editor's steps are one save: seen as one
    note = vault / "contacts" / "jane.md"
    (vault / "contacts" / "4913").write_text("")
    (vault / "contacts" / "4913").unlink()
    os.replace(note, vault / "contacts" / "jane.md~")
    note.write_text(BROKEN)
    (vault / "contacts" / "jane.md~").unlink()
    jb_tmp = vault / "contacts" / "jane.md___jb_tmp___"
    jb_tmp.write_text(GOOD.format(name="Jane B"))
    os.replace(note, vault / "contacts" / "jane.md___jb_old___")
    os.replace(jb_tmp, note)
    (vault / "contacts" / "jane.md___jb_old___").unlink()
    watch.start()
    report = watch.next_report(lambda r: r.changed)
    assert report.changed == ("contacts/jane.md",)
    # The final content is the good one: nothing new to report, nothing left behind.
    assert report.appeared == () and only_the_marker(watch.reports_until_marker())
    assert set(watch.watcher.state.entries) == {"contacts/jane.md", MARKER}


def test_editor_temporary_files_alone_report_nothing(watching):
    vault, watch = watching()
    for name in (".jane.md.swp", "jane.md~", "4913", ".#jane.md", "x.md___jb_tmp___"):
        (vault / "contacts" / name).write_text("junk")
    (vault / ".obsidian").mkdir()
    (vault / ".obsidian" / "workspace.json").write_text("{}")
    assert only_the_marker(watch.reports_until_marker())


def test_a_moment_of_empty_file_is_not_a_deletion(make_vault):
    vault = make_vault({"contacts/jane.md": GOOD.format(name="Jane")})
    state = VaultState(vault, load_config(vault))
    state.refresh()
    note = vault / "contacts" / "jane.md"
    note.write_text("")  # an editor truncated the note and has not written yet
    assert state.refresh() == ([], True)  # not believed yet: look again soon
    assert state.entries["contacts/jane.md"].note.name == "Jane"
    note.write_text(GOOD.format(name="Jane B"))  # ... and the write lands
    assert state.refresh() == (["contacts/jane.md"], False)
    assert state.entries["contacts/jane.md"].note.name == "Jane B"
    note.write_text("")  # an empty note that stays empty is believed the second time
    assert state.refresh() == ([], True)
    assert state.refresh() == (["contacts/jane.md"], False)
    assert state.entries["contacts/jane.md"].size == 0


def test_burst_of_200_files_is_one_report(watching):
    vault, watch = watching()
    folder = vault / "imported"
    folder.mkdir()
    for number in range(200):
        (folder / f"p{number:03}.md").write_text(BROKEN)
    deadline = time.monotonic() + WAIT
    seen: set[str] = set()
    while len(seen) < 200 and time.monotonic() < deadline:
        report = watch.next_report(lambda r: r.appeared)
        seen.update(d.path for d in report.appeared)
    assert len(seen) == 200


def test_folder_move_and_delete(watching):
    vault, watch = watching({"people/a.md": BROKEN, "people/b.md": BROKEN})
    os.rename(vault / "people", vault / "contacts2")
    report = watch.next_report(lambda r: r.appeared)
    assert sorted(d.path for d in report.appeared) == ["contacts2/a.md", "contacts2/b.md"]
    assert sorted(d.path for d in report.resolved) == ["people/a.md", "people/b.md"]
    import shutil

    shutil.rmtree(vault / "contacts2")
    report = watch.next_report(lambda r: r.resolved)
    assert sorted(d.path for d in report.resolved) == ["contacts2/a.md", "contacts2/b.md"]


def test_polling_observer_works_too(watching):
    vault, watch = watching(poll=True)
    assert watch.notice == "polling for changes every second (--poll)"  # it says so
    (vault / "contacts" / "sam.md").write_text(BROKEN)
    report = watch.next_report(lambda r: r.appeared)
    assert codes(report.appeared) == [("contacts/sam.md", "missing-field")]


def test_broken_config_keeps_the_previous_settings(watching):
    vault, watch = watching()
    (vault / "infoint.yaml").write_text("prepare_days: soon\n")
    report = watch.next_report(lambda r: r.config_error)
    assert "prepare_days" in report.config_error


@pytest.mark.parametrize(
    ("rel", "relevant"),
    [
        ("contacts/a.md", True),
        ("infoint.yaml", True),
        ("contacts", True),
        (".git/index", False),
        (".infoint/cache.sqlite", False),
        ("a.md~", False),
        ("a.md___jb_tmp___", False),
        ("4913", True),
        # Links may point at templates and attachments (SPEC 2.1).
        ("templates/contact.md", True),
        ("image.png", True),
        (".obsidian/templates.json", True),  # it names a template folder
        (".obsidian/workspace.json", False),
        (".#a.md", False),
    ],
)
def test_relevance_of_paths(rel, relevant):
    assert is_relevant(rel) is relevant


class WatchProcess:
    """`infoint watch` in a real subprocess; its output read with timeouts."""

    def __init__(self, vault: Path) -> None:
        env = dict(
            os.environ,
            PYTHONPATH=str(Path(__file__).resolve().parent.parent),
            INFOINT_NOW="2026-11-20T12:00",
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "infoint_notes",
                "--vault",
                str(vault),
                "watch",
                "--settle",
                "200",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: dict[str, queue.Queue] = {"out": queue.Queue(), "err": queue.Queue()}
        self.pumps = [
            threading.Thread(target=self._pump, args=(stream, self.lines[name]), daemon=True)
            for name, stream in (("out", self.process.stdout), ("err", self.process.stderr))
        ]
        for pump in self.pumps:
            pump.start()

    @staticmethod
    def _pump(stream, lines: queue.Queue) -> None:
        for line in stream:
            lines.put(line)

    def line(self, stream: str = "out") -> str:
        try:
            return self.lines[stream].get(timeout=WAIT)
        except queue.Empty:
            raise AssertionError(f"no line on std{stream} before the timeout") from None

    def wait_started(self) -> str:
        text = ""
        while "watching" not in text:
            text = self.line("err")
        return text

    def interrupt(self) -> int:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=WAIT)
        for pump in self.pumps:  # every line it wrote is read (the pipes reach their end)
            pump.join(timeout=WAIT)
        errors = []
        while not self.lines["err"].empty():
            errors.append(self.lines["err"].get())
        assert not any("Traceback" in line for line in errors), errors
        return self.process.returncode


def test_cli_watch_prints_changes_and_exits_0_on_ctrl_c(make_vault):
    vault = make_vault({"contacts/jane.md": GOOD.format(name="Jane")})
    watch = WatchProcess(vault)
    try:
        assert "1 note, 0 problems" in watch.wait_started()
        # Loaded as the other commands load the vault: through the parse records.
        assert (vault / ".infoint" / "cache.sqlite").is_file()
        (vault / "contacts" / "sam.md").write_text(BROKEN)
        # stdout is flushed line by line, so the line arrives while watch keeps running
        assert watch.line() == "contacts/sam.md:1:1: error missing-field: 'name' is required\n"
    finally:
        code = watch.interrupt()
    assert code == 0


def test_cli_watch_reports_agenda_items_that_appear_and_go(make_vault):
    interview = (
        '---\ntype: interview\ncontact: "[[jane]]"\ndate: 2026-11-20T09:00\n'
        "status: done\n{extra}---\n## Reflection\nLearned a lot.\n"
    )
    vault = make_vault({"contacts/jane.md": GOOD.format(name="Jane Doe")})
    watch = WatchProcess(vault)
    try:
        watch.wait_started()
        note = vault / "interviews" / "2026-11-20-jane.md"
        note.parent.mkdir()
        note.write_text(interview.format(extra=""))
        assert watch.line() == (
            "agenda: new thank-you due 2026-11-21 09:30: Send Jane Doe a thank-you note "
            "(interview 2026-11-20) (interviews/2026-11-20-jane.md)\n"
        )
        note.write_text(interview.format(extra="thank_you_sent: 2026-11-20T12:00\n"))
        assert watch.line().startswith("agenda: gone thank-you due 2026-11-21 09:30: Send Jane")
    finally:
        code = watch.interrupt()
    assert code == 0


def test_watch_starts_from_the_parse_records_and_reads_only_what_changes(make_vault, monkeypatch):
    """As `infoint watch` starts: the vault loaded as every command loads it (the
    records `infoint index` stored), no note read again; then only an edited note."""
    from click.testing import CliRunner

    from infoint_notes.cli import cli
    from infoint_notes.commands.context import App
    from infoint_notes.live import watch as live_watch

    vault = make_vault({f"contacts/p{n}.md": GOOD.format(name=f"P {n}") for n in range(5)})
    an_hour_ago = time.time() - 3600  # settled: records of younger files are not trusted
    for note in (vault / "contacts").iterdir():
        os.utime(note, (an_hour_ago, an_hour_ago))
    assert CliRunner().invoke(cli, ["--vault", str(vault), "index"]).exit_code == 0
    read: list[str] = []
    real = live_watch.read_note_file
    monkeypatch.setattr(
        live_watch, "read_note_file", lambda file: read.append(file.rel) or real(file)
    )
    app = App(str(vault), None)
    with monkeypatch.context() as loading:
        loading.setattr(
            "infoint_notes.speed.reading.read_and_parse",
            lambda *args, **kwargs: pytest.fail("a note was parsed: its record was stored"),
        )
        state = VaultState.loaded(app.index(), app.files())
        watcher = Watcher(vault, app.config, evaluate, lambda: NOW, state=state)
    assert len(watcher.state.entries) == 5 and read == []
    (vault / "contacts" / "p2.md").write_text(BROKEN)
    report = watcher.check()
    assert read == ["contacts/p2.md"]
    assert report is not None and codes(report.appeared) == [("contacts/p2.md", "missing-field")]


def test_cli_watch_takes_now_in_the_zone_the_config_names_now(make_vault):
    """infoint.yaml moves the vault to another zone while watching: "now" is read in it,
    as `validate` run then reads it, so a thank-you moment still in the future stays a
    problem (it was reported resolved: now was still read in New York)."""
    interview = (
        '---\ntype: interview\ncontact: "[[jane]]"\ndate: 2026-11-18T10:00\n'
        "thank_you_sent: 2026-11-20T13:00\n---\n"
    )
    vault = make_vault(
        {"contacts/jane.md": GOOD.format(name="Jane"), "interviews/one.md": interview}
    )
    watch = WatchProcess(vault)  # INFOINT_NOW=2026-11-20T12:00
    try:
        assert "1 problem" in watch.wait_started()
        (vault / "infoint.yaml").write_text("timezone: Asia/Tokyo\nbogus: 1\n")
        assert "unknown-config-key" in watch.line()
        (vault / MARKER).write_text(BROKEN)
        seen = []
        while not seen or MARKER not in seen[-1]:
            seen.append(watch.line())
        assert [line for line in seen if line.startswith("resolved")] == []
    finally:
        code = watch.interrupt()
    assert code == 0
    fresh = subprocess.run(
        [sys.executable, "-m", "infoint_notes", "--vault", str(vault), "validate"],
        env=dict(os.environ, INFOINT_NOW="2026-11-20T12:00"),
        capture_output=True,
        text=True,
    )
    assert "future-thank-you" in fresh.stdout
