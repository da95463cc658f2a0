"""A printed JSON agenda, remembered: `<vault>/.infoint/agenda.answer` (issue 19).

The agenda memo answers in milliseconds once the walk is done, but a run answered from
it still imports the rules, reads every item's columns and writes their JSON. The most
common run of all asks the same question again (`agenda --json` from a status bar, a
prompt, an editor), and its answer is text that stays the same until a note changes,
the clock reaches an instant where an item becomes overdue or enters the horizon
(`agenda.shown_steady_until`), or the memo's own window ends. So the text is kept with
all of that (`StoredAnswer`) and printed as it is.

**After an edit.** An edit that changes none of a note's facts (`parse.facts_digest`:
prose written between the headings, the usual edit of notes taken in a conversation)
cannot change the answer. Each answer holds the facts digest of every note as it was
computed from them (walk order; `agenda.inputs` keeps them for the memo's state of the
vault, written with the memo and patched by every update): the notes whose stat
changed since are read (the body scanned, no YAML) and their digests compared; when
all are equal the answer is kept under the vault's new state. Any other change
goes the memo's way (`agenda_memo.agenda_at`), which writes a new answer.

The moment: the clock, or `--now`/`INFOINT_NOW` when they name one moment whatever the
clock says (an ISO date-time; `friday` is not remembered). Files are written
atomically with a checksum; anything unexpected is a miss, never an error."""

from __future__ import annotations

import marshal
import os
import time
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..core.files import MAX_NOTE_BYTES, read_capped
from .cachedir import RACY_NS, open_cache_folder
from .memo_key import (
    MAX_MEMO_BYTES,
    MemoKey,
    changed_files,
    note_paths,
    opened,
    sealed,
    with_unsettled,
)

ANSWER_FILE = "agenda.answer"
#: The vault's state an answer was kept for after edits (`keep_answer`): a few hundred
#: kilobytes written instead of the answer's megabytes.
KEPT_FILE = "agenda.answer-kept"
INPUTS_FILE = "agenda.inputs"

FORMAT = 2

#: The length of a facts digest in `agenda.inputs`; a note the index leaves out
#: (`exclude`) has NO_FACTS: nothing it says can change an answer.
DIGEST_BYTES = 16
NO_FACTS = bytes(DIGEST_BYTES)

#: More changed notes than this go the memo's way (reading them costs more than the
#: update does).
MAX_CHECKED = 16


#: What a printed answer depends on of the question asked (options, the printer's code).
Question = tuple[str | int | tuple[str, ...], ...]


class Moment(NamedTuple):
    """Where the answer's `now` came from: the clock (both texts empty), or `--now` /
    `INFOINT_NOW` as written, meaning the instant `timestamp` whatever the clock says."""

    env_text: str
    option_text: str
    timestamp: float

    def matches(self, env_text: str, option_text: str) -> float | None:
        """The instant now is for a run given these texts, if this answer holds for it."""
        if (env_text, option_text) == ("", ""):
            return time.time() if (self.env_text, self.option_text) == ("", "") else None
        if (env_text, option_text) == (self.env_text, self.option_text):
            return self.timestamp
        return None


class StoredAnswer(NamedTuple):
    """A printed answer and everything it depends on."""

    #: The question, as the printer spells it (options and the printer's code).
    request: Question
    key: MemoKey
    moment: Moment
    #: It holds for `since <= now < until` (POSIX timestamps).
    since: float
    until: float
    #: Whether an item it shows is overdue (the exit status of `--check`).
    overdue_shown: bool
    text: str
    #: The facts digest of each note of `key.states` (empty: not known).
    digests: bytes = b""
    #: The text as stored, and its checksum (empty: not stored yet).
    text_bytes: bytes | memoryview = b""
    text_crc: int = 0
    #: Names the answer as stored (`KEPT_FILE` says which answer it keeps).
    token: bytes = b""

    def holds_at(self, now: float) -> bool:
        """Whether it holds at `now`: always at the moment it was printed for (a `--now`
        given again), even when the next instant changes it."""
        return now == self.since or self.since <= now < self.until


