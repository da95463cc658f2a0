"""A memo of the agenda: `<vault>/.infoint/agenda.memo`.

Asking for the agenda again while no note changed is the most common run of all (a
shell prompt, a cron job, a status bar). Those runs answer from the items the last run
computed, without reading a cache record or typing a note: the walk and its one stat
per file are all the vault work left.

The memo holds the full, unfiltered item list of one moment with what it depends on:

- the vault's state: every note's path, `mtime_ns`, size, inode and change time, as
  the walk saw them;
- the bytes of `infoint.yaml`, where the local zone and the zone rules come from (TZ,
  PYTHONTZPATH, /etc/localtime, the zone's tzdata file), the Python version, and the
  installed `holidays` library when the config may name a country (business days);
- the code that computes it (each module's modification time and size);
- the window of time it holds for: from the moment it was computed to the first instant
  at which the clock flips a decision of the rules (an interview becoming `done`, one
  entering its preparation window: each rule says when through `agenda.Clock.decide`).
  Inside the window only each item's `overdue` changes, and that is recomputed on every
  read, by `agenda.overdue_at`; the selection is `agenda.Shown`'s.

Its columns are `AgendaItem`'s fields (and each item's `--json` text around `overdue`,
written by `jsontext.RecordJSON`): a field added to the item is remembered with it.

A note read unsettled (young enough to change unseen within its timestamp's
granularity, or unreadable: the cache's own rules) has its state marked so that no walk
matches it: the next run reads it again. Files are written atomically, with a
checksum. Anything unexpected is a miss, never an error; deleting them costs one full
computation.

Beside the memo: `agenda.structure`, what `incremental` needs to bring the items up to
date after an edit, and `agenda.delta`, what such an update changed (the items of some
units replaced, the vault's new state), so that an edit does not write the memo whole
again. Both name the memo they belong to (its token); a full computation replaces all.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
import zoneinfo
from abc import ABC, abstractmethod
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import fields
from datetime import date, datetime, tzinfo
from functools import lru_cache
from itertools import compress, pairwise
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from ..core.config import Config
from ..core.dates import zone_named
from ..core.vault import NoteFile
from ..formats.jsontext import RecordJSON
from ..rules.agenda import AgendaItem, Shown, compute_agenda, overdue_at, select
from .cachedir import CacheFolder, open_cache_folder
from .memory import paused_gc

if TYPE_CHECKING:
    from ..core.index import VaultIndex

MEMO_FILE = "agenda.memo"
#: What an update after an edit changed of the memo (`Delta`).
DELTA_FILE = "agenda.delta"
#: What an update needs to know of the notes (`incremental.Structure`).
STRUCTURE_FILE = "agenda.structure"
#: A memo larger than this is neither written nor read (the agenda is computed instead):
#: 4.6 MB at 8,000 notes, so this holds vaults of 400,000 notes, and a file planted in a
#: shared vault's `.infoint/` costs no more memory than that.
MAX_MEMO_BYTES = 256 * 1024 * 1024
_MAGIC = b"infoint-agenda-memo\x00"
_FORMAT = 5


# --- what the memo depends on ----------------------------------------------------------


@lru_cache(maxsize=1)
def _code_identity() -> str:
    """Changes with any module below the commands (they only present the items; the
    JSON texts come from `formats`): each one's modification time and size, the test
    Python itself uses to trust its bytecode."""
    parts = []
    package = Path(__file__).parent.parent
    for layer in ("core", "rules", "formats", "speed"):
        for path in sorted((package / layer).glob("*.py")):
            name = f"{layer}/{path.name}"
            try:
                found = path.stat()
                parts.append(f"{name}:{found.st_mtime_ns}:{found.st_size}")
            except OSError:
                parts.append(name)
    return "/".join(parts)


def _zone_identity(zone: tzinfo) -> str:
    """A name for the zone and the file its rules come from: a machine whose time zone
    is changed keeps the key `localtime`, and a tzdata update keeps every name."""
    key = getattr(zone, "key", None)
    if key is None:
        return repr(zone)
    if key == "localtime":
        candidates = ["/etc/localtime"]
    else:
        candidates = [os.path.join(folder, key) for folder in zoneinfo.TZPATH]
    for candidate in candidates:
        with contextlib.suppress(OSError):
            found = os.stat(candidate)
            return f"{key}:{candidate}:{found.st_ino}:{found.st_mtime_ns}:{found.st_size}"
    tzdata = sys.modules.get("tzdata")  # the rules ship in the tzdata package instead
    return f"{key}:tzdata:{getattr(tzdata, 'IANA_VERSION', '')}"


def _zone_environment() -> str:
    """What the local zone and zone rules are read from (and the Python reading them)."""
    found = f"{sys.version}\0{os.environ.get('TZ', '')}\0{os.environ.get('PYTHONTZPATH', '')}"
    with contextlib.suppress(OSError):
        stat = os.stat("/etc/localtime")
        found += f"\0{stat.st_ino}:{stat.st_mtime_ns}:{stat.st_size}"
    return found


def _holidays_identity(config_bytes: bytes) -> str:
    """The installed `holidays` library, for a vault whose config may name a country:
    an upgrade can move a holiday, and with it a due. Found without importing it (that
    costs 50 ms), by a stat along `sys.path` as the import would search it (importlib's
    `find_spec` costs 5 ms); a config that does not say `holidays` needs none of it."""
    if b"holidays" not in config_bytes:
        return ""
    for entry in sys.path:
        version = os.path.join(entry or ".", "holidays", "version.py")
        with contextlib.suppress(OSError):
            found = os.stat(version)
            return f"holidays:{version}:{found.st_mtime_ns}:{found.st_size}"
    # Not installed as files (a zipped install): no identity, but a memo holds a day at
    # most (`agenda._steady_until`).
    return "holidays:none"


class MemoKey(NamedTuple):
    """Everything the agenda depends on but the clock, spelled out (compared whole, not
    as a digest, so two states can never be taken for one)."""

    #: The code, where the local zone comes from, and the bytes of infoint.yaml (not its
    #: parsed settings: a remembered answer needs no YAML parser).
    head: bytes
    #: Every note's `file_record`, in walk order, joined by `_FILES`.
    states: str
    #: The vault's other files (which links may reach), joined by NUL.
    others: str


#: Joins the records of the files; a record (fields never empty) never holds it.
_FILES = "\0\0"
#: Ends the record of a file read while young enough to change unseen (the store's
#: racy window) or unreadable: no walk gives that record, so the file is read again.
_UNSETTLED = "\0unsettled"


def file_record(file: NoteFile) -> str:
    """A note as the walk saw it: path, mtime, size, inode and change time."""
    # NUL never occurs in a file name, so the joins are unambiguous.
    return f"{file.rel}\0{file.mtime_ns}\0{file.size}\0{file.ino}\0{file.ctime_ns}"


def memo_head(config_bytes: bytes) -> bytes:
    """The part of the key that is not the vault's files."""
    head = (
        f"{_FORMAT}\0{_code_identity()}\0{_zone_environment()}\0"
        f"{_holidays_identity(config_bytes)}\0{len(config_bytes)}\0"
    )
    return head.encode("utf-8", "surrogateescape") + config_bytes


