"""A memo of the agenda: `<vault>/.infoint/agenda.memo`.

Asking for the agenda again while no note changed is the most common run of all (a
shell prompt, a cron job, a status bar). Those runs answer from the items the last run
computed, without reading a cache record or typing a note: the walk and its one stat
per file are all the vault work left.

The memo holds the full, unfiltered item list of one moment with what it depends on:

- the vault's state: every note's path, `mtime_ns`, size, inode and change time, as
  the walk saw them;
- the bytes of `infoint.yaml`, where the local zone and the zone rules come from (TZ,
  PYTHONTZPATH, /etc/localtime, the zone's tzdata file) and the Python version;
- the code that computes it (each core module's modification time and size);
- the window of time it holds for: from the moment it was computed to the first instant
  at which the clock flips a rule (an interview becoming `done`, one entering its
  preparation window; `agenda.compute_agenda` finds that instant). Inside the window
  only each item's `overdue` changes, and that is recomputed on every read.

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
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date, datetime, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..core.config import Config
from ..core.dates import zone_named
from ..core.vault import NoteFile
from ..rules.agenda import AgendaItem, compute_agenda, horizon, select
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
_FORMAT = 4


# --- what the memo depends on ----------------------------------------------------------


@lru_cache(maxsize=1)
def _code_identity() -> str:
    """Changes with any core module (the commands only present the items): each one's
    modification time and size, the test Python itself uses to trust its bytecode."""
    parts = []
    package = Path(__file__).parent.parent
    for layer in ("core", "rules", "speed"):
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
    head = f"{_FORMAT}\0{_code_identity()}\0{_zone_environment()}\0{len(config_bytes)}\0"
    return b"".join(
        (
            head.encode("utf-8", "surrogateescape"),
            config_bytes,
            state.encode("utf-8", "surrogateescape"),
        )
    )


# --- storing items ---------------------------------------------------------------------


def _encode_due(due: date | datetime, zone: tzinfo) -> int | None:
    """One int: a day's ordinal (> 0), or for a date-time its wall-clock fields and fold
    packed into a negative number (rebuilt in the same zone they give the very same
    datetime, even a time in a daylight-saving gap). None: not a value we can rebuild."""
    if not isinstance(due, datetime):
        return due.toordinal()
    if due.tzinfo is not zone:
        return None
    seconds = (due.toordinal() * 24 + due.hour) * 3600 + due.minute * 60 + due.second
    return -1 - ((seconds * 1_000_000 + due.microsecond) * 2 + due.fold)


def _decode_due(code: int, zone: tzinfo) -> date | datetime:
    if code > 0:
        return date.fromordinal(code)
    packed, fold = divmod(-1 - code, 2)
    seconds, microsecond = divmod(packed, 1_000_000)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    ordinal, hour = divmod(hours, 24)
    day = date.fromordinal(ordinal)
    return datetime(
        day.year, day.month, day.day, hour, minute, second, microsecond, zone, fold=fold
    )


#: Separates the texts of one column; a text holding it is not remembered.
_SEP = "\x00"
_TEXT_COLUMNS = ("kind", "note", "contact", "text", "subject", "head", "tail")
#: What `agenda --json` needs; the other columns stay marshalled until items are built.
_JSON_COLUMNS = ("kind", "head", "tail")
_ITEM_COLUMNS = tuple(name for name in _TEXT_COLUMNS if name not in _JSON_COLUMNS)


def _join(texts: list[str]) -> str | None:
    if not texts:
        return ""  # an empty agenda is remembered too
    joined = _SEP.join(texts)
    return joined if joined.count(_SEP) == len(texts) - 1 else None


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
    zone = config.zone
    # Items share due objects (a milestone's, an interview's): each is encoded once.
    coded: dict[int, tuple[int | None, float | None]] = {}
    dues: list[int] = []
    moments: list[float | None] = []
    for item in items:
        due = item.due
        found = coded.get(id(due))
        if found is None:
            moment = due.timestamp() if isinstance(due, datetime) else None
            found = coded[id(due)] = (_encode_due(due, zone), moment)
        if found[0] is None:
            return False
        dues.append(found[0])
        moments.append(found[1])
    parts = [item.encoded_parts() for item in items]
    texts = {
        "kind": [item.kind for item in items],
        "note": [item.note for item in items],
        "contact": [item.contact or "" for item in items],
        "text": [item.text for item in items],
        "subject": [item.subject for item in items],
        "head": [head for head, _ in parts],
        "tail": [tail for _, tail in parts],
    }
    shown = [_join(texts[name]) for name in _JSON_COLUMNS]
    rest = [_join(texts[name]) for name in _ITEM_COLUMNS]
    if None in shown or None in rest:
        return False
    header = (_FORMAT, key, config.timezone, _zone_identity(zone), now.timestamp(), valid_until)
    payload = marshal.dumps((header, len(dues), dues, moments, shown, marshal.dumps(rest)))
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
        header, count, dues, moments, shown, rest = marshal.loads(payload)
        version, stored_key, timezone, zone_identity, since, until = header
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
    if len(dues) != count or len(moments) != count or not _whole(shown, _JSON_COLUMNS, count):
        return None
    return RecalledAnswer(now, dues, moments, dict(zip(_JSON_COLUMNS, shown, strict=True)), rest)


def _whole(joined: Any, names: tuple[str, ...], count: int) -> bool:
    """Whether `joined` holds one joined text per column name, of `count` texts each."""
    separators = max(count - 1, 0)
    return (
        isinstance(joined, list)
        and len(joined) == len(names)
        and all(isinstance(text, str) and text.count(_SEP) == separators for text in joined)
    )


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
        """The items (or their places) due no later than now + `within_days`."""

    @abstractmethod
    def items(self, selection: Sequence[Any]) -> list[AgendaItem]: ...

    @abstractmethod
    def json_objects(self, selection: Sequence[Any]) -> list[str]:
        """Each selected item's `--json` object, on one line."""

    @abstractmethod
    def any_overdue(self, selection: Sequence[Any]) -> bool: ...


