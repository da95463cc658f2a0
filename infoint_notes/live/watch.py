"""`infoint watch`: re-check the vault after each burst of edits settles (SPEC 4.12).

Events from watchdog only say *that* something may have changed. What changed is found
by walking the vault and comparing each note's (mtime_ns, size) with what is in memory,
so every way an editor saves (in place, temp file + rename, JetBrains' safe write, vim's
`4913` probe, folder moves) ends in the same, correct answer, and duplicate or missing
events do no harm. Only changed notes are read again.
"""

from __future__ import annotations

import contextlib
import errno
import threading
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ..core.config import CONFIG_NAME, Config, load_config
from ..core.errors import UsageError
from ..core.index import VaultIndex
from ..core.model import Diagnostic, Note
from ..core.notes import build_note
from ..core.vault import (
    OBSIDIAN_TEMPLATES,
    TEMPLATER_SETTINGS,
    NoteFile,
    note_rules,
    walk_vault,
)
from ..rules.agenda import build_agenda, select
from ..rules.validate import validate
from ..speed.kept_checks import KeptChecks
from ..speed.parsing import read_note_file

#: (diagnostics, agenda items) of a vault at a moment: sets of hashable values that have
#: a `sort_key()` method.
Evaluation = tuple[frozenset[Diagnostic], frozenset[Hashable]]
Evaluate = Callable[[VaultIndex, datetime], Evaluation]


def evaluate(index: VaultIndex, now: datetime) -> Evaluation:
    """What `infoint watch` reports on: every diagnostic, and the default agenda view.
    An item's `overdue` is left out, so the clock passing a due time is not a change."""
    return frozenset(validate(index, now)), _agenda_view(index, now)


def kept_evaluation() -> Evaluate:
    """`evaluate`, keeping what validate found from one call to the next
    (`speed.kept_checks`, as the language server does): after a save, only what it
    touches is checked again (at 10,000 notes, 10 ms instead of 190 ms)."""
    kept: KeptChecks | None = None

    def evaluate_kept(index: VaultIndex, now: datetime) -> Evaluation:
        nonlocal kept
        if kept is None:
            kept = KeptChecks(index)
        else:
            kept.follow(index)
        return frozenset(kept.problems(now)), _agenda_view(index, now)

    return evaluate_kept


def _agenda_view(index: VaultIndex, now: datetime) -> frozenset[Hashable]:
    items = select(build_agenda(index, now), now)
    return frozenset(replace(item, overdue=False) for item in items)


#: Obsidian's settings that name template folders (which decide what is a note).
_SETTINGS = (OBSIDIAN_TEMPLATES, TEMPLATER_SETTINGS)


def is_editor_temporary(name: str) -> bool:
    """A backup (`note.md~`) or JetBrains' safe-write files (`___jb_tmp___`)."""
    return name.endswith("~") or "___jb_" in name


def _is_scratch(name: str) -> bool:
    """A file no link means: an editor's temporary file, or vim's `4913` probe (a name
    of digits alone; a folder may have such a name, a linked file has an extension)."""
    return is_editor_temporary(name) or name.isdigit()


def is_relevant(rel: str) -> bool:
    """Whether a change at this vault-relative path can change a note, a file a link
    reaches (an attachment, a template) or the config."""
    if rel in _SETTINGS:
        return True
    parts = rel.split("/")
    if any(part.startswith(".") for part in parts):  # .git, .infoint, .obsidian, .#lock
        return False
    return not is_editor_temporary(parts[-1])


@dataclass(frozen=True, slots=True)
class Report:
    """What one settled burst of changes did to the vault."""

    changed: tuple[str, ...]
    appeared: tuple[Diagnostic, ...] = ()
    resolved: tuple[Diagnostic, ...] = ()
    new_items: tuple[Any, ...] = ()
    done_items: tuple[Any, ...] = ()
    #: A problem with infoint.yaml: the previous settings stay in use.
    config_error: str | None = None


@dataclass
class _Entry:
    mtime_ns: int
    size: int
    note: Note