def memo_key(
    files: Sequence[NoteFile],
    config_bytes: bytes,
    others: Sequence[str] = (),
    unsettled: Collection[str] = (),
) -> MemoKey:
    """The key of the vault with these notes, other files and infoint.yaml; the records
    of the notes at `unsettled` paths are marked so that no walk matches them."""
    records = list(map(file_record, files))
    if unsettled:
        for position, file in enumerate(files):
            if file.rel in unsettled:
                records[position] += _UNSETTLED
    return MemoKey(memo_head(config_bytes), _FILES.join(records), "\0".join(others))


def changed_files(stored: str, current: str) -> list[int] | None:
    """The positions of the notes whose records differ between two `states` of the same
    notes; None when notes were added, removed or renamed."""
    before, now = stored.split(_FILES), current.split(_FILES)
    if len(before) != len(now):
        return None
    changed = [
        place for place, (old, new) in enumerate(zip(before, now, strict=True)) if old != new
    ]
    for place in changed:
        if before[place].split("\0", 1)[0] != now[place].split("\0", 1)[0]:
            return None
    return changed


# --- storing items ---------------------------------------------------------------------


#: A due as stored: a day's ordinal, or a date-time's wall-clock fields and fold (rebuilt
#: in the same zone they give the very same datetime, even a time in a daylight-saving
#: gap).
Code = int | tuple[int, int, int, int, int, int, int, int]


def _encode_due(due: date | datetime, zone: tzinfo) -> Code | None:
    """The due's code; None when it is not a value we can rebuild."""
    if not isinstance(due, datetime):
        return due.toordinal()
    if due.tzinfo is not zone:
        return None
    return (
        due.year,
        due.month,
        due.day,
        due.hour,
        due.minute,
        due.second,
        due.microsecond,
        due.fold,
    )


def _decode_due(code: Code, zone: tzinfo) -> date | datetime:
    if isinstance(code, int):
        return date.fromordinal(code)
    year, month, day, hour, minute, second, microsecond, fold = code
    return datetime(year, month, day, hour, minute, second, microsecond, zone, fold=fold)


