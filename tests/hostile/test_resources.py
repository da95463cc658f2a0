"""Resources a hostile input may not take: memory, time, output (SPEC 4.5, 4.11, 5).

No test here times anything. Each states a rule a user depends on and checks it by
counting or by bounding: a command run under a memory limit it cannot meet by reading a
huge file whole, the size of an output against the number of people drawn, how often
the vault is listed during an import.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from infoint_notes.cli import cli
from infoint_notes.core.config import Config
from infoint_notes.core.index import VaultIndex
from infoint_notes.core.model import Contact
from infoint_notes.core.notes import build_note
from infoint_notes.core.parse import parse_note
from infoint_notes.formats.graph_render import MAX_INDENT, render_tree
from infoint_notes.rules.agenda import build_agenda
from infoint_notes.rules.chains import ReferralChains, ThankedChains, referral_chains
from infoint_notes.rules.graph import Edge, Node, ReferralGraph
from infoint_notes.rules.validate import check_referral_cycles, validate
from infoint_notes.write.drafts import update_draft
from tests.conftest import NOW, write_vault

#: The address space a command gets in `run_bounded`: enough for Python, Click and a
#: small vault, far less than any file below read whole.
MEMORY_LIMIT = 256 * 1024 * 1024
HUGE = 2 * 1024 * 1024 * 1024  # sparse: costs no disk

_BOUNDED = textwrap.dedent(
    """
    import resource, sys
    limit = int(sys.argv.pop(1))
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from infoint_notes.cli import main
    main()
    """
)


def _clean_environment() -> dict[str, str]:
    """This process's environment without infoint's settings and without git's: run
    from a git hook or `git rebase --exec`, GIT_DIR would point every git command of a
    test (`git init`, `hook install`) at the repository being worked on."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("INFOINT_", "GIT_"))}


