"""A dictionary kept on disk in buckets, of which a run loads only those it reads.

The incremental agenda keeps tables over every note (link keys -> paths, each note's
facts, who refers to whom): tens of thousands of entries at 10,000 notes, of which a run
after one edit reads a few dozen. Stored as one blob, the tables would be loaded whole
on every run (milliseconds that the run cannot spare); split into buckets by a hash of
the key that is the same in every process (crc32: Python's `hash` of a string changes
from process to process), a run unmarshals only the buckets of the keys it asks for, and
writes back only those it changed (the others stay the bytes they were).

Keys are strings, values anything marshal keeps. A damaged bucket raises on reading,
as a damaged record does: the caller computes everything again.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Iterator
from typing import Any

#: About this many entries per bucket: small enough that loading one costs microseconds.
_PER_BUCKET = 64
_ABSENT = object()


def _code(key: str) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass"))


def _codes(keys: list[str]) -> list[int]:
    """Each key's crc32, in C loops when every key is plain UTF-8 (nearly always)."""
    try:
        return list(map(zlib.crc32, map(str.encode, keys)))
    except UnicodeEncodeError:  # a file name that is not UTF-8 (surrogate escapes)
        return list(map(_code, keys))


class Buckets:
    """The dictionary; `blobs()` is what to store, `Buckets(blobs)` reads it back."""

    __slots__ = ("_blobs", "_changed", "_dirty", "_loaded")

    def __init__(self, blobs: list[bytes], changed: dict[int, bytes] | None = None) -> None:
        """`blobs` as stored, with the buckets of `changed` (by number) in their places."""
        if not blobs:
            raise ValueError("no buckets")
        self._blobs = list(blobs)
        self._changed = set(changed or ())
        for number, blob in (changed or {}).items():
            self._blobs[number] = blob
        self._loaded: dict[int, dict[str, Any]] = {}
        self._dirty: set[int] = set()

    @classmethod
    def build(cls, table: dict[str, Any]) -> Buckets:
        """A new dictionary holding what `table` holds."""
        count = 1
        while count * _PER_BUCKET < len(table):
            count *= 2
        tables: list[dict[str, Any]] = [{} for _ in range(count)]
        mask = count - 1  # a power of two
        for code, (key, value) in zip(_codes(list(table)), table.items(), strict=True):
            tables[code & mask][key] = value
        return cls(list(map(marshal.dumps, tables)))

    def _bucket(self, key: str) -> tuple[int, dict[str, Any]]:
        number = _code(key) % len(self._blobs)
        table = self._loaded.get(number)
        if table is None:
            table = self._loaded[number] = marshal.loads(self._blobs[number])
            if not isinstance(table, dict):
                raise ValueError("a damaged bucket")
        return number, table

    def get(self, key: str, default: Any = None) -> Any:
        return self._bucket(key)[1].get(key, default)

    def __setitem__(self, key: str, value: Any) -> None:
        number, table = self._bucket(key)
        table[key] = value
        self._dirty.add(number)

    def pop(self, key: str) -> None:
        """Remove `key` (absent: nothing to do)."""
        number, table = self._bucket(key)
        if table.pop(key, _ABSENT) is not _ABSENT:
            self._dirty.add(number)

    def _flush(self) -> None:
        for number in self._dirty:
            self._blobs[number] = marshal.dumps(self._loaded[number])
        self._changed |= self._dirty
        self._dirty.clear()

    def blobs(self) -> list[bytes]:
        """Every bucket, to store: the changed ones written again, the others as read."""
        self._flush()
        return self._blobs

    def changed(self) -> dict[int, bytes]:
        """The buckets that differ from the `blobs` first given, by number."""
        self._flush()
        return {number: self._blobs[number] for number in sorted(self._changed)}

    def __len__(self) -> int:
        """The number of buckets."""
        return len(self._blobs)

    def items(self) -> Iterator[tuple[str, Any]]:
        """Every entry (loading every bucket)."""
        for number in range(len(self._blobs)):
            table = self._loaded.get(number)
            if table is None:
                table = self._loaded[number] = marshal.loads(self._blobs[number])
            yield from table.items()


class Tables:
    """Several such dictionaries by name (each name its own buckets, so that keys need
    no prefix): `stored()` is what to store, `Tables(stored)` reads it back."""

    __slots__ = ("_tables",)

    def __init__(
        self, stored: dict[str, list[bytes]], changed: dict[str, dict[int, bytes]] | None = None
    ) -> None:
        """`stored`, with the buckets of `changed` (by table and number) in their places."""
        changed = changed or {}
        self._tables = {name: Buckets(blobs, changed.get(name)) for name, blobs in stored.items()}

    @classmethod
    def build(cls, tables: dict[str, dict[str, Any]]) -> Tables:
        built = cls({})
        built._tables = {name: Buckets.build(table) for name, table in tables.items()}
        return built

    def table(self, name: str) -> Buckets:
        return self._tables[name]

    def replace(self, name: str, table: dict[str, Any]) -> None:
        """The table `name` holds `table` now."""
        self._tables[name] = Buckets.build(table)

    def stored(self) -> dict[str, list[bytes]]:
        return {name: buckets.blobs() for name, buckets in self._tables.items()}

    def changed(self) -> dict[str, dict[int, bytes]]:
        """The buckets that differ from those first given, by table and number."""
        found = {name: buckets.changed() for name, buckets in self._tables.items()}
        return {name: blobs for name, blobs in found.items() if blobs}

    def __len__(self) -> int:
        """The number of buckets of all tables."""
        return sum(map(len, self._tables.values()))