#: Separates the texts of one column; a text holding it is not remembered.
_SEP = "\x00"
#: The field not stored but recomputed at every read: `overdue_at(now)(due)`.
_RECOMPUTED = "overdue"
#: How each other field of `AgendaItem` is stored, by its annotation: dues as codes,
#: texts joined per column (a None where the field allows one: an empty text, and its
#: place in the column's list of Nones).
_CODED, _TEXT, _OPTIONAL_TEXT = "When", "str", "str | None"
_FIELDS = tuple(item_field.name for item_field in fields(AgendaItem))
_KIND_OF = {item_field.name: str(item_field.type) for item_field in fields(AgendaItem)}
_UNKNOWN = [
    f"{name}: {kind}"
    for name, kind in _KIND_OF.items()
    if name != _RECOMPUTED and kind not in (_CODED, _TEXT, _OPTIONAL_TEXT)
]
if _UNKNOWN:  # a new kind of field: say how it is kept, here
    raise TypeError(f"the agenda memo cannot keep AgendaItem.{', '.join(_UNKNOWN)}")
_CODED_FIELDS = tuple(name for name in _FIELDS if _KIND_OF[name] == _CODED)
#: The field `overdue` and the selection are worked out from.
_DUE = "due"
assert _DUE in _CODED_FIELDS
_TEXT_FIELDS = tuple(name for name in _FIELDS if _KIND_OF[name] in (_TEXT, _OPTIONAL_TEXT))
#: Each item's `--json` object, and its texts around `overdue`, which the memo keeps.
_ITEM_JSON = RecordJSON(AgendaItem, around=_RECOMPUTED)
_JSON_HEAD, _JSON_TAIL = "json before overdue", "json after overdue"
#: What `agenda --json` reads (with the dues): the JSON texts. The other columns stay
#: marshalled until something asks for them (a --kind, items to show as text).
_EAGER = (_JSON_HEAD, _JSON_TAIL)
_LAZY = tuple(name for name in _TEXT_FIELDS if name not in _EAGER)
_JSON_BOOL = {True: "true", False: "false"}


#: Each item's unit: the part of the vault it was computed from (`speed.incremental`),
#: so that an edit recomputes only the items of the units it touches.
UNIT = _UNIT = "unit"

#: An agenda as columns: for each field but `overdue` (a due as its `Code`), each JSON
#: text and the unit, one value per item, in the agenda's order.
Rows = dict[str, list[Any]]


def _join(texts: list[str]) -> str | None:
    if not texts:
        return ""  # an empty agenda is remembered too
    joined = _SEP.join(texts)
    return joined if joined.count(_SEP) == len(texts) - 1 else None


def item_rows(
    items: Sequence[AgendaItem], zone: tzinfo, units: Sequence[str] | None = None
) -> Rows | None:
    """The items as columns; None when a due cannot be stored. Without `units` the
    memo can only be recalled, not updated."""
    rows: Rows = {}
    for name in _CODED_FIELDS:
        codes = [_encode_due(value, zone) for value in map(attrgetter(name), items)]
        if any(code is None for code in codes):
            return None
        rows[name] = codes
    for name in _TEXT_FIELDS:
        rows[name] = list(map(attrgetter(name), items))
    parts = list(map(_ITEM_JSON.around_text, items))
    rows[_JSON_HEAD] = [head for head, _ in parts]
    rows[_JSON_TAIL] = [tail for _, tail in parts]
    if units is not None:
        rows[_UNIT] = list(units)
    return rows


def _pack(rows: Rows) -> Packed | None:
    """(codes, eager texts, lazy texts and Nones) of the rows; None when some text
    cannot be stored."""
    # Each coded field: its distinct values (items share dues: a milestone's, an
    # interview's) and each item's place among them.
    codes: dict[str, tuple[list[Code], list[int]]] = {}
    for name in _CODED_FIELDS:
        table: list[Code] = []
        seen: dict[Code, int] = {}
        index = []
        for code in rows[name]:
            position = seen.get(code)
            if position is None:
                position = seen[code] = len(table)
                table.append(code)
            index.append(position)
        codes[name] = (table, index)
    texts = {name: rows[name] for name in _TEXT_FIELDS}
    nones = {
        name: [place for place, text in enumerate(texts[name]) if text is None]
        for name in _TEXT_FIELDS
        if _KIND_OF[name] == _OPTIONAL_TEXT
    }
    for name, places in nones.items():
        if places:
            texts[name] = column = list(texts[name])
            for place in places:
                column[place] = ""
    joined = {name: _join(column) for name, column in texts.items()}
    joined.update((name, _join(rows[name])) for name in _EAGER)
    if None in joined.values():
        return None
    eager = [joined[name] for name in _EAGER]
    lazy = marshal.dumps(([joined[name] for name in _LAZY], nones))
    return codes, eager, lazy


def write_memo(
    root: Path,
    key: MemoKey,
    config: Config,
    now: datetime,
    valid_until: float,
    items: Sequence[AgendaItem],
    structure: Any = None,
) -> bool:
    """Store the items computed at `now` (and the `structure` that updates them, when
    given); False when they could not be stored."""
    rows = item_rows(items, config.zone)
    packed = None if rows is None else _pack(rows)
    if packed is None:
        return False
    return store_packed(root, key, config, now, valid_until, len(items), packed, structure)


