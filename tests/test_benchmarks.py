"""The synthetic vault of the benchmark: deterministic, and valid."""

from __future__ import annotations

import hashlib

from benchmarks.generate import NOW_TEXT, generate, vault_files


def digest(files: dict[str, str]) -> str:
    return hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest()


def test_same_seed_gives_the_same_files():
    assert digest(vault_files(400, seed=7)) == digest(vault_files(400, seed=7))
    assert digest(vault_files(400, seed=7)) != digest(vault_files(400, seed=8))


def test_generated_vault_validates_without_errors_and_exercises_both_scanners(tmp_path, run):
    root = tmp_path / "bench"
    assert generate(root, 600, seed=3) == 600
    written = {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in root.rglob("*.md")
    }
    assert written == vault_files(600, seed=3)
    kinds = {rel.split("/")[0] for rel in written}
    assert kinds == {"contacts", "interviews", "organizations", "milestones", "notes"}
    assert any("```" in text or "`" in text for text in written.values())
    assert sum("referred_by:" in text for text in written.values()) > 50
    result = run(root, "validate", "--format", "json", env={"INFOINT_NOW": NOW_TEXT})
    assert result.exit_code == 0, result.stdout[:2000]
    assert '"severity": "error"' not in result.stdout
