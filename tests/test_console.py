"""The console entry point (`infoint`, `python -m infoint_notes`) as a shell runs it: it
leaves by `os._exit` after flushing stdio, which must lose neither output nor the exit
status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from infoint_notes.cli import cli
from tests.conftest import NOW

ROOT = Path(__file__).resolve().parent.parent


def infoint(*args: str, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    environment = {**os.environ, "INFOINT_NOW": NOW, "PYTHONPATH": str(ROOT)}
    environment.pop("INFOINT_VAULT", None)
    command = [sys.executable, "-m", "infoint_notes", *args]
    return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, env=environment)


@pytest.fixture
def busy_vault(make_vault) -> Path:
    """Enough agenda items that stdout is flushed many times over."""
    files = {
        f"interviews/2026-11-{day:02d}-p{number}.md": f"""
            ---
            type: interview
            contact: "[[p{number}]]"
            date: 2026-11-{day:02d}T10:00
            status: done
            ---
            """
        for number in range(300)
        for day in (number % 18 + 1,)
    }
    return make_vault(files)


def test_the_whole_output_and_status_come_through(busy_vault, monkeypatch):
    monkeypatch.setenv("INFOINT_NOW", NOW)
    expected = CliRunner().invoke(cli, ["--vault", str(busy_vault), "agenda", "--json", "--all"])
    for _ in range(2):  # computed, then from the memo
        found = infoint("--vault", str(busy_vault), "agenda", "--json", "--all")
        assert found.returncode == 0, found.stderr
        assert found.stdout.decode() == expected.stdout
        assert len(json.loads(found.stdout)) >= 300


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (("validate",), 1, "broken-link"),  # problems found
        (("agenda", "--check"), 1, ""),  # an overdue item
        (("agenda", "--within", "-1"), 2, "Invalid value"),  # a usage error
        (("no-such-command",), 2, "No such command"),
        (("--version",), 0, ""),
    ],
)
def test_exit_statuses_survive(busy_vault, args, status, message):
    found = infoint("--vault", str(busy_vault), *args)
    assert found.returncode == status, found.stderr
    assert message.encode() in found.stdout + found.stderr


def test_a_reader_that_stops_early_is_no_error(busy_vault):
    """`infoint agenda --json | head -1`: no traceback, no "Exception ignored"."""
    environment = {**os.environ, "INFOINT_NOW": NOW, "PYTHONPATH": str(ROOT)}
    command = (
        f'"{sys.executable}" -m infoint_notes --vault "{busy_vault}" agenda --all | head -c 10'
    )
    found = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, env=environment
    )
    assert found.returncode == 0, found.stderr
    assert found.stderr == b"" and len(found.stdout) == 10


def test_a_profiler_still_gets_its_report(busy_vault):
    """Under a profiler (or coverage, or a debugger) the run ends the normal way, so
    the tool writes its report."""
    environment = {**os.environ, "INFOINT_NOW": NOW, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "cProfile", "-m", "infoint_notes"]
    found = subprocess.run(
        [*command, "--vault", str(busy_vault), "validate"], capture_output=True, env=environment
    )
    assert b"checked 300 notes" in found.stderr  # the command ran (cProfile exits 0)
    assert b"function calls" in found.stdout