@dataclass
class VaultState:
    """The vault's notes in memory; `refresh` re-reads only what changed on disk."""

    root: Path
    config: Config
    entries: dict[str, _Entry] = field(default_factory=dict)
    #: Notes seen empty once after having content: a save in progress, not yet believed.
    suspect_empty: set[str] = field(default_factory=set)
    config_stamp: tuple[int, int] | None = None
    #: The vault's other files, which links may reach (editors' temporary files aside).
    others: tuple[str, ...] = ()
    #: The index of the notes as last asked for, and the paths changed since (None:
    #: build it afresh: the config or the other files changed).
    _index: VaultIndex | None = field(default=None, repr=False)
    _pending: set[str] = field(default_factory=set, repr=False)

    @classmethod
    def loaded(cls, index: VaultIndex, files: Iterable[NoteFile]) -> VaultState:
        """The state of a vault `load_index` just read from these walked `files`, so
        that nothing is read twice (the language server starts so)."""
        state = cls(index.root, index.config, others=index.attachments)
        state._index = index
        for file in files:
            note = index.by_path.get(file.rel)
            if note is not None:
                state.entries[file.rel] = _Entry(file.mtime_ns, file.size, note)
        with contextlib.suppress(OSError):
            stat = (index.root / CONFIG_NAME).stat()
            state.config_stamp = (stat.st_mtime_ns, stat.st_size)
        return state

    def refresh(self) -> tuple[list[str], bool]:
        """Re-read changed notes. Returns (changed paths, whether to look again soon)."""
        changed: list[str] = []
        look_again = False
        seen = set()
        found = walk_vault(self.root, note_rules(self.root, self.config.exclude))
        others = tuple(rel for rel in found.others if not _is_scratch(rel.rsplit("/", 1)[-1]))
        if others != self.others:
            changed.extend(sorted(set(others).symmetric_difference(self.others)))
            self.others = others
            self._index = None  # links may reach other files now
        for file in found.notes:
            seen.add(file.rel)
            entry = self.entries.get(file.rel)
            if entry is not None and (entry.mtime_ns, entry.size) == (file.mtime_ns, file.size):
                continue
            # Editors that truncate then write leave a moment of empty file: believe an
            # empty read of a note that had content only when it is still empty next time.
            emptied = entry is not None and file.size == 0 and entry.size > 0
            if emptied and file.rel not in self.suspect_empty:
                self.suspect_empty.add(file.rel)
                look_again = True
                continue
            self.suspect_empty.discard(file.rel)
            parsed = read_note_file(file)
            self.entries[file.rel] = _Entry(
                file.mtime_ns, file.size, build_note(parsed, self.config.zone)
            )
            changed.append(file.rel)
        for rel in sorted(set(self.entries) - seen):
            del self.entries[rel]
            self.suspect_empty.discard(rel)
            changed.append(rel)
        self._pending.update(changed)
        return sorted(changed), look_again

    def note(self, rel: str) -> Note | None:
        """The note at `rel` as last read (None: there is none)."""
        entry = self.entries.get(rel)
        return entry.note if entry is not None else None

    def reload_config(self) -> tuple[bool, str | None]:
        """Re-read infoint.yaml if it changed: (changed, error). On error keep the old one."""
        try:
            stat = (self.root / CONFIG_NAME).stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            return False, f"{CONFIG_NAME} is missing; keeping the previous settings"
        if stamp == self.config_stamp:
            return False, None
        self.config_stamp = stamp
        try:
            config = load_config(self.root)
        except UsageError as exc:
            return False, f"{exc}; keeping the previous settings"
        if config.zone != self.config.zone:
            # Dates are typed with the zone: every note must be typed again.
            self.entries.clear()
        self.config = config
        self._index = None  # `exclude` may make other files notes, and the reverse
        return True, None

    def index(self) -> VaultIndex:
        """The notes as last read: the index last given with the notes changed since
        swapped in (`VaultIndex.replacing`, as the language server does), or built
        afresh after a change of the config or of the other files."""
        if self._index is None:
            notes = [entry.note for entry in self.entries.values()]
            self._index = VaultIndex(self.root, self.config, notes, self.others)
        elif self._pending:
            self._index = self._index.replacing({rel: self.note(rel) for rel in self._pending})
        self._pending.clear()
        return self._index


