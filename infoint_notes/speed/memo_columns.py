"""The agenda memo's columns: items stored field by field (dues coded, texts joined),
packed, sealed with a checksum and written atomically; the delta an edit leaves beside the
memo and how it patches the columns."""

from __future__ import annotations

import marshal
import os
from collections.abc import Collection, Sequence
from dataclasses import fields
from datetime import date, datetime, tzinfo
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..formats.jsontext import RecordJSON
from ..rules.agenda import AgendaItem
from .cachedir import CacheFolder, open_cache_folder
from .memo_key import (
    DELTA_FILE,
    FORMAT,
    MAX_MEMO_BYTES,
    MEMO_FILE,
    STRUCTURE_FILE,
    MemoKey,
    opened,
    zone_identity,
)
from .memo_key import (
    sealed as _sealed,
)

if TYPE_CHECKING:
    from ..core.config import Config

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


def decode_due(code: Code, zone: tzinfo) -> date | datetime:
    if isinstance(code, int):
        return date.fromordinal(code)
    year, month, day, hour, minute, second, microsecond, fold = code
    return datetime(year, month, day, hour, minute, second, microsecond, zone, fold=fold)


#: Separates the texts of one column; a text holding it is not remembered.
SEP = "\x00"


#: The field not stored but recomputed at every read: `overdue_at(now)(due)`.
RECOMPUTED = "overdue"


#: How each other field of `AgendaItem` is stored, by its annotation: dues as codes,
#: texts joined per column (a None where the field allows one: an empty text, and its
#: place in the column's list of Nones).
_CODED, _TEXT, _OPTIONAL_TEXT = "When", "str", "str | None"


FIELDS = tuple(item_field.name for item_field in fields(AgendaItem))


_KIND_OF = {item_field.name: str(item_field.type) for item_field in fields(AgendaItem)}


UNKNOWN = [
    f"{name}: {kind}"
    for name, kind in _KIND_OF.items()
    if name != RECOMPUTED and kind not in (_CODED, _TEXT, _OPTIONAL_TEXT)
]


CODED_FIELDS = tuple(name for name in FIELDS if _KIND_OF[name] == _CODED)


#: The field `overdue` and the selection are worked out from.
DUE = "due"


_TEXT_FIELDS = tuple(name for name in FIELDS if _KIND_OF[name] in (_TEXT, _OPTIONAL_TEXT))


#: Each item's `--json` object, and its texts around `overdue`, which the memo keeps.
ITEM_JSON = RecordJSON(AgendaItem, around=RECOMPUTED)


JSON_HEAD, JSON_TAIL = "json before overdue", "json after overdue"


#: What `agenda --json` reads (with the dues): the JSON texts. The other columns stay
#: marshalled until something asks for them (a --kind, items to show as text).
EAGER = (JSON_HEAD, JSON_TAIL)


LAZY = tuple(name for name in _TEXT_FIELDS if name not in EAGER)


JSON_BOOL = {True: "true", False: "false"}


#: Each item's unit: the part of the vault it was computed from (`speed.incremental`),
#: so that an edit recomputes only the items of the units it touches.
UNIT = _UNIT = "unit"


#: An agenda as columns: for each field but `overdue` (a due as its `Code`), each JSON
#: text and the unit, one value per item, in the agenda's order.
Rows = dict[str, list[Any]]


def _join(texts: list[str]) -> str | None:
    if not texts:
        return ""  # an empty agenda is remembered too
    joined = SEP.join(texts)
    return joined if joined.count(SEP) == len(texts) - 1 else None


def item_rows(
    items: Sequence[AgendaItem], zone: tzinfo, units: Sequence[str] | None = None
) -> Rows | None:
    """The items as columns; None when a due cannot be stored. Without `units` the
    memo can only be recalled, not updated."""
    rows: Rows = {}
    for name in CODED_FIELDS:
        codes = [_encode_due(value, zone) for value in map(attrgetter(name), items)]
        if any(code is None for code in codes):
            return None
        rows[name] = codes
    for name in _TEXT_FIELDS:
        rows[name] = list(map(attrgetter(name), items))
    parts = list(map(ITEM_JSON.around_text, items))
    rows[JSON_HEAD] = [head for head, _ in parts]
    rows[JSON_TAIL] = [tail for _, tail in parts]
    if units is not None:
        rows[_UNIT] = list(units)
    return rows