def read_answer(root: Path) -> StoredAnswer | None:
    folder = open_cache_folder(root)
    if folder is None:
        return None
    with folder:
        data = folder.read(ANSWER_FILE, MAX_MEMO_BYTES)
        try:
            answer = _unpacked(data)
        except Exception:  # absent or damaged: a miss
            return None
        if answer is None:
            return None
        try:
            version, token, states = opened(folder.read(KEPT_FILE, MAX_MEMO_BYTES))
        except Exception:  # none (or damaged): the answer's own state
            return answer
    if version == FORMAT and token == answer.token and isinstance(states, bytes):
        return answer._replace(key=answer.key._replace(states=states))
    return answer


def store_answer(root: Path, answer: StoredAnswer) -> bool:
    """Write `answer` (named by a new token) in place of the one stored."""
    answer = answer._replace(token=os.urandom(8))
    return _write(root, ANSWER_FILE, _packed(answer), forget=KEPT_FILE)


def keep_answer(root: Path, answer: StoredAnswer, states: bytes) -> bool:
    """The answer read (`read_answer`) holds for the vault in `states` too."""
    return _write(root, KEPT_FILE, sealed((FORMAT, answer.token, states)))


#: An answer's file: magic, the header's length and checksum, the header (marshalled),
#: then the text as UTF-8, whose checksum the header holds: keeping an answer under a
#: new state writes the same text again without encoding or checking it a second time.
ANSWER_MAGIC = b"infoint-agenda-answer\x00"
_SIZE = 4


def _packed(answer: StoredAnswer) -> bytes | None:
    text = answer.text_bytes or answer.text.encode("utf-8", "surrogatepass")
    text_crc = answer.text_crc if answer.text_bytes else zlib.crc32(text)
    header = marshal.dumps(
        (
            FORMAT,
            answer.request,
            *answer.key,
            tuple(answer.moment),
            answer.since,
            answer.until,
            answer.overdue_shown,
            answer.digests,
            len(text),
            text_crc,
            answer.token,
        )
    )
    sizes = len(header).to_bytes(_SIZE, "big") + zlib.crc32(header).to_bytes(_SIZE, "big")
    packed = ANSWER_MAGIC + sizes + header + text
    return packed if len(packed) <= MAX_MEMO_BYTES else None


def _unpacked(data: bytes | None) -> StoredAnswer | None:
    if data is None or not data.startswith(ANSWER_MAGIC):
        return None
    at = len(ANSWER_MAGIC)
    length = int.from_bytes(data[at : at + _SIZE], "big")
    crc = int.from_bytes(data[at + _SIZE : at + 2 * _SIZE], "big")
    at += 2 * _SIZE
    header = data[at : at + length]
    if zlib.crc32(header) != crc:
        return None
    (
        version,
        request,
        head,
        states,
        others,
        moment,
        since,
        until,
        overdue,
        digests,
        size,
        text_crc,
        token,
    ) = marshal.loads(header)
    text = memoryview(data)[at + length :]
    if version != FORMAT or len(text) != size or zlib.crc32(text) != text_crc:
        return None
    if not isinstance(digests, bytes):
        return None
    return StoredAnswer(
        tuple(request),
        MemoKey(head, states, others),
        Moment(*moment),
        float(since),
        float(until),
        bool(overdue),
        str(text, "utf-8", "surrogatepass"),
        digests,
        text,
        text_crc,
        token,
    )


def store_inputs(root: Path, states: bytes, digests: bytes) -> bool:
    """Each note's facts digest, for the vault in the state `states` (`MemoKey.states`)."""
    return _write(root, INPUTS_FILE, sealed((FORMAT, states, digests)))


def read_inputs(root: Path, states: bytes) -> bytes | None:
    """The facts digests of the notes, if they are kept for the vault in `states`."""
    try:
        version, kept_states, digests = read_sealed(root, INPUTS_FILE)
    except (TypeError, ValueError):
        return None
    if version != FORMAT or kept_states != states or not isinstance(digests, bytes):
        return None
    paths = note_paths(states)
    return digests if len(digests) == DIGEST_BYTES * (paths.count("\0") + 1) else None


