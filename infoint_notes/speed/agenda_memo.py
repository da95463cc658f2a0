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

It is written only when every note was read settled (no file young enough to change
unseen within its timestamp's granularity, no unreadable file: the cache's own rules),
atomically, with a checksum. Anything unexpected is a miss, never an error; deleting
the file costs one full computation.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
import zoneinfo
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Sequence
from dataclasses import fields
from datetime import date, datetime, tzinfo
from functools import lru_cache
from itertools import compress
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..core.config import Config
from ..core.dates import zone_named
from ..core.vault import NoteFile
from ..formats.jsontext import RecordJSON
from ..rules.agenda import AgendaItem, Shown, compute_agenda, overdue_at, select
from .cachedir import open_cache_folder
from .memory import paused_gc

if TYPE_CHECKING:
    from ..core.index import VaultIndex

MEMO_FILE = "agenda.memo"
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


def memo_key(files: Sequence[NoteFile], config_bytes: bytes) -> bytes:
    """Everything the agenda depends on but the clock, spelled out (compared whole, not
    as a digest, so two states can never be taken for one): the code, the bytes of
    infoint.yaml (not its parsed settings: a remembered answer needs no YAML parser),
    where the local zone comes from, and every note's path, mtime, size, inode and
    change time."""
    # NUL never occurs in a file name, so the joins are unambiguous.
    state = "\0".join(
        [f"{file.rel}\0{file.mtime_ns}\0{file.size}\0{file.ino}\0{file.ctime_ns}" for file in files]
    )
    head = (
        f"{_FORMAT}\0{_code_identity()}\0{_zone_environment()}\0"
        f"{_holidays_identity(config_bytes)}\0{len(config_bytes)}\0"
    )
    return b"".join(
        (
            head.encode("utf-8", "surrogateescape"),
            config_bytes,
            state.encode("utf-8", "surrogateescape"),
        )
    )


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


def _join(texts: list[str]) -> str | None:
    if not texts:
        return ""  # an empty agenda is remembered too
    joined = _SEP.join(texts)
    return joined if joined.count(_SEP) == len(texts) - 1 else None


def _columns(items: Sequence[AgendaItem], zone: tzinfo) -> tuple[Any, ...] | None:
    """(codes, eager texts, lazy texts and Nones) of the items, by field; None when some
    value cannot be stored."""
    # Each coded field: its distinct values (items share dues: a milestone's, an
    # interview's) and each item's place among them.
    codes: dict[str, tuple[list[Code], list[int]]] = {}
    for name in _CODED_FIELDS:
        table: list[Code] = []
        seen: dict[Code, int] = {}
        index = []
        for value in map(attrgetter(name), items):
            code = _encode_due(value, zone)
            if code is None:
                return None
            position = seen.get(code)
            if position is None:
                position = seen[code] = len(table)
                table.append(code)
            index.append(position)
        codes[name] = (table, index)
    texts = {name: list(map(attrgetter(name), items)) for name in _TEXT_FIELDS}
    nones = {
        name: [place for place, text in enumerate(texts[name]) if text is None]
        for name in _TEXT_FIELDS
        if _KIND_OF[name] == _OPTIONAL_TEXT
    }
    for name, places in nones.items():
        for place in places:
            texts[name][place] = ""
    parts = list(map(_ITEM_JSON.around_text, items))
    texts[_JSON_HEAD] = [head for head, _ in parts]
    texts[_JSON_TAIL] = [tail for _, tail in parts]
    joined = {name: _join(column) for name, column in texts.items()}
    if None in joined.values():
        return None
    eager = [joined[name] for name in _EAGER]
    lazy = marshal.dumps(([joined[name] for name in _LAZY], nones))
    return codes, eager, lazy


