"""`validate` remembered (issue 19): `<vault>/.infoint/validate.answer` and
`validate.state`.

**Nothing changed.** `validate --format F [--strict]` over the whole vault prints text
that stays the same until a file of the vault, infoint.yaml, the code or the zone
changes (`memo_key.MemoKey`), or the clock reaches a thank-you date written in the
future (`validate.steady_until`). The printed text, the summary and the exit status
are kept with all of that (`validate.answer`) and printed as they are.

**After an edit.** What validate finds is each note's own problems (`note_problems`:
its parse and field problems, its links as they resolve, its questions and thank-you
date) and what comparing notes finds (`VAULT_CHECKS`). `validate.state` keeps both,
note by note, with what the comparisons read of each note (`compared_facts`, as a
digest), the resolver's tables and the "did you mean" choices of the whole vault
(`unit_facts.structure_of`, `suggestion_choices`). When a few notes changed and what
the comparisons read of each is the same, only those notes are read, typed and
checked again (their links resolved as in the whole vault, `incremental._partial_index`)
and their problems replace the ones kept: a prose edit moves the positions of a
note's own problems, never anyone else's. Anything else (notes added, removed or
renamed, infoint.yaml or the code changed, a note's kind, name, aliases, identity or
referrer changed) checks every note, and writes both files again.

The moment: the clock, or `--now`/`INFOINT_NOW` when they name one moment whatever the
clock says (`answers.Moment`). A note read while young enough to change unseen is
marked so that no walk matches it. Files are written atomically with a checksum;
anything unexpected is a miss, never an error. `--fix`, `--staged` and named PATHs are
never remembered: they compute as they always did."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .answers import Moment, read_sealed
from .cachedir import RACY_NS, open_cache_folder
from .memo_key import (
    MemoKey,
    changed_files,
    files_identity,
    memo_key,
    scan_key,
    sealed,
)

if TYPE_CHECKING:
    from ..core.index import VaultIndex
    from ..core.model import Diagnostic, Note
    from ..rules.validate import Report
    from .vault_view import CheckedVault

ANSWER_FILE = "validate.answer"
STATE_FILE = "validate.state"
FORMAT = 1

#: More changed notes than this: every note is checked (reading them one by one costs
#: more than the store does).
MAX_CHANGED = 16

#: A diagnostic as kept: path, line, column, severity, code, message.
Row = tuple[str, int, int, str, str, str]


class Printed(NamedTuple):
    """What a run of validate says: stdout (rendered; empty: nothing), the summary
    line, the exit status."""

    out: str
    summary: str
    status: int


#: What a printed answer depends on of the question asked (options, the printer's code).
Question = tuple[str | bool, ...]


class _State(NamedTuple):
    """What the last full check found, note by note (see the module)."""

    key: MemoKey
    moment: Moment
    since: float
    until: float
    #: The checked notes' paths, in the index's order; each one's own problems and the
    #: digest of what comparisons read of it.
    paths: tuple[str, ...]
    own: list[tuple[Row, ...]]
    shared: list[bytes]
    #: What comparing notes found.
    compared: tuple[Row, ...]
    #: `unit_facts.structure_of` of the index: its resolver's tables and notes' facts.
    structure: Any
    choices: list[tuple[str, str]]


def question(output_format: str, strict: bool) -> Question:
    return output_format, strict, _printer_identity()


def _printer_identity() -> str:
    """The command and `output` (what else prints is in the memo key's code)."""
    return files_identity(Path(__file__).parent.parent / "commands", ("validate.py", "output.py"))


def validate_vault(
    app: CheckedVault, now_text: str | None, asked: Question, render: Callable[[Report], Printed]
) -> Printed:
    """What `validate` says of the whole vault, remembered (see the module)."""
    started_ns = time.time_ns()  # before any read: a file changed after this is racy
    texts = os.environ.get("INFOINT_NOW", ""), now_text or ""
    key = scan_key(app.scan(), app.config_bytes())
    recalled = _recalled(app.root, asked, key, texts)
    if recalled is not None:
        return recalled
    now = app.now(now_text)
    moment = _moment(now, *texts)
    found = _updated(app, key, now, texts, started_ns)
    if found is None:
        report, state = _checked(app, key, now, started_ns)
    else:
        report, state = found
    printed = render(report)
    if moment is not None:
        state = state._replace(moment=moment)
        if _write(app.root, STATE_FILE, sealed((FORMAT, *_state_fields(state)))):
            answer = (FORMAT, asked, *state.key, tuple(moment), state.since, state.until)
            _write(app.root, ANSWER_FILE, sealed((*answer, *printed)))
    return printed


def _recalled(root: Path, asked: Question, key: MemoKey, texts: tuple[str, str]) -> Printed | None:
    try:
        version, request, head, states, others, moment, since, until, *printed = read_sealed(
            root, ANSWER_FILE
        )
        if (version, tuple(request), MemoKey(head, states, others)) != (FORMAT, asked, key):
            return None
        now = Moment(*moment).matches(*texts)
        if now is None or not since <= now < until:
            return None
        out, summary, status = printed
        return Printed(str(out), str(summary), int(status))
    except (TypeError, ValueError):  # absent or damaged: a miss
        return None


def _moment(now: datetime, env_text: str, option_text: str) -> Moment | None:
    """How a later run knows it asks for the same moment: the clock, or a text naming
    one moment whatever the clock says; None for one relative to the clock (`friday`)."""
    from ..core.dates import parse_now

    given = option_text or env_text
    if not given:
        return Moment("", "", 0.0)
    assert now.tzinfo is not None
    try:
        fixed = parse_now(given, now.tzinfo)
    except ValueError:
        return None
    return Moment(env_text, option_text, now.timestamp()) if fixed == now else None


def _rows(problems: Sequence[Diagnostic]) -> tuple[Row, ...]:
    return tuple(
        (one.path, one.line, one.column, one.severity, one.code, one.message) for one in problems
    )


def _shared_digest(note: Note) -> bytes:
    from ..core.parse import blake2b  # not hashlib's: that one loads OpenSSL (8 ms)
    from ..rules.validate import compared_facts

    return blake2b(repr(compared_facts(note)).encode(), digest_size=16).digest()


def _checked(
    app: CheckedVault, key: MemoKey, now: datetime, started_ns: int
) -> tuple[Report, _State]:
    """Every note checked; the state kept for the next edit."""
    from ..rules.validate import Report, merged, validate_parts
    from .forked import Forked

    index = app.index()
    # What the next edit reads of the notes is built by a child meanwhile, on the other core.
    with Forked(lambda: _kept_of(index), len(index.notes)) as apart:
        own, compared = validate_parts(index, now)
        report = Report.of(index, merged(own, compared), None)
        kept = apart.result()
    structure, shared, choices = kept or _kept_of(index)
    young = {file.rel for file in app.files() if file.mtime_ns + RACY_NS > started_ns}
    if young:
        key = key._replace(states=memo_key(app.files(), b"", unsettled=young).states)
    state = _State(
        key,
        Moment("", "", 0.0),
        now.timestamp(),
        _until(index.notes, now),
        tuple(note.path for note in index.notes),
        [_rows(problems) for problems in own],
        shared,
        _rows(compared),
        structure,
        choices,
    )
    return report, state


def _kept_of(index: VaultIndex) -> tuple[Any, list[bytes], list[tuple[str, str]]]:
    """What an edit reads of the notes it does not read: the index's structure (its
    resolver's tables), the digests of what comparisons read of each note, and the
    "did you mean" choices."""
    from ..rules.validate import suggestion_choices
    from .unit_facts import structure_of

    shared = [_shared_digest(note) for note in index.notes]
    return structure_of(index, []), shared, suggestion_choices(index)


def _until(notes: Sequence[Note], now: datetime) -> float:
    from ..rules.validate import steady_until

    return steady_until(notes, now)


def _updated(
    app: CheckedVault, key: MemoKey, now: datetime, texts: tuple[str, str], started_ns: int
) -> tuple[Report, _State] | None:
    """The kept state brought up to date by checking again only the notes changed since
    (see the module); None when every note must be checked."""
    state = _read_state(app.root)
    if state is None or (state.key.head, state.key.others) != (key.head, key.others):
        return None
    moment = state.moment.matches(*texts)
    if moment is None or not state.since <= moment < state.until:
        return None
    changed = changed_files(state.key.states, key.states)
    if changed is None or len(changed) > MAX_CHANGED:
        return None
    try:
        return _spliced(app, state, key, [app.files()[place] for place in changed], now, started_ns)
    except Exception:  # a state this code did not write (Damaged, a bad table): a miss
        return None


def _spliced(
    app: CheckedVault,
    state: _State,
    key: MemoKey,
    changed: Sequence[Any],
    now: datetime,
    started_ns: int,
) -> tuple[Report, _State] | None:
    from ..core.model import Diagnostic
    from ..core.vault import NoteRules
    from ..rules.validate import Report, merged, note_problems, use_suggestions
    from .incremental import _partial_index, _typed
    from .reading import read_and_parse
    from .unit_structure import Structure

    config = app.config
    rules = NoteRules(exclude=config.exclude)
    places = {path: place for place, path in enumerate(state.paths)}
    parsed, young = [], set()
    for file in changed:
        if file.rel not in places:
            if rules.is_excluded(file.rel):
                continue  # not checked, as before
            return None
        read, readable = read_and_parse(file.rel, file.path, file.size)
        if not readable or file.mtime_ns + RACY_NS > started_ns:
            young.add(file.rel)
        parsed.append(read)
    structure = Structure(state.structure)
    notes = _typed(parsed, structure, config.zone)
    index = _partial_index(app.root, config, structure, notes)
    use_suggestions(index, state.choices)
    own, shared = list(state.own), list(state.shared)
    for note in notes:
        place = places[note.path]
        shared[place] = _shared_digest(note)
        if shared[place] != state.shared[place]:
            return None
        own[place] = _rows(note_problems(index, note, now))
    if young:
        key = key._replace(states=memo_key(app.files(), b"", unsettled=young).states)
    problems = merged(
        ([Diagnostic(*row) for row in rows] for rows in own),
        [Diagnostic(*row) for row in state.compared],
    )
    report = Report(problems, len(state.paths), _counts(problems))
    until = min(state.until, _until(notes, now))
    return report, state._replace(key=key, since=now.timestamp(), until=until, own=own)


def _counts(problems: Sequence[Diagnostic]) -> dict[str, int]:
    from ..rules.validate import counts

    return counts(problems)


def _state_fields(state: _State) -> tuple[Any, ...]:
    return (*state.key, tuple(state.moment), *state[2:])


def _read_state(root: Path) -> _State | None:
    try:
        version, head, states, others, moment, *rest = read_sealed(root, STATE_FILE)
        if version != FORMAT:
            return None
        since, until, paths, own, shared, compared, structure, choices = rest
        key = MemoKey(head, states, others)
        return _State(
            key, Moment(*moment), since, until, paths, own, shared, compared, structure, choices
        )
    except (TypeError, ValueError):
        return None


def _write(root: Path, name: str, data: bytes | None) -> bool:
    folder = open_cache_folder(root, create=True)
    if folder is None:
        return False
    with folder:
        return data is not None and folder.replace(name, data)
