"""What every command is handed (`App`): where the vault is, and the vault once loaded.

Apart from the Click options (`app.py`), so that an agenda answered before Click is
imported (`quick.py`) uses the same vault, config and clock as every command."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import UsageError
from ..core.friendly import parse_moment
from ..core.vault import (
    NoteFile,
    NoteRules,
    VaultFiles,
    VaultScan,
    excluding,
    find_vault,
    note_rules,
    read_config_bytes,
    scan_vault,
)

if TYPE_CHECKING:
    from ..core.config import Config
    from ..core.index import VaultIndex
    from ..write.atomic import FirstRead


@dataclass
class App:
    """What every command needs: where the vault is, and the vault once loaded.

    Each part is found on first use, so a command answered from the agenda memo never
    parses a note. `root` and `config` do not change while a command runs (cached
    properties); the notes may (`use_index`, `forget_index`), so they are fields. The
    notes and the config's bytes are methods, as `speed.agenda_memo.Vault` reads them."""

    vault_option: str | None
    color: bool | None
    _config_bytes: bytes | None = field(default=None, init=False, repr=False)
    _scan: VaultScan | None = field(default=None, init=False, repr=False)
    _walk: VaultFiles | None = field(default=None, init=False, repr=False)
    _files_by_rel: dict[str, NoteFile] | None = field(default=None, init=False, repr=False)
    _index: VaultIndex | None = field(default=None, init=False, repr=False)

    @cached_property
    def root(self) -> Path:
        return find_vault(self.vault_option, os.environ, Path.cwd())

    def config_bytes(self) -> bytes:
        """infoint.yaml as it is on disk, read once (what the config is parsed from)."""
        if self._config_bytes is None:
            self._config_bytes = read_config_bytes(self.root)
        return self._config_bytes

    @cached_property
    def config(self) -> Config:
        # Imported here: the settings' dataclasses cost 2 ms to define, and a command
        # answered from the agenda memo keys on the config's bytes without parsing them.
        from ..core.config import load_config
        from ..speed.frontscan import read_front_matter

        return load_config(self.root, self.config_bytes(), read_front_matter)

    @property
    def use_cache(self) -> bool:
        """INFOINT_NO_CACHE=1: read every note, leave .infoint/ alone (debugging, timing)."""
        from ..speed.cachedir import cache_wanted

        return cache_wanted()

    def files(self) -> list[NoteFile]:
        """The vault's Markdown files as the walk found them (one stat each), walked
        once. Those the config's `exclude` names are among them: applying it needs the
        parsed config, which the agenda memo's key (the config's bytes) does without."""
        return self._walked().notes

    def others(self) -> list[str]:
        """The vault's other files (attachments, templates), which links may reach."""
        return self.scan().others

    def scan(self) -> VaultScan:
        """What the walk saw (walked once): `files` and `others` come from it, and a
        remembered agenda keys on it without building a NoteFile."""
        if self._scan is None:
            self._scan = scan_vault(self.root, note_rules(self.root))
        return self._scan

    def walked(self, root: Path, scan: VaultScan, config_bytes: bytes) -> None:
        """The vault is at `root`, the walk just saw `scan` and infoint.yaml held
        `config_bytes` (`quick` walked and read them first, for the memo's key)."""
        self.__dict__["root"] = root  # what the cached property would have found
        self._scan = scan
        self._config_bytes = config_bytes

    def _walked(self) -> VaultFiles:
        if self._walk is None:
            self._walk = self.scan().files()
        return self._walk

    def index(self) -> VaultIndex:
        """The vault's notes, parsed and typed."""
        if self._index is None:
            # Imported here: the index brings the parsers and SQLite, which a command
            # answered from the agenda memo never needs.
            from ..speed.loader import load_index

            found = excluding(self._walked(), NoteRules(exclude=self.config.exclude))
            self._index = load_index(
                self.root,
                self.config,
                found.notes,
                cache=self.use_cache,
                whole_vault=True,
                attachments=found.others,
            )
        return self._index

    def first_read(self, rel: str) -> FirstRead:
        """The note at `rel` as this command first read it (the walk's stat, the digest of
        the bytes parsed): a write must still find it so, or an editor's save since then
        would be undone (SPEC 5)."""
        from ..write.atomic import FirstRead  # only commands that write need it

        if self._files_by_rel is None:
            self._files_by_rel = {file.rel: file for file in self.files()}
        file = self._files_by_rel[rel]
        return FirstRead(file.mtime_ns, file.size, self.index().by_path[rel].parsed.digest)

    def use_index(self, index: VaultIndex) -> None:
        """Commands that change what the vault holds (fixes, staged notes) set it here."""
        self._index = index

    def forget_index(self) -> None:
        """The notes changed on disk: the next `index()` walks and reads them again."""
        self._index = self._scan = self._walk = self._files_by_rel = None

    def now(self, given: str | None) -> datetime:
        """`--now`, else `INFOINT_NOW`, else the clock; in the vault's zone."""
        return self.now_in(self.config.zone, given)

    def now_in(self, zone: tzinfo, given: str | None) -> datetime:
        """`--now`, else `INFOINT_NOW`, else the clock; in `zone`. Either may be friendly
        (SPEC 2.2): `INFOINT_NOW` relative to the clock, `--now` to `INFOINT_NOW`'s moment
        (to the clock when that is unset or unusable: `--now` overrides it)."""
        now = datetime.now(zone)
        env = os.environ.get("INFOINT_NOW")
        if env:
            try:
                now = parse_moment(env, zone, now)
            except ValueError as exc:
                if not given:
                    raise UsageError(f"INFOINT_NOW: {exc}") from exc
        if not given:
            return now
        try:
            return parse_moment(given, zone, now)
        except ValueError as exc:
            raise UsageError(f"--now: {exc}") from exc
