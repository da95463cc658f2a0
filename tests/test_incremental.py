"""The law of the incremental cache (issue 19): after any sequence of edits, additions,
deletions, renames and config changes, each command run with `.infoint/` (which brings
its memo and records up to date, and after an edit recomputes only the units the edit
touches) answers exactly as a run that reads every note afresh."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infoint_notes.cli import cli
from infoint_notes.commands.quick import quick_agenda
from infoint_notes.speed import incremental, validate_memo

NOW = "2026-11-20T12:00"
#: Each example builds a vault and runs the commands a few times: slow, and the fixtures
#: (a temporary folder factory, a spy) are meant to be shared by the examples.
LAW = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: The commands whose answers must not depend on the cache.
COMMANDS = (
    ("agenda", "--json", "--all"),
    ("validate", "--format", "json"),
    ("graph", "--format", "json"),
)

NAMES = ("Ana Lima", "Ben Okafor", "Cara Diaz", "Ana Lima", "Dan Wu")
ORGS = ("Contoso", "Northwind", "[[o0]]", "[[o1]]", "Fabrikam", "Fabrikam, Inc.", "contoso ltd")
EMAILS = ("ana@example.org", "ben@example.org")
DAYS = ("2026-11-10", "2026-11-18", "2026-11-19T09:30", "2026-11-21T15:00", "2026-12-01")


@st.composite
def contact_text(draw: st.DrawFn, number: int) -> str:
    # Mostly the name the contact had (an edit that keeps how links resolve).
    name = NAMES[number % len(NAMES)] if draw(st.integers(0, 4)) else draw(st.sampled_from(NAMES))
    fields = [f"name: {name}"]
    if draw(st.integers(0, 3)):
        fields.append(f"organization: {draw(st.sampled_from(ORGS))!r}")
    if draw(st.booleans()):
        fields.append(f"requested: {draw(st.sampled_from(DAYS))}")
        fields.append(f"request_via: {draw(st.sampled_from(['email', 'phone', 'linkedin']))}")
        if draw(st.integers(0, 3)) == 0:
            fields.append("responded: 2026-11-19")
    if draw(st.booleans()):
        fields.append(f"source: {draw(st.sampled_from(['alumni', 'linkedin']))}")
    if draw(st.booleans()):
        fields.append(f"updates: [{draw(st.sampled_from(DAYS))}]")
    if draw(st.integers(0, 2)) == 0:
        fields.append(f"email: {draw(st.sampled_from(EMAILS))}")
    if draw(st.booleans()):
        fields.append(f'referred_by: "[[c{draw(st.integers(0, 5))}]]"')
    if draw(st.integers(0, 4)) == 0:
        fields.append("status: inactive")
    if draw(st.integers(0, 4)) == 0:
        fields.append(f"aliases: [{draw(st.sampled_from(['Bee', 'Cee', 'Ghost']))}]")
    return "---\ntype: contact\n" + "\n".join(fields) + "\n---\n"


@st.composite
def interview_text(draw: st.DrawFn) -> str:
    person = draw(st.sampled_from(["[[c0]]", "[[c1]]", "[[c2]]", "[[c3]]", "[[ghost]]", "Ben"]))
    fields = [f"contact: {person!r}", f"date: {draw(st.sampled_from(DAYS))}"]
    status = draw(st.sampled_from([None, None, "planned", "done", "cancelled"]))
    if status:
        fields.append(f"status: {status}")
    if draw(st.booleans()):
        fields.append(f"duration: {draw(st.integers(5, 90))}")
    if draw(st.booleans()):
        fields.append("thank_you_sent: 2026-11-19")
    if draw(st.booleans()):
        named = draw(
            st.lists(st.sampled_from(['"[[c1]]"', '"[[c4]]"', "New Person", "Ghost"]), max_size=3)
        )
        fields.append(f"referrals: [{', '.join(named)}]")
    fields.append(f"questions: [{', '.join(['Why?'] * draw(st.integers(0, 4)))}]")
    body = "## Preparation\n- [ ] read up\n" if draw(st.booleans()) else ""
    body += "## Reflection\nLearned a lot.\n" if draw(st.booleans()) else ""
    body += "Met through [[c2]].\n" if draw(st.booleans()) else ""
    return "---\ntype: interview\n" + "\n".join(fields) + "\n---\n" + body


@st.composite
def milestone_text(draw: st.DrawFn) -> str:
    thanks = ", ".join(f'"[[c{n}]]"' for n in draw(st.lists(st.integers(0, 5), max_size=2)))
    day = draw(st.sampled_from(DAYS))
    return f"---\ntype: milestone\ndate: {day}\nsummary: Step\nthanks: [{thanks}]\n---\n"


@st.composite
def organization_text(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(["Contoso", "Northwind", "Fabrikam Inc"]))
    return f"---\ntype: organization\nname: {name}\n---\nA company.\n"


#: Where each kind of note lives (a rename moves a note to the other folder).
FOLDERS = {"c": ("contacts", "people"), "i": ("interviews", "talks"), "m": ("milestones",)}

CONFIGS = (
    "timezone: America/New_York\n",
    "timezone: America/New_York\nprepare_days: 1\nreferral_contact_days: 2\n",
    "timezone: Europe/Berlin\n",
    'timezone: America/New_York\nexclude: ["talks"]\n',
    "timezone: America/New_York\nbusiness_days: true\nanother_contact_days: 2\n",
)


#: Body edits: prose (no fact changes), then facts the body holds (a task, a link, a
#: reflection, a heading), at the end or before the last line.
PROSE = (
    ("end", "\nWe talked about the team.\n"),
    ("before", "Another line of notes.\n"),
    ("end", "\n## Preparation\n\n- [ ] read the annual report\n"),
    ("before", "- [x] done already\n"),
    ("end", "\nSee [[c3]].\n"),
    ("end", "\n## Reflection\n\nI learned a lot.\n"),
)


#: The contacts whose referrer or email a swap changes (all have one at the start).
SWAPPED = st.sampled_from([("c", 1), ("c", 5), ("c", 6), ("c", 7)])


def operations() -> st.SearchStrategy[tuple]:
    note = st.sampled_from(["c", "c", "i", "m", "o", "n"]).flatmap(
        lambda kind: st.tuples(st.just(kind), st.integers(0, 7 if kind == "c" else 5))
    )
    texts = {
        "i": interview_text(),
        "m": milestone_text(),
        "o": organization_text(),
        "n": st.just("Plain note linking [[c0]] and [[o0]].\n"),
    }

    def text(which: tuple[str, int]) -> st.SearchStrategy[str]:
        return contact_text(which[1]) if which[0] == "c" else texts[which[0]]

    write = note.flatmap(lambda which: st.tuples(st.just("write"), st.just(which), text(which)))
    return st.one_of(
        write,
        write,
        write,
        st.tuples(st.just("delete"), note),
        st.tuples(st.just("rename"), note),
        st.tuples(st.just("config"), st.sampled_from(CONFIGS)),
        st.tuples(st.just("young"), note),
        st.tuples(st.just("prose"), note, st.sampled_from(PROSE)),
        st.tuples(st.just("swap"), SWAPPED, st.integers(0, 5)),
        st.tuples(st.just("swap"), SWAPPED, st.integers(0, 5)),
    )


class Vault:
    """The notes on disk, each written an hour ago at a distinct second (settled, and
    never two versions of a file with the same stamps) unless asked otherwise."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.where: dict[tuple[str, int], str] = {}
        self.clock = time.time() - 3600
        root.mkdir()
        self.config(CONFIGS[0])

    def _stamp(self, path: Path) -> None:
        self.clock += 1
        os.utime(path, (self.clock, self.clock))

    def config(self, text: str) -> None:
        path = self.root / "infoint.yaml"
        path.write_text(text, encoding="utf-8")
        self._stamp(path)

    def path(self, which: tuple[str, int]) -> str:
        kind, number = which
        folder = FOLDERS.get(kind, ("organizations",) if kind == "o" else ("notes",))[0]
        return self.where.setdefault(which, f"{folder}/{kind}{number}.md")

    def write(self, which: tuple[str, int], text: str, settled: bool = True) -> None:
        path = self.root / self.path(which)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if settled:
            self._stamp(path)

    def delete(self, which: tuple[str, int]) -> None:
        if which in self.where:
            (self.root / self.where.pop(which)).unlink(missing_ok=True)

    def rename(self, which: tuple[str, int]) -> None:
        if which not in self.where or not (self.root / self.where[which]).exists():
            return
        folders = FOLDERS.get(which[0], ())
        old = self.where[which]
        folder = old.split("/")[0]
        if len(folders) == 2:
            other = folders[1] if folder == folders[0] else folders[0]
            new = f"{other}/{old.split('/', 1)[1]}"
        else:
            new = old.replace(".md", "-x.md")
        (self.root / new).parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.root / old, self.root / new)
        self.where[which] = new

    def arrive(self, action: str, which: tuple[str, int], path: str, text: str = "") -> None:
        """A note written at a path of our choosing (settled, or just now), a binary
        file with a note's name, or a note moved to such a path; nothing if the path is
        taken (or the note to move is not there)."""
        if (self.root / path).exists() or (action == "move") != (which in self.where):
            return
        if action == "move":
            (self.root / path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.root / self.where[which], self.root / path)
            self.where[which] = path
        elif action == "binary":
            self.where[which] = path
            (self.root / path).parent.mkdir(parents=True, exist_ok=True)
            (self.root / path).write_bytes(b"---\ntype: contact\nname: Zed\n---\n\xff\x00")
            self._stamp(self.root / path)
        else:
            self.where[which] = path
            self.write(which, text, settled=action == "new")

    def apply(self, operation: tuple) -> None:
        action, *args = operation
        if action in ("new", "new young", "binary", "move"):
            self.arrive(action, *args)
        elif action == "write":
            self.write(*args)
        elif action == "delete":
            self.delete(args[0])
        elif action == "rename":
            self.rename(args[0])
        elif action == "config":
            self.config(args[0])
        elif action == "prose" and args[0] in self.where:
            # Text written into the body (a remembered answer may be kept through it).
            path = self.root / self.where[args[0]]
            if path.exists():
                lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
                at = len(lines) if args[1][0] == "end" else max(len(lines) - 1, 0)
                lines.insert(at, args[1][1])
                path.write_text("".join(lines), encoding="utf-8")
                self._stamp(path)
        elif action == "swap" and args[0] in self.where:
            # Whom a contact was referred by, or its email, changed in place: the
            # note's lines stay where they were.
            path = self.root / self.where[args[0]]
            if path.exists():
                text = path.read_text(encoding="utf-8")
                text = re.sub(r"\[\[c\d\]\]\"\n", f'[[c{args[1]}]]"\n', text, count=1)
                text = re.sub(r"email: \S+", f"email: {EMAILS[args[1] % 2]}", text)
                path.write_text(text, encoding="utf-8")
                self._stamp(path)
        elif action == "shift" and args[0] in self.where:
            # A field added on top of the front matter: the others one line lower.
            path = self.root / self.where[args[0]]
            if path.exists():
                path.write_text(
                    path.read_text(encoding="utf-8").replace("---\n", "---\ntags: [x]\n", 1),
                    encoding="utf-8",
                )
                self._stamp(path)
        elif action == "young" and args[0] in self.where:
            # Rewritten just now (racy: may change again unseen within its tick).
            path = self.root / self.where[args[0]]
            if path.exists():
                path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def answers(root: Path, cached: bool) -> list[tuple[int, str]]:
    runner = CliRunner()
    env = {"INFOINT_NOW": NOW, "INFOINT_NO_CACHE": "" if cached else "1"}
    found = []
    for command in COMMANDS:
        result = runner.invoke(cli, ["--vault", str(root), *command], env=env)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        found.append((result.exit_code, result.stdout))
    if cached:  # the console script answers `agenda --json` before Click: the same
        found[0] = quick_answer(root, ["agenda", "--json", "--all"], env)
    return found


