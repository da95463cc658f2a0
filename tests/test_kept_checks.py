"""`speed.kept_checks`: what validate finds, kept current as notes change one at a time
(the language server and `infoint watch`), is always what validate finds afresh, and
only what a change touches is checked again."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_lsp_live import CONFIG, NOW, PATHS, VARIANTS, fresh

from infoint_notes.core.config import load_config
from infoint_notes.live.watch import VaultState, Watcher, evaluate, kept_evaluation
from infoint_notes.lsp.live import typed_text
from infoint_notes.rules.validate import validate
from infoint_notes.speed import kept_checks
from infoint_notes.speed.kept_checks import KeptChecks

#: Moments around the thank-you date one variant writes (2026-11-30): before it the date
#: is in the future (a problem), after it not.
MOMENTS = [NOW, NOW + timedelta(days=15), NOW - timedelta(days=1), NOW + timedelta(days=9)]

steps = st.lists(
    st.tuples(
        st.sampled_from(PATHS),
        st.one_of(st.none(), st.sampled_from(VARIANTS)),
        st.sampled_from(MOMENTS),
    ),
    max_size=10,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(PATHS), st.sampled_from(VARIANTS), max_size=4), steps)
def test_kept_problems_are_validate_s_after_any_edits_at_any_moment(notes, changes):
    index = fresh(notes)
    kept = KeptChecks(index)
    assert kept.problems(NOW) == set(validate(index, NOW))
    for path, text, now in changes:
        note = None if text is None else typed_text(path, text, CONFIG)
        index = index.replacing({path: note})
        kept.follow(index)
        if text is None:
            notes.pop(path, None)
        else:
            notes[path] = text
        expected = fresh(notes)
        assert kept.problems(now) == set(validate(expected, now))
        for path in notes:
            assert kept.problems_of(path, now) == validate(expected, now, [path])


def _counting(monkeypatch) -> list[str]:
    checked: list[str] = []
    real = kept_checks.note_problems

    def counted(index, note, now):
        checked.append(note.path)
        return real(index, note, now)

    monkeypatch.setattr(kept_checks, "note_problems", counted)
    return checked


def test_an_edit_that_moves_no_link_checks_only_the_edited_note(monkeypatch):
    notes = {path: VARIANTS[number] for number, path in enumerate(PATHS)}
    index = fresh(notes)
    checked = _counting(monkeypatch)
    kept = KeptChecks(index)
    kept.problems(NOW)
    assert sorted(checked) == sorted(PATHS)
    checked.clear()
    # Another link in the body: what other notes' links see of this one is the same.
    index = index.replacing({PATHS[0]: typed_text(PATHS[0], VARIANTS[1], CONFIG)})
    kept.follow(index)
    assert kept.problems(NOW) == set(validate(index, NOW))
    assert checked == [PATHS[0]]
    checked.clear()
    # Another name: links to it may resolve otherwise, so every note is checked again.
    index = index.replacing({PATHS[0]: typed_text(PATHS[0], VARIANTS[2], CONFIG)})
    kept.follow(index)
    assert kept.problems(NOW) == set(validate(index, NOW))
    assert sorted(checked) == sorted(PATHS)


def test_the_clock_passing_a_thank_you_date_checks_that_interview_again(monkeypatch):
    index = fresh({"i/one.md": VARIANTS[7]})
    checked = _counting(monkeypatch)
    kept = KeptChecks(index)
    assert "future-thank-you" in {problem.code for problem in kept.problems(NOW)}
    assert kept.problems(NOW + timedelta(days=1)) == set(validate(index, NOW))
    later = NOW + timedelta(days=15)
    assert kept.problems(later) == set(validate(index, later))
    assert "future-thank-you" not in {problem.code for problem in kept.problems(later)}
    assert checked == ["i/one.md", "i/one.md"]


@pytest.mark.parametrize(
    "edit",
    [
        ("contacts/jane-doe.md", VARIANTS[1]),  # a broken link in the body
        ("contacts/sam-lee.md", VARIANTS[3]),  # a referral cycle, a shared email
        ("contacts/sam-lee.md", VARIANTS[4]),  # another name: every link anew
        ("i/one.md", None),  # deleted
        ("new.md", VARIANTS[11]),  # added, with a near-miss link
    ],
)
def test_watch_reports_what_a_fresh_evaluation_finds(make_vault, edit):
    files = {
        "contacts/jane-doe.md": VARIANTS[0],
        "contacts/sam-lee.md": VARIANTS[2],
        "i/one.md": VARIANTS[7],
        "contoso.md": VARIANTS[6],
    }
    vault = make_vault(files, "timezone: America/New_York\n")
    watcher = Watcher(vault, load_config(vault), kept_evaluation(), lambda: NOW)
    path, text = edit
    if text is None:
        (vault / path).unlink()
    else:
        (vault / path).write_text(text, encoding="utf-8")
        os.utime(vault / path, ns=(1, 2))  # another mtime, whatever the clock's grain
    assert watcher.check() is not None
    state = VaultState(vault, load_config(vault))
    state.refresh()
    assert watcher.current == evaluate(state.index(), NOW)