class Burst:
    """Collects change notifications until they have been quiet for `settle` seconds."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._pending = False
        self._last = 0.0

    def poke(self) -> None:
        with self._condition:
            self._pending = True
            self._last = time.monotonic()
            self._condition.notify_all()

    def wait(self, settle: float, stop: threading.Event) -> bool:
        """Block until a burst has settled (True) or `stop` is set (False)."""
        with self._condition:
            while not stop.is_set():
                if not self._pending:
                    self._condition.wait(0.2)
                    continue
                quiet = time.monotonic() - self._last
                if quiet >= settle:
                    self._pending = False
                    return True
                self._condition.wait(settle - quiet)
        return False


def _handler(root: Path, burst: Burst) -> Any:
    from watchdog.events import FileSystemEventHandler  # a large library: only `watch` loads it

    class Handler(FileSystemEventHandler):
        """Routes every event, on its source and its destination path, to the burst."""

        def on_any_event(self, event: Any) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            for raw in (event.src_path, getattr(event, "dest_path", "")):
                if not raw:
                    continue
                path = raw.decode() if isinstance(raw, bytes) else raw
                try:
                    rel = Path(path).relative_to(root).as_posix()
                except ValueError:
                    continue
                if rel != "." and is_relevant(rel):
                    burst.poke()
                    return

    return Handler()


def start_observer(root: Path, burst: Burst, poll: bool) -> tuple[Any, str | None]:
    """A running observer, and a notice when it had to fall back to polling."""
    from watchdog.observers import Observer  # see _handler
    from watchdog.observers.polling import PollingObserver

    handler = _handler(root, burst)
    notice = "polling for changes every second (--poll)" if poll else None
    if not poll:
        observer = Observer()
        try:
            observer.schedule(handler, str(root), recursive=True)
            observer.start()
            return observer, None
        except OSError as exc:
            with contextlib.suppress(Exception):  # it may never have started
                observer.stop()
            if exc.errno in (errno.ENOSPC, errno.EMFILE):
                notice = (
                    "the system's limit of file watches is reached (raise "
                    "fs.inotify.max_user_watches); polling every second instead"
                )
            else:
                notice = f"cannot watch for changes ({exc}); polling every second instead"
    observer = PollingObserver(timeout=1)
    observer.schedule(handler, str(root), recursive=True)
    observer.start()
    return observer, notice


class Watcher:
    """Keeps a vault's diagnostics and agenda current and reports what changed."""

    def __init__(
        self,
        root: Path,
        config: Config,
        evaluate: Evaluate,
        now: Callable[[], datetime],
        settle: float = 0.3,
        state: VaultState | None = None,
    ) -> None:
        """`state`: the vault as just loaded (`VaultState.loaded`: from the parse
        records, in several processes), else every note is read here."""
        self.state = state or VaultState(root, config)
        self.evaluate = evaluate
        self.now = now
        self.settle = settle
        self.burst = Burst()
        self.state.reload_config()
        self.state.refresh()
        self.current = evaluate(self.state.index(), now())

    def check(self) -> Report | None:
        """Re-read what changed and compare; None when nothing a user sees changed."""
        config_changed, config_error = self.state.reload_config()
        changed, look_again = self.state.refresh()
        if look_again:
            self.burst.poke()
        if not changed and not config_changed:
            return Report((), config_error=config_error) if config_error else None
        diagnostics, items = self.evaluate(self.state.index(), self.now())
        before_diagnostics, before_items = self.current
        self.current = (diagnostics, items)
        return Report(
            tuple(changed) if changed else (CONFIG_NAME,),
            _sorted(diagnostics - before_diagnostics),
            _sorted(before_diagnostics - diagnostics),
            _sorted(items - before_items),
            _sorted(before_items - items),
            config_error,
        )

    def run(self, report: Callable[[Report], None], stop: threading.Event) -> None:
        """Report each settled burst until `stop` is set."""
        while self.burst.wait(self.settle, stop):
            result = self.check()
            if result is not None:
                report(result)


def _sorted(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(sorted(values, key=lambda value: value.sort_key()))
