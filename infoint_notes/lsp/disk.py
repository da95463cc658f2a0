"""The vault on disk, for the language server: found and loaded as the commands do, and
read again when files change outside the editor.

A change notification (the client's `workspace/didChangeWatchedFiles`, or watchdog's
when the client watches nothing) only says that something may have changed: after a
short quiet time the vault is walked and each note whose stat changed is read again
(`live.watch.VaultState`, as `infoint watch` does), in a worker thread.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.config import load_config
from ..core.errors import UsageError
from ..core.index import VaultIndex
from ..core.model import Diagnostic, Note
from ..core.vault import NoteFile, NoteRules, excluding, find_vault, note_rules, walk_vault
from ..live.watch import Burst, VaultState, start_observer
from ..speed.cachedir import cache_wanted
from ..speed.loader import load_index
from .live import LiveVault

#: Quiet time after a change on disk before the vault is read again (editors save in
#: several steps: truncate and write, temporary file and rename).
SETTLE_SECONDS = 0.1


def find_root(vault_option: str | None, folders: list[Path]) -> Path:
    """The vault: `--vault`, INFOINT_VAULT, else the nearest `infoint.yaml` at or above
    a workspace folder (the current folder when the client names none)."""
    problem: UsageError | None = None
    for folder in folders or [Path.cwd()]:
        try:
            return find_vault(vault_option, os.environ, folder)
        except UsageError as exc:
            problem = exc
    assert problem is not None
    raise problem


def load(root: Path) -> tuple[VaultIndex, list[NoteFile]]:
    """The vault from its cache (INFOINT_NO_CACHE=1: read every note), and its files."""
    config = load_config(root)
    found = excluding(walk_vault(root, note_rules(root)), NoteRules(exclude=config.exclude))
    cache = cache_wanted()
    index = load_index(
        root, config, found.notes, cache=cache, whole_vault=True, attachments=found.others
    )
    return index, found.notes


def _read(
    state: VaultState,
) -> tuple[list[tuple[str, Note | None]], bool, VaultIndex | None, str | None]:
    """(changed notes, whether to look again soon, the whole vault when the config or
    the other files changed, a problem with the config)."""
    others = state.others
    config_changed, config_error = state.reload_config()
    changed, look_again = state.refresh()
    # A file that appears or goes (an image saved beside the notes) changes what links
    # reach: the vault is taken afresh, as after a change of the config.
    files_changed = state.others != others
    index = state.index() if config_changed or files_changed else None
    return [(rel, state.note(rel)) for rel in changed], look_again, index, config_error


class DiskWatch:
    """Keeps the live vault in line with the files; `publish` gets what changed."""

    def __init__(
        self,
        live: LiveVault,
        state: VaultState,
        publish: Callable[[dict[str, list[Diagnostic]]], None],
        log: Callable[[str], None],
    ) -> None:
        self.live = live
        self.state = state
        self.publish = publish
        self.log = log
        self.lock = asyncio.Lock()
        self.poked = False
        self.pending: asyncio.Future[None] | None = None
        self.stopped = threading.Event()
        self.observer: Any = None

    def poke(self) -> None:
        """Something changed on disk: read the vault again once things settle."""
        if self.poked:
            return
        self.poked = True
        self.pending = asyncio.ensure_future(self._soon())

    async def _soon(self) -> None:
        await asyncio.sleep(SETTLE_SECONDS)
        self.poked = False
        try:
            await self.refresh()
        except Exception as exc:  # logged; the next change tries again
            self.log(f"reading changed files failed: {type(exc).__name__}: {exc}")

    async def refresh(self) -> None:
        """Walk the vault, read what changed (in a worker thread), then update; one
        refresh at a time, each applied before the next reads."""
        async with self.lock:
            loop = asyncio.get_running_loop()
            notes, look_again, index, config_error = await loop.run_in_executor(
                None, _read, self.state
            )
            if config_error:
                self.log(config_error)
            if index is not None:
                self.publish(self.live.reset(index))
            elif notes:
                self.publish(self.live.disk_update(notes))
        if look_again:
            self.poke()

    def watch(self) -> None:
        """The client watches no files for us: watchdog does."""
        loop = asyncio.get_running_loop()
        burst = Burst()
        try:
            self.observer, notice = start_observer(self.live.root, burst, poll=False)
        except Exception as exc:
            self.log(f"not watching files: {exc}")
            return
        if notice:
            self.log(notice)

        def wait() -> None:
            while burst.wait(SETTLE_SECONDS, self.stopped):
                loop.call_soon_threadsafe(self.poke)

        threading.Thread(target=wait, name="infoint-watch", daemon=True).start()

    def stop(self) -> None:
        self.stopped.set()
        if self.observer is not None:
            try:
                self.observer.stop()
            except Exception:  # it may never have started
                return