def write_memo(
    root: Path,
    key: bytes,
    config: Config,
    now: datetime,
    valid_until: float,
    items: Sequence[AgendaItem],
) -> bool:
    """Store the items computed at `now`; False when they could not be stored.

    Column by column, each column of texts joined into one string: loading a few large
    strings and splitting them is several times faster than unmarshalling 100,000s of
    small objects, and this file is read on every run that it answers.
    """
    columns = _columns(items, config.zone)
    if columns is None:
        return False
    header = (_FORMAT, key, config.timezone, _zone_identity(config.zone), now.timestamp())
    payload = marshal.dumps((header, valid_until, len(items), *columns))
    data = _MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload
    if len(data) > MAX_MEMO_BYTES:
        return False
    folder = open_cache_folder(root)
    if folder is None:
        return False  # no cache folder (or not a real one)
    with folder:
        return folder.replace(MEMO_FILE, data)


def read_memo(root: Path, key: bytes, clock: Callable[[tzinfo], datetime]) -> RecalledAnswer | None:
    """The memo's answer if it was computed for this key and still holds at
    `now = clock(zone)`, the zone being the vault's (which the memo knows)."""
    folder = open_cache_folder(root)
    if folder is None:
        return None
    with folder:
        data = folder.read(MEMO_FILE, MAX_MEMO_BYTES)
    if data is None:
        return None
    start = len(_MAGIC) + 4
    if not data.startswith(_MAGIC):
        return None
    payload = memoryview(data)[start:]  # a view: the file is megabytes, not copied
    if zlib.crc32(payload) != int.from_bytes(data[len(_MAGIC) : start], "big"):
        return None
    try:
        header, until, count, codes, eager, lazy = marshal.loads(payload)
        version, stored_key, timezone, zone_identity, since = header
        if version != _FORMAT or stored_key != key:
            return None
        zone = zone_named(timezone)
        if _zone_identity(zone) != zone_identity:
            return None
    except Exception:  # a damaged memo is a miss (the checksum makes this rare)
        return None
    now = clock(zone)  # outside the try: a bad --now is the user's error, not a miss
    if not since <= now.timestamp() < until:
        return None
    if not all(
        isinstance(codes.get(name), tuple) and len(codes[name][1]) == count
        for name in _CODED_FIELDS
    ):
        return None
    columns = _split(eager, count)
    if columns is None or len(columns) != len(_EAGER):
        return None
    return RecalledAnswer(now, count, codes, dict(zip(_EAGER, columns, strict=True)), lazy)


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
            folder.unlink(MEMO_FILE)


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
        eager: dict[str, list[str]],
        lazy: bytes,
    ) -> None:
        self.now, self.count = now, count
        self._codes, self._lazy = codes, lazy
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
        texts, nones = marshal.loads(self._lazy)
        columns = _split(texts, self.count)
        if columns is None or len(columns) != len(_LAZY):
            # The checksum matched, so only a writer bug gets here.
            raise ValueError("the agenda memo is inconsistent; delete .infoint/")
        for name, texts_of_name in zip(_LAZY, columns, strict=True):
            column: list[str | None] = list(texts_of_name)
            for place in nones.get(name, ()):
                column[place] = None
            self._columns[name] = column

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

    def files(self) -> list[NoteFile]: ...

    def use_index(self, index: VaultIndex) -> None: ...


def agenda_at(vault: Vault, clock: Callable[[tzinfo], datetime]) -> AgendaAnswer:
    """Every agenda item, as `agenda.build_agenda` gives them, at `clock(zone)` (the
    moment in the vault's zone). From the memo when it holds: then neither infoint.yaml
    nor any note is parsed; else computed and remembered."""
    key = memo_key(vault.files(), vault.config_bytes()) if vault.use_cache else None
    if key is not None:
        recalled = read_memo(vault.root, key, clock)
        if recalled is not None:
            return recalled
    from .loader import load  # here: a remembered agenda never loads notes

    config = vault.config
    now = clock(config.zone)
    loaded = load(vault.root, config, vault.files(), cache=vault.use_cache, whole_vault=True)
    vault.use_index(loaded.index)
    agenda = compute_agenda(loaded.index, now)
    stats = loaded.stats
    if key is not None and stats.settled and stats.written:
        write_memo(vault.root, key, config, now, agenda.valid_until, agenda.items)
    return ComputedAnswer(agenda.items, now)
