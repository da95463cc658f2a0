"""`speed.kept_checks`: what validate finds, kept current as notes change one at a time
(the language server and `infoint watch`), is always what validate finds afresh, and
only what a change touches is checked again."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_lsp_live import CONFIG, NOW, PATHS, ROOT, VARIANTS, fresh, notes_alive

from infoint_notes.core.config import Config, load_config
from infoint_notes.core.index import VaultIndex
from infoint_notes.core.model import Contact, Note
from infoint_notes.core.notes import build_note
from infoint_notes.core.parse import parse_note
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


# --- a stronger property: more kinds of notes and of change ----------------------------

_NEW_YORK = NOW.tzinfo
#: Texts beyond `VARIANTS`: organizations with aliases and legal suffixes, LinkedIn
#: duplicates, interviews whose thank-you is a future moment or day (or before the
#: interview), links to files, another type, a conflict, unterminated or unreadable notes.
MORE_VARIANTS = [
    *(text.encode() for text in VARIANTS),
    b"---\ntype: organization\nname: Contoso Inc.\naliases: [Northwind]\n---\n",
    b"---\ntype: interview\ncontact: '[[priya]]'\ndate: 2026-11-10T10:00\n"
    b"thank_you_sent: 2026-11-21T09:30\n---\n[[photo.png]] [[contoso]]\n",
    b"---\ntype: interview\ncontact: '[[Sam Lee]]'\ndate: 2026-11-25\n"
    b"thank_you_sent: 2026-11-22\n---\n",
    b"---\ntype: contact\nname: Priya\norganization: Contoso, Inc.\n"
    b"linkedin: linkedin.com/in/p\n---\n",
    b"---\ntype: contact\nname: Priya\norganization: Northwind\n"
    b"linkedin: https://www.linkedin.com/in/p/\n---\n[[people/jane-doe]]\n",
    b"---\ntype: widget\nname: Jane Doe\n---\n",
    b"---\ntype: contact\nname: Jane Doe\n<<<<<<< HEAD\nemail: a@b.c\n=======\n>>>>>>> x\n---\n",
    b"---\ntype: contact\nname: Jane Doe\n",
    b"\xff\xfe\x00binary",
    b"---\ntype: contact\nname: Jane \xff Doe\n---\n",
]
#: Namesakes three deep: adding or removing one renames the others.
MORE_PATHS = [*PATHS, "a/people/jane-doe.md", "orgs/contoso.md", "i/two.md"]
ATTACHMENTS = [(), ("photo.png",), ("photo.png", "contoso.pdf"), ("jane-doe.pdf",)]
#: Around each thank-you date and moment, and in other zones (a day in Kiritimati
#: starts 19 hours before New York's).
MORE_MOMENTS = [
    *MOMENTS,
    datetime(2026, 11, 21, 9, 29, 59, tzinfo=_NEW_YORK),
    datetime(2026, 11, 21, 9, 30, tzinfo=_NEW_YORK),
    datetime(2026, 11, 21, 23, 59, 59, tzinfo=_NEW_YORK),
    datetime(2026, 11, 22, tzinfo=_NEW_YORK),
    datetime(2026, 11, 29, 22, 59, tzinfo=_NEW_YORK),
    datetime(2026, 11, 30, tzinfo=_NEW_YORK),
    datetime(2026, 11, 30, 6, tzinfo=ZoneInfo("UTC")),
    datetime(2026, 11, 30, 6, tzinfo=ZoneInfo("Pacific/Kiritimati")),
    datetime(2026, 11, 22, 6, tzinfo=ZoneInfo("Pacific/Kiritimati")),
]


def _typed(path: str, raw: bytes, config: Config) -> Note:
    return build_note(parse_note(path, raw), config.zone)


def _fresh(notes: dict[str, bytes], config: Config, attachments: tuple[str, ...]) -> VaultIndex:
    typed = [_typed(path, raw, config) for path, raw in notes.items()]
    return VaultIndex(ROOT, config, typed, attachments)


_change = st.one_of(
    st.tuples(
        st.just("notes"),
        st.lists(
            st.tuples(
                st.sampled_from(MORE_PATHS), st.one_of(st.none(), st.sampled_from(MORE_VARIANTS))
            ),
            min_size=1,
            max_size=3,
        ),
    ),
    st.tuples(st.just("files"), st.sampled_from(ATTACHMENTS)),
    st.tuples(st.just("config"), st.none()),
    st.tuples(st.just("clock"), st.none()),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(st.sampled_from(MORE_PATHS), st.sampled_from(MORE_VARIANTS), max_size=6),
    st.lists(st.tuples(_change, st.lists(st.sampled_from(MORE_MOMENTS), max_size=2)), max_size=8),
)
def test_kept_problems_are_validate_s_through_files_config_and_zones(notes, changes):
    """Several notes at once (namesakes renamed), other files appearing (watch builds
    the index afresh), a new config, and moments before, at and after each thank-you
    date, in New York and in other zones; some steps ask nothing."""
    config, attachments = CONFIG, ()
    index = _fresh(notes, config, attachments)
    kept = KeptChecks(index)
    for (what, change), moments in changes:
        if what == "notes":
            replaced = {}
            for path, raw in change:
                replaced[path] = None if raw is None else _typed(path, raw, config)
                if raw is None:
                    notes.pop(path, None)
                else:
                    notes[path] = raw
            index = index.replacing(replaced)
        elif what == "files":
            attachments = change
            index = VaultIndex(ROOT, config, list(index.notes), attachments)
        elif what == "config":
            config = Config(timezone="America/New_York")
            index = VaultIndex(ROOT, config, list(index.notes), attachments)
        kept.follow(index)
        expected = _fresh(notes, config, attachments)
        for now in moments:
            assert kept.problems(now) == set(validate(expected, now))
            for path in notes:
                assert kept.problems_of(path, now) == validate(expected, now, [path])


def test_a_moment_in_another_zone_is_checked_in_that_zone():
    """A thank-you day is in the future while the day of `now`, in now's zone, is
    before it: in Kiritimati the 30th starts while it is still the 29th in New York."""
    index = fresh({"i/one.md": VARIANTS[7]})  # thank_you_sent: 2026-11-30
    kept = KeptChecks(index)
    assert "future-thank-you" in {problem.code for problem in kept.problems(NOW)}
    there = datetime(2026, 11, 30, 6, tzinfo=ZoneInfo("Pacific/Kiritimati"))
    assert kept.problems(there) == set(validate(index, there))
    assert kept.problems_of("i/one.md", there) == validate(index, there, ["i/one.md"])


def test_watch_lets_go_of_the_notes_deleted():
    """What was found in a note is not kept once the note is gone (one note deleted, or
    a folder of them): a watch left running for days holds the vault as it is."""
    notes = {f"contacts/jane-{number}.md": VARIANTS[0] for number in range(80)}
    index = fresh({**notes, "i/one.md": VARIANTS[8]})
    evaluate_kept = kept_evaluation()
    evaluate_kept(index, NOW)
    index = index.replacing({"contacts/jane-1.md": None})
    evaluate_kept(index, NOW)
    index = index.replacing({path: None for path in notes if path != "contacts/jane-1.md"})
    evaluate_kept(index, NOW)
    assert notes_alive(Contact, "contacts/jane-1.md") == 0
    assert notes_alive(Contact, "contacts/jane-2.md") == 0
