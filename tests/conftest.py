"""Shared fixtures: small vaults written inline, and a CLI runner."""

from __future__ import annotations

import importlib
import signal
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from infoint_notes.cli import COMMANDS, cli

NOW = "2026-11-20T12:00"

# Tests interrupt commands as Ctrl-C does (`infoint watch`, an index being built). A test
# run started in the background (`pytest &`) inherits SIGINT ignored, and so would every
# command it starts: give this process, and so its children, Ctrl-C's usual effect.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# A property holds however long an example takes: on a loaded machine hypothesis's
# default 200 ms deadline would fail a correct example (tests set max_examples only).
settings.register_profile("infoint", deadline=None)
settings.load_profile("infoint")

# Every command module is loaded before any test patches a library function: a module
# first imported while `monkeypatch` has replaced a function it imports by name would
# keep the replacement for the rest of the run (and fail whichever test came next).
for _target in COMMANDS.values():
    importlib.import_module(_target.split(":")[0])


def write_vault(root: Path, files: dict[str, str | bytes], config: str = "") -> Path:
    """Write a vault: `infoint.yaml` plus the given files (text is dedented)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "infoint.yaml").write_text(config or "timezone: America/New_York\n", encoding="utf-8")
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def vault_files(vault: Path) -> dict[str, bytes]:
    """Every file of the vault and its bytes, except the cache (which any command may
    write): what "nothing in the vault changed" compares."""
    return {
        path.relative_to(vault).as_posix(): path.read_bytes()
        for path in sorted(vault.rglob("*"))
        if path.is_file() and ".infoint" not in path.relative_to(vault).parts
    }


@pytest.fixture(autouse=True)
def _git_sees_only_the_test_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run git in their own temporary repositories. A GIT_DIR or GIT_INDEX_FILE
    inherited from the caller (`git rebase -x pytest`, a hook) would point those calls
    at the developer's own repository."""
    import os

    for name in list(os.environ):
        if name.startswith("GIT_") and name not in ("GIT_CONFIG_NOSYSTEM",):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture
def make_vault(tmp_path: Path) -> Callable[..., Path]:
    def make(files: dict[str, str | bytes] | None = None, config: str = "") -> Path:
        return write_vault(tmp_path / "vault", files or {}, config)

    return make


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `infoint ARGS` against a vault; stdout and stderr are kept apart."""
    monkeypatch.delenv("INFOINT_VAULT", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("INFOINT_NOW", NOW)

    def invoke(vault: Path | None, *args: str, env: dict[str, str] | None = None) -> Result:
        prefix = ["--vault", str(vault)] if vault is not None else []
        runner = CliRunner()
        return runner.invoke(cli, [*prefix, *args], env=env, catch_exceptions=False)

    return invoke