def run_bounded(vault: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`infoint --vault VAULT ARGS` in a process that cannot have more than
    MEMORY_LIMIT of memory; a hang (a FIFO opened for reading) fails the test."""
    env = _clean_environment()
    env["INFOINT_NOW"] = NOW
    return subprocess.run(
        [sys.executable, "-c", _BOUNDED, str(MEMORY_LIMIT), "--vault", str(vault), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def sparse(path: Path, size: int = HUGE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


def assert_one_line_usage_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


CONTACT = "---\ntype: contact\nname: Ada Lovelace\n---\n"
NOW_UTC = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)


# --- 1. sizes are checked before reading ---------------------------------------------


def test_a_huge_infoint_yaml_is_refused_without_being_read(tmp_path: Path) -> None:
    vault = write_vault(tmp_path / "v", {"contacts/ada.md": CONTACT})
    sparse(vault / "infoint.yaml")
    result = run_bounded(vault, "agenda")
    assert_one_line_usage_error(result, "infoint.yaml: file is larger than 1 MiB")


@pytest.mark.parametrize(
    ("template", "args"),
    [
        ("contact.md", ("new", "contact", "Grace Hopper")),
        ("message-request.md", ("draft", "request", "ada")),
    ],
)
def test_a_huge_template_is_refused_without_being_read(
    tmp_path: Path, template: str, args: tuple[str, ...]
) -> None:
    vault = write_vault(tmp_path / "v", {"contacts/ada.md": CONTACT})
    sparse(vault / "templates" / template)
    result = run_bounded(vault, *args)
    assert_one_line_usage_error(result, f"templates/{template}: file is larger than 1 MiB")


@pytest.mark.parametrize("kind", ["linkedin", "vcard", "json"])
def test_a_huge_import_file_is_refused_without_being_read(tmp_path: Path, kind: str) -> None:
    vault = write_vault(tmp_path / "v", {})
    huge = sparse(tmp_path / "huge.txt")
    result = run_bounded(vault, "import", kind, str(huge))
    assert_one_line_usage_error(result, "huge.txt: file is larger than 64 MiB")
    assert not (vault / "contacts").exists()


def test_import_refuses_a_device_a_fifo_and_a_folder_in_one_line(tmp_path: Path) -> None:
    vault = write_vault(tmp_path / "v", {})
    fifo = tmp_path / "connections.csv"
    os.mkfifo(fifo)
    folder = tmp_path / "export"
    folder.mkdir()
    for kind, path, why in (
        ("vcard", "/dev/zero", "not a regular file"),
        ("linkedin", str(fifo), "not a regular file"),
        ("json", str(folder), "is a folder"),
    ):
        result = run_bounded(vault, "import", kind, path)
        assert_one_line_usage_error(result, f"{path}: {why}")
    assert not (vault / "contacts").exists()


@pytest.mark.parametrize("plant", ["fifo", "huge"])
def test_a_planted_agenda_memo_is_ignored_not_read(tmp_path: Path, plant: str) -> None:
    """`.infoint/` may come with a shared vault: a FIFO there must not hang the agenda,
    a huge file must not be read whole; the agenda is computed instead."""
    vault = write_vault(tmp_path / "v", {"contacts/ada.md": CONTACT})
    memo = vault / ".infoint" / "agenda.memo"
    memo.parent.mkdir()
    if plant == "fifo":
        os.mkfifo(memo)
    else:
        sparse(memo)
    result = run_bounded(vault, "agenda", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _git(cwd: Path, *args: str) -> None:
    env = _clean_environment()
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@x")
    env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@x")
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@needs_git
def test_a_fifo_in_place_of_the_pre_commit_hook_is_not_opened_for_reading(
    tmp_path: Path,
) -> None:
    vault = write_vault(tmp_path / "v", {"contacts/ada.md": CONTACT})
    _git(vault, "init", "-q")
    hook = vault / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(hook)
    result = run_bounded(vault, "hook", "install")
    assert result.returncode == 1, result.stderr
    assert "is not infoint's" in result.stderr


# --- 2. referral chains: linear in the people, never recursive -----------------------


def in_memory_index(files: dict[str, str]) -> VaultIndex:
    """A VaultIndex straight from note texts (no files: thousands of notes, quickly)."""
    config = Config(timezone="UTC")
    notes = [build_note(parse_note(rel, text.encode()), config.zone) for rel, text in files.items()]
    return VaultIndex(Path("/nonexistent-vault"), config, notes)


def chain_files(size: int, loop: bool = False, extra: str = "") -> dict[str, str]:
    """c0 referred c1, c1 referred c2, ...; with `loop`, c(size-1) referred c0."""
    files = {}
    for i in range(size):
        referrer = i - 1 if i else (size - 1 if loop else None)
        line = f'referred_by: "[[c{referrer}]]"\n' if referrer is not None else ""
        files[f"contacts/c{i}.md"] = f"---\ntype: contact\nname: Person {i}\n{line}{extra}---\n"
    return files


def count_calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[int]:
    """Count calls of `owner.name` from now on (calls[0])."""
    calls = [0]
    real = getattr(owner, name)

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_the_referral_loop_check_follows_each_referral_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A chain of 3,000 people took `validate` 48 s (each contact walked its whole
    chain, checking each step against a list): now each `referred_by` is followed once."""
    size = 400
    index = in_memory_index(chain_files(size))
    calls = count_calls(monkeypatch, index, "referrer_of")
    assert check_referral_cycles(index) == []
    assert calls[0] <= 2 * size


def test_a_long_referral_loop_is_reported_in_linear_space() -> None:
    """Each of a loop's members gets its warning, naming the loop from them; a long
    loop is abridged, so 3,000 warnings do not each list 3,000 people."""
    size = 300
    found = check_referral_cycles(in_memory_index(chain_files(size, loop=True)))
    assert sorted(problem.path for problem in found) == sorted(chain_files(size))
    by_path = {problem.path: problem.message for problem in found}
    assert by_path["contacts/c7.md"] == (
        "referred_by goes round in a loop of 300 people: c7 -> c6 -> c5 -> c4 -> c3 -> "
        "... (292 more) -> c10 -> c9 -> c8 -> c7"
    )
    assert sum(len(problem.message) for problem in found) < 200 * size
    short = check_referral_cycles(in_memory_index(chain_files(3, loop=True)))
    assert {p.message for p in short} == {
        "referred_by goes round in a loop: c0 -> c2 -> c1 -> c0",
        "referred_by goes round in a loop: c1 -> c0 -> c2 -> c1",
        "referred_by goes round in a loop: c2 -> c1 -> c0 -> c2",
    }


def test_chains_of_100000_people_need_no_recursion() -> None:
    """Only `.path` and the referrer are used: plain objects make a huge chain cheap."""
    size = 100_000
    people = [SimpleNamespace(path=f"p{i}") for i in range(size)]

    def referrer(person: SimpleNamespace) -> SimpleNamespace | None:
        number = int(person.path[1:])
        return people[number - 1] if number else people[-1]

    chains = ReferralChains(people, referrer)  # type: ignore[arg-type]
    assert [len(loop) for loop in chains.loops] == [size]
    assert chains.length(people[5]) == size - 1
    assert chains.below(people[0], people[size // 2]) is people[1]
    open_chain = ReferralChains(
        people,
        lambda p: people[int(p.path[1:]) - 1] if p.path != "p0" else None,  # type: ignore[arg-type]
    )
    assert open_chain.loops == [] and open_chain.length(people[-1]) == size - 1
    assert open_chain.below(people[0], people[-1]) is people[1]


def _tree_of_chain(size: int) -> ReferralGraph:
    nodes = tuple(Node(f"p{i:06d}", f"Person {i}", "prospect", False) for i in range(size))
    edges = tuple(Edge(f"p{i:06d}", f"p{i + 1:06d}", None) for i in range(size - 1))
    return ReferralGraph(nodes, edges)


def test_drawing_a_long_chain_as_a_tree_is_linear_in_its_length() -> None:
    """Indenting every level made a 20,000-person chain 800 MB; past MAX_INDENT levels
    the tree keeps its indentation and writes each person's depth instead."""
    size = 5_000
    text = "".join(f"{line}\n" for line in render_tree(_tree_of_chain(size)))
    lines = text.splitlines()
    assert len(lines) == size
    assert len(text) < 200 * size
    facts = " · pending referral, no note yet"
    assert lines[MAX_INDENT] == " " * 4 * (MAX_INDENT - 1) + f"└── Person 16{facts}"
    assert lines[MAX_INDENT + 1] == " " * 4 * MAX_INDENT + f"└── [depth 17] Person 17{facts}"
    assert lines[-1] == " " * 4 * MAX_INDENT + f"└── [depth 4999] Person 4999{facts}"


def test_finding_where_to_start_drawing_walks_each_person_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Many small loops that all referred into one long loop: nobody outside refers into
    any of them, so each needs a start; the long loop must not be walked once per start."""
    loops, size = 200, 1_000
    nodes = [Node(f"z{i:05d}", f"Z {i}", "prospect", False) for i in range(size)]
    edges = [Edge(f"z{i:05d}", f"z{(i + 1) % size:05d}", None) for i in range(size)]
    for n in range(loops):
        a, b = f"a{n:04d}", f"b{n:04d}"
        nodes += [Node(a, f"A {n}", "prospect", False), Node(b, f"B {n}", "prospect", False)]
        edges += [Edge(a, b, None), Edge(b, a, None), Edge(a, "z00000", None)]
    graph = ReferralGraph(
        tuple(sorted(nodes, key=lambda n: n.id)),
        tuple(sorted(edges, key=lambda e: (e.source, e.target))),
    )
    calls = count_calls(monkeypatch, ReferralGraph, "children")
    starts = graph.drawing_order()
    assert len(starts) == loops
    assert calls[0] <= 2 * len(nodes)


MILESTONE = (
    '---\ntype: milestone\ndate: 2026-05-01\nsummary: Step {n}\nthanks: ["[[c{who}]]"]\n---\n'
)


def _milestone_vault(size: int, milestones: int) -> dict[str, str]:
    files = chain_files(size)
    for n in range(milestones):
        files[f"milestones/m{n}.md"] = MILESTONE.format(n=n, who=size - 1 - n)
    files["interviews/i0.md"] = (
        '---\ntype: interview\ncontact: "[[c0]]"\ndate: 2026-04-01\n'
        "thank_you_sent: 2026-04-01\n---\n"
    )
    return files


def test_share_news_does_not_walk_a_chain_per_milestone(monkeypatch: pytest.MonkeyPatch) -> None:
    """200 milestones thanking people at the end of a 20,000-person chain took the
    agenda 10 s: each milestone walked the chain. Now the chains are numbered once."""
    size, milestones = 300, 40
    index = in_memory_index(_milestone_vault(size, milestones))
    calls = count_calls(monkeypatch, index, "referrer_of")
    items = [i for i in build_agenda(index, NOW_UTC) if i.kind == "share-news"]
    assert len(items) == milestones
    assert all("they helped: they referred you to Person 1" in item.text for item in items)
    assert calls[0] <= 4 * size


def test_an_update_draft_does_not_walk_a_chain_per_milestone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    size, milestones = 300, 40
    index = in_memory_index(_milestone_vault(size, milestones))
    calls = count_calls(monkeypatch, index, "referrer_of")
    draft = update_draft(index, index.resolve_contact("c0"), NOW_UTC)  # type: ignore[arg-type]
    assert draft.text().count("thanks in part to you") == milestones
    assert calls[0] <= 4 * size


def _walked_helpers(index: VaultIndex, thanked: list[Contact]) -> dict[str, str]:
    """What the agenda said before chains were numbered: walk each thanked chain."""
    helped: dict[str, str] = {}
    for person in thanked:
        helped[person.path] = "they helped make it possible"
        below = person
        for above in index.referral_chain(person):
            helped.setdefault(above.path, f"they helped: they referred you to {below.title}")
            below = above
    return helped


@settings(max_examples=200, deadline=None)
@given(
    referrers=st.lists(st.integers(-1, 11), min_size=1, max_size=12),
    thanks=st.lists(st.integers(0, 11), max_size=6),
)
def test_numbered_chains_say_what_walking_the_chains_says(
    referrers: list[int], thanks: list[int]
) -> None:
    """Any referral forest with loops and self-referrals, any thanks (repeats too)."""
    size = len(referrers)
    files = {}
    for i, referrer in enumerate(referrers):
        link = f'referred_by: "[[c{referrer}]]"\n' if 0 <= referrer < size else ""
        files[f"contacts/c{i}.md"] = f"---\ntype: contact\nname: Person {i}\n{link}---\n"
    index = in_memory_index(files)
    by_id = {contact.id: contact for contact in index.contacts}
    thanked = [by_id[f"c{n}"] for n in thanks if n < size]
    expected = _walked_helpers(index, thanked)
    for budget in (None, 0):  # walked, and numbered
        chains = ThankedChains(
            thanked, index.referrer_of, lambda: referral_chains(index), budget=budget
        )
        for contact in index.contacts:
            assert referral_chains(index).length(contact) == len(index.referral_chain(contact))
            if chains.is_thanked(contact):
                got = "they helped make it possible"
            else:
                below = chains.first_below(contact)
                got = f"they helped: they referred you to {below.title}" if below else None
            assert got == expected.get(contact.path), (budget, contact.path)
    numbered = [sorted(c.path for c in loop) for loop in referral_chains(index).loops]
    assert sorted(numbered) == sorted(_walked_loops(index))


def _walked_loops(index: VaultIndex) -> list[list[str]]:
    """Each loop, found the slow way: a chain whose last person names its first."""
    loops = set()
    for contact in index.contacts:
        chain = index.referral_chain(contact)
        if index.referrer_of(chain[-1] if chain else contact) is contact:
            loops.add(tuple(sorted([contact.path, *(c.path for c in chain)])))
    return [list(loop) for loop in loops]


# --- 3. an import costs the same per row whatever the vault --------------------------


def test_import_lists_the_vault_and_builds_its_names_once_not_per_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """500 rows took 14 s into an 8,000-note vault against 2.6 s into an empty one: each
    row listed `contacts/` and rebuilt the set of every id. Now once per import."""
    from infoint_notes.write import create

    notes, rows = 150, 60
    files = {
        f"contacts/p{i}.md": f"---\ntype: contact\nname: Kept {i}\n---\n" for i in range(notes)
    }
    vault = write_vault(tmp_path / "v", files)
    csv = tmp_path / "Connections.csv"
    people = "".join(f"New{i},Person,,,,,15 Jan 2024\n" for i in range(rows))
    csv.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + people
    )
    listings = count_calls(monkeypatch, create.os, "listdir")
    keys = count_calls(monkeypatch, create, "normalise_key")
    result = CliRunner().invoke(
        cli, ["--vault", str(vault), "import", "linkedin", str(csv), "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.count("would create contacts/new") == rows
    assert listings[0] == 1
    assert keys[0] <= 2 * notes + rows


# --- 4. a link at any depth is a link ------------------------------------------------


def _nested(kind: str, depth: int, text: str) -> str:
    """`text` `depth` levels deep in block quotes or list items, on one line or (for
    `indent`) as a list indented one level per line."""
    if kind == "quote":
        return "> " * depth + text + "\n"
    if kind == "list":
        return "- " * depth + text + "\n"
    if kind == "ordered":
        return "1. " * depth + text + "\n"
    return (
        "".join("  " * level + "- level\n" for level in range(depth)) + "  " * depth + f"- {text}\n"
    )


@pytest.mark.parametrize("kind", ["quote", "list", "ordered", "indent"])
@pytest.mark.parametrize("depth", [25, 100])
def test_a_link_deeper_than_markdown_it_nests_is_still_a_link(
    tmp_path: Path, kind: str, depth: int
) -> None:
    """markdown-it stops at 20 levels (ten nested lists) and leaves the rest out: the
    link had no backlink and, broken, no `broken-link`."""
    body = _nested(kind, depth, "met through [[ada]] and [[nobody]], not `[[in-code]]`")
    vault = write_vault(tmp_path / "v", {"contacts/ada.md": CONTACT, "notes/deep.md": body})
    runner = CliRunner()
    links = runner.invoke(cli, ["--vault", str(vault), "links", "ada", "--json"])
    assert links.exit_code == 0, links.output
    backlinks = json.loads(links.stdout)["backlinks"]
    line = body.count("\n")
    column = body.splitlines()[-1].index("[[ada]]") + 1
    assert [(b["path"], b["line"], b["column"]) for b in backlinks] == [
        ("notes/deep.md", line, column)
    ]
    checked = runner.invoke(cli, ["--vault", str(vault), "validate", "--format", "json"])
    problems = [(p["path"], p["line"], p["code"], p["message"]) for p in json.loads(checked.stdout)]
    assert problems == [("notes/deep.md", line, "broken-link", "[[nobody]] points to no note")]


@pytest.mark.parametrize("kind", ["quote", "list", "ordered"])
def test_ten_thousand_levels_are_read_in_one_pass_more_at_most(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hostile note nested 10,000 levels deep: no recursion error, the link found,
    and markdown-it reads each line at most twice (the second time without its markers)."""
    from markdown_it import MarkdownIt

    body = _nested(kind, 10_000, "see [[ada]]") + "after [[grace]]\n"
    parsed: list[int] = []
    real = MarkdownIt.parse

    def counting(self, src, env=None):  # type: ignore[no-untyped-def]
        parsed.append(len(src))
        return real(self, src, env)

    monkeypatch.setattr(MarkdownIt, "parse", counting)
    note = parse_note("deep.md", body.encode())
    assert [(link.target, link.line) for link in note.body.links] == [("ada", 1), ("grace", 2)]
    assert sum(parsed) <= 2 * len(body)


def test_a_list_nested_as_deep_as_a_note_can_hold_is_still_read() -> None:
    """Indented one level per line, a 1 MiB note holds about 1,000 levels."""
    depth = 1_000
    body = _nested("indent", depth, "see [[ada]]").encode()
    assert len(body) < 1024 * 1024
    note = parse_note("deep.md", body)
    assert [(link.target, link.line) for link in note.body.links] == [("ada", depth + 1)]


_MARKDOWN_LINE = st.sampled_from(
    [
        "text [[a]]",
        "[[b|label]] and `[[code]]`",
        "```",
        "~~~",
        "`` [[in]] ``",
        "",
        "plain",
        "# heading [[h]]",
        "* [[c]]",
        "1. [[d]]",
        "<div>[[html]]</div>",
        "[[e]] `open",
        "close` [[f]]",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_MARKDOWN_LINE, min_size=1, max_size=8),
    st.sampled_from(["> ", "- ", "1. ", "> - "]),
    st.integers(min_value=12, max_value=40),
)
def test_deep_links_are_what_markdown_it_finds_without_a_nesting_limit(
    lines: list[str], marker: str, depth: int
) -> None:
    """Within `depth` levels of one container kind, every line carrying the markers
    (so no lazy continuation), the links equal markdown-it's with no limit. The one
    thing deep lines are not read for: whether a line opening with a list marker inside
    a fenced or HTML block belongs to it (deep down it starts a new item), so that mix
    is left out."""
    from markdown_it import MarkdownIt

    blocks = any(line in ("```", "~~~") or line.startswith("<") for line in lines)
    assume(not (blocks and any(line.startswith(("* ", "1. ")) for line in lines)))

    from infoint_notes.core import body

    deep = [marker * depth + line for line in lines]
    unlimited = MarkdownIt("commonmark", {"maxNesting": 10_000})
    unlimited.inline.ruler.before("link", "wikilink", body._wikilink_rule)
    expected = [
        (link.target, link.line, link.column)
        for token in unlimited.parse("\n".join(deep))
        if token.type == "inline"
        for link in body._inline_links(token, deep, 1)
    ]
    found = body.scan_markdown(deep, 1).links
    assert [(link.target, link.line, link.column) for link in found] == expected


# --- and elsewhere: messages that named every other note -------------------------------


def test_many_notes_sharing_a_name_give_messages_linear_in_their_number() -> None:
    """2,000 contacts called `x.md`, each linking [[x]], made `validate` print 92 MB:
    every duplicate-id and ambiguous-link named all 2,000. Five are named, the rest
    counted. (The links are written in another folder, where nothing tells the
    namesakes apart: from one of theirs, [[x]] means the note beside it.)"""
    size = 300
    files = {f"f{i:03d}/x.md": f"---\ntype: contact\nname: X {i}\n---\n" for i in range(size)}
    files.update({f"links/n{i:03d}.md": "see [[x]]\n" for i in range(size)})
    found = validate(in_memory_index(files), NOW_UTC)
    codes = sorted({problem.code for problem in found})
    assert codes == ["ambiguous-link", "duplicate-id"]
    assert len(found) == 2 * size
    assert sum(len(problem.message) for problem in found) < 300 * len(found)
    first = next(p for p in found if p.path == "f000/x.md" and p.code == "duplicate-id")
    assert first.message == (
        "file name 'x' is also used by f001/x.md, f002/x.md, f003/x.md, f004/x.md, "
        "f005/x.md and 294 more; rename one (a link by that name may mean either; this "
        "note's id is 'f000/x')"
    )


def test_resolving_a_link_costs_the_same_however_many_notes_it_matches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """10,000 contacts called `x`, each `referred_by: [[x]]` and linking [[x]], took
    `validate` 18 s: every lookup copied the list of all 10,000 matches."""
    size = 300
    files = {
        f"f{i:03d}/x.md": f'---\ntype: contact\nname: X {i}\nreferred_by: "[[x]]"\n---\n[[x]]\n'
        for i in range(size)
    }
    index = in_memory_index(files)
    hashed = [0]

    def counted(note: object) -> int:
        hashed[0] += 1
        return id(note)

    monkeypatch.setattr(Contact, "__hash__", counted)
    validate(index, NOW_UTC)
    assert hashed[0] <= 20 * size


def test_organizations_sharing_a_name_are_indexed_in_linear_time() -> None:
    """10,000 organization notes called Contoso took 1.5 s per lookup table (each was
    searched for among all namesakes so far), built once by graph, orgs and validate."""
    from infoint_notes.core.organizations import OrganizationLookup

    compared = [0]

    class Org(SimpleNamespace):
        def __eq__(self, other: object) -> bool:
            compared[0] += 1
            return self is other

        __hash__ = object.__hash__

    size = 400
    orgs = [Org(id=f"o{i}", name="Contoso", aliases=("contoso", f"O{i}")) for i in range(size)]
    lookup = OrganizationLookup(SimpleNamespace(organizations=orgs))  # type: ignore[arg-type]
    assert lookup.by_key["contoso"] == orgs
    assert all(lookup.by_key[f"o{i}"] == [orgs[i]] for i in range(size))
    assert compared[0] <= 4 * size


def test_backlinks_to_a_note_with_many_namesakes_take_linear_memory() -> None:
    """10,000 contacts called `x`, each linking [[x]] twice: `links f0/x` took 22 s,
    building for every link in the vault the list of all 10,000 paths it could mean."""
    import tracemalloc

    from infoint_notes.rules.note_links import backlinks

    size = 300
    files = {f"f{i:03d}/x.md": f"---\ntype: contact\nname: X {i}\n---\n" for i in range(size)}
    files.update(
        {
            f"links/n{i:03d}.md": f'---\ntype: contact\nname: N {i}\nreferred_by: "[[x]]"\n'
            "---\n[[x]]\n"
            for i in range(size)
        }
    )
    index = in_memory_index(files)
    note = index.by_path["f000/x.md"]
    tracemalloc.start()
    try:
        found = backlinks(index, note)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(found) == 2 * size
    assert all(use.status == "ambiguous" and len(use.to) == size for use in found[:3])
    assert peak < 1_000 * len(found)


class _CountingList(list):  # type: ignore[type-arg]
    """A list that counts the items its slices copy."""

    copied = 0

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        found = super().__getitem__(index)
        if isinstance(index, slice):
            _CountingList.copied += len(found)
        return found


def test_finding_the_reflection_section_looks_at_each_heading_once() -> None:
    """A 1 MiB note of 70,000 `## Reflection` lines took 18 s to scan: each heading
    copied every heading after it to find where its section ends."""
    from infoint_notes.core.sections import reflection_written

    size = 2_000
    lines = ["## Reflection"] * size + ["written"]
    headings = _CountingList((2, "Reflection", line) for line in range(1, size + 1))
    _CountingList.copied = 0
    assert reflection_written(lines, headings, 1) is True
    assert _CountingList.copied <= size


class _ScannedText(str):
    """A string that counts the characters its searches and slices go over."""

    scanned = 0

    def count(self, sub, start=0, end=None):  # type: ignore[no-untyped-def, override]
        _ScannedText.scanned += (len(self) if end is None else end) - start
        return super().count(sub, start, end)

    def find(self, sub, start=0, end=None):  # type: ignore[no-untyped-def, override]
        found = super().find(sub, start, end)
        _ScannedText.scanned += (found if found >= 0 else len(self)) - start
        return found

    def rfind(self, sub, start=0, end=None):  # type: ignore[no-untyped-def, override]
        found = super().rfind(sub, start, end)
        _ScannedText.scanned += (len(self) if end is None else end) - max(found, start)
        return found

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        found = super().__getitem__(index)
        _ScannedText.scanned += len(found)
        return found


@pytest.mark.parametrize("shape", ["lines", "one-line"])
def test_placing_links_goes_over_a_paragraph_once(shape: str) -> None:
    """A 1 MiB note of `> a [[x]]` lines (one paragraph) took 14 s: each link counted
    the lines from the paragraph's start, and searched its whole line for itself."""
    from infoint_notes.core.body import _inline_links

    count = 2_000
    unit = "a [[x]]" + ("\n" if shape == "lines" else " ")
    src = unit * count
    lines = src.split("\n") if shape == "lines" else [src]
    children = [
        SimpleNamespace(type="wikilink", meta={"offset": n * len(unit) + 2}, content="[[x]]")
        for n in range(count)
    ]
    token = SimpleNamespace(map=[0, len(lines)], content=_ScannedText(src), children=children)
    _ScannedText.scanned = 0
    found = _inline_links(token, lines, 1)
    assert len(found) == count
    assert found[-1].line == (count if shape == "lines" else 1)
    assert _ScannedText.scanned <= 4 * len(src)


class _CountingSpans(list):  # type: ignore[type-arg]
    """Code spans that count how often they are looked at."""

    looked = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        for span in super().__iter__():
            _CountingSpans.looked += 1
            yield span

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        _CountingSpans.looked += 1
        return super().__getitem__(index)


def test_a_line_of_links_and_code_spans_is_read_in_one_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One 1 MB line of "`[[a]]` [[b]] ``c``" took 389 s: each link was checked against
    every code span of the line."""
    from infoint_notes.speed import linescan

    real = linescan._code_spans
    monkeypatch.setattr(linescan, "_code_spans", lambda line: _CountingSpans(real(line) or []))
    count = 1_000
    line = "`[[a]]` [[b]] ``c`` " * count
    _CountingSpans.looked = 0
    found = linescan.scan_body([line], 1)
    assert [link.target for link in found.links] == ["b"] * count
    assert _CountingSpans.looked <= 8 * count


def test_a_note_swapped_for_a_fifo_or_a_huge_file_before_a_write_is_not_read(
    tmp_path: Path,
) -> None:
    """Between the index and the write (`log`, `validate --fix`) an editor or another
    program may put something else at the note's path: a FIFO hung the writer's read;
    a file larger than a note may be was read whole before the write was refused."""
    from infoint_notes.core.errors import WriteRefused
    from infoint_notes.write.atomic import read_snapshot

    vault = write_vault(tmp_path / "v", {})
    fifo = vault / "fifo.md"
    os.mkfifo(fifo)
    with pytest.raises(WriteRefused, match=r"fifo\.md is not a regular file; not writing"):
        read_snapshot(fifo, vault)
    big = vault / "big.md"
    big.write_bytes(b"---\ntype: contact\n---\n" + b"x" * (3 * 1024 * 1024))
    with pytest.raises(
        WriteRefused, match=r"big\.md is larger than a note may be \(1 MiB\); not writing"
    ):
        read_snapshot(big, vault)
