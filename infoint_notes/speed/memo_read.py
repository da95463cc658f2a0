"""Reading the memo back (`StoredMemo`), and the places of its items: the sort keys
stored items are ordered by, so the items an edit computes again are placed among them."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, tzinfo
from itertools import compress, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.dates import zone_named
from ..rules.agenda import AgendaItem
from .cachedir import open_cache_folder
from .memo_answers import RecalledAnswer
from .memo_columns import (
    CODED_FIELDS,
    DUE,
    EAGER,
    Code,
    Delta,
    Patch,
    Rows,
    decode_due,
    lazy_columns,
    opened,
    read_delta,
    row_count,
    split,
)
from .memo_key import FORMAT, MAX_MEMO_BYTES, MEMO_FILE, STRUCTURE_FILE, MemoKey, zone_identity

if TYPE_CHECKING:
    pass


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
        if version != FORMAT:
            raise ValueError("another format")
        self.token, self.updatable = token, updatable
        self.key = MemoKey(head, states, others)
        self.timezone, self.zone_identity = timezone, zone_identity
        self.since, self.until = float(since), float(until)
        #: The number of items stored (a delta adds and removes some).
        self.stored = count
        if not all(
            isinstance(codes.get(name), tuple) and len(codes[name][1]) == count
            for name in CODED_FIELDS
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
        return zone if zone_identity(zone) == self.zone_identity else None

    def holds_at(self, now: datetime) -> bool:
        """Whether the items hold at `now` (only `overdue` changes within the window):
        they always do at the very moment they were computed for (a `--now` or
        INFOINT_NOW given again), even when the next instant changes them."""
        at = now.timestamp()
        return at == self.since or self.since <= at < self.until

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
        columns = split(self.eager, self.stored)
        if columns is None or len(columns) != len(EAGER):
            return None
        delta = delta or self.delta
        patch = None
        if delta is not None:
            patch = Patch(self.stored, delta.gone, delta.cuts, delta.rows)
        eager = dict(zip(EAGER, columns, strict=True))
        return RecalledAnswer(now, self.stored, self.codes, eager, self.lazy, patch)

    def stored_rows(self) -> Rows | None:
        """Every stored column, each item's value (dues as codes), the delta not applied."""
        eager = split(self.eager, self.stored)
        if eager is None or len(eager) != len(EAGER):
            return None
        rows: Rows = dict(zip(EAGER, eager, strict=True))
        rows.update(lazy_columns(self.lazy, self.stored))
        for name in CODED_FIELDS:
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
            payload = opened(folder.read(MEMO_FILE, MAX_MEMO_BYTES))
            return StoredMemo(
                payload,
                lambda token: read_delta(folder, token),
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
            version, written_for, structure = opened(folder.read(STRUCTURE_FILE, MAX_MEMO_BYTES))
        except Exception:
            return None
    return structure if version == FORMAT and written_for == token else None


def read_memo(
    root: Path, key: MemoKey, clock: Callable[[tzinfo], datetime]
) -> RecalledAnswer | None:
    """The memo's answer if it was computed for this key and still holds at
    `now = clock(zone)`, the zone being the vault's (which the memo knows)."""
    memo = load_memo(root)
    if memo is None or memo.key != key:
        return None
    return memo.recall(clock)


#: The text fields `AgendaItem.sort_key` reads besides the due (SPEC 4.3: kind, note,
#: text): only these are split to place items among the stored ones (a test checks).
KEYED = ("kind", "note", "text")


class _Keyed:
    """What `AgendaItem.sort_key` reads of an item, without building one."""

    __slots__ = (DUE, *KEYED)


def sort_key_at(rows: dict[str, Any], place: int, zone: tzinfo) -> tuple[Any, ...]:
    """`AgendaItem.sort_key` of the item at `place` of the rows."""
    keyed = _Keyed()
    for name in KEYED:
        setattr(keyed, name, rows[name][place])
    setattr(keyed, DUE, decode_due(rows[DUE][place], zone))
    key: tuple[Any, ...] = AgendaItem.sort_key(keyed)  # type: ignore[arg-type]
    return key


class _StoredKeys:
    """`AgendaItem.sort_key` of the stored items, each worked out when first asked for
    (placing a few items among 15,000 asks for a few dozen)."""

    def __init__(self, memo: StoredMemo, zone: tzinfo) -> None:
        self._rows: dict[str, Any] = dict(lazy_columns(memo.lazy, memo.stored, KEYED))
        for name in CODED_FIELDS:
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