def pack_rows(rows: Rows) -> Packed | None:
    """The rows as the memo stores them; None when some text cannot be stored."""
    return _pack(rows)


#: What `pack_rows` gives: (codes, eager texts, lazy texts and Nones).
Packed = tuple[Any, ...]


def _sealed(payload: Any) -> bytes | None:
    """The file's bytes: magic, checksum, marshalled payload; None when too large."""
    data = marshal.dumps(payload)
    sealed = _MAGIC + zlib.crc32(data).to_bytes(4, "big") + data
    return sealed if len(sealed) <= MAX_MEMO_BYTES else None


def _opened(data: bytes | None) -> Any:
    """The payload `_sealed` wrote; raises (anything) on any other bytes."""
    start = len(_MAGIC) + 4
    if data is None or not data.startswith(_MAGIC):
        raise ValueError("not a memo")
    payload = memoryview(data)[start:]  # a view: the file is megabytes, not copied
    if zlib.crc32(payload) != int.from_bytes(data[len(_MAGIC) : start], "big"):
        raise ValueError("damaged")
    return marshal.loads(payload)


def _write(root: Path, name: str, data: bytes | None, forget: str | None = None) -> bool:
    """Replace the file `name` of the cache folder by `data` (then remove `forget`)."""
    if data is None:
        return False
    folder = open_cache_folder(root)
    if folder is None:
        return False  # no cache folder (or not a real one)
    with folder:
        written = folder.replace(name, data)
        if written and forget is not None:
            folder.unlink(forget)
        return written


def store_packed(
    root: Path,
    key: MemoKey,
    config: Config,
    now: datetime,
    valid_until: float,
    count: int,
    packed: Packed,
    structure: Any = None,
) -> bool:
    """Write the memo of an agenda of `count` items, packed (and the structure that
    updates it, beside it; no delta); False if that failed.

    Column by column, each column of texts joined into one string: loading a few large
    strings and splitting them is several times faster than unmarshalling 100,000s of
    small objects, and this file is read on every run that it answers.
    """
    token = os.urandom(8)  # names this memo: only a delta written for it applies
    # Beside the memo, which every run reads: only an update reads the structure.
    updatable = structure is not None and _write(
        root, STRUCTURE_FILE, _sealed((_FORMAT, token, structure))
    )
    header = (
        _FORMAT,
        token,
        updatable,
        key.head,
        key.states,
        key.others,
        config.timezone,
        _zone_identity(config.zone),
        now.timestamp(),
    )
    data = _sealed((header, valid_until, count, *packed))
    return _write(root, MEMO_FILE, data, forget=DELTA_FILE)


def answer_rows(now: datetime, rows: Rows, packed: Packed) -> RecalledAnswer:
    """The answer at `now` of an agenda given as rows (and packed by `pack_rows`)."""
    columns = {name: rows[name] for name in (*_EAGER, *_LAZY)}
    return RecalledAnswer(now, row_count(rows), packed[0], columns, None)


class Delta(NamedTuple):
    """What an update after an edit wrote beside the memo (`DELTA_FILE`), instead of
    writing the whole memo again: the items of some units replaced, the vault's state
    and the window of time of the result, the structure's buckets that changed."""

    #: The memo it applies to (`store_packed`'s token).
    token: bytes
    states: str
    since: float
    until: float
    #: The units whose stored items are gone, and those items' places.
    dropped: tuple[str, ...]
    gone: list[int]
    #: The items added (in the agenda's order), as rows with their units.
    rows: Rows
    #: For each added item, the place of the stored item it goes before.
    cuts: list[int]
    #: Table -> bucket number -> bucket, replacing the stored ones.
    buckets: dict[str, dict[int, bytes]]


def store_delta(root: Path, delta: Delta) -> bool:
    return _write(root, DELTA_FILE, _sealed((_FORMAT, *delta)))


def _read_delta(folder: CacheFolder, token: bytes) -> Delta | None:
    try:
        version, *fields = _opened(folder.read(DELTA_FILE, MAX_MEMO_BYTES))
        delta = Delta(*fields)
    except Exception:  # absent or damaged: the memo alone
        return None
    return delta if version == _FORMAT and delta.token == token else None


