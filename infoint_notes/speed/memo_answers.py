"""What `agenda_at` answers: a computed agenda, or one recalled from the memo's columns
without building an item (the selection, `--json` and `overdue` work on the columns)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from itertools import compress
from typing import TYPE_CHECKING, Any

from ..rules.agenda import AgendaItem, Shown, overdue_at, select
from .memo_columns import (
    DUE,
    EAGER,
    FIELDS,
    ITEM_JSON,
    JSON_BOOL,
    JSON_HEAD,
    JSON_TAIL,
    LAZY,
    RECOMPUTED,
    Code,
    Packed,
    Patch,
    Rows,
    decode_due,
    lazy_columns,
    row_count,
)
from .memory import paused_gc

if TYPE_CHECKING:
    from ..core.model import When
    from .memo_key import MemoKey


def answer_rows(
    now: datetime, rows: Rows, packed: Packed, count: int | None = None
) -> RecalledAnswer:
    """The answer at `now` of an agenda given as `count` rows (and packed by
    `pack_rows`); the count is that of the units when not given."""
    columns = {name: rows[name] for name in (*EAGER, *LAZY)}
    count = row_count(rows) if count is None else count
    return RecalledAnswer(now, count, packed[0], columns, None)


class AgendaAnswer(ABC):
    """The agenda at one moment, as the agenda command shows it: a selection (by
    horizon and kinds, in SPEC order), written as JSON objects or as items."""

    now: datetime
    #: The vault's state the items were remembered for (the memo's key), and until
    #: when they hold; None when they were not remembered.
    remembered: tuple[MemoKey, float] | None = None
    #: What remembers them, when that is left to do (a full computation: writing the
    #: store, the memo and its structure): the caller runs it once it has answered
    #: (`remember`, through `background.finish`).
    pending: Callable[[], tuple[MemoKey, float] | None] | None = None

    def remember(self) -> tuple[MemoKey, float] | None:
        """Run the pending work, if any: `remembered` as it is then."""
        if self.pending is not None:
            work, self.pending = self.pending, None
            self.remembered = work()
        return self.remembered

    @abstractmethod
    def dues(self) -> Collection[When]:
        """The distinct dues of the items."""

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

    def dues(self) -> set[When]:
        return {item.due for item in self.all}

    def select(self, within_days: int | None, kinds: Collection[str]) -> list[AgendaItem]:
        return select(self.all, self.now, within_days, kinds)

    def items(self, selection: Sequence[AgendaItem]) -> list[AgendaItem]:
        return list(selection)

    def json_objects(self, selection: Sequence[AgendaItem]) -> list[str]:
        return list(map(ITEM_JSON.write, selection))

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
            if name == RECOMPUTED:
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
        for name, column in lazy_columns(self._lazy, self._stored).items():
            patched = column if self._patch is None else self._patch.column(name, column)
            self._columns[name] = patched

    def _values(self, name: str) -> list[date | datetime]:
        """The distinct values of a coded field (`_codes[name][1]` places items among them)."""
        found = self._distinct.get(name)
        if found is None:
            zone = self.now.tzinfo
            assert zone is not None
            table = self._codes[name][0]
            found = self._distinct[name] = [decode_due(code, zone) for code in table]
        return found

    def dues(self) -> list[date | datetime]:
        return self._values(DUE)

    def _overdue(self) -> list[bool]:
        overdue = list(map(overdue_at(self.now), self._values(DUE)))
        return list(map(overdue.__getitem__, self._codes[DUE][1]))

    def select(self, within_days: int | None, kinds: Collection[str]) -> list[int]:
        # `agenda.Shown` decides once per distinct kind and due: items share both.
        shown = Shown(self.now, within_days, kinds)
        due_ok = list(map(shown.due, self._values(DUE)))
        index = self._codes[DUE][1]
        if shown.every_kind:
            return list(compress(range(self.count), map(due_ok.__getitem__, index)))
        kinds_here = self.column("kind")
        kind_ok = {kind: shown.kind(kind) for kind in set(kinds_here)}
        pairs = zip(kinds_here, index, strict=True)
        return [place for place, (kind, due) in enumerate(pairs) if kind_ok[kind] and due_ok[due]]

    def json_objects(self, selection: Sequence[int]) -> list[str]:
        heads, tails = self.column(JSON_HEAD), self.column(JSON_TAIL)
        overdue = self.column(RECOMPUTED)
        return [f"{heads[p]}{JSON_BOOL[overdue[p]]}{tails[p]}" for p in selection]

    def any_overdue(self, selection: Sequence[int]) -> bool:
        overdue = self.column(RECOMPUTED)
        return any(overdue[place] for place in selection)

    def items(self, selection: Sequence[int]) -> list[AgendaItem]:
        columns = [self.column(name) for name in FIELDS]
        with paused_gc():
            return [AgendaItem(*[column[place] for column in columns]) for place in selection]
