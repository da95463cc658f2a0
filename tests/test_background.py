"""Caches written by a child after the answer is out (`speed/background.py`)."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infoint_notes.core.config import load_config
from infoint_notes.core.dates import parse_now
from infoint_notes.speed import background, parsing
from infoint_notes.speed.cachedir import FINISHING_LOCK, open_cache_folder, wait_for_finishing
from infoint_notes.write.demo import write_demo

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the child is forked on Linux")

MANY = 10 * background.DETACH_MIN_NOTES
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache_root(tmp_path: Path) -> Path:
    (tmp_path / ".infoint").mkdir()
    return tmp_path


@pytest.fixture
def allowed(monkeypatch):
    """As in the console script, on a machine where forking pays."""
    monkeypatch.setattr(background, "_ALLOWED", [True])
    monkeypatch.setattr(background, "_LEFT", [])
    monkeypatch.setattr(parsing, "can_fork", lambda notes: True)


def lock_is_held(root: Path) -> bool:
    fd = os.open(root / ".infoint" / FINISHING_LOCK, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def go_signal(root: Path) -> tuple[Path, int]:
    """A FIFO the child reads (opening it by name: it keeps none of our files) and the
    end this test writes to say go (held open, so the child's open never waits)."""
    fifo = root / "go"
    os.mkfifo(fifo)
    return fifo, os.open(fifo, os.O_RDWR)


def read_go(fifo: Path) -> None:
    with open(fifo, "rb") as signal:
        signal.read(1)


def test_work_left_runs_in_a_child_that_outlives_the_answer(cache_root, allowed):
    """The work waits for this process to end (`leave`); then a child does it, away
    from our output and files, holding the lock a later run waits on until it is done."""
    fifo, go = go_signal(cache_root)
    kept_read, kept_write = os.pipe()  # a file of ours: the child must not keep it open
    done = cache_root / "done"

    def work() -> None:
        read_go(fifo)  # until the test says go: the child is surely still at work
        stdout = os.readlink("/proc/self/fd/1")
        open_files = sorted(int(fd) for fd in os.listdir("/proc/self/fd"))
        done.write_text(f"{os.getpid()} {stdout} {os.getsid(0)} {kept_write in open_files}")

    background.finish(cache_root, work, MANY)
    assert not done.exists()  # left for later
    background.leave()
    assert lock_is_held(cache_root)  # a run starting now would wait
    os.close(kept_write)
    assert os.read(kept_read, 1) == b""  # the end of the pipe: the child holds none of it
    os.write(go, b"x")
    wait_for_finishing(cache_root)
    pid, stdout, session, kept = done.read_text().split()
    assert int(pid) != os.getpid() and stdout == os.devnull and kept == "False"
    assert int(session) == int(pid)  # its own session: no terminal's signals reach it
    assert not lock_is_held(cache_root)
    os.close(go)
    os.close(kept_read)


def test_a_process_waits_for_the_child_before_it_opens_the_cache(cache_root, allowed, monkeypatch):
    """`open_cache_folder` waits (once per process) while a child holds the lock."""
    from infoint_notes.speed import cachedir

    fifo, go = go_signal(cache_root)
    order = []
    background.finish(cache_root, lambda: read_go(fifo), MANY)
    background.leave()
    monkeypatch.setattr(cachedir, "_WAITED", set())
    real = cachedir.CacheFolder.wait_for_finishing

    def waiting(folder):
        order.append(lock_is_held(cache_root))
        os.write(go, b"x")  # the child may finish now; the wait returns once it has
        real(folder)
        order.append(lock_is_held(cache_root))

    monkeypatch.setattr(cachedir.CacheFolder, "wait_for_finishing", waiting)
    try:
        for _ in range(2):
            folder = open_cache_folder(cache_root)
            assert folder is not None
            folder.close()
            assert order == [True, False]  # waited once, for the child to end
    finally:
        os.write(go, b"x")  # (a child still waiting ends)
        os.close(go)


@pytest.mark.parametrize("case", ["not allowed", "few notes", "not a cache folder", "locked"])
def test_the_work_is_done_here_when_a_child_does_not_pay_or_cannot(tmp_path, monkeypatch, case):
    monkeypatch.setattr(background, "_ALLOWED", [case != "not allowed"])
    monkeypatch.setattr(background, "_LEFT", [])
    monkeypatch.setattr(parsing, "can_fork", lambda notes: True)
    if case == "not a cache folder":  # `.infoint` a file (or a link): nothing is cached
        (tmp_path / ".infoint").write_text("", encoding="utf-8")
    else:
        (tmp_path / ".infoint").mkdir()
    holder = None
    if case == "locked":  # another run's child is finishing
        folder = open_cache_folder(tmp_path)
        assert folder is not None
        holder = folder.hold_finishing()
        folder.close()
    done = []
    background.finish(
        tmp_path, lambda: done.append(os.getpid()), 10 if case == "few notes" else MANY
    )
    assert done == [os.getpid()] and background._LEFT == []
    if holder is not None:
        os.close(holder)


def test_an_interrupted_or_observed_run_leaves_nothing_behind(cache_root, allowed):
    """Work left and then `leave` never called (the process ends otherwise) is simply
    not done: no lock is held for it, and the next run computes again."""
    done = []
    background.finish(cache_root, lambda: done.append(1), MANY)
    background._LEFT.clear()
    assert not lock_is_held(cache_root) and done == []


def test_a_run_printing_its_answer_keeps_no_other_run_waiting(cache_root, allowed):
    """Between `finish` and `leave` the run prints, which may take as long as its reader
    wants (`| less`): the lock is taken only to fork the child."""
    fifo, go = go_signal(cache_root)
    background.finish(cache_root, lambda: read_go(fifo), MANY)
    assert not lock_is_held(cache_root)  # a run starting now goes on at once
    background.leave()
    assert lock_is_held(cache_root)  # (held by the child)
    os.write(go, b"x")
    wait_for_finishing(cache_root)
    os.close(go)


@pytest.mark.slow
def test_a_first_run_of_a_large_vault_is_remembered_by_its_child(tmp_path):
    """The console script on a vault large enough for a child: the answer is complete
    when the command ends, and the next run is answered from what the child wrote
    (without loading a note: it waited for the child instead of computing again)."""
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "infoint.yaml").write_text("timezone: America/New_York\n", encoding="utf-8")
    write_demo(vault, parse_now("2026-11-20T12:00", load_config(vault).zone))
    contacts = vault / "contacts"
    for number in range(background.DETACH_MIN_NOTES):
        (contacts / f"person-{number:05}.md").write_text(
            f"---\ntype: contact\nname: Person {number}\nstatus: to-contact\n---\n",
            encoding="utf-8",
        )
    stamp = 1_700_000_000
    for path in vault.rglob("*.md"):
        os.utime(path, (stamp, stamp))  # settled: old enough to be remembered
    environment = {**os.environ, "INFOINT_NOW": "2026-11-20T12:00", "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-X", "importtime", "-m", "infoint_notes", "--vault", str(vault)]
    command += ["agenda", "--json", "--all"]
    first = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert first.returncode == 0 and first.stdout.startswith("[")
    again = subprocess.run(command, capture_output=True, text=True, env=environment)
    uncached = subprocess.run(
        command, capture_output=True, text=True, env={**environment, "INFOINT_NO_CACHE": "1"}
    )
    assert first.stdout == again.stdout == uncached.stdout
    # The folder the child made is marked, as one made by a run that waited.
    assert (vault / ".infoint" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    assert " infoint_notes.core.index\n" in first.stderr
    assert " infoint_notes.core.index\n" not in again.stderr  # the stored answer


@pytest.mark.slow
def test_infoint_run_on_each_line_of_a_long_agenda_does_not_deadlock(tmp_path):
    """`infoint agenda | while read line; do infoint ...; done` on a large vault: the
    agenda fills the pipe and waits for the loop, which waits for its inner run. That
    run must not wait for the agenda (it held the child's lock while printing)."""
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "infoint.yaml").write_text("timezone: America/New_York\n", encoding="utf-8")
    for number in range(background.DETACH_MIN_NOTES):
        (vault / f"person-{number:05}.md").write_text(
            f"---\ntype: contact\nname: Person {number}\nrequested: 2026-10-01\n---\n",
            encoding="utf-8",
        )
    environment = {**os.environ, "INFOINT_NOW": "2026-11-20T12:00", "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "infoint_notes", "--vault", str(vault), "agenda", "--all"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, env=environment) as agenda:
        assert agenda.stdout is not None
        first = agenda.stdout.readline()  # it is printing, more than a pipe holds
        assert first and not lock_is_held(vault)
        inner = subprocess.run(
            [*command, "--json"], capture_output=True, text=True, env=environment
        )
        rest = agenda.stdout.read()
    assert agenda.returncode == 0 and inner.returncode == 0
    assert len(first + rest) > 1 << 17 and inner.stdout.startswith("[")


def test_the_child_keeps_the_lock_when_standard_streams_were_closed(cache_root):
    """Run with stdin and stderr closed (`infoint agenda <&- 2>&-`), the lock may be
    opened as descriptor 0, 1 or 2, which the child points to /dev/null: it must still
    hold the lock, or a later run would not wait for what it writes."""
    script = f"""
import os, sys
os.close(0)
os.close(2)
from pathlib import Path
from infoint_notes.speed import background, parsing
background._ALLOWED[0] = True
parsing.can_fork = lambda notes: True
root = Path({str(cache_root)!r})
def work():
    held = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            held.append(os.readlink(f"/proc/self/fd/{{fd}}"))
        except OSError:
            pass  # (the listing's own)
    (root / "done").write_text(str(any(name.endswith("{FINISHING_LOCK}") for name in held)))
background.finish(root, work, {MANY})
background.leave()
"""
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", script], env=environment, check=True)
    wait_for_finishing(cache_root)
    assert (cache_root / "done").read_text() == "True"