class ComputedAnswer(AgendaAnswer):
    def __init__(self, items: list[AgendaItem], now: datetime) -> None:
        self.all, self.now = items, now

    def select(self, within_days: int | None, kinds: Collection[str]) -> list[AgendaItem]:
        return select(self.all, self.now, within_days, kinds)

    def items(self, selection: Sequence[AgendaItem]) -> list[AgendaItem]:
        return list(selection)

    def json_objects(self, selection: Sequence[AgendaItem]) -> list[str]:
        return [item.json_object() for item in selection]

    def any_overdue(self, selection: Sequence[AgendaItem]) -> bool:
        return any(item.overdue for item in selection)


class RecalledAnswer(AgendaAnswer):
    """The memo's columns. Selecting and writing JSON work on them directly (a day's
    ordinal, an instant, the two JSON parts), as `agenda.select` and `is_overdue` do on
    items: the common `agenda --json` builds no item at all."""

    def __init__(
        self,
        now: datetime,
        dues: list[int],
        moments: list[float | None],
        joined: dict[str, str],
        rest: bytes,
    ) -> None:
        self.now, self.dues, self.moments = now, dues, moments
        self._joined, self._rest = joined, rest
        self._columns: dict[str, list[str]] = {}
        self._instant, self._today = now.timestamp(), now.date().toordinal()

    def column(self, name: str) -> list[str]:
        found = self._columns.get(name)
        if found is None:
            if name not in self._joined:
                rest = marshal.loads(self._rest)
                if not _whole(rest, _ITEM_COLUMNS, len(self.dues)):
                    # The checksum matched, so only a writer bug gets here.
                    raise ValueError("the agenda memo is inconsistent; delete .infoint/")
                self._joined.update(zip(_ITEM_COLUMNS, rest, strict=True))
            text = self._joined[name]
            found = self._columns[name] = text.split(_SEP) if self.dues else []
        return found

    def overdue(self, place: int) -> bool:
        moment = self.moments[place]
        return self._instant > moment if moment is not None else self._today > self.dues[place]

    def select(self, within_days: int | None, kinds: Collection[str]) -> list[int]:
        places: Iterable[int] = range(len(self.dues))
        if kinds:
            wanted = self.column("kind")
            places = [place for place in places if wanted[place] in kinds]
        limit = horizon(self.now, within_days)
        if limit is None:
            return list(places)
        # agenda.due_by: an instant against the limit's, a day against the limit's day.
        latest, last_day = limit.timestamp(), limit.date().toordinal()
        moments, dues = self.moments, self.dues

        def due_by(place: int) -> bool:
            moment = moments[place]
            return moment <= latest if moment is not None else dues[place] <= last_day

        return [place for place in places if due_by(place)]

    def json_objects(self, selection: Sequence[int]) -> list[str]:
        heads, tails, overdue = self.column("head"), self.column("tail"), self.overdue
        return [
            f"{heads[place]}{'true' if overdue(place) else 'false'}{tails[place]}"
            for place in selection
        ]

    def any_overdue(self, selection: Sequence[int]) -> bool:
        return any(self.overdue(place) for place in selection)

    def items(self, selection: Sequence[int]) -> list[AgendaItem]:
        zone = self.now.tzinfo
        assert zone is not None
        kind, note, contact, text, subject, head, tail = map(self.column, _TEXT_COLUMNS)
        decoded: dict[int, date | datetime] = {}  # many items share a due (a milestone's)
        found = []
        with paused_gc():
            for place in selection:
                code = self.dues[place]
                due = decoded.get(code)
                if due is None:
                    due = decoded[code] = _decode_due(code, zone)
                found.append(
                    AgendaItem(
                        kind[place],
                        due,
                        self.overdue(place),
                        note[place],
                        contact[place] or None,
                        text[place],
                        subject[place],
                        (head[place], tail[place]),
                    )
                )
        return found


# --- the agenda, remembered ------------------------------------------------------------


class Vault(Protocol):
    """What the agenda needs from a vault, each part fetched only when used (the CLI's
    App is one)."""

    root: Path

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