class Patch:
    """A delta as applied to each column of the stored agenda as it is read: the
    stored items at `gone` left out, the added ones put before the stored item at
    their cut. A few slices of each column: as cheap as the columns are long."""

    __slots__ = ("count", "rows", "steps")

    def __init__(self, stored: int, gone: Sequence[int], cuts: Sequence[int], rows: Rows) -> None:
        # (place, 0 = leave the stored item out / 1 = put the added item j there, j);
        # an added item goes before the stored item at its place, even one left out.
        steps = [(place, 1, number) for number, place in enumerate(cuts)]
        steps += [(place, 0, 0) for place in gone]
        steps.sort(key=lambda step: (step[0], -step[1], step[2]))
        self.steps, self.rows = steps, rows
        self.count = stored - len(gone) + len(cuts)

    def _apply(self, stored: Sequence[Any], added: Sequence[Any]) -> list[Any]:
        out: list[Any] = []
        start = 0
        for place, put, number in self.steps:
            out.extend(stored[start:place])
            if put:
                out.append(added[number])
                start = place
            else:
                start = place + 1
        out.extend(stored[start:])
        return out

    def column(self, name: str, stored: Sequence[Any]) -> list[Any]:
        return self._apply(stored, self.rows[name])

    def codes(self, name: str, table: list[Code], index: list[int]) -> tuple[list[Code], list[int]]:
        """A coded column: the added codes go to the end of the table."""
        added = self.rows[name]
        return table + added, self._apply(index, range(len(table), len(table) + len(added)))


class StoredMemo:
    """The memo as read (with its delta, if any): its key, the moment it was computed
    at and until when it holds, the columns, and what updates them."""

    def __init__(
        self,
        payload: Any,
        delta_of: Callable[[bytes], Delta | None],
        structure_of: Callable[[bytes], Any],
    ) -> None:
        """Raises (anything) when `payload` is not a memo of this format.
        `delta_of(token)` and `structure_of(token)` read the files beside it."""
        header, until, count, codes, eager, lazy = payload
        version, token, updatable, head, states, others, timezone, zone_identity, since = header
        if version != _FORMAT:
            raise ValueError("another format")
        self.token, self.updatable = token, updatable
        self.key = MemoKey(head, states, others)
        self.timezone, self.zone_identity = timezone, zone_identity
        self.since, self.until = float(since), float(until)
        #: The number of items stored (a delta adds and removes some).
        self.stored = count
        if not all(
            isinstance(codes.get(name), tuple) and len(codes[name][1]) == count
            for name in _CODED_FIELDS
        ):
            raise ValueError("damaged columns")
        self.codes, self.eager, self.lazy = codes, eager, lazy
        self.delta = delta_of(token) if updatable else None
        if self.delta is not None:
            self.key = self.key._replace(states=self.delta.states)
            self.since, self.until = self.delta.since, self.delta.until
        self._structure_of = structure_of

    def structure(self) -> Any:
        """What `incremental` keeps to update the items (None: nothing)."""
        return self._structure_of(self.token) if self.updatable else None

    def zone(self) -> tzinfo | None:
        """The vault's zone the items were computed in, if its rules are unchanged."""
        try:
            zone = zone_named(self.timezone)
        except ValueError:
            return None
        return zone if _zone_identity(zone) == self.zone_identity else None

    def holds_at(self, now: datetime) -> bool:
        """Whether the items hold at `now` (only `overdue` changes within the window)."""
        return self.since <= now.timestamp() < self.until

    def recall(self, clock: Callable[[tzinfo], datetime]) -> RecalledAnswer | None:
        """The answer at `clock(zone)` if the items still hold then."""
        zone = self.zone()
        if zone is None:
            return None
        now = clock(zone)  # not guarded: a bad --now is the user's error, not a miss
        if not self.holds_at(now):
            return None
        return self.answer_at(now)

    def answer_at(self, now: datetime, delta: Delta | None = None) -> RecalledAnswer | None:
        """The stored items (with the memo's delta, or `delta`) as the answer at `now`
        (which they must hold for)."""
        columns = _split(self.eager, self.stored)
        if columns is None or len(columns) != len(_EAGER):
            return None
        delta = delta or self.delta
        patch = None
        if delta is not None:
            patch = Patch(self.stored, delta.gone, delta.cuts, delta.rows)
        eager = dict(zip(_EAGER, columns, strict=True))
        return RecalledAnswer(now, self.stored, self.codes, eager, self.lazy, patch)

    def stored_rows(self) -> Rows | None:
        """Every stored column, each item's value (dues as codes), the delta not applied."""
        eager = _split(self.eager, self.stored)
        if eager is None or len(eager) != len(_EAGER):
            return None
        rows: Rows = dict(zip(_EAGER, eager, strict=True))
        rows.update(_lazy_columns(self.lazy, self.stored))
        for name in _CODED_FIELDS:
            table, index = self.codes[name]
            rows[name] = list(map(table.__getitem__, index))
        return rows


