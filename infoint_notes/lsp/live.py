"""The vault as the editor sees it: the notes on disk, overlaid by the open buffers.

`LiveVault` is the one interface the language server's handlers use. `update(path,
text)` takes a buffer's text (unsaved edits count), `disk_update` a file changed
outside the editor; both return the diagnostics of the open buffers that changed.

Each update swaps one note in the index (`VaultIndex.replacing`, a few milliseconds at
10,000 notes; `infoint watch` keeps its index the same way) instead of building it
again (about 90 ms), and `speed.kept_checks` re-runs only what the change can affect
(as it does for `infoint watch`): `validate`'s per-note checks for the changed note (and
for every note when a note's link keys changed, since links may now resolve
differently), and each of `VAULT_CHECKS` only when the change touches what that check
reads. The answer is always `validate`'s, restricted to the buffer's path: a test
compares the two after random edits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from ..core.config import Config
from ..core.index import VaultIndex
from ..core.model import Diagnostic, Note
from ..core.notes import build_note
from ..core.parse import parse_note
from ..rules.agenda import AgendaItem, build_agenda
from ..speed.kept_checks import KeptChecks


def typed_text(rel: str, text: str, config: Config) -> Note:
    """The note a buffer's text makes at vault path `rel`."""
    # A lone surrogate (JSON can carry one) must not stop the parse: it becomes bytes
    # that `decode` reports as not UTF-8, as it would in a file.
    return build_note(parse_note(rel, text.encode("utf-8", "surrogatepass")), config.zone)


class LiveVault:
    """The notes of a vault with the editor's buffers laid over them, kept checked."""

    def __init__(self, index: VaultIndex, now: Callable[[], datetime]) -> None:
        self.now = now
        self._index = index
        self._disk: dict[str, Note] = dict(index.by_path)
        self._buffers: dict[str, Note] = {}
        self._texts: dict[str, str] = {}
        self._checks = KeptChecks(index)
        #: What `diagnostics` last said of each open buffer.
        self._shown: dict[str, list[Diagnostic]] = {}
        self._agenda: tuple[VaultIndex, datetime, list[AgendaItem]] | None = None

    # --- what handlers read ------------------------------------------------------------

    @property
    def index(self) -> VaultIndex:
        """The vault as the editor shows it now."""
        return self._index

    @property
    def root(self) -> Path:
        return self._index.root

    @property
    def config(self) -> Config:
        return self._index.config

    def note(self, path: str) -> Note | None:
        return self._index.by_path.get(path)

    def is_open(self, path: str) -> bool:
        return path in self._buffers

    def text(self, path: str) -> str | None:
        """The text of an open buffer."""
        return self._texts.get(path)

    def agenda(self, now: datetime) -> list[AgendaItem]:
        """Every agenda item of the vault at `now` (kept until the notes change)."""
        if self._agenda is None or self._agenda[:2] != (self._index, now):
            self._agenda = (self._index, now, build_agenda(self._index, now))
        return self._agenda[2]

    def diagnostics(self, path: str) -> list[Diagnostic]:
        """What `validate` says about the note at `path`, as the editor shows it."""
        return self._checks.problems_of(path, self.now())

    # --- changes -----------------------------------------------------------------------

    def update(self, path: str, text: str | None) -> dict[str, list[Diagnostic]]:
        """The editor's buffer of `path` holds `text` now; None: it was closed, and the
        note is as on disk again. Returns the diagnostics of each open buffer that
        changed (for a closed one: an empty list, to clear what the editor shows)."""
        if text is None:
            self._buffers.pop(path, None)
            self._texts.pop(path, None)
            self._shown.pop(path, None)
        else:
            self._buffers[path] = typed_text(path, text, self.config)
            self._texts[path] = text
        self._put(path)
        changed = self._refresh()
        if text is None:
            changed[path] = []
        return changed

    def disk_update(
        self, changes: Iterable[tuple[str, Note | None]]
    ) -> dict[str, list[Diagnostic]]:
        """Files changed outside the editor: each path's note as read now (None: gone).
        An open buffer keeps its text; the file shows through once it is closed."""
        for path, note in changes:
            if note is None:
                self._disk.pop(path, None)
            else:
                self._disk[path] = note
            self._put(path)
        return self._refresh()

    def reset(self, index: VaultIndex) -> dict[str, list[Diagnostic]]:
        """Start again from a vault loaded afresh (the config or the other files
        changed); buffers stay."""
        self._disk = dict(index.by_path)
        notes = dict(self._disk)
        for path, text in self._texts.items():
            self._buffers[path] = notes[path] = typed_text(path, text, index.config)
        self._index = VaultIndex(index.root, index.config, list(notes.values()), index.attachments)
        self._checks = KeptChecks(self._index)
        return self._refresh()

    def _put(self, path: str) -> None:
        """Bring the index in line with the note `path` has now."""
        old = self._index.by_path.get(path)
        new = self._buffers.get(path) or self._disk.get(path)
        if old is new:
            return
        self._index = self._index.replacing({path: new})
        self._checks.follow(self._index)

    def _refresh(self) -> dict[str, list[Diagnostic]]:
        changed = {}
        for path in self._buffers:
            found = self.diagnostics(path)
            if found != self._shown.get(path):
                self._shown[path] = found
                changed[path] = found
        return changed