def patch_inputs(root: Path, before: bytes, after: bytes, read: dict[str, bytes]) -> bool:
    """The digests kept for the vault in state `before`, with those of the notes `read`
    (by path: changed or added) replaced, kept for state `after` (notes gone dropped);
    forgotten when none are kept for `before` (the next full computation writes them
    again)."""
    digests = read_inputs(root, before)
    if digests is None:
        return _forget_inputs(root)
    paths, later = note_paths(before), note_paths(after)
    size = DIGEST_BYTES
    was = {
        path: digests[place * size : (place + 1) * size]
        for place, path in enumerate(paths.split("\0") if paths else ())
    }
    was.update((path, digest[:size]) for path, digest in read.items())
    try:
        return store_inputs(root, after, b"".join([was[path] for path in later.split("\0")]))
    except KeyError:  # a note added that was not read: its digest is not known
        return _forget_inputs(root)


def _forget_inputs(root: Path) -> bool:
    _write(root, INPUTS_FILE, None, forget=INPUTS_FILE)
    return False


def kept_through_edits(root: Path, answer: StoredAnswer, key: MemoKey) -> MemoKey | None:
    """When the vault (now `key`) differs from the answer's only by notes whose facts
    are unchanged: the key to keep the answer under (a note read while young enough to
    change unseen marked to be read again); else None."""
    if key.head != answer.key.head or key.others != answer.key.others:
        return None
    changed = changed_files(answer.key.states, key.states)
    if not changed or len(changed) > MAX_CHECKED:
        return None
    digests = answer.digests
    rels = note_paths(key.states).split("\0")
    if len(digests) != DIGEST_BYTES * len(rels):
        return None
    racy: list[int] = []
    started_ns = time.time_ns()
    for place in changed:
        kept = digests[place * DIGEST_BYTES : (place + 1) * DIGEST_BYTES]
        if kept == NO_FACTS:
            continue
        found = _facts_of(root, rels[place])
        if found is None or found[0] != kept:
            return None
        if found[1] + RACY_NS > started_ns:
            racy.append(place)
    states = with_unsettled(key.states, racy) if racy else key.states
    return key._replace(states=states)


def _facts_of(root: Path, rel: str) -> tuple[bytes, int] | None:
    """(facts digest, mtime_ns) of the note at `rel` as it is now; None if unreadable."""
    # Imported here: only a run after an edit reads a note.
    from ..core.parse import facts_digest_of, parse_note
    from .linescan import scan_body

    path = os.path.join(root, rel)
    try:
        mtime_ns = os.stat(path).st_mtime_ns
        raw = read_capped(path, MAX_NOTE_BYTES)
    except OSError:
        return None
    parsed = parse_note(rel, raw, scan_body, read_front_matter=False)
    return facts_digest_of(parsed)[:DIGEST_BYTES], mtime_ns


def digests_of(paths: Sequence[str], facts: dict[str, bytes]) -> bytes:
    """The digests of the notes at `paths`, in order (NO_FACTS for those not indexed)."""
    return b"".join(facts.get(rel, NO_FACTS)[:DIGEST_BYTES] for rel in paths)


def read_sealed(root: Path, name: str) -> Any:
    """The payload `sealed` wrote in the cache file `name`; None if absent or damaged."""
    folder = open_cache_folder(root)
    if folder is None:
        return None
    with folder:
        try:
            return opened(folder.read(name, MAX_MEMO_BYTES))
        except Exception:  # absent or damaged: a miss
            return None


def _write(root: Path, name: str, data: bytes | None, forget: str | None = None) -> bool:
    folder = open_cache_folder(root)
    if folder is None:
        return False
    with folder:
        if forget is not None:
            folder.unlink(forget)
        return data is not None and folder.replace(name, data)