def load_memo(root: Path) -> StoredMemo | None:
    """The memo of the vault at `root` (and its delta), if there is one and it is
    intact."""
    folder = open_cache_folder(root)
    if folder is None:
        return None
    with folder:
        try:
            payload = _opened(folder.read(MEMO_FILE, MAX_MEMO_BYTES))
            return StoredMemo(
                payload,
                lambda token: _read_delta(folder, token),
                lambda token: _read_structure(root, token),
            )
        except Exception:  # absent or damaged: a miss (the checksum makes damage rare)
            return None


def _read_structure(root: Path, token: bytes) -> Any:
    """The structure written with the memo named `token`; None if there is none."""
    folder = open_cache_folder(root)
    if folder is None:
        return None
    with folder:
        try:
            version, written_for, structure = _opened(folder.read(STRUCTURE_FILE, MAX_MEMO_BYTES))
        except Exception:
            return None
    return structure if version == _FORMAT and written_for == token else None


def read_memo(
    root: Path, key: MemoKey, clock: Callable[[tzinfo], datetime]
) -> RecalledAnswer | None:
    """The memo's answer if it was computed for this key and still holds at
    `now = clock(zone)`, the zone being the vault's (which the memo knows)."""
    memo = load_memo(root)
    if memo is None or memo.key != key:
        return None
    return memo.recall(clock)


def _split(joined: Any, count: int) -> list[list[str]] | None:
    """Each joined column's `count` texts; None if `joined` holds anything else."""
    if not isinstance(joined, list) or not all(isinstance(text, str) for text in joined):
        return None
    columns = [text.split(_SEP) if count else [] for text in joined]
    return columns if all(len(column) == count for column in columns) else None


def forget_memo(root: Path) -> None:
    folder = open_cache_folder(root)
    if folder is not None:
        with folder:
            for name in (MEMO_FILE, DELTA_FILE, STRUCTURE_FILE):
                folder.unlink(name)


def _lazy_columns(lazy: bytes, count: int, names: Collection[str] = _LAZY) -> dict[str, list[Any]]:
    """The columns kept marshalled until asked for (see `_pack`): those of `names`."""
    texts, nones = marshal.loads(lazy)
    if not isinstance(texts, list) or len(texts) != len(_LAZY):
        raise ValueError("the agenda memo is inconsistent; delete .infoint/")
    wanted = [(name, text) for name, text in zip(_LAZY, texts, strict=True) if name in names]
    columns = _split([text for _, text in wanted], count)
    if columns is None:
        # The checksum matched, so only a writer bug gets here.
        raise ValueError("the agenda memo is inconsistent; delete .infoint/")
    found: dict[str, list[Any]] = {}
    for (name, _), texts_of_name in zip(wanted, columns, strict=True):
        column: list[str | None] = list(texts_of_name)
        for place in nones.get(name, ()):
            column[place] = None
        found[name] = column
    return found


#: The text fields `AgendaItem.sort_key` reads besides the due (SPEC 4.3: kind, note,
#: text): only these are split to place items among the stored ones (a test checks).
KEYED = ("kind", "note", "text")


class _Keyed:
    """What `AgendaItem.sort_key` reads of an item, without building one."""

    __slots__ = (_DUE, *KEYED)


def sort_key_at(rows: dict[str, Any], place: int, zone: tzinfo) -> tuple[Any, ...]:
    """`AgendaItem.sort_key` of the item at `place` of the rows."""
    keyed = _Keyed()
    for name in KEYED:
        setattr(keyed, name, rows[name][place])
    setattr(keyed, _DUE, _decode_due(rows[_DUE][place], zone))
    key: tuple[Any, ...] = AgendaItem.sort_key(keyed)  # type: ignore[arg-type]
    return key


class _StoredKeys:
    """`AgendaItem.sort_key` of the stored items, each worked out when first asked for
    (placing a few items among 15,000 asks for a few dozen)."""

    def __init__(self, memo: StoredMemo, zone: tzinfo) -> None:
        self._rows: dict[str, Any] = dict(_lazy_columns(memo.lazy, memo.stored, KEYED))
        for name in _CODED_FIELDS:
            table, index = memo.codes[name]
            self._rows[name] = _Coded(table, index)
        self._zone = zone
        self._keys: dict[int, tuple[Any, ...]] = {}

    def __call__(self, place: int) -> tuple[Any, ...]:
        found = self._keys.get(place)
        if found is None:
            found = self._keys[place] = sort_key_at(self._rows, place, self._zone)
        return found


class _Coded:
    """A coded column's values by place, without expanding it."""

    __slots__ = ("index", "table")

    def __init__(self, table: list[Code], index: list[int]) -> None:
        self.table, self.index = table, index

    def __getitem__(self, place: int) -> Code:
        return self.table[self.index[place]]


def kept_places(count: int, gone: Iterable[int]) -> list[int]:
    """The places of the stored items not `gone`, ascending."""
    keep = bytearray(b"\x01") * count
    for place in gone:
        keep[place] = 0
    return list(compress(range(count), keep))


