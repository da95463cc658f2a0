"""Speed is plugged in from above: the core never imports it (STYLE.md, the layout)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "infoint_notes"


def imported_layers(path: Path) -> set[str]:
    """The top-level folders of infoint_notes a module imports from (at any depth)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 2:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] == "infoint_notes" and len(parts) > 1:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("module", sorted((PACKAGE / "core").glob("*.py")), ids=lambda p: p.name)
def test_the_core_never_imports_speed(module: Path) -> None:
    assert "speed" not in imported_layers(module)


def test_the_index_is_built_from_what_it_is_given() -> None:
    """No cache, no parallel parse, no rules: the layers above compose those."""
    assert imported_layers(PACKAGE / "core" / "index.py") == set()
