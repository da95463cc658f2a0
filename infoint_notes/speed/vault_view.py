"""What the memos need from a vault (`agenda_memo`, `incremental`, `validate_memo`): the
CLI's App is one, but speed never imports the commands."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..core.config import Config
    from ..core.index import VaultIndex
    from ..core.vault import NoteFile, VaultScan


class Vault(Protocol):
    """What the agenda needs from a vault, each part fetched only when used (the CLI's
    App is one)."""

    @property
    def root(self) -> Path: ...

    @property
    def use_cache(self) -> bool: ...

    @property
    def config(self) -> Config: ...

    def config_bytes(self) -> bytes: ...

    def scan(self) -> VaultScan:
        """What the walk saw of the vault's files (`files` and `others` are its)."""

    def files(self) -> list[NoteFile]:
        """The vault's Markdown files, `exclude` not applied (it needs the config)."""

    def others(self) -> list[str]:
        """The vault's other files, which links may reach."""

    def use_index(self, index: VaultIndex) -> None: ...


class CheckedVault(Vault, Protocol):
    """What `validate`'s memo needs besides: the index, and the moment asked for."""

    def index(self) -> VaultIndex: ...

    def now(self, given: str | None) -> datetime:
        """`--now` (`given`), else `INFOINT_NOW`, else the clock; in the vault's zone."""