def _pack(rows: Rows) -> Packed | None:
    """(codes, eager texts, lazy texts and Nones) of the rows; None when some text
    cannot be stored."""
    # Each coded field: its distinct values (items share dues: a milestone's, an
    # interview's) and each item's place among them.
    codes: dict[str, tuple[list[Code], list[int]]] = {}
    for name in CODED_FIELDS:
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
    joined.update((name, _join(rows[name])) for name in EAGER)
    if None in joined.values():
        return None
    eager = [joined[name] for name in EAGER]
    lazy = marshal.dumps(([joined[name] for name in LAZY], nones))
    return codes, eager, lazy


def write_memo(
    root: Path,
    key: MemoKey,
    config: Config,
    now: datetime,
    valid_until: float,
    items: Sequence[AgendaItem],
    structure: Any = None,
) -> tuple[Rows, Packed] | None:
    """Store the items computed at `now` (and the `structure` that updates them, when
    given): their rows as written (an answer reads them as a recalled one does); None
    when they could not be stored."""
    rows = item_rows(items, config.zone)
    packed = None if rows is None else _pack(rows)
    if rows is None or packed is None:
        return None
    if not store_packed(root, key, config, now, valid_until, len(items), packed, structure):
        return None
    return rows, packed


def pack_rows(rows: Rows) -> Packed | None:
    """The rows as the memo stores them; None when some text cannot be stored."""
    return _pack(rows)


#: What `pack_rows` gives: (codes, eager texts, lazy texts and Nones).
Packed = tuple[Any, ...]


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
        root, STRUCTURE_FILE, _sealed((FORMAT, token, structure))
    )
    header = (
        FORMAT,
        token,
        updatable,
        key.head,
        key.states,
        key.others,
        config.timezone,
        zone_identity(config.zone),
        now.timestamp(),
    )
    data = _sealed((header, valid_until, count, *packed))
    return _write(root, MEMO_FILE, data, forget=DELTA_FILE)


class Delta(NamedTuple):
    """What an update after an edit wrote beside the memo (`DELTA_FILE`), instead of
    writing the whole memo again: the items of some units replaced, the vault's state
    and the window of time of the result, the structure's buckets that changed."""

    #: The memo it applies to (`store_packed`'s token).
    token: bytes
    states: bytes
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
    return _write(root, DELTA_FILE, _sealed((FORMAT, *delta)))


def read_delta(folder: CacheFolder, token: bytes) -> Delta | None:
    try:
        version, *fields = opened(folder.read(DELTA_FILE, MAX_MEMO_BYTES))
        delta = Delta(*fields)
    except Exception:  # absent or damaged: the memo alone
        return None
    return delta if version == FORMAT and delta.token == token else None


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


def forget_memo(root: Path) -> None:
    folder = open_cache_folder(root)
    if folder is not None:
        with folder:
            for name in (MEMO_FILE, DELTA_FILE, STRUCTURE_FILE):
                folder.unlink(name)


def lazy_columns(lazy: bytes, count: int, names: Collection[str] = LAZY) -> dict[str, list[Any]]:
    """The columns kept marshalled until asked for (see `_pack`): those of `names`."""
    texts, nones = marshal.loads(lazy)
    if not isinstance(texts, list) or len(texts) != len(LAZY):
        raise ValueError("the agenda memo is inconsistent; delete .infoint/")
    wanted = [(name, text) for name, text in zip(LAZY, texts, strict=True) if name in names]
    columns = split([text for _, text in wanted], count)
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


def row_count(rows: Rows) -> int:
    return len(rows[_UNIT])


def split(joined: Any, count: int) -> list[list[str]] | None:
    """Each joined column's `count` texts; None if `joined` holds anything else."""
    if not isinstance(joined, list) or not all(isinstance(text, str) for text in joined):
        return None
    columns = [text.split(SEP) if count else [] for text in joined]
    return columns if all(len(column) == count for column in columns) else None
