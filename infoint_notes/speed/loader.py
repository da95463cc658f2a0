"""The vault loaded fast: the record store, parsing (in several processes when it pays)
and typing, composed into a `VaultIndex`. The core builds the index from parsed notes
and never knows where they came from.

Each run stats every note (the walk does that anyway), reuses the stored record of each
file that is unchanged (`store.unchanged`), parses only added and changed files, and
drops rows of files that are gone: zk's merge of walk and index. Typing notes needs the
config and is redone each run, overlapping with helpers still parsing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..core.config import Config
from ..core.index import VaultIndex
from ..core.model import Note, ParsedNote
from ..core.notes import build_note
from ..core.vault import NoteFile, note_rules, walk_notes, walk_vault
from . import store
from .codec import decode, encode
from .memory import paused_gc
from .names import encode_names
from .parsing import Ready, parse_files


@dataclass(frozen=True, slots=True)
class CacheStats:
    """What one load did: files parsed, answers reused, rows dropped."""

    read: int
    reused: int
    removed: int
    #: Whether the cache was used and brought up to date (False: no cache this run), or
    #: what brings it up to date when first asked (`load_parsed`'s `defer_store`).
    stored: bool | Callable[[], bool]
    #: Whether every file was read settled: readable, and old enough that a change
    #: within its timestamp's granularity is ruled out (so the answers may be memoised).
    settled: bool = False

    @property
    def written(self) -> bool:
        """Whether the cache was used and brought up to date."""
        return self.stored if isinstance(self.stored, bool) else self.stored()


@dataclass(frozen=True, slots=True)
class Loaded:
    """Parse results in the order of the files given, and how they were obtained."""

    parsed: list[ParsedNote]
    stats: CacheStats
    #: The paths of the files read unsettled (young enough to change unseen, or
    #: unreadable): what the next run must read again whatever their stamps say.
    unsettled: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class LoadedIndex:
    """The vault's index, and how its notes were obtained."""

    index: VaultIndex
    stats: CacheStats
    unsettled: frozenset[str] = frozenset()


def load_parsed(
    root: Path,
    files: list[NoteFile],
    use_cache: bool = True,
    rebuild: bool = False,
    complete: bool = True,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    need_results: bool = True,
    ready: Ready | None = None,
    defer_store: bool = False,
) -> Loaded:
    """The parse result of every file, from the store where it is still valid.

    `complete`: `files` is the whole vault, so stored rows of other paths are dropped.
    `progress(done, total)` is called while files are parsed. `need_results=False`
    only brings the store up to date (reused records are not decoded; `parsed` then
    holds None for them). `ready(position, parsed)` sees each result as soon as this
    process has it, so work on it can overlap with helpers still parsing.
    `defer_store`: the records are stored (and those of files parsed in this process
    encoded) only when `stats.written` is first asked, after the caller's answer.
    """
    started_ns = time.time_ns()  # before any read: a file changed after this is racy
    rows = store.read_rows(root, with_data=not rebuild) if use_cache else None
    results: list[ParsedNote | None] = [None] * len(files)
    to_read: list[int] = []
    for position, file in enumerate(files):
        row = None if rows is None or rebuild else rows.get(file.rel)
        if row is not None and store.unchanged(row, file):
            if not need_results:
                continue
            try:
                note = results[position] = decode(row[5])  # type: ignore[arg-type]
            except Exception:
                note = None  # a damaged record: read the file again
            if note is not None:
                if ready is not None:
                    ready(position, note)
                continue
        to_read.append(position)

    done: Callable[[int], None] | None = None
    if progress is not None:
        total, finished = len(to_read), [0]

        def done(count: int) -> None:
            finished[0] += count
            progress(finished[0], total)

    removed: list[str] = []
    if rows is not None and complete:
        present = {file.rel for file in files}
        removed = [path for path in rows if path not in present]
    reading = [files[position] for position in to_read]
    found = None if ready is None else lambda i, note: ready(to_read[i], note)
    parsed = parse_files(
        reading,
        want_blobs=rows is not None,
        workers=workers,
        done=done,
        ready=found,
        encode_here=not defer_store,
    )
    read: list[tuple[NoteFile, ParsedNote, bytes]] = []
    unsettled = set()
    for position, (note, blob, cacheable) in zip(to_read, parsed, strict=True):
        results[position] = note
        file = files[position]
        if not (cacheable and file.mtime_ns + store.RACY_NS <= started_ns):
            unsettled.add(file.rel)
        if rows is not None and cacheable:
            read.append((file, note, blob))

    @cache
    def store_rows() -> bool:
        upserts = []
        for file, note, blob in read:
            new = store.new_row(file, started_ns, blob or encode(note), encode_names(note))
            if new is not None:
                upserts.append(new)
        return store.write_rows(root, upserts, removed, clear=rebuild)

    written: bool | Callable[[], bool] = False
    if rows is not None:
        written = store_rows if defer_store else store_rows()
    stats = CacheStats(
        len(to_read), len(files) - len(to_read), len(removed), written, not unsettled
    )
    return Loaded(results, stats, frozenset(unsettled))  # type: ignore[arg-type]


def load(
    root: Path,
    config: Config,
    files: list[NoteFile] | None = None,
    cache: bool = True,
    workers: int | None = None,
    whole_vault: bool = False,
    attachments: Iterable[str] | None = None,
    defer_store: bool = False,
) -> LoadedIndex:
    """Walk, parse and type every note of the vault at `root`.

    Parse results come from `.infoint/cache.sqlite` where the file is unchanged
    (`cache=False` reads every file); `workers` forces the number of parsing processes.
    `files` (with `whole_vault`: the walk's answer, taken once by the caller) skips the
    walk; `attachments` are then the other files it found (None: walked for).
    `defer_store`: the store is written when `stats.written` is first asked
    (`load_parsed`).
    """
    with paused_gc():
        # Rows of files not given are dropped only when the files are the whole vault.
        complete = files is None or whole_vault
        if files is None:
            found = walk_vault(root, note_rules(root, config.exclude))
            files, attachments = found.notes, found.others
        zone = config.zone
        typed: list[Note | None] = [None] * len(files)

        def type_note(position: int, parsed: ParsedNote) -> None:
            typed[position] = build_note(parsed, zone)

        loaded = load_parsed(
            root,
            files,
            use_cache=cache,
            complete=complete,
            workers=workers,
            ready=type_note,
            defer_store=defer_store,
        )
        index = VaultIndex(root, config, typed, attachments)  # type: ignore[arg-type]
        return LoadedIndex(index, loaded.stats, loaded.unsettled)


def load_index(
    root: Path, config: Config, files: list[NoteFile] | None = None, **options: Any
) -> VaultIndex:
    """`load(...).index`: the vault's notes, parsed and typed."""
    return load(root, config, files, **options).index


def update_cache(
    root: Path,
    rebuild: bool = False,
    progress: Callable[[int, int], None] | None = None,
    exclude: Sequence[str] = (),
) -> CacheStats:
    """Bring the cache of the vault at `root` up to date (`infoint index`); `exclude`:
    the config's globs of paths that are not notes."""
    with paused_gc():
        files = walk_notes(root, note_rules(root, exclude))
        return load_parsed(
            root, files, rebuild=rebuild, progress=progress, need_results=False
        ).stats
