"""`infoint init`: a new vault from `vault-template/` (SPEC 4.1)."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from ..core.config import CONFIG_NAME
from ..core.errors import UsageError
from .atomic import create_if_missing


def template_dir() -> Path:
    """The vault template: inside the installed package, or at the top of a checkout."""
    packaged = Path(str(resources.files("infoint_notes"))) / "vault_template"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "vault-template"
    if checkout.is_dir():
        return checkout
    raise UsageError("the vault template is missing from this installation; reinstall infoint")


def template_files() -> list[tuple[str, Path]]:
    """(vault-relative path, source file) of every template file, sorted."""
    root = template_dir()
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(name for name in dirs if name != "__pycache__")
        for name in sorted(files):
            source = Path(folder) / name
            found.append((source.relative_to(root).as_posix(), source))
    return sorted(found)


def create_vault(target: Path, demo: bool = False) -> list[str]:
    """Copy the template into `target`; return the vault-relative paths written.

    A non-empty folder is refused unless it is already a vault: then only the template
    files it lacks are added, and nothing it has (or gets meanwhile) is touched. With
    `demo` (the sample network is to follow) an existing vault is refused too.
    """
    if os.path.lexists(target) and not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder")
    is_vault = (target / CONFIG_NAME).is_file()
    if demo and is_vault:
        # Fake people among real ones would send real messages to nobody, and a second
        # demo, dated from another day, would double every interview (SPEC 4.1).
        raise UsageError(
            f"{target} is already a vault; --demo writes its sample network only into a "
            "new or empty folder (try: infoint init demo --demo)"
        )
    if target.is_dir() and not is_vault and any(target.iterdir()):
        raise UsageError(f"{target} is not empty and not a vault; choose an empty or new folder")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {target}: {exc.strerror or exc}") from exc
    return [
        rel
        for rel, source in template_files()
        if create_if_missing(target / rel, target, source.read_bytes())
    ]
