"""Golden files: every command's output on the demo vault at a fixed moment.

A change in what users see shows up as a diff of `tests/golden/*` in review.
After a deliberate change, update them with one flag (and review the diff):

    pytest tests/test_golden.py --snapshot-update -n 0
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode
from syrupy.location import PyTestLocation
from syrupy.types import SnapshotIndex

from infoint_notes.cli import cli

NOW = "2026-11-20T09:30"
FIXTURES = Path(__file__).parent / "fixtures"


class GoldenText(SingleFileSnapshotExtension):
    """One readable file per output, under tests/golden/."""

    _write_mode = WriteMode.TEXT
    file_extension = "txt"

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        return str(Path(test_location.filepath).parent / "golden")

    @classmethod
    def get_file_basename(cls, *, test_location: PyTestLocation, index: SnapshotIndex) -> str:
        # `agenda-json.json`, not `test_command_output_is_the_golden_file[agenda-json].json`
        return test_location.snapshot_name.rpartition("[")[2].rstrip("]")


class GoldenJson(GoldenText):
    file_extension = "json"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo vault, in a fixed zone, dated from NOW."""
    root = tmp_path_factory.mktemp("golden") / "demo"
    runner = CliRunner()
    made = runner.invoke(cli, ["init", str(root), "--demo", "--now", NOW])
    assert made.exit_code == 0, made.output
    # The demo writes wall-clock times from a naive NOW: the same notes in every zone.
    (root / "infoint.yaml").write_text("timezone: America/Chicago\n", encoding="utf-8")
    return root


#: name -> command line; a name ending in `-json` is compared as a .json file.
COMMANDS: dict[str, list[str]] = {
    "agenda": ["agenda"],
    "agenda-all": ["agenda", "--all"],
    "agenda-json": ["agenda", "--all", "--json"],
    "agenda-ics": ["agenda", "--all", "--format", "ics"],
    "agenda-kind": ["agenda", "--all", "--kind", "thank-you", "--kind", "contact-referral"],
    "validate": ["validate"],
    "validate-json": ["validate", "--format", "json"],
    "validate-github": ["validate", "--format", "github"],
    "graph": ["graph"],
    "graph-root": ["graph", "--root", "maria-chen"],
    "graph-dot": ["graph", "--format", "dot"],
    "graph-mermaid": ["graph", "--format", "mermaid"],
    "graph-json": ["graph", "--format", "json"],
    "show-contact": ["show", "maria-chen"],
    "show-contact-json": ["show", "maria-chen", "--json"],
    "show-referred": ["show", "sam-lee"],
    "show-organization": ["show", "contoso"],
    "links": ["links", "maria-chen"],
    "links-json": ["links", "maria-chen", "--json"],
    "list": ["list"],
    "list-json": ["list", "--json"],
    "list-interviews": ["list", "interviews"],
    "list-interviews-json": ["list", "interviews", "--json"],
    "list-organizations": ["list", "organizations"],
    "list-milestones": ["list", "milestones"],
    "list-where": ["list", "--where", "source=alumni", "--sort", "name"],
    "orgs": ["orgs"],
    "orgs-json": ["orgs", "--json"],
    "orgs-one": ["orgs", "Contoso"],
    "stats": ["stats"],
    "stats-json": ["stats", "--json"],
    "targets": ["targets"],
    "targets-json": ["targets", "--json"],
    "show-interview": ["show", "2026-11-19-sam-lee"],
    "show-interview-json": ["show", "2026-11-19-sam-lee", "--json"],
    "draft-thank-you": ["draft", "thank-you", "2026-11-19-sam-lee"],
    "draft-request": ["draft", "request", "ben-carter"],
    "draft-update": ["draft", "update", "maria-chen"],
    "export-csv": ["export", "contacts", "--format", "csv"],
    "export-json": ["export", "contacts", "--format", "json"],
    "export-vcard": ["export", "contacts", "--format", "vcard"],
    "import-linkedin-dry": ["import", "linkedin", str(FIXTURES / "Connections.csv"), "--dry-run"],
    "import-vcard-dry": ["import", "vcard", str(FIXTURES / "contacts.vcf"), "--dry-run"],
    "completion-zsh": ["completion", "zsh"],
}


def _invoke(vault: Path, args: list[str]) -> str:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["--vault", str(vault), *args], env={"INFOINT_NOW": NOW, "NO_COLOR": "1"}
    )
    assert result.exit_code in (0, 1), result.output
    # Both streams, apart: what a user sees on the terminal and what a script reads.
    text = result.stdout
    if result.stderr:
        text += "\n--- stderr ---\n" + result.stderr
    return text.replace(str(FIXTURES), "FIXTURES")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_output_is_the_golden_file(
    demo: Path, name: str, snapshot: SnapshotAssertion
) -> None:
    extension = GoldenJson if name.endswith("-json") else GoldenText
    assert _invoke(demo, COMMANDS[name]) == snapshot(extension_class=extension)


def test_every_command_has_a_golden_file() -> None:
    """A new command (or format) is added to COMMANDS, so its output is reviewed too."""
    from infoint_notes.cli import COMMANDS as REGISTERED

    covered = {args[0] for args in COMMANDS.values()}
    # init/new/log/hook/index/watch write or wait, lsp speaks JSON-RPC; their output is
    # tested where they are.
    assert set(REGISTERED) - covered == {"init", "new", "log", "hook", "index", "watch", "lsp"}