def quick_answer(root: Path, command: list[str], env: dict[str, str]) -> tuple[int, str]:
    """What the console script prints for `command` (answered by `quick`), twice: the
    second run is answered by what the first remembered, and must say the same."""
    printed = []
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        for _ in range(2):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                status = quick_agenda(["--vault", str(root), *command])
            assert status is not None, "quick left a JSON agenda to Click"
            printed.append((status, out.getvalue()))
    assert printed[0] == printed[1]
    return printed[0]


def _spied(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[bool]:
    """Whether each call of `module.name` answered (True) or gave up (None: False)."""
    seen: list[bool] = []
    real = getattr(module, name)

    def spy(*args, **kwargs):
        found = real(*args, **kwargs)
        seen.append(found is not None)
        return found

    monkeypatch.setattr(module, name, spy)
    return seen


@pytest.fixture
def updates(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each run that tried to update the memo after an edit did so."""
    return _spied(monkeypatch, incremental, "update_agenda")


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each `validate` that tried to check only the notes changed since the
    last one did so (True), or checked every note (False)."""
    return _spied(monkeypatch, validate_memo, "_updated")


STARTS = [
    ("write", ("c", 0), "---\ntype: contact\nname: Ana Lima\nrequested: 2026-11-10\n---\n"),
    ("write", ("c", 1), '---\ntype: contact\nname: Ben Okafor\nreferred_by: "[[c0]]"\n---\n'),
    ("write", ("c", 4), "---\ntype: contact\nname: Eve Stone\norganization: Contoso\n---\n"),
    ("write", ("i", 0), '---\ntype: interview\ncontact: "[[c1]]"\ndate: 2026-11-18\n---\n'),
    (
        "write",
        ("i", 1),
        '---\ntype: interview\ncontact: "[[c0]]"\ndate: 2026-11-10\nreferrals: ["[[c4]]", '
        "Ghost]\n---\n",
    ),
    ("write", ("m", 0), '---\ntype: milestone\ndate: 2026-11-19\nthanks: ["[[c1]]"]\n---\n'),
    ("write", ("c", 2), "---\ntype: contact\nname: Cara Diaz\norganization: '[[o0]]'\n---\n"),
    ("write", ("c", 3), "---\ntype: contact\nname: Dan Wu\norganization: Contoso\n---\n"),
    (
        "write",
        ("c", 5),
        "---\ntype: contact\nname: Fay Li\nrequested: 2026-11-01\nemail: ana@example.org\n---\n",
    ),
    ("write", ("i", 2), '---\ntype: interview\ncontact: "[[c2]]"\ndate: 2026-11-21T15:00\n---\n'),
    ("write", ("i", 3), '---\ntype: interview\ncontact: "[[c3]]"\ndate: 2026-11-18\n---\n'),
    ("write", ("i", 4), '---\ntype: interview\ncontact: "[[ghost]]"\ndate: 2026-11-19\n---\n'),
    ("write", ("i", 5), '---\ntype: interview\ncontact: "[[c5]]"\ndate: 2026-11-10\n---\n'),
    ("write", ("o", 0), "---\ntype: organization\nname: Northwind\n---\n"),
    (
        "write",
        ("c", 6),
        "---\ntype: contact\nname: Gil Ortiz\norganization: Contoso\nrequested: 2026-11-10\n"
        'request_via: email\nreferred_by: "[[c7]]"\n---\n',
    ),
    # Hana and Fay share an email, Gil and Hana referred each other (a swap changes it).
    (
        "write",
        ("c", 7),
        "---\ntype: contact\nname: Hana Ito\norganization: Contoso Ltd\n"
        'email: ana@example.org\nreferred_by: "[[c6]]"\n---\n',
    ),
    ("write", ("n", 0), "Plain note linking [[c0]].\n"),
]


@settings(LAW, max_examples=40)
@given(st.lists(operations(), min_size=1, max_size=7))
def test_cached_answers_equal_fresh_ones_after_any_changes(
    tmp_path_factory, updates, checks, steps
):
    assert_cached_is_fresh(tmp_path_factory, steps)


@settings(LAW, max_examples=15)
@given(st.lists(operations(), min_size=1, max_size=7))
def test_cached_answers_equal_fresh_ones_with_every_delta_folded(
    tmp_path_factory, monkeypatch, steps
):
    """The same, the delta folded into the memo as soon as it holds a few items."""
    monkeypatch.setattr(incremental, "DELTA_ITEMS", 0)
    assert_cached_is_fresh(tmp_path_factory, steps)


#: Edits that change no value other notes' diagnostics read (a link written in the body,
#: a field added on top, moving the others down) and edits that change one in place.
IN_PLACE = st.one_of(
    st.tuples(st.just("swap"), SWAPPED, st.integers(0, 5)),
    st.tuples(st.just("prose"), SWAPPED, st.just(("end", "\nAsk [[nobody]], [[c3]].\n"))),
    st.tuples(st.just("shift"), SWAPPED),
)


@settings(LAW, max_examples=20)
@given(st.lists(IN_PLACE, min_size=1, max_size=5))
def test_cached_answers_equal_fresh_ones_after_edits_of_one_note(tmp_path_factory, checks, steps):
    """The same, after edits `validate` may answer by checking the edited notes alone,
    and edits that look like them but change what other notes' diagnostics read."""
    assert_cached_is_fresh(tmp_path_factory, steps)


def assert_cached_is_fresh(tmp_path_factory, steps) -> None:
    root = tmp_path_factory.mktemp("law") / "vault"
    vault = Vault(root)
    for operation in STARTS:
        vault.apply(operation)
    assert answers(root, cached=True) == answers(root, cached=False)
    apply_checking(vault, steps)


def started(root: Path) -> Vault:
    """The vault of `STARTS`, its answers remembered."""
    vault = Vault(root)
    for operation in STARTS:
        vault.apply(operation)
    answers(vault.root, cached=True)
    return vault


def apply_checking(vault: Vault, operations: list[tuple]) -> None:
    """Apply each operation, then check that the cached answers are the fresh ones."""
    for operation in operations:
        vault.apply(operation)
        assert answers(vault.root, cached=True) == answers(vault.root, cached=False), operation


def test_edits_of_one_note_are_answered_by_an_update(tmp_path, updates):
    """Not vacuous: an edit that keeps every link as it was updates the memo (no full
    computation), and the answer is still the fresh one."""
    vault = started(tmp_path / "vault")
    edits = [
        ("write", ("c", 4), "---\ntype: contact\nname: Eve Stone\nrequested: 2026-11-18\n---\n"),
        ("write", ("i", 0), '---\ntype: interview\ncontact: "[[c1]]"\ndate: 2026-11-19\n---\n'),
        (
            "write",
            ("i", 1),
            '---\ntype: interview\ncontact: "[[c4]]"\ndate: 2026-11-10\nreferrals: '
            '["[[c1]]", New Person]\n---\n## Reflection\nGood.\n',
        ),
        ("write", ("c", 4), "---\ntype: contact\nname: Eve Stone\norganization: Fabrikam\n---\n"),
    ]
    apply_checking(vault, edits)
    assert updates == [True] * len(edits)
    # Every view of the memo with its delta applied: items as text and as a calendar,
    # selected by kind and horizon.
    runner = CliRunner()
    for view in (["--all"], ["--format", "ics", "--all"], ["--kind", "thank-you"], ["--check"]):
        shown = [
            runner.invoke(
                cli,
                ["--vault", str(vault.root), "agenda", *view],
                env={"INFOINT_NOW": NOW, "INFOINT_NO_CACHE": cache},
            )
            for cache in ("", "1")
        ]
        assert [(one.exit_code, one.stdout) for one in shown] == [
            (shown[1].exit_code, shown[1].stdout)
        ] * 2, view
    # Ana is in the referral chain of someone a milestone thanks: the news to share
    # may name her, so an edit of her note computes everything again.
    vault.apply((*STARTS[0][:2], STARTS[0][2].replace("11-10", "11-12")))
    assert answers(vault.root, cached=True) == answers(vault.root, cached=False)
    assert updates[-1] is False


#: Where notes arrive, and what links and names may mean them: paths, path suffixes,
#: relative links, names and aliases that collide on purpose (found by a review).
ARRIVAL_PATHS = st.tuples(
    st.sampled_from(["", "people/", "contacts/", "x/people/", "talks/"]),
    st.sampled_from(["zed", "ben", "ghost", "new person", "c1", "initech llc"]),
).map(lambda parts: f"{parts[0]}{parts[1]}.md")
LINKS = ["[[zed]]", "[[people/zed]]", "[[./people/zed]]", "[[../people/zed]]", "[[x/people/zed]]"]
TARGETS = st.sampled_from(
    [*LINKS, "Ben", "Ghost", "New Person", "Zed", "[[c1]]", "[[Ben]]", "Yan Yu"]
)
ARRIVAL_NAMES = st.sampled_from(["Ben", "Ghost", "Zed", "Yan Yu", "New Person", "Cara Diaz"])


@st.composite
def arriving_text(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        fields = [f"name: {draw(ARRIVAL_NAMES)}"]
        if draw(st.booleans()):
            fields.append(f"aliases: [{', '.join(draw(st.lists(ARRIVAL_NAMES, max_size=2)))}]")
        if draw(st.booleans()):
            organization = draw(st.sampled_from(["Contoso", "[[o0]]", "Zed", "Initech LLC"]))
            fields.append(f"organization: {organization!r}")
        if draw(st.booleans()):
            fields.append(f"referred_by: {draw(TARGETS)!r}")
        return "---\ntype: contact\n" + "\n".join(fields) + "\n---\n"
    fields = [f"contact: {draw(TARGETS)!r}", "date: 2026-11-18", "status: done"]
    fields.append(f"referrals: [{', '.join(repr(t) for t in draw(st.lists(TARGETS, max_size=2)))}]")
    return "---\ntype: interview\n" + "\n".join(fields) + "\n---\n"


def arrivals() -> st.SearchStrategy[tuple]:
    who = st.tuples(st.just("g"), st.integers(0, 4))
    known = st.sampled_from([("c", 1), ("c", 3), ("c", 5), ("i", 0), ("i", 4), ("n", 0)])
    return st.one_of(
        st.tuples(
            st.sampled_from(["new", "new", "new young"]), who, ARRIVAL_PATHS, arriving_text()
        ),
        st.tuples(st.just("binary"), who, ARRIVAL_PATHS),
        st.tuples(st.just("move"), who, ARRIVAL_PATHS),
        st.tuples(st.just("write"), who, arriving_text()),
        st.tuples(st.sampled_from(["delete", "rename"]), st.one_of(who, known)),
    )


@settings(LAW, max_examples=40)
@given(st.lists(st.lists(arrivals(), min_size=1, max_size=3), min_size=1, max_size=5))
def test_cached_answers_equal_fresh_ones_as_notes_come_and_go(tmp_path_factory, steps):
    """The law, for notes added, removed and moved (several in one step) where links,
    names and aliases may mean them."""
    vault = started(tmp_path_factory.mktemp("arrivals") / "vault")
    for step in steps:
        for operation in step:
            vault.apply(operation)
        assert answers(vault.root, cached=True) == answers(vault.root, cached=False), step


def test_notes_added_removed_and_renamed_are_answered_by_an_update(tmp_path, updates):
    """Contacts, interviews and plain notes added, removed and renamed update the memo
    too: links and names that now mean another note (or none) are followed, and the
    answer is still the fresh one, organization notes too. A file name two notes share
    (their ids) computes everything."""
    vault = started(tmp_path / "vault")
    changes = [
        # An interview added for Cara; a plain note that links to Ben removed.
        ("write", ("i", 6), '---\ntype: interview\ncontact: "[[c2]]"\ndate: 2026-11-19\n---\n'),
        ("delete", ("n", 0)),
        # The contact an interview's `[[ghost]]` reaches, and one whom a referral names
        # as plain text ("Ghost" is its alias), now exist.
        ("write", ("g", 0), "---\ntype: contact\nname: Gus Host\naliases: [Ghost]\n---\n"),
        # Dan, whom an interview is with, removed: the interview is with nobody now.
        ("delete", ("c", 3)),
        # Fay moved to another folder: her interview's link follows her.
        ("rename", ("c", 5)),
        ("rename", ("i", 2)),
    ]
    vault.where[("g", 0)] = "contacts/ghost.md"
    apply_checking(vault, changes)
    assert updates == [True] * len(changes)
    # An organization note that contacts' "Contoso" and "Contoso Ltd" mean by its name
    # alone (legal suffixes aside): they are colleagues at it now, named as the note is
    # (and no longer once it is removed).
    organizations = [
        ("write", ("o", 1), "---\ntype: organization\nname: Contoso Inc.\n---\n"),
        ("rename", ("o", 1)),
        ("delete", ("o", 1)),
    ]
    apply_checking(vault, organizations)
    assert updates == [True] * (len(changes) + len(organizations))
    vault.where[("c", 8)] = "people/c1.md"  # Ben's file name, in another folder
    apply_checking(vault, [("write", ("c", 8), "---\ntype: contact\nname: Ann Other\n---\n")])
    assert updates[-1] is False


def test_a_contact_removed_or_renamed_leaves_the_names_of_its_aliases(tmp_path, updates):
    """A contact's aliases are keys links are looked up under like its name: removed or
    renamed, the interview that names it by an alias and the referral that suggests it
    by another are read again (an interview with nobody, a pending referral), and no
    alias still finds it where it was (which made `Ghost` mean two notes)."""
    vault = started(tmp_path / "vault")
    gus = "---\ntype: contact\nname: Gus Host\naliases: [Ghost, New Person]\n"
    changes = [
        (
            "write",
            ("i", 6),
            "---\ntype: interview\ncontact: Ghost\ndate: 2026-11-10\nstatus: done\n"
            "referrals: [New Person]\n---\n",
        ),
        ("write", ("c", 9), gus + "requested: 2026-11-01\nrequest_via: email\n---\n"),
        ("rename", ("c", 9)),
        ("rename", ("c", 9)),
        ("delete", ("c", 9)),
    ]
    apply_checking(vault, changes)
    assert updates == [True] * len(changes)


def test_a_relative_referral_follows_a_contact_added_where_it_leads(tmp_path, updates):
    """A referral (and a milestone's thanks) is resolved from the vault's root, not from
    its note's folder: `[[./people/zed]]` in `interviews/` means `people/zed.md`, and a
    contact added or removed there changes whom the referral suggests."""
    vault = started(tmp_path / "vault")
    vault.where[("g", 0)] = "people/zed.md"
    changes = [
        (
            "write",
            ("i", 6),
            '---\ntype: interview\ncontact: "[[c2]]"\ndate: 2026-11-10\nstatus: done\n'
            'referrals: ["[[./people/zed]]"]\n---\n',
        ),
        ("write", ("g", 0), "---\ntype: contact\nname: Zed Zee\n---\n"),
        ("delete", ("g", 0)),
    ]
    apply_checking(vault, changes)
    assert updates == [True] * len(changes)
    # Thanked so, Zed is news to share with Fay, who referred Zed (a full computation).
    milestone = "---\ntype: milestone\ndate: 2026-11-19\nsummary: Offer\nthanks: "
    apply_checking(
        vault,
        [
            ("write", ("m", 1), milestone + '["[[./people/zed]]"]\n---\n'),
            ("write", ("g", 0), '---\ntype: contact\nname: Zed Zee\nreferred_by: "[[c5]]"\n---\n'),
        ],
    )


def test_a_note_added_that_takes_an_organizations_name_regroups_colleagues(tmp_path, updates):
    """Pat's `Initech LLC` means the organization note of that name until a note named
    so takes the link: then it is looked up by `organization_key` among organization
    notes, two of which are Initech, so Pat works at no note's organization and Wes,
    waiting for an answer there, has no one else at Initech LLC to try (and again when
    the note goes)."""
    vault = started(tmp_path / "vault")
    vault.where.update(
        {
            ("o", 7): "organizations/initech-llc.md",
            ("o", 8): "organizations/initech.md",
            ("g", 0): "contacts/pat.md",
            ("g", 1): "contacts/wes.md",
            ("g", 2): "notes/Initech LLC.md",
        }
    )
    for which, text in [
        (("o", 7), "---\ntype: organization\nname: Initech LLC\n---\n"),
        (("o", 8), "---\ntype: organization\nname: Initech\n---\n"),
        (("g", 0), "---\ntype: contact\nname: Pat\norganization: Initech LLC\n---\n"),
        (
            ("g", 1),
            "---\ntype: contact\nname: Wes\norganization: '[[initech-llc]]'\n"
            "requested: 2026-11-01\nrequest_via: email\n---\n",
        ),
    ]:
        vault.write(which, text)
    answers(vault.root, cached=True)
    updates.clear()
    apply_checking(vault, [("write", ("g", 2), "Plain.\n"), ("delete", ("g", 2))])
    assert updates == [True, True]


def validated(root: Path, cached: bool, *options: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli,
        ["--vault", str(root), "validate", *options],
        env={"INFOINT_NOW": NOW, "INFOINT_NO_CACHE": "" if cached else "1"},
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def test_validate_after_an_edit_checks_only_the_edited_notes(tmp_path, checks):
    """Not vacuous: an edit that keeps what comparing notes reads of a note (prose, a
    broken link, a question) checks that note alone, and says what a run that reads
    every note says, summary and exit status included; a changed email (duplicates
    compare it) or a referrer (loops follow it) checks every note."""
    vault = Vault(tmp_path / "vault")
    for operation in STARTS:
        vault.apply(operation)
    options = ("--format", "json")
    assert validated(vault.root, True, *options) == validated(vault.root, False, *options)
    checks.clear()
    interview = '---\ntype: interview\ncontact: "[[c1]]"\ndate: 2026-11-18\n'
    edits = [
        ("prose", ("c", 0), ("end", "Another line of notes.\n")),
        ("prose", ("i", 0), ("end", "\nSee [[nobody]] and [[c3]].\n")),
        ("write", ("i", 0), interview + "questions: [Do you like it?]\n---\nSee [[nobdy]].\n"),
        ("write", ("c", 5), STARTS[8][2].replace("11-01", "11-02")),
    ]
    for operation in edits:
        vault.apply(operation)
        for shown in (options, ("--format", "github"), ("--strict",)):
            cached = validated(vault.root, True, *shown)
            assert cached == validated(vault.root, False, *shown), (operation, shown)
    assert checks and all(checks)
    assert json.loads(validated(vault.root, True, *options)[1])  # it found something
    # An email or a referrer changed in place (no line moves).
    beyond = [("swap", ("c", 5), 1), ("swap", ("c", 6), 0), ("swap", ("c", 7), 3)]
    for operation in beyond:
        checks.clear()
        vault.apply(operation)
        assert validated(vault.root, True, *options) == validated(vault.root, False, *options)
        assert checks == [False], operation


def refuse(*args, **kwargs):
    raise AssertionError("checked again")


def test_validate_unchanged_prints_what_it_printed(tmp_path, monkeypatch):
    """Asked again with nothing changed, `validate` prints the same bytes (stdout and
    the summary) with the same exit status without checking a note."""
    vault = Vault(tmp_path / "vault")
    for operation in STARTS:
        vault.apply(operation)
    vault.apply(
        (
            "write",
            ("i", 3),
            '---\ntype: interview\ncontact: "[[c3]]"\ndate: 2026-11-18'
            "\nthank_you_sent: 2026-11-25\nquestions: [Are you hiring?]\n---\n",
        )
    )
    views = [(), ("--format", "json"), ("--format", "github"), ("--strict",)]
    first, again = [], []
    for view in views:
        first.append(validated(vault.root, True, *view))
        with monkeypatch.context() as patch:
            patch.setattr(validate_memo, "_checked", refuse)
            patch.setattr(validate_memo, "_updated", refuse)
            again.append(validated(vault.root, True, *view))
    fresh = [validated(vault.root, False, *view) for view in views]
    assert first == again == fresh
    assert "future-thank-you" in first[1][1] and first[3][0] == 1


def test_a_remembered_validate_ends_when_a_thank_you_date_arrives(tmp_path):
    """A thank-you dated in the future is a warning until that day: the answer is
    remembered until then, and no longer."""
    from infoint_notes.core.config import load_config
    from infoint_notes.core.dates import parse_now
    from infoint_notes.rules.validate import steady_until
    from infoint_notes.speed.loader import load_index

    vault = Vault(tmp_path / "vault")
    vault.apply(("write", ("c", 0), STARTS[0][2]))
    text = '---\ntype: interview\ncontact: "[[c0]]"\ndate: 2026-11-18\n'
    vault.apply(("write", ("i", 0), text + "thank_you_sent: 2026-11-25T10:00\n---\n"))
    vault.apply(("write", ("i", 1), text + "thank_you_sent: 2026-11-23\n---\n"))
    config = load_config(vault.root)
    notes = load_index(vault.root, config, cache=False).notes
    now = parse_now(NOW, config.zone)
    day = parse_now("2026-11-23T00:00", config.zone).timestamp()
    assert day - 3600 == steady_until(notes, now)
    later = parse_now("2026-11-24T12:00", config.zone)
    assert steady_until(notes, later) == parse_now("2026-11-25T10:00", config.zone).timestamp()
    assert steady_until(notes, parse_now("2026-11-26T12:00", config.zone)) == float("inf")


def test_items_are_placed_by_the_fields_their_order_reads(tmp_path):
    """The memo places added items among stored ones from the fields `KEYED` names
    (and the due) alone: they must be all that `AgendaItem.sort_key` reads."""
    from dataclasses import replace

    from infoint_notes.core.config import load_config
    from infoint_notes.core.dates import parse_now
    from infoint_notes.rules.agenda import build_agenda
    from infoint_notes.speed.loader import load_index
    from infoint_notes.speed.memo_columns import item_rows
    from infoint_notes.speed.memo_read import KEYED, sort_key_at

    vault = Vault(tmp_path / "vault")
    for operation in STARTS:
        vault.apply(operation)
    config = load_config(vault.root)
    items = build_agenda(load_index(vault.root, config), parse_now(NOW, config.zone))
    assert len({item.kind for item in items}) >= 5
    rows = item_rows(items, config.zone)
    assert rows is not None
    keyed = {name: column for name, column in rows.items() if name in (*KEYED, "due")}
    for place, item in enumerate(items):
        assert sort_key_at(keyed, place, config.zone) == item.sort_key()
        other = replace(item, contact="someone else", subject="another", overdue=True)
        assert other.sort_key() == item.sort_key()


def evaluated(index) -> tuple:
    """What `watch` and the language server show of an index: every diagnostic, the
    agenda and the referral graph."""
    from infoint_notes.core.dates import parse_now
    from infoint_notes.formats.graph_render import graph_json
    from infoint_notes.rules.agenda import build_agenda
    from infoint_notes.rules.graph import build_graph
    from infoint_notes.rules.validate import validate

    now = parse_now(NOW, index.config.zone)
    ids = [(note.path, note.id) for note in index.notes]
    graph = graph_json(build_graph(index, now))
    return ids, validate(index, now), build_agenda(index, now), graph


@settings(LAW, max_examples=25)
@given(st.lists(operations(), min_size=1, max_size=7))
def test_the_watched_index_is_the_index_built_afresh(tmp_path_factory, steps):
    """`infoint watch` and `infoint lsp` keep one index, swapping in the notes read
    again (`VaultState.index`): after any changes it answers as one built afresh."""
    from infoint_notes.core.config import load_config
    from infoint_notes.live.watch import VaultState
    from infoint_notes.speed.loader import load_index

    root = tmp_path_factory.mktemp("watched") / "vault"
    vault = Vault(root)
    for operation in STARTS:
        vault.apply(operation)
    state = VaultState(root, load_config(root))
    state.reload_config()
    state.refresh()
    state.index()
    for operation in steps:
        vault.apply(operation)
        state.reload_config()
        state.refresh()
        fresh = load_index(root, load_config(root), cache=False)
        assert evaluated(state.index()) == evaluated(fresh), operation


def test_watch_swaps_changed_notes_into_its_index(tmp_path, monkeypatch):
    """A save re-reads the note and swaps it in: the index is not built again (that
    costs the whole vault); a change of the config builds it again."""
    from infoint_notes.core.config import load_config
    from infoint_notes.core.index import VaultIndex
    from infoint_notes.live.watch import VaultState

    vault = Vault(tmp_path / "vault")
    for operation in STARTS:
        vault.apply(operation)
    state = VaultState(vault.root, load_config(vault.root))
    state.reload_config()
    state.refresh()
    first = state.index()
    built: list[int] = []
    real = VaultIndex.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(VaultIndex, "__init__", counting)
    vault.apply((*STARTS[0][:2], STARTS[0][2].replace("Ana Lima", "Ana Luna")))
    assert state.refresh()[0] == ["contacts/c0.md"]
    second = state.index()
    assert second is not first and built == []
    assert second.by_path["contacts/c0.md"].name == "Ana Luna"
    vault.config(CONFIGS[1])
    assert state.reload_config() == (True, None)
    state.refresh()
    assert state.index() is not second and built == [1]