def place_before(kept: list[int], place: int, count: int) -> int:
    """The kept item at `place` or the first after it (`count`: none): where an item
    that went before the item at `place` goes once that one is left out."""
    at = bisect_left(kept, place)
    return kept[at] if at < len(kept) else count


def cuts_among(memo: StoredMemo, kept: list[int], added: Rows, zone: tzinfo) -> list[int] | None:
    """For each of the `added` items (in order), the place of the `kept` stored item it
    goes before (`memo.stored`: after all); None when an added item sorts equal to a
    kept one: the rules' own order among equals is not known here, so only computing
    everything says where it goes."""
    key_at = _StoredKeys(memo, zone)
    cuts = []
    for place in range(row_count(added)):
        wanted = sort_key_at(added, place, zone)
        cut = bisect_left(kept, wanted, key=key_at)
        if cut < len(kept) and key_at(kept[cut]) == wanted:
            return None
        cuts.append(kept[cut] if cut < len(kept) else memo.stored)
    return cuts


def row_count(rows: Rows) -> int:
    return len(rows[_UNIT])


def sorted_rows(parts: Sequence[Rows], zone: tzinfo) -> Rows | None:
    """The items of several rows, each in the agenda's order, merged in that order;
    None when two of them sort equal (their order is not known here)."""
    keyed = [
        (sort_key_at(part, place, zone), number, place)
        for number, part in enumerate(parts)
        for place in range(row_count(part))
    ]
    keyed.sort()
    for before, after in pairwise(keyed):
        if before[0] == after[0] and before[1] != after[1]:
            return None
    names = parts[0].keys() if parts else ()
    return {name: [parts[number][name][place] for _, number, place in keyed] for name in names}


# --- answers ---------------------------------------------------------------------------


class AgendaAnswer(ABC):
    """The agenda at one moment, as the agenda command shows it: a selection (by
    horizon and kinds, in SPEC order), written as JSON objects or as items."""

    now: datetime

    @abstractmethod
    def select(self, within_days: int | None, kinds: Collection[str]) -> Sequence[Any]:
        """The items (or their places) `agenda.Shown` at now + `within_days`."""

    @abstractmethod
    def items(self, selection: Sequence[Any]) -> list[AgendaItem]: ...

    @abstractmethod
    def json_objects(self, selection: Sequence[Any]) -> list[str]:
        """Each selected item's `--json` object, on one line."""

    @abstractmethod
    def any_overdue(self, selection: Sequence[Any]) -> bool: ...


class ComputedAnswer(AgendaAnswer):
    """Items just computed."""

    def __init__(self, items: list[AgendaItem], now: datetime) -> None:
        self.all, self.now = items, now

    def select(self, within_days: int | None, kinds: Collection[str]) -> list[AgendaItem]:
        return select(self.all, self.now, within_days, kinds)

    def items(self, selection: Sequence[AgendaItem]) -> list[AgendaItem]:
        return list(selection)

    def json_objects(self, selection: Sequence[AgendaItem]) -> list[str]:
        return list(map(_ITEM_JSON.write, selection))

    def any_overdue(self, selection: Sequence[AgendaItem]) -> bool:
        return any(item.overdue for item in selection)


