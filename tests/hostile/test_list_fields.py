"""A list field holding any YAML value: a diagnostic for the note, never a crash (SPEC 5).

`aliases: 5` once broke every command that filled the cache (the names column kept for
shell completion iterated the value), and numbers in lists of text were taken as text,
their leading zeros already lost (`other_phones: [0049301234]`). Every list field of every
kind, with values of every YAML type: each read command still runs, cached and uncached
answers agree, the rest of the vault is still there, and a number or a boolean where a
list item belongs is a `bad-value` at the field's line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infoint_notes.cli import cli
from infoint_notes.core.schema import KINDS, PLAIN
from infoint_notes.core.yamlread import load_front_matter
from tests.conftest import write_vault

#: The rest of each kind's note, valid without the field under test.
BASES = {
    "contact": "type: contact\nname: Xavier Quinn\n",
    "interview": 'type: interview\ncontact: "[[good]]"\ndate: 2026-11-02T10:00\n',
    "organization": "type: organization\nname: Xylo Corp\n",
    "milestone": "type: milestone\ndate: 2026-11-03\nsummary: An offer\n",
    "plain": "title: a plain note\n",
}
LIST_FIELDS = sorted(
    (kind.name, field.key)
    for kind in (*KINDS.values(), PLAIN)
    for field in kind.fields
    if field.value.many
)
GOOD = "---\ntype: contact\nname: Good Person\nemail: good@example.com\n---\n"
READ_COMMANDS = [
    ["list", "--json"],
    ["list", "interviews", "--json"],
    ["list", "organizations"],
    ["list", "milestones"],
    ["agenda", "--all", "--json"],
    ["graph", "--format", "json"],
    ["orgs"],
    ["targets", "--json"],
    ["stats", "--json"],
    ["show", "x"],
    ["links", "x", "--json"],
    ["export", "contacts", "--format", "json"],
    ["index"],
]

_scalars = st.one_of(
    st.integers(-(10**25), 10**25).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(
        [
            "true",
            "false",
            "null",
            "~",
            ".inf",
            "-.inf",
            ".nan",
            "0049301234",
            "0x1F",
            "0o17",
            "1e3",
            "9" * 5000,
            "2026-01-02",
            "2026-01-02T10:00",
            "Jane",
            "'5'",
            '"[[good]]"',
            "{}",
            "[]",
            "{a: 1}",
            "{5: true}",
            "!!binary aGk=",
        ]
    ),
)
_values = st.recursive(
    _scalars,
    lambda items: st.lists(items, max_size=3).map(lambda xs: f"[{', '.join(xs)}]"),
    max_leaves=6,
)


def _cli(vault: Path, args: list[str], **env: str):
    return CliRunner().invoke(
        cli, ["--vault", str(vault), *args], env={"INFOINT_NOW": "2026-11-20T12:00", **env}
    )


def _vault(root: Path, kind: str, key: str, value: str) -> tuple[Path, int]:
    """A vault of a good contact and note `x` whose `key` holds `value` (its line)."""
    lines = [line for line in BASES[kind].splitlines() if not line.startswith(f"{key}:")]
    write_vault(
        root,
        {
            "contacts/good.md": GOOD,
            "x.md": "---\n" + "\n".join([*lines, f"{key}: {value}"]) + "\n---\n",
        },
    )
    return root, len(lines) + 2


def _number_or_flag(value: object) -> bool:
    return isinstance(value, (bool, int, float))


@settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(field=st.sampled_from(LIST_FIELDS), value=_values)
def test_any_value_in_any_list_field_is_a_diagnostic_never_a_crash(tmp_path_factory, field, value):
    kind, key = field
    vault, line = _vault(tmp_path_factory.mktemp("list"), kind, key, value)
    for args in READ_COMMANDS:
        result = _cli(vault, args)
        output = result.stdout + result.stderr
        assert result.exit_code in (0, 1), (args, output)
        assert "internal error" not in output and "Traceback" not in output, (args, output)
    cached = _cli(vault, ["validate", "--format", "json"])
    uncached = _cli(vault, ["validate", "--format", "json"], INFOINT_NO_CACHE="1")
    assert cached.stdout == uncached.stdout
    # The rest of the vault is still there.
    assert _cli(vault, ["show", "good"]).exit_code == 0
    listed = json.loads(_cli(vault, ["list", "--json"]).stdout)
    assert "good" in [contact["id"] for contact in listed]
    read = load_front_matter(f"{key}: {value}", 1).data
    if read is None:
        return  # not YAML at all: yaml-syntax, as for any note
    held = read[key]
    if any(map(_number_or_flag, held if isinstance(held, list) else [held])):
        found = [
            (problem["code"], problem["line"])
            for problem in json.loads(cached.stdout)
            if problem["path"] == "x.md"
        ]
        assert ("bad-value", line) in found, (value, found)


@pytest.mark.parametrize("kind", ["contact", "plain"])
@pytest.mark.parametrize("value", ["5", "true", "1.5", ".inf", "9" * 40])
def test_a_number_as_aliases_is_a_bad_value_and_every_command_runs(tmp_path, kind, value):
    vault, line = _vault(tmp_path / "v", kind, "aliases", value)
    for args in READ_COMMANDS:
        result = _cli(vault, args)
        assert result.exit_code == 0, (args, result.stdout + result.stderr)
    result = _cli(vault, ["validate"])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"x.md:{line}:10: error bad-value: 'aliases' must be text")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("other_phones", "[0049301234]", "'other_phones' items must be text, not 49301234"),
        ("other_emails", "[1]", "'other_emails' items must be text, not 1; quote it"),
        ("aliases", "[5]", "'aliases' items must be text, not 5; quote it"),
        ("websites", "[1.5]", "'websites' items must be text, not 1.5; quote it"),
        ("tags", "5", "'tags' must be text, not 5; quote it"),
    ],
)
def test_a_number_in_a_list_of_text_is_a_bad_value(tmp_path, field, value, message):
    vault, line = _vault(tmp_path / "v", "contact", field, value)
    result = _cli(vault, ["validate"])
    assert result.exit_code == 1
    column = len(field) + 3 + value.startswith("[")
    assert result.stdout.splitlines()[0] == f"x.md:{line}:{column}: error bad-value: {message}" + (
        "; quote it as written (infoint validate --fix does)" if field == "other_phones" else ""
    )
