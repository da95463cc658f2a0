"""Work done by a forked child (`speed/forked.py`): the same result as done here, or
None (and the caller does it itself) when the child cannot give one."""

from __future__ import annotations

import os
import sys
import time

import pytest

from infoint_notes.core.config import load_config
from infoint_notes.core.dates import parse_now
from infoint_notes.rules.agenda import compute_agenda
from infoint_notes.speed.forked import Forked
from infoint_notes.speed.loader import load_index
from infoint_notes.speed.unit_facts import structure_apart_from_items, structure_of, with_places
from infoint_notes.write.demo import write_demo

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="helpers fork on Linux only")

#: As many notes as forking pays for (`parsing.can_fork`).
MANY = 100_000


def test_a_child_gives_what_the_work_returns():
    assert Forked(lambda: {"a": (1, "b"), "c": [b"d"]}, MANY).result() == {
        "a": (1, "b"),
        "c": [b"d"],
    }


def test_a_child_that_fails_gives_nothing():
    assert Forked(lambda: 1 / 0, MANY).result() is None
    assert Forked(lambda: os._exit(0), MANY).result() is None  # exited, wrote nothing


def test_a_few_notes_are_not_worth_a_child():
    assert Forked(lambda: "here", 10).result() is None


def test_a_cancelled_child_is_reaped():
    forked = Forked(lambda: [0] * 10, MANY)
    pid = forked._pid
    assert pid > 0
    forked.cancel()
    assert forked.result() is None
    with pytest.raises(ChildProcessError):  # no zombie left behind
        os.waitpid(pid, os.WNOHANG)


def test_the_structure_built_by_a_child_is_the_one_built_here(tmp_path):
    root = tmp_path / "vault"
    root.mkdir()
    (root / "infoint.yaml").write_text("timezone: America/New_York\n", encoding="utf-8")
    now = parse_now("2026-11-20T12:00", load_config(root).zone)
    write_demo(root, now)
    index = load_index(root, load_config(root), cache=False)
    items = compute_agenda(index, now).items
    built = Forked(lambda: structure_apart_from_items(index), MANY).result()
    assert built is not None
    assert with_places(built, index, items) == structure_of(index, items)


def test_a_child_is_stopped_when_the_caller_fails_meanwhile():
    with pytest.raises(ZeroDivisionError), Forked(lambda: time.sleep(30), MANY) as forked:
        pid = forked._pid
        assert pid > 0
        1 / 0  # noqa: B018 - the caller's own work failing
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
