"""The agenda memo in `.infoint/`: a remembered answer is always the computed one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infoint_notes.core.config import load_config
from infoint_notes.core.dates import parse_now
from infoint_notes.core.vault import CACHE_DIR, walk_notes
from infoint_notes.formats.jsontext import encode_json
from infoint_notes.rules.agenda import build_agenda, compute_agenda, is_overdue
from infoint_notes.speed import loader, reading
from infoint_notes.speed.loader import load_index
from infoint_notes.speed.memo_answers import ComputedAnswer
from infoint_notes.speed.memo_columns import write_memo
from infoint_notes.speed.memo_key import MEMO_FILE, memo_key
from infoint_notes.speed.memo_read import read_memo

HOUR_NS = 3600 * 10**9

# Around New York's daylight-saving changes: timed, date-only, ambiguous (01:30 on the
# fall-back night) and non-existent (02:30 on the spring-forward night) interviews,
# preparation windows that open across a change, explicit statuses, referrals,
# follow-ups, a milestone owed to people.
NOTES = {
    "contacts/ana.md": """
        ---
        type: contact
        name: Ana Lima
        requested: 2026-10-20
        ---
        """,
    "contacts/ben.md": """
        ---
        type: contact
        name: Ben Okafor
        referred_by: "[[ana]]"
        requested: 2026-10-22
        ---
        """,
    "contacts/cara.md": """
        ---
        type: contact
        name: Cara Diaz
        requested: 2026-10-29T09:15
        request_via: email
        ---
        """,
    "contacts/dan.md": """
        ---
        type: contact
        name: Dan Wu
        requested: 2026-02-20
        keep_in_touch_days: 10
        ---
        """,
    "contacts/eve.md": """
        ---
        type: contact
        name: Eve Stone
        requested: 2026-10-30
        request_via: linkedin
        ---
        """,
    "interviews/2026-11-03-ana.md": """
        ---
        type: interview
        contact: "[[ana]]"
        date: 2026-11-03T10:00
        questions: [What surprised you?]
        referrals:
          - name: Priya Patel
            organization: Contoso
        ---
        ## Preparation
        - [ ] read their blog
        """,
    "interviews/2026-11-02-ben.md": """
        ---
        type: interview
        contact: "[[ben]]"
        date: 2026-11-02
        referrals: ["[[cara]]"]
        ---
        """,
    "interviews/2026-11-01-cara.md": """
        ---
        type: interview
        contact: "[[cara]]"
        date: 2026-11-01T01:30
        duration: 45
        thank_you_sent: 2026-11-01T09:00
        ---
        ## Reflection
        Good talk.
        """,
    "interviews/2026-03-08-dan.md": """
        ---
        type: interview
        contact: "[[dan]]"
        date: 2026-03-08T02:30
        ---
        """,
    "interviews/2026-11-06-eve.md": """
        ---
        type: interview
        contact: "[[eve]]"
        date: 2026-11-06T23:30
        status: planned
        ---
        """,
    "milestones/offer.md": """
        ---
        type: milestone
        date: 2026-11-04
        summary: An offer from Contoso
        thanks: ["[[ben]]"]
        ---
        """,
}


def age(root: Path) -> None:
    """Every note an hour old: out of the racy window, so the memo may be written."""
    stamp = time.time_ns() - HOUR_NS
    for file in walk_notes(root):
        os.utime(file.path, ns=(stamp, stamp))


@pytest.fixture
def vault(make_vault):
    root = make_vault(NOTES, "timezone: America/New_York\nprepare_days: 3\n")
    age(root)
    return root


def moments(root: Path, first: str, last: str, step: timedelta) -> list[datetime]:
    zone = load_config(root).zone
    moment, end, found = parse_now(first, zone), parse_now(last, zone), []
    while moment <= end:
        found.append(moment)
        moment = (moment + step).astimezone(zone)  # real time, not wall-clock time
    return found


def remembered_at(items, moment):
    """What the memo gives at `moment`: the items, with `overdue` recomputed."""
    return [
        type(item)(
            item.kind,
            item.due,
            is_overdue(item.due, moment),
            item.note,
            item.contact,
            item.text,
            item.subject,
        )
        for item in items
    ]


@pytest.mark.parametrize(
    "first, last",
    [("2026-10-27T00:00", "2026-11-12T00:00"), ("2026-03-04T00:00", "2026-03-12T00:00")],
)
def test_items_hold_from_their_moment_until_valid_until(vault, first, last):
    """The law the memo relies on: computed at t0, the items (overdue aside) are the
    items of every moment before `valid_until`, up to its last microsecond."""
    index = load_index(vault, load_config(vault), cache=False)
    grid = moments(vault, first, last, timedelta(minutes=50))
    useful = 0
    for start in grid:
        agenda = compute_agenda(index, start)
        until = agenda.valid_until
        if until <= start.timestamp():
            continue
        useful += 1
        later = [moment for moment in grid if start <= moment and moment.timestamp() < until]
        edge = datetime.fromtimestamp(until - 1e-6, start.tzinfo)
        for moment in [*later[:6], edge]:
            assert remembered_at(agenda.items, moment) == build_agenda(index, moment), (
                start,
                moment,
            )
    # The window is not trivially empty: most moments have a reusable answer.
    assert useful > len(grid) * 0.8


def test_valid_until_stops_before_each_change(vault):
    """The first moment past `valid_until` where the items differ is never before it:
    and the window ends at a real change (an interview becoming done here)."""
    index = load_index(vault, load_config(vault), cache=False)
    zone = load_config(vault).zone
    start = parse_now("2026-11-02T20:00", zone)
    agenda = compute_agenda(index, start)
    # Ana's preparation window opens at 2026-10-31T10:00; her interview ends 10:30 on
    # the 3rd; Ben's date-only interview is done from midnight of the 3rd: first change.
    assert datetime.fromtimestamp(agenda.valid_until + 1, zone) == parse_now(
        "2026-11-03T00:00", zone
    )
    after = build_agenda(index, parse_now("2026-11-03T00:00", zone))
    assert remembered_at(agenda.items, parse_now("2026-11-03T00:00", zone)) != after


def test_memo_round_trips_through_the_file(vault):
    config = load_config(vault)
    index = load_index(vault, config)
    files = walk_notes(vault)
    key = memo_key(files, (vault / "infoint.yaml").read_bytes())
    hits = 0
    for text in ("2026-11-01T00:30", "2026-11-01T03:45", "2026-03-08T03:10", "2026-11-05T12:00"):
        start = parse_now(text, config.zone)
        agenda = compute_agenda(index, start)
        assert write_memo(vault, key, config, start, agenda.valid_until, agenda.items)
        recalled = read_memo(vault, key, lambda zone, start=start: start.astimezone(zone))
        if agenda.valid_until <= start.timestamp():
            # Within a day of a daylight-saving change the answer holds for its moment
            # only (see agenda._steady_until): reused then, and not a second later.
            assert recalled is not None
            assert recalled.items(recalled.select(None, ())) == agenda.items
            later = start + timedelta(seconds=1)
            assert read_memo(vault, key, lambda zone, later=later: later) is None
            continue
        hits += 1
        assert recalled is not None
        items = recalled.items(recalled.select(None, ()))
        assert recalled.now == start and items == agenda.items
        for item, again in zip(agenda.items, items, strict=True):
            assert item.due.__class__ is again.due.__class__
            assert str(item.due) == str(again.due)  # same wall time and offset, fold too
            assert encode_json(item.to_dict()) == encode_json(again.to_dict())
        other = memo_key(files, b"timezone: UTC\n")
        assert read_memo(vault, other, lambda zone, start=start: start) is None
        earlier = start - timedelta(seconds=1)
        assert read_memo(vault, key, lambda zone, earlier=earlier: earlier) is None
    assert hits >= 2


def test_recalled_selection_and_json_are_the_computed_ones(vault):
    """The memo selects and writes JSON from its columns (no items built): for every
    horizon, kind filter and later moment it must say what the computed agenda says."""
    config = load_config(vault)
    index = load_index(vault, config)
    key = memo_key(walk_notes(vault), (vault / "infoint.yaml").read_bytes())
    checked = 0
    for start in moments(vault, "2026-10-27T00:00", "2026-11-12T00:00", timedelta(hours=7)):
        agenda = compute_agenda(index, start)
        write_memo(vault, key, config, start, agenda.valid_until, agenda.items)
        # Also the very instants items fall due (overdue flips just after them).
        dues = [item.due for item in agenda.items if isinstance(item.due, datetime)]
        for later in (start, start + timedelta(hours=2), start + timedelta(hours=9), *dues):
            if later < start:
                continue
            recalled = read_memo(vault, key, lambda zone, later=later: later.astimezone(zone))
            if recalled is None:
                continue
            computed = ComputedAnswer(build_agenda(index, later), later)
            for within in (None, 0, 1, 3, 7, 30):
                for kinds in ((), ("share-news",), ("thank-you", "interview", "prepare")):
                    mine = recalled.select(within, kinds)
                    theirs = computed.select(within, kinds)
                    assert recalled.json_objects(mine) == computed.json_objects(theirs)
                    assert recalled.items(mine) == computed.items(theirs)
                    assert recalled.any_overdue(mine) == computed.any_overdue(theirs)
                    checked += 1
    assert checked > 500


def agenda_json(run, vault, *extra: str, env: dict[str, str] | None = None) -> str:
    result = run(vault, "agenda", "--all", "--json", *extra, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def uncached(run, vault, *extra: str) -> str:
    return agenda_json(run, vault, *extra, env={"INFOINT_NO_CACHE": "1"})


def test_unchanged_vault_answers_without_reading_notes(vault, run, monkeypatch):
    first = agenda_json(run, vault)
    assert (vault / CACHE_DIR / MEMO_FILE).is_file()

    def no_loading(*args, **kwargs):
        raise AssertionError("the memo should have answered")

    monkeypatch.setattr(loader, "load", no_loading)
    assert agenda_json(run, vault) == first
    # Later, overdue flags change but the memo still answers (no interview changes).
    later = agenda_json(run, vault, "--now", "2026-11-20T18:00")
    monkeypatch.undo()
    assert later == uncached(run, vault, "--now", "2026-11-20T18:00")


def test_edits_config_and_clock_are_seen(vault, run):
    agenda_json(run, vault)  # writes the memo
    note = vault / "contacts/eve.md"
    note.write_text(note.read_text().replace("Eve Stone", "Eve Stein"))
    stamp = time.time_ns() - HOUR_NS
    os.utime(note, ns=(stamp, stamp))
    changed = agenda_json(run, vault)
    assert "Eve Stein" in changed and "Eve Stone" not in changed
    assert changed == uncached(run, vault)

    (vault / "infoint.yaml").write_text("timezone: Europe/Berlin\nprepare_days: 3\n")
    moved = agenda_json(run, vault)
    assert "+01:00" in moved and moved == uncached(run, vault)

    # A moment before the memo's: computed again, not taken from the memo.
    assert agenda_json(run, vault, "--now", "2026-10-28T12:00") == uncached(
        run, vault, "--now", "2026-10-28T12:00"
    )

    (vault / "contacts/eve.md").unlink()
    assert agenda_json(run, vault) == uncached(run, vault)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "empty", "folder"])
def test_damaged_memo_is_a_miss(vault, run, damage):
    expected = agenda_json(run, vault)
    memo = vault / CACHE_DIR / MEMO_FILE
    data = memo.read_bytes()
    if damage == "garbage":
        memo.write_bytes(b"\x00garbage" * 100)
    elif damage == "truncated":
        memo.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":
        middle = len(data) // 2
        memo.write_bytes(data[:middle] + bytes([data[middle] ^ 0x20]) + data[middle + 1 :])
    elif damage == "empty":
        memo.write_bytes(b"")
    else:
        memo.unlink()
        memo.mkdir()
    assert agenda_json(run, vault) == expected
    assert agenda_json(run, vault) == expected


def test_fresh_files_are_read_again_not_recalled(make_vault, run, monkeypatch):
    """A note written within the racy window could change unseen (within its timestamp
    tick, keeping its size): the memo never answers for it, the next run reads it
    again; once it is old enough the memo answers without reading anything."""
    root = make_vault(NOTES, "timezone: America/New_York\n")
    first = agenda_json(run, root)
    read: list[str] = []
    real = reading.read_and_parse

    def spy(rel, *args, **kwargs):
        read.append(rel)
        return real(rel, *args, **kwargs)

    monkeypatch.setattr(reading, "read_and_parse", spy)
    assert agenda_json(run, root) == first
    assert sorted(read) == sorted(NOTES)
    age(root)
    assert agenda_json(run, root) == first  # read again (the stamps changed), now settled
    read.clear()
    assert agenda_json(run, root) == first
    assert read == []


def test_no_cache_and_rebuild_leave_no_memo(vault, run):
    uncached(run, vault)
    assert not (vault / CACHE_DIR).exists()
    agenda_json(run, vault)
    assert (vault / CACHE_DIR / MEMO_FILE).exists()
    assert run(vault, "index", "--rebuild").exit_code == 0
    assert not (vault / CACHE_DIR / MEMO_FILE).exists()


def test_memo_answers_every_view_like_a_computed_agenda(vault, run):
    """Text, ICS, --kind and --within are applied to the remembered items as to
    computed ones."""
    for args in (
        ["--all"],
        ["--within", "2"],
        ["--kind", "share-news", "--all"],
        ["--format", "ics", "--all"],
        ["--json", "--kind", "thank-you"],
    ):
        cold = run(vault, "agenda", *args, env={"INFOINT_NO_CACHE": "1"})
        run(vault, "agenda", *args)  # writes the memo
        warm = run(vault, "agenda", *args)
        assert (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout), args


def test_vault_in_the_local_zone_follows_tz(make_vault, run):
    root = make_vault(NOTES, "prepare_days: 3\n")  # no timezone: the system's
    age(root)
    for zone in ("America/New_York", "Asia/Tokyo", "America/New_York"):
        env = {"TZ": zone}
        run(root, "agenda", "--all", "--json", env=env)  # computes or recalls
        recalled = run(root, "agenda", "--all", "--json", env=env)
        computed = run(root, "agenda", "--all", "--json", env={**env, "INFOINT_NO_CACHE": "1"})
        assert recalled.stdout == computed.stdout, zone
    assert "+09:00" not in recalled.stdout and "-05:00" in recalled.stdout


def test_bad_now_is_reported_the_same_with_a_memo(vault, run):
    agenda_json(run, vault)
    recalled = run(vault, "agenda", "--now", "someday")
    computed = run(vault, "agenda", "--now", "someday", env={"INFOINT_NO_CACHE": "1"})
    assert recalled.exit_code == computed.exit_code == 2
    assert recalled.stderr == computed.stderr and "--now" in recalled.stderr


def test_recalled_agenda_parses_nothing(vault):
    """Answering from the memo imports no YAML or Markdown parser and no SQLite."""
    environment = {**os.environ, "INFOINT_NOW": "2026-11-20T12:00"}
    root = str(Path(__file__).resolve().parent.parent)
    environment["PYTHONPATH"] = root + os.pathsep + environment.get("PYTHONPATH", "")
    command = [sys.executable, "-X", "importtime", "-m", "infoint_notes", "--vault", str(vault)]
    command += ["agenda", "--json"]
    first = subprocess.run(command, capture_output=True, text=True, env=environment)
    # (The computing run loads the notes; simple front matter needs no YAML parser.)
    assert " infoint_notes.core.index\n" in first.stderr and first.returncode == 0
    again = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert again.stdout == first.stdout
    for module in (
        "yaml",
        "markdown_it",
        "sqlite3",
        "ruamel",
        "infoint_notes.core.index",
        "infoint_notes.core.model",
    ):
        assert f" {module}\n" not in again.stderr, module


def test_text_the_memo_cannot_hold_is_computed_every_time(make_vault, run):
    """A NUL in a name (YAML's "\\0") separates the memo's columns: no memo then."""
    notes = dict(NOTES)
    notes["contacts/eve.md"] = notes["contacts/eve.md"].replace("Eve Stone", '"Eve\\0Stone"')
    root = make_vault(notes, "timezone: America/New_York\n")
    age(root)
    first = agenda_json(run, root)
    assert "Eve\\u0000Stone" in first
    assert not (root / CACHE_DIR / MEMO_FILE).exists()
    assert agenda_json(run, root) == first == uncached(run, root)


@pytest.mark.parametrize(
    "zone, start, memo_at, asked",
    [
        ("America/New_York", "2026-03-08T03:00", "2026-03-08T03:20", "2026-03-08T02:30"),
        ("Europe/Berlin", "2026-03-29T03:00", "2026-03-29T03:20", "2026-03-29T02:30"),
        ("Australia/Lord_Howe", "2026-10-04T02:30", "2026-10-04T02:50", "2026-10-04T02:20"),
        ("America/Santiago", "2026-09-06T00:50", "2026-09-06T01:00", "2026-09-06"),
    ],
)
def test_a_now_the_clock_skips_is_the_same_with_a_memo(
    make_vault, run, zone, start, memo_at, asked
):
    """`--now` at a wall time a spring-forward gap skips is the instant after the gap,
    for the computed agenda as for the remembered one."""
    root = make_vault(
        {
            "contacts/ana.md": "---\ntype: contact\nname: Ana Lima\n---\n",
            "interviews/iv.md": f'---\ntype: interview\ncontact: "[[ana]]"\ndate: {start}\n'
            "duration: 10\n---\n",
        },
        f"timezone: {zone}\n",
    )
    age(root)
    run(root, "agenda", "--all", "--now", memo_at)  # writes the memo
    for args in (["--all", "--json"], ["--check"]):
        recalled = run(root, "agenda", *args, "--now", asked)
        computed = run(root, "agenda", *args, "--now", asked, env={"INFOINT_NO_CACHE": "1"})
        assert (recalled.exit_code, recalled.stdout) == (computed.exit_code, computed.stdout)


def test_an_empty_agenda_is_remembered(make_vault, run, monkeypatch):
    root = make_vault({"contacts/ana.md": "---\ntype: contact\nname: Ana Lima\n---\n"})
    age(root)
    first = run(root, "agenda", "--all", "--json")
    assert first.stdout.strip() == "[]"
    assert (root / CACHE_DIR / MEMO_FILE).exists()

    def no_loading(*args, **kwargs):
        raise AssertionError("the memo should have answered")

    monkeypatch.setattr(loader, "load", no_loading)
    assert run(root, "agenda", "--all", "--json").stdout == first.stdout
    assert "Nothing due" in run(root, "agenda").stdout


def test_a_file_moved_in_place_keeping_mtime_and_size_is_seen(vault, run):
    agenda_json(run, vault)  # writes the memo
    note = vault / "contacts/ana.md"
    before = note.stat()
    replacement = vault / "contacts/.ana-new"
    replacement.write_text(note.read_text().replace("Ana Lima", "Ana Luna"))
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(replacement, note)
    assert (note.stat().st_mtime_ns, note.stat().st_size) == (before.st_mtime_ns, before.st_size)
    recalled = agenda_json(run, vault)
    assert "Ana Luna" in recalled and recalled == uncached(run, vault)


# --- the memo's law, on the demo vault and on generated vaults --------------------------

#: The views the agenda command asks for: (horizon in days, kinds).
VIEWS = [(None, ()), (0, ()), (7, ()), (30, ("thank-you", "prepare", "interview"))]


def assert_recalled_is_computed(root: Path, index, start: datetime, laters) -> int:
    """Computed at `start` and written to the memo: read back at each later moment within
    its window, every view (items, JSON, --check) is the agenda computed at that moment.
    Returns how many moments the memo answered."""
    config = index.config
    agenda = compute_agenda(index, start)
    key = memo_key([], b"the law")
    (root / CACHE_DIR).mkdir(exist_ok=True)
    assert write_memo(root, key, config, start, agenda.valid_until, agenda.items)
    answered = 0
    for later in [*laters, datetime.fromtimestamp(agenda.valid_until - 1e-6, start.tzinfo)]:
        if not start.timestamp() <= later.timestamp() < agenda.valid_until:
            continue
        recalled = read_memo(root, key, lambda zone, later=later: later.astimezone(zone))
        assert recalled is not None, (start, later)
        computed = ComputedAnswer(build_agenda(index, later), later)
        for within, kinds in VIEWS:
            mine, theirs = recalled.select(within, kinds), computed.select(within, kinds)
            assert recalled.items(mine) == computed.items(theirs), (start, later, within)
            assert recalled.json_objects(mine) == computed.json_objects(theirs)
            assert recalled.any_overdue(mine) == computed.any_overdue(theirs)
        answered += 1
    return answered


def test_the_demo_vault_is_recalled_as_computed(tmp_path, run):
    """`infoint init --demo`: every kind of item, seen from moments over two months."""
    root = tmp_path / "demo"
    assert run(None, "init", str(root), "--demo", "--now", "2026-10-20T09:00").exit_code == 0
    (root / "infoint.yaml").write_text("timezone: America/Chicago\n", encoding="utf-8")
    index = load_index(root, load_config(root), cache=False)
    grid = moments(root, "2026-10-10T00:00", "2026-12-10T00:00", timedelta(hours=17))
    answered = 0
    for number, start in enumerate(grid):
        laters = [start + timedelta(minutes=minutes) for minutes in (0, 61, 600, 2000)]
        answered += assert_recalled_is_computed(root, index, start, grid[number : number + 3])
        answered += assert_recalled_is_computed(root, index, start, laters)
    assert answered > len(grid)  # most moments have a window worth remembering


_ZONES = ("America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "UTC")
#: Around a spring-forward and a fall-back night in New York and Berlin, and midsummer.
_BASES = (datetime(2026, 3, 6), datetime(2026, 10, 22), datetime(2026, 6, 10))


@st.composite
def moments_near(draw, base: datetime) -> str:
    """A date, or a date-time on the quarter hour, within ten days of `base`."""
    day = base + timedelta(days=draw(st.integers(-10, 10)))
    if draw(st.booleans()):
        return day.date().isoformat()
    return (day + timedelta(minutes=15 * draw(st.integers(0, 95)))).strftime("%Y-%m-%dT%H:%M")


@st.composite
def generated_vaults(draw) -> tuple[str, datetime, dict[str, str]]:
    """(zone, a moment, notes): contacts with requests and updates, interviews of every
    status with or without preparation and reflection, referrals, a milestone."""
    zone, base = draw(st.sampled_from(_ZONES)), draw(st.sampled_from(_BASES))
    when = moments_near(base)
    people = draw(st.integers(1, 5))
    notes = {}
    for number in range(people):
        fields = [f"name: Person {number}"]
        if draw(st.booleans()):
            fields.append(f"requested: {draw(when)}")
            fields.append(f"request_via: {draw(st.sampled_from(['email', 'phone', 'linkedin']))}")
        if draw(st.booleans()):
            fields.append(f"updates: [{draw(when)}]")
        if number and draw(st.booleans()):
            fields.append(f'referred_by: "[[p{draw(st.integers(0, number - 1))}]]"')
        if draw(st.booleans()):
            fields.append(f"keep_in_touch_days: {draw(st.integers(1, 20))}")
        notes[f"contacts/p{number}.md"] = "---\ntype: contact\n" + "\n".join(fields) + "\n---\n"
    for number in range(draw(st.integers(0, 6))):
        fields = [f'contact: "[[p{draw(st.integers(0, people))}]]"', f"date: {draw(when)}"]
        status = draw(st.sampled_from([None, None, "planned", "done", "cancelled"]))
        if status:
            fields.append(f"status: {status}")
        if draw(st.booleans()):
            fields.append(f"duration: {draw(st.integers(5, 600))}")
        if draw(st.booleans()):
            fields.append(f"thank_you_sent: {draw(when)}")
        if draw(st.booleans()):
            fields.append('referrals: ["[[p0]]", {name: New Person, may_use_name: true}]')
        fields.append(f"questions: [{', '.join(['Why?'] * draw(st.integers(0, 6)))}]")
        body = "## Preparation\n- [ ] read up\n" if draw(st.booleans()) else ""
        body += "## Reflection\nLearned a lot.\n" if draw(st.booleans()) else ""
        text = "---\ntype: interview\n" + "\n".join(fields) + "\n---\n" + body
        notes[f"interviews/i{number}.md"] = text
    if draw(st.booleans()):
        notes["milestones/m.md"] = (
            f'---\ntype: milestone\ndate: {draw(when)}\nthanks: ["[[p0]]"]\n---\n'
        )
    start = base + timedelta(minutes=draw(st.integers(-10 * 1440, 10 * 1440)))
    return zone, start, notes


@settings(max_examples=150, deadline=None)
@given(
    generated_vaults(),
    st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=4),
    st.integers(1, 7),
)
def test_generated_vaults_are_recalled_as_computed(vault_now_notes, fractions, prepare_days):
    import tempfile

    from infoint_notes.core.index import build_index
    from infoint_notes.core.parse import parse_note

    zone, start, notes = vault_now_notes
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config_text = f"timezone: {zone}\nprepare_days: {prepare_days}\n"
        (root / "infoint.yaml").write_text(config_text, encoding="utf-8")
        config = load_config(root)
        parsed = [parse_note(rel, text.encode()) for rel, text in sorted(notes.items())]
        index = build_index(root, config, parsed)
        moment = start.replace(tzinfo=config.zone).astimezone(config.zone)
        until = compute_agenda(index, moment).valid_until
        span = min(until, moment.timestamp() + 86400) - moment.timestamp()
        laters = [moment + timedelta(seconds=span * fraction) for fraction in fractions]
        assert_recalled_is_computed(root, index, moment, laters)


def test_a_new_holidays_library_is_another_memo(tmp_path, monkeypatch):
    """A vault that names a country keys its memo on the installed `holidays` library: an
    upgrade may move a holiday, and with it a business-day due."""
    site = tmp_path / "site"
    (site / "holidays").mkdir(parents=True)
    version = site / "holidays" / "version.py"
    version.write_text('__version__ = "0.1"\n')
    monkeypatch.syspath_prepend(str(site))
    config = b"business_days: true\nholidays: US\n"
    before = memo_key([], config)
    version.write_text('__version__ = "0.2.1"\n')
    assert memo_key([], config) != before
    # A config that names no country does not depend on it.
    plain = memo_key([], b"business_days: true\n")
    version.write_text('__version__ = "0.3"\n')
    assert memo_key([], b"business_days: true\n") == plain
