"""The parse cache in `.infoint/`: the cached answer is always the uncached one."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from infoint_notes.core.config import load_config
from infoint_notes.core.vault import walk_notes
from infoint_notes.speed import codec, parsing, reading, store
from infoint_notes.speed.cachedir import CACHEDIR_TAG
from infoint_notes.speed.loader import load, load_index, load_parsed
from infoint_notes.speed.store import SCHEMA_VERSION, cache_path

HOUR_NS = 3600 * 10**9


def _permissions_enforced() -> bool:
    """False for root with CAP_DAC_OVERRIDE, who writes into read-only folders anyway.
    (To run those tests as root: capsh --drop=cap_dac_override,cap_dac_read_search --.)"""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o555)
        try:
            Path(folder, "probe").write_text("x")
        except OSError:
            return True
        finally:
            os.chmod(folder, 0o755)
    return False


needs_permissions = pytest.mark.skipif(
    not _permissions_enforced(), reason="file permissions are not enforced for this user"
)

NOTES = {
    "contacts/jane-doe.md": """
        ---
        type: contact
        name: Jane Doe
        organization: "[[contoso]]"
        referred_by: [[bob]]
        phone: 5550100
        score: .inf
        extra: {nested: [1, 2.5, true, null, "x"], deep: {a: [[1]]}}
        ---
        # Jane

        Met at [[Contoso]] with [[nobody-here]].
        """,
    "contacts/bob.md": """
        ---
        type: contact
        name: Bob Stone
        aliases: [Bobby]
        ---
        Knows `[[not-a-link]]` and [[jane-doe|Jane]].

        ```
        [[inside-a-fence]]
        ```
        """,
    "interviews/2026-11-02-jane-doe.md": """
        ---
        type: interview
        contact: "[[jane-doe]]"
        date: 2026-11-02T10:00
        thank_you_sent: 2026-11-01
        referrals:
          - "[[sam-lee]]"
          - name: Priya Patel
            may_use_name: maybe
        ---
        ## Preparation
        - [x] Research
        - [ ] Intro

        ## Questions
        - Do you like it?
        - Do you have any job openings?

        ## Reflection
        <!-- later -->
        """,
    "organizations/contoso.md": "---\ntype: organization\nname: Contoso\n---\n",
    "broken.md": "---\ntitle: Part 1: Intro\n---\nbody\n",
    "conflict.md": "<<<<<<< HEAD\na\n=======\nb\n>>>>>>> branch\n",
    "crlf.md": "---\r\ntype: milestone\r\ndate: 2026-11-03\r\n---\r\nDone [[bob]]\r\n",
    "latin1.md": "caf\xe9".encode("latin-1"),
    "unterminated.md": "---\ntype: contact\nname: X\n",
    "plain.md": "Just text with [[Bobby]].\n",
}


def age(root: Path, *only: Path) -> None:
    """Make every note (or only these) look an hour old, out of the racy window."""
    stamp = time.time_ns() - HOUR_NS
    for path in only or [file.path for file in walk_notes(root)]:
        os.utime(path, ns=(stamp, stamp))


def answer(root: Path, use_cache: bool, workers: int | None = None):
    """(parse results, typed-note issues, cache stats) for the vault."""
    loaded = load(root, load_config(root), cache=use_cache, workers=workers)
    parsed = [note.parsed for note in loaded.index.notes]
    issues = [note.issues for note in loaded.index.notes]
    return parsed, issues, loaded.stats


def assert_same_answer(root: Path, run) -> None:
    cached = answer(root, True)
    uncached = answer(root, False)
    assert cached[:2] == uncached[:2]
    with_cache = run(root, "validate", "--format", "json")
    without = run(root, "validate", "--format", "json", env={"INFOINT_NO_CACHE": "1"})
    assert with_cache.stdout == without.stdout
    assert with_cache.exit_code == without.exit_code


def rows(root: Path) -> dict[str, tuple[int, int]]:
    with sqlite3.connect(cache_path(root)) as connection:
        found = connection.execute("SELECT path, mtime_ns, size FROM notes").fetchall()
    return {path: (mtime, size) for path, mtime, size in found}


@pytest.fixture
def vault(make_vault):
    root = make_vault(NOTES)
    age(root)
    return root


def test_lifecycle_cached_and_uncached_answers_are_identical(vault, run):
    assert_same_answer(vault, run)
    assert answer(vault, True)[2].reused == len(NOTES)  # the cache is really used

    # Modify: same size, new mtime (the cache must notice through the mtime alone).
    jane = vault / "contacts/jane-doe.md"
    text = jane.read_text()
    changed = text.replace("Jane Doe", "Jane Roe")
    assert len(changed) == len(text)
    jane.write_text(changed)
    stamp = os.stat(jane).st_mtime_ns
    os.utime(jane, ns=(stamp - HOUR_NS, stamp - HOUR_NS))
    assert answer(vault, True)[2].read == 1
    assert_same_answer(vault, run)
    assert any(
        note.front_matter and note.front_matter.get("name") == "Jane Roe"
        for note in answer(vault, True)[0]
    )

    # Add.
    sam = vault / "contacts/sam-lee.md"
    sam.write_text("---\ntype: contact\nname: Sam Lee\n---\n")
    age(vault, sam)
    assert answer(vault, True)[2].read == 1
    assert_same_answer(vault, run)

    # Delete.
    (vault / "plain.md").unlink()
    assert answer(vault, True)[2].removed == 1
    assert_same_answer(vault, run)
    assert "plain.md" not in rows(vault)

    # Rename: same bytes, same mtime, new path.
    (vault / "contacts/bob.md").rename(vault / "contacts/robert.md")
    stats = answer(vault, True)[2]
    assert (stats.read, stats.removed) == (1, 1)
    assert_same_answer(vault, run)
    parsed = {note.path: note for note in answer(vault, True)[0]}
    assert parsed["contacts/robert.md"].id == "robert"
    assert set(rows(vault)) == {file.rel for file in walk_notes(vault)}


def test_racy_edit_in_the_same_timestamp_tick_is_seen(make_vault):
    root = make_vault({"a.md": "---\nname: one\n---\n"})
    note = root / "a.md"
    stamp = os.stat(note).st_mtime_ns
    assert answer(root, True)[0][0].front_matter == {"name": "one"}
    # Same size, same mtime: only the racy-window rule can tell.
    note.write_text("---\nname: two\n---\n")
    os.utime(note, ns=(stamp, stamp))
    assert answer(root, True)[0][0].front_matter == {"name": "two"}


def test_every_record_round_trips_exactly(vault):
    for file in walk_notes(vault):
        parsed, _ = reading.read_and_parse(file.rel, file.path)
        assert codec.decode(codec.encode(parsed)) == parsed


@needs_permissions
def test_unreadable_files_are_not_cached(vault):
    locked = vault / "plain.md"
    locked.chmod(0)
    try:
        first = answer(vault, True)[0]
        assert "unreadable" in [d.code for note in first for d in note.diagnostics]
        assert "plain.md" not in rows(vault)
    finally:
        locked.chmod(0o644)
    assert answer(vault, True)[0] == answer(vault, False)[0]


def test_schema_version_mismatch_rebuilds_silently(vault, run):
    answer(vault, True)
    with sqlite3.connect(cache_path(vault)) as connection:
        connection.execute("PRAGMA user_version = 999")
        connection.execute("UPDATE notes SET data = x'00'")
    parsed, _, stats = answer(vault, True)
    assert stats.read == len(NOTES) and stats.written
    assert parsed == answer(vault, False)[0]
    with sqlite3.connect(cache_path(vault)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert answer(vault, True)[2].reused == len(NOTES)


def test_cache_from_another_infoint_version_is_rebuilt(vault):
    answer(vault, True)
    with sqlite3.connect(cache_path(vault)) as connection:
        connection.execute("UPDATE meta SET value = 'infoint 0.0.1'")
        connection.execute("UPDATE notes SET data = x'00'")
    parsed, _, stats = answer(vault, True)
    assert stats.reused == 0 and stats.read == len(NOTES)
    assert parsed == answer(vault, False)[0]


def test_damaged_record_is_read_again(vault):
    answer(vault, True)
    with sqlite3.connect(cache_path(vault)) as connection:
        connection.execute("UPDATE notes SET data = x'e300' WHERE path = 'contacts/bob.md'")
    parsed, _, stats = answer(vault, True)
    assert stats.read == 1
    assert parsed == answer(vault, False)[0]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_corrupt_cache_is_rebuilt_with_the_right_answer(vault, run, damage):
    answer(vault, True)
    path = cache_path(vault)
    if damage == "garbage":
        path.write_bytes(b"this is not a database\n" * 500)
    elif damage == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    else:
        path.write_bytes(b"")
    expected = answer(vault, False)[0]
    assert answer(vault, True)[0] == expected
    assert_same_answer(vault, run)
    # Rebuilt, not merely bypassed: the next run reuses everything.
    assert answer(vault, True)[2].reused == len(NOTES)


def test_cache_path_that_is_a_folder_means_no_cache(vault, run):
    cache_path(vault).mkdir(parents=True)
    parsed, _, stats = answer(vault, True)
    assert not stats.written
    assert parsed == answer(vault, False)[0]
    assert_same_answer(vault, run)


def test_infoint_that_is_a_file_means_no_cache(vault, run):
    (vault / ".infoint").write_text("not a folder")
    assert not answer(vault, True)[2].written
    assert_same_answer(vault, run)
    assert (vault / ".infoint").read_text() == "not a folder"


@needs_permissions
def test_read_only_vault_works_without_a_cache(vault, run):
    expected = run(vault, "validate", "--format", "json", env={"INFOINT_NO_CACHE": "1"})
    vault.chmod(0o555)
    try:
        result = run(vault, "validate", "--format", "json")
        assert result.stdout == expected.stdout
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        assert not (vault / ".infoint").exists()
    finally:
        vault.chmod(0o755)


@needs_permissions
def test_read_only_cache_folder_is_used_for_reading_only(vault):
    answer(vault, True)
    (vault / "plain.md").write_text("changed [[bob]]\n")
    (vault / ".infoint").chmod(0o555)
    cache_path(vault).chmod(0o444)
    try:
        parsed, _, stats = answer(vault, True)
        assert parsed == answer(vault, False)[0]
        assert not stats.written
        assert (stats.read, stats.reused) == (1, len(NOTES) - 1)
    finally:
        (vault / ".infoint").chmod(0o755)
        cache_path(vault).chmod(0o644)


def test_a_write_that_cannot_get_the_lock_is_skipped(vault, monkeypatch):
    answer(vault, True)
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.05)
    (vault / "plain.md").write_text("changed [[bob]]\n")
    other = sqlite3.connect(cache_path(vault), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another command is writing
    try:
        parsed, _, stats = answer(vault, True)
        assert not stats.written
        assert parsed == answer(vault, False)[0]
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert answer(vault, True)[2].written


def test_concurrent_commands_agree_and_leave_a_sound_cache(vault):
    environment = {**os.environ, "INFOINT_NOW": "2026-11-20T12:00"}
    root = str(Path(__file__).resolve().parent.parent)
    environment["PYTHONPATH"] = root + os.pathsep + environment.get("PYTHONPATH", "")
    command = [sys.executable, "-m", "infoint_notes", "--vault", str(vault)]
    command += ["validate", "--format", "json"]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
        for _ in range(4)
    ]
    outputs = {process.communicate()[0] for process in processes}
    assert len(outputs) == 1
    with sqlite3.connect(cache_path(vault)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert answer(vault, True)[2].reused == len(NOTES)


def test_cache_folder_ignores_itself(vault, run):
    run(vault, "validate")
    folder = vault / ".infoint"
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    tag = (folder / "CACHEDIR.TAG").read_text()
    assert tag == CACHEDIR_TAG
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_status_stays_clean_after_a_command(vault, run):
    def git(*args: str) -> str:
        environment = {
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
        }
        done = subprocess.run(
            ["git", *args], cwd=vault, capture_output=True, text=True, env=environment
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    git("init", "--quiet")
    git("add", "-A")
    git("commit", "--quiet", "-m", "notes")
    run(vault, "validate")
    assert (vault / ".infoint" / "cache.sqlite").is_file()
    assert git("status", "--porcelain", "--ignored=no") == ""


def test_no_cache_environment_variable_leaves_the_vault_alone(vault, run):
    result = run(vault, "validate", env={"INFOINT_NO_CACHE": "1"})
    assert result.exit_code == 1
    assert not (vault / ".infoint").exists()


def test_parallel_parse_gives_the_serial_answer(vault):
    serial = answer(vault, False, workers=1)
    parallel = answer(vault, False, workers=2)
    assert parallel[:2] == serial[:2]
    # And through the cache: records written by the parallel path are reused exactly.
    shutil.rmtree(vault / ".infoint", ignore_errors=True)
    assert answer(vault, True, workers=3)[0] == serial[0]
    warm = answer(vault, True)
    assert warm[2].reused == len(NOTES) and warm[0] == serial[0]


def typed(note) -> tuple:
    """Every field of a typed note (they compare by identity)."""
    return tuple(getattr(note, field.name) for field in dataclasses.fields(note))


def test_notes_typed_while_helpers_parse_are_the_serial_ones(vault):
    """This process types its share before the helpers are done: the notes must be
    the same, in the same places, as when everything is parsed and typed in order."""
    config = load_config(vault)
    serial = load_index(vault, config, cache=False, workers=1)
    for workers in (2, 3):
        parallel = load_index(vault, config, cache=False, workers=workers)
        assert [typed(note) for note in parallel.notes] == [typed(note) for note in serial.notes]
    shutil.rmtree(vault / ".infoint", ignore_errors=True)
    cold = load_index(vault, config, workers=2)
    loaded = load(vault, config, workers=2)
    warm = loaded.index
    assert loaded.stats.reused == len(NOTES)
    assert [typed(note) for note in cold.notes] == [typed(note) for note in serial.notes]
    assert [typed(note) for note in warm.notes] == [typed(note) for note in serial.notes]


def test_pieces_land_in_their_places_whoever_parses_them(vault, monkeypatch):
    """One file per piece: this process and two helpers claim pieces in turn, and this
    process decodes the helpers' pieces between its own. Every result is in its place,
    `ready` sees each file once, the progress adds up."""
    monkeypatch.setattr(parsing, "PIECE_FILES", 1)
    files = walk_notes(vault)
    (vault / "plain.md").unlink()  # gone since the walk: unreadable, not cacheable
    serial = parsing.parse_files(files, workers=1)
    assert [cacheable for _, _, cacheable in serial].count(False) == 1
    seen, progress = {}, []
    parallel = parsing.parse_files(
        files,
        workers=3,
        ready=lambda i, note: seen.setdefault(i, []).append(note),
        done=progress.append,
    )
    assert [result[0] for result in parallel] == [result[0] for result in serial]
    assert [result[2] for result in parallel] == [result[2] for result in serial]
    assert {i: notes for i, notes in seen.items()} == {
        i: [result[0]] for i, result in enumerate(parallel)
    }
    assert sum(progress) == len(files)
    for parsed, blob, cacheable in parallel:  # the records cached are these results
        assert not cacheable or codec.decode(blob) == parsed
    # Without a cache to write no record is kept, whoever parsed the file.
    bare = parsing.parse_files(files, want_blobs=False, workers=3)
    assert [result[0] for result in bare] == [result[0] for result in serial]
    assert {result[1] for result in bare} == {b""}
    # Nor for the file that cannot be cached.
    assert all(blob for _, blob, cacheable in parallel if cacheable)
    assert not any(blob for _, blob, cacheable in parallel if not cacheable)


@pytest.mark.parametrize("dies_after", [0, 3])
def test_a_helper_that_dies_costs_only_time(vault, monkeypatch, dies_after):
    """A helper killed (the OOM killer, a signal) at its first file or after delivering
    some: what it claimed and never sent is parsed here; the answer is the same."""
    expected = answer(vault, False, workers=1)[:2]
    parent, real, count = os.getpid(), reading.read_and_parse, [0]

    def dying(rel, path, size=None):
        if os.getpid() != parent:
            count[0] += 1
            if count[0] > dies_after:
                os._exit(9)
        return real(rel, path, size)

    monkeypatch.setattr(reading, "read_and_parse", dying)
    monkeypatch.setattr(parsing, "PIECE_FILES", 1)
    assert answer(vault, False, workers=3)[:2] == expected
    shutil.rmtree(vault / ".infoint", ignore_errors=True)
    assert answer(vault, True, workers=2)[:2] == expected
    monkeypatch.setattr(reading, "read_and_parse", real)
    warm = answer(vault, True)
    assert warm[:2] == expected and warm[2].reused == len(NOTES)


def stored_records(root: Path) -> dict[str, object]:
    with sqlite3.connect(cache_path(root)) as connection:
        found = connection.execute("SELECT path, data FROM notes").fetchall()
    return {path: codec.decode(data) for path, data in found}


def stored_paths(root: Path) -> set[str]:
    if not cache_path(root).exists():
        return set()
    with sqlite3.connect(cache_path(root)) as connection:
        return {path for (path,) in connection.execute("SELECT path FROM notes")}


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_a_deferred_store_is_written_when_first_asked(vault, monkeypatch, workers):
    """`defer_store`: the records are stored when the caller asks (after its answer),
    every one as parsed (those parsed in this process encoded then), and only once; a
    warm load reuses them all."""
    monkeypatch.setattr(parsing, "PIECE_FILES", 1)
    expected = answer(vault, False, workers=1)[:2]
    shutil.rmtree(vault / ".infoint", ignore_errors=True)
    loaded = load(vault, load_config(vault), workers=workers, defer_store=True)
    assert [note.parsed for note in loaded.index.notes] == expected[0]
    assert stored_paths(vault) == set()  # nothing stored yet
    writes = []
    real = store.write_rows
    monkeypatch.setattr(store, "write_rows", lambda *a, **k: writes.append(1) or real(*a, **k))
    assert loaded.stats.written and loaded.stats.written
    assert len(writes) == 1
    assert stored_records(vault) == {note.path: note for note in expected[0]}
    warm = answer(vault, True)
    assert warm[:2] == expected and warm[2].reused == len(NOTES)


def test_a_deferred_store_holds_what_a_dying_helper_never_sent(vault, monkeypatch):
    """A helper that dies mid-way: what it claimed is parsed here, and every record is
    stored when asked."""
    expected = answer(vault, False, workers=1)[:2]
    shutil.rmtree(vault / ".infoint", ignore_errors=True)
    parent, real, count = os.getpid(), reading.read_and_parse, [0]

    def dying(rel, path, size=None):
        if os.getpid() != parent:
            count[0] += 1
            if count[0] > 2:
                os._exit(9)
        return real(rel, path, size)

    monkeypatch.setattr(reading, "read_and_parse", dying)
    monkeypatch.setattr(parsing, "PIECE_FILES", 1)
    loaded = load(vault, load_config(vault), workers=2, defer_store=True)
    assert [note.parsed for note in loaded.index.notes] == expected[0]
    assert loaded.stats.written
    monkeypatch.setattr(reading, "read_and_parse", real)
    assert answer(vault, True)[2].reused == len(NOTES)


def test_a_cold_agenda_parsed_by_helpers_stores_every_record(vault, monkeypatch, run):
    """The agenda computed with helpers parsing: the same answer as without them, the
    memo written, and the store complete, by the time the command returns (in a
    program that imports the CLI, nothing is left to a child: `background`)."""
    monkeypatch.setattr(parsing, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(parsing, "PIECE_FILES", 1)
    monkeypatch.setattr(parsing.sys, "platform", "linux")
    monkeypatch.setattr(parsing.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    env = {"INFOINT_NOW": "2026-11-20T12:00"}
    cold = run(vault, "agenda", "--json", "--all", env=env)
    assert (vault / ".infoint" / "agenda.memo").exists()
    assert set(stored_records(vault)) == {file.rel for file in walk_notes(vault)}
    warm = run(vault, "agenda", "--json", "--all", env=env)
    uncached = run(vault, "agenda", "--json", "--all", env={**env, "INFOINT_NO_CACHE": "1"})
    assert cold.stdout == warm.stdout == uncached.stdout and cold.exit_code == 0


def test_no_processes_to_be_had_means_parsing_here(vault, monkeypatch):
    expected = answer(vault, False, workers=1)[:2]

    def no_fork():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert answer(vault, False, workers=2)[:2] == expected


def test_no_helpers_are_forked_while_other_threads_run(monkeypatch):
    """Forking a process that runs threads (`watch`'s observer) can deadlock the child:
    then the parse stays in this process."""
    import threading

    monkeypatch.setattr(parsing.sys, "platform", "linux")
    monkeypatch.setattr(parsing.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert parsing._worker_count(None, 10 * parsing.PARALLEL_MIN_FILES) == 2
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert parsing._worker_count(None, 10 * parsing.PARALLEL_MIN_FILES) == 1
    finally:
        stop.set()
        thread.join()


def test_a_new_cache_uses_large_pages(vault):
    load_parsed(vault, walk_notes(vault))
    with sqlite3.connect(cache_path(vault)) as connection:
        assert connection.execute("PRAGMA page_size").fetchone()[0] == store.PAGE_SIZE


def test_subset_of_files_does_not_drop_other_records(vault):
    files = walk_notes(vault)
    load_parsed(vault, files)
    loaded = load_parsed(vault, files[:2], complete=False)
    assert loaded.stats.removed == 0
    assert set(rows(vault)) == {file.rel for file in files}


def test_warm_command_imports_no_markdown_parser(vault):
    environment = {**os.environ, "INFOINT_NOW": "2026-11-20T12:00"}
    root = str(Path(__file__).resolve().parent.parent)
    environment["PYTHONPATH"] = root + os.pathsep + environment.get("PYTHONPATH", "")
    command = [sys.executable, "-X", "importtime", "-m", "infoint_notes", "--vault", str(vault)]
    command.append("validate")
    cold = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert " markdown_it" in cold.stderr  # bob.md has code: the reference scanner ran
    warm = subprocess.run(command, capture_output=True, text=True, env=environment)
    for module in ("markdown_it", "ruamel", "watchdog", "icalendar", "vobject", "frontmatter"):
        assert f" {module}" not in warm.stderr, module


@pytest.mark.parametrize("grow", [0, 1, 70_000, reading.MAX_NOTE_BYTES + 10])
def test_reading_with_a_stale_size_reads_the_whole_file(tmp_path, grow):
    """The walk's size is only a hint: a file that grew (or shrank) since is read to
    its end, and never beyond one byte more than a note may have."""
    path = tmp_path / "note.md"
    data = b"---\nname: x\n---\n" + b"y" * grow
    path.write_bytes(data)
    for hint in (0, 5, len(data), len(data) + 100, None):
        got = reading.read_note_bytes(path, hint)
        assert got == data[: reading.MAX_NOTE_BYTES + 1]


def test_a_file_moved_in_place_with_the_same_mtime_and_size_is_read_again(vault, run):
    """mtime and size alone would call it unchanged (editors and sync tools move a new
    file over the old one, keeping times); its inode and change time differ."""
    jane = vault / "contacts/jane-doe.md"
    before = jane.stat()
    answer(vault, True)  # writes the cache
    assert answer(vault, True)[2].reused == len(NOTES)
    replacement = vault / "contacts/.jane-new"
    replacement.write_text(jane.read_text().replace("Jane Doe", "Jane Roe"))
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(replacement, jane)
    assert (jane.stat().st_mtime_ns, jane.stat().st_size) == (before.st_mtime_ns, before.st_size)
    assert answer(vault, True)[2].read == 1
    assert_same_answer(vault, run)
    names = [note.front_matter.get("name") for note in answer(vault, True)[0] if note.front_matter]
    assert "Jane Roe" in names and "Jane Doe" not in names


def test_a_retargeted_symlink_is_read_again(make_vault, run):
    root = make_vault(
        {"store/a.txt": "---\nname: Ann Aaa\n---\n", "store/b.txt": "---\nname: Bob Bbb\n---\n"}
    )
    a, b = root / "store/a.txt", root / "store/b.txt"
    stamp = time.time_ns() - HOUR_NS
    for path in (a, b):
        os.utime(path, ns=(stamp, stamp))
    (root / "link.md").symlink_to("store/a.txt")
    assert answer(root, True)[0][0].front_matter == {"name": "Ann Aaa"}
    (root / "link.md").unlink()
    (root / "link.md").symlink_to("store/b.txt")
    assert answer(root, True)[0][0].front_matter == {"name": "Bob Bbb"}
    assert_same_answer(root, run)


def test_huge_inodes_and_far_future_times_are_cached(vault, run):
    """Network and overlay file systems give inodes of 2**63 and more, and a file may
    be dated after 2262: SQLite's integers are signed 64-bit. They are stored wrapped,
    compared the same way, and the cache still works (a file dated in the future is
    read every time: nothing tells whether it changed within its timestamp's tick)."""
    far = 2**63 + 7 * 10**9  # nanoseconds after 2262
    os.utime(vault / "plain.md", ns=(far, far))
    files = [dataclasses.replace(file, ino=2**64 - 5) for file in walk_notes(vault)]
    first = load_parsed(vault, files)
    assert first.stats.written and first.stats.read == len(NOTES)
    again = load_parsed(vault, files)
    assert again.stats.reused == len(NOTES) - 1 and again.parsed == first.parsed
    assert run(vault, "list").exit_code == 0
    assert_same_answer(vault, run)


def test_a_fifo_in_place_of_a_note_is_unreadable_not_a_hang(tmp_path):
    """The walk skips FIFOs, but one may replace a note between the walk and the read."""
    fifo = tmp_path / "a.md"
    os.mkfifo(fifo)
    parsed, cacheable = reading.read_and_parse("a.md", fifo, 10)
    assert not cacheable
    assert [d.code for d in parsed.diagnostics] == ["unreadable"]


def test_an_interrupt_while_forking_leaves_no_helper_behind(vault, monkeypatch):
    """Ctrl-C waits while a helper is forked and registered: the interrupt arrives
    afterwards, in this process only, and every helper is killed and reaped."""
    import signal
    import threading

    real_fork, children = os.fork, []

    def fork_then_interrupt():
        pid = real_fork()
        if pid:
            children.append(pid)
            # Pending until the helper is registered. Sent to this thread, as Ctrl-C
            # reaches the one-threaded CLI: a test runner's own threads (xdist) could
            # take a process-wide signal before the mask of this thread applies.
            signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
        return pid

    monkeypatch.setattr(os, "fork", fork_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        load_index(vault, load_config(vault), cache=False, workers=2)
    assert children
    for pid in children:  # reaped already: nothing is left to wait for
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
