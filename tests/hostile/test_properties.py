"""Laws over generated input: no bytes crash a read command; output is deterministic.

Also the fuzz entry point over the note parser: mutations of real and hostile notes, a
bounded number of examples in CI (INFOINT_FUZZ_EXAMPLES raises it for a long run).
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from zoneinfo import ZoneInfo

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infoint_notes.cli import cli
from infoint_notes.core.config import Config
from infoint_notes.core.index import VaultIndex
from infoint_notes.core.notes import build_note
from infoint_notes.core.parse import parse_note, split_lines
from infoint_notes.rules.agenda import build_agenda
from infoint_notes.rules.validate import validate

from .vault import GOOD_CONTACTS, GOOD_OTHER, HOSTILE

NOW = datetime(2026, 11, 20, 12, tzinfo=ZoneInfo("America/New_York"))
CONFIG = Config(timezone="America/New_York")
FUZZ_EXAMPLES = int(os.environ.get("INFOINT_FUZZ_EXAMPLES", "300"))
READ_COMMANDS = [
    ["validate", "--format", "json"],
    ["agenda", "--all", "--json"],
    ["agenda", "--format", "ics"],
    ["graph", "--format", "json"],
    ["list", "interviews", "--json"],
    ["stats", "--json"],
    ["export", "contacts", "--format", "vcard"],
    ["orgs"],
]

_seeds = [
    c.encode() if isinstance(c, str) else c
    for c in {**GOOD_CONTACTS, **GOOD_OTHER, **HOSTILE}.values()
]
_seeds = [seed for seed in _seeds if len(seed) < 4096]


@st.composite
def mutated_notes(draw) -> bytes:
    """A real or hostile note with random byte-level mutations (insert, delete, flip)."""
    data = bytearray(draw(st.sampled_from(_seeds)))
    for _ in range(draw(st.integers(0, 6))):
        action = draw(st.sampled_from(["insert", "delete", "replace", "splice"]))
        where = draw(st.integers(0, len(data)))
        if action == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=8))
        elif action == "delete":
            del data[where : where + draw(st.integers(1, 8))]
        elif action == "replace" and data:
            data[min(where, len(data) - 1)] = draw(st.integers(0, 255))
        else:
            data[where:where] = draw(
                st.sampled_from(
                    [
                        b"---\n",
                        b"\n---\n",
                        b"[[",
                        b"]]",
                        b": ",
                        b"- ",
                        b"&a ",
                        b"*a",
                        b"!!",
                        b"<<<<<<< x\n",
                        b"\r\n",
                        b"\t",
                        b"\xef\xbb\xbf",
                        b"`",
                        b"## Questions\n",
                    ]
                )
            )
    return bytes(data)


def _check_parse(raw: bytes) -> None:
    parsed = parse_note("fuzz/note.md", raw)
    lines = max(1, len(split_lines(raw.decode("utf-8", "replace"))))
    for problem in parsed.diagnostics:
        assert 1 <= problem.line <= lines + 1, problem
        assert problem.column >= 1
    note = build_note(parsed, CONFIG.zone)
    index = VaultIndex(None, CONFIG, [note])  # type: ignore[arg-type]
    validate(index, NOW)
    build_agenda(index, NOW)


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated_notes())
def test_fuzz_parser_on_mutated_notes(raw):
    _check_parse(raw)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st.binary(max_size=2048))
def test_fuzz_parser_on_random_bytes(raw):
    _check_parse(raw)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.one_of(mutated_notes(), st.binary(max_size=512)), min_size=1, max_size=4))
def test_random_note_files_never_crash_a_read_command(tmp_path_factory, contents):
    vault = tmp_path_factory.mktemp("random")
    (vault / "infoint.yaml").write_text("timezone: America/New_York\n")
    for number, raw in enumerate(contents):
        (vault / f"n{number}.md").write_bytes(raw)
    for args in READ_COMMANDS:
        result = CliRunner().invoke(
            cli, ["--vault", str(vault), *args], env={"INFOINT_NOW": "2026-11-20T12:00"}
        )
        assert result.exit_code in (0, 1), (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr


# --- determinism ------------------------------------------------------------------------

_names = st.sampled_from(
    [
        "Ada Lovelace",
        "Grace Hopper",
        "Alan Turing",
        "Edsger Dijkstra",
        "Barbara Liskov",
        "Donald Knuth",
    ]
)
_days = st.dates(min_value=datetime(2026, 9, 1).date(), max_value=datetime(2027, 1, 31).date())


@st.composite
def networks(draw) -> dict[str, str]:
    """A small random network: contacts with referrers, interviews with referrals."""
    people = sorted(set(draw(st.lists(_names, min_size=1, max_size=6))))
    ids = [name.lower().replace(" ", "-") for name in people]
    files = {}
    for name, ident in zip(people, ids, strict=True):
        referrer = draw(st.sampled_from([None, *ids]))
        lines = ["type: contact", f"name: {name}"]
        if referrer and referrer != ident:
            lines.append(f'referred_by: "[[{referrer}]]"')
        if draw(st.booleans()):
            lines += [
                f"requested: {draw(_days)}",
                f"request_via: {draw(st.sampled_from(['email', 'phone']))}",
            ]
        files[f"contacts/{ident}.md"] = "---\n" + "\n".join(lines) + "\n---\n"
    for number in range(draw(st.integers(0, 5))):
        who = draw(st.sampled_from(ids))
        when = draw(_days)
        hour = draw(st.sampled_from(["", "T09:00", "T16:30"]))
        lines = ["type: interview", f'contact: "[[{who}]]"', f"date: {when}{hour}"]
        if draw(st.booleans()):
            lines.append(f"thank_you_sent: {when}")
        referrals = draw(st.lists(st.sampled_from([*people, "Pat Pending"]), max_size=2))
        if referrals:
            lines.append("referrals: [" + ", ".join(f'"{r}"' for r in referrals) + "]")
        files[f"interviews/{when}-{who}-{number}.md"] = "---\n" + "\n".join(lines) + "\n---\n"
    return files


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(networks())
def test_agenda_and_graph_are_identical_across_runs(tmp_path_factory, files):
    vault = tmp_path_factory.mktemp("net")
    (vault / "infoint.yaml").write_text("timezone: America/New_York\n")
    for rel, content in files.items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text(content)
    for args in (
        ["agenda", "--all", "--json"],
        ["graph", "--format", "json"],
        ["graph"],
        ["stats", "--json"],
        ["agenda", "--format", "ics"],
    ):
        outputs = set()
        for environment in ({}, {"INFOINT_NO_CACHE": "1"}, {}):
            result = CliRunner().invoke(
                cli,
                ["--vault", str(vault), *args],
                env={"INFOINT_NOW": "2026-11-20T12:00", **environment},
            )
            assert result.exit_code == 0, result.stderr
            outputs.add(result.stdout)
        assert len(outputs) == 1, args
    graph = json.loads(
        CliRunner()
        .invoke(
            cli,
            ["--vault", str(vault), "graph", "--format", "json"],
            env={"INFOINT_NOW": NOW.isoformat()},
        )
        .stdout
    )
    assert graph["nodes"] == sorted(graph["nodes"], key=lambda node: node["id"])