class RecalledAnswer(AgendaAnswer):
    """The memo's columns. A selection is a list of places; `agenda --json` reads only
    the dues and the JSON texts, and builds no item at all."""

    def __init__(
        self,
        now: datetime,
        count: int,
        codes: dict[str, tuple[list[Code], list[int]]],
        eager: dict[str, list[Any]],
        lazy: bytes | None,
        patch: Patch | None = None,
    ) -> None:
        """`count` items as stored, with `patch` applied; `eager`: columns at hand, the
        others are in `lazy` (None: all at hand)."""
        self.now, self.count, self._stored = now, count, count
        self._lazy, self._patch = lazy, patch
        if patch is not None:
            self.count = patch.count
            codes = {name: patch.codes(name, *pair) for name, pair in codes.items()}
            eager = {name: patch.column(name, column) for name, column in eager.items()}
        self._codes = codes
        self._columns: dict[str, list[Any]] = dict(eager)
        self._distinct: dict[str, list[date | datetime]] = {}

    def column(self, name: str) -> list[Any]:
        """The values of one field of every item (or of one of the JSON texts)."""
        found = self._columns.get(name)
        if found is None:
            if name == _RECOMPUTED:
                found = self._overdue()
            elif name in self._codes:
                found = list(map(self._values(name).__getitem__, self._codes[name][1]))
            else:
                self._load_lazy()
                found = self._columns[name]
            self._columns[name] = found
        return found

    def _load_lazy(self) -> None:
        assert self._lazy is not None
        for name, column in _lazy_columns(self._lazy, self._stored).items():
            patched = column if self._patch is None else self._patch.column(name, column)
            self._columns[name] = patched

    def _values(self, name: str) -> list[date | datetime]:
        """The distinct values of a coded field (`_codes[name][1]` places items among them)."""
        found = self._distinct.get(name)
        if found is None:
            zone = self.now.tzinfo
            assert zone is not None
            table = self._codes[name][0]
            found = self._distinct[name] = [_decode_due(code, zone) for code in table]
        return found

    def _overdue(self) -> list[bool]:
        overdue = list(map(overdue_at(self.now), self._values(_DUE)))
        return list(map(overdue.__getitem__, self._codes[_DUE][1]))

    def select(self, within_days: int | None, kinds: Collection[str]) -> list[int]:
        # `agenda.Shown` decides once per distinct kind and due: items share both.
        shown = Shown(self.now, within_days, kinds)
        due_ok = list(map(shown.due, self._values(_DUE)))
        index = self._codes[_DUE][1]
        if shown.every_kind:
            return list(compress(range(self.count), map(due_ok.__getitem__, index)))
        kinds_here = self.column("kind")
        kind_ok = {kind: shown.kind(kind) for kind in set(kinds_here)}
        pairs = zip(kinds_here, index, strict=True)
        return [place for place, (kind, due) in enumerate(pairs) if kind_ok[kind] and due_ok[due]]

    def json_objects(self, selection: Sequence[int]) -> list[str]:
        heads, tails = self.column(_JSON_HEAD), self.column(_JSON_TAIL)
        overdue = self.column(_RECOMPUTED)
        return [f"{heads[p]}{_JSON_BOOL[overdue[p]]}{tails[p]}" for p in selection]

    def any_overdue(self, selection: Sequence[int]) -> bool:
        overdue = self.column(_RECOMPUTED)
        return any(overdue[place] for place in selection)

    def items(self, selection: Sequence[int]) -> list[AgendaItem]:
        columns = [self.column(name) for name in _FIELDS]
        with paused_gc():
            return [AgendaItem(*[column[place] for column in columns]) for place in selection]


# --- the agenda, remembered ------------------------------------------------------------


class Vault(Protocol):
    """What the agenda needs from a vault, each part fetched only when used (the CLI's
    App is one)."""

    @property
    def root(self) -> Path: ...

    @property
    def use_cache(self) -> bool: ...

    @property
    def config(self) -> Config: ...

    def config_bytes(self) -> bytes: ...

    def files(self) -> list[NoteFile]:
        """The vault's Markdown files, `exclude` not applied (it needs the config)."""

    def others(self) -> list[str]:
        """The vault's other files, which links may reach."""

    def use_index(self, index: VaultIndex) -> None: ...


def agenda_at(vault: Vault, clock: Callable[[tzinfo], datetime]) -> AgendaAnswer:
    """Every agenda item, as `agenda.build_agenda` gives them, at `clock(zone)` (the
    moment in the vault's zone).

    From the memo when nothing changed: then neither infoint.yaml nor any note is
    parsed. When only some notes changed, the memo is brought up to date by
    recomputing the items of the units they touch (`incremental.update_agenda`). Else
    everything is computed, and remembered."""
    if not vault.use_cache:
        return _computed(vault, clock, None)
    key = memo_key(vault.files(), vault.config_bytes(), vault.others())
    memo = load_memo(vault.root)
    if memo is not None and memo.key == key:
        recalled = memo.recall(clock)
        if recalled is not None:
            return recalled
    if memo is not None and memo.key.head == key.head and memo.key.others == key.others:
        from .incremental import update_agenda  # here: only an edit needs it

        updated = update_agenda(vault, memo, key, clock)
        if updated is not None:
            return updated
    return _computed(vault, clock, key)


def _computed(
    vault: Vault, clock: Callable[[tzinfo], datetime], key: MemoKey | None
) -> ComputedAnswer:
    """The agenda computed from every note; remembered under `key` (None: not)."""
    # Imported here: a remembered agenda never loads notes.
    from ..core.vault import NoteRules, VaultFiles, excluding
    from .incremental import structure_of
    from .loader import load

    config = vault.config
    now = clock(config.zone)
    found = excluding(VaultFiles(vault.files(), vault.others()), NoteRules(exclude=config.exclude))
    loaded = load(
        vault.root,
        config,
        found.notes,
        cache=key is not None,
        whole_vault=True,
        attachments=found.others,
    )
    vault.use_index(loaded.index)
    agenda = compute_agenda(loaded.index, now)
    if key is not None and loaded.stats.written:
        structure = structure_of(loaded.index, agenda.items)
        if loaded.unsettled:
            unsettled = memo_key(vault.files(), b"", unsettled=loaded.unsettled)
            key = key._replace(states=unsettled.states)
        write_memo(vault.root, key, config, now, agenda.valid_until, agenda.items, structure)
    return ComputedAnswer(agenda.items, now)
