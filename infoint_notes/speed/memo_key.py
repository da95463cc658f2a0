"""What the agenda memo depends on (`agenda_memo`): the vault's files, infoint.yaml,
the zone and its rules, the code, the holidays library; and the memo's files and format."""

from __future__ import annotations

import contextlib
import marshal
import operator
import os
import sys
import zlib
import zoneinfo
from collections.abc import Collection, Sequence
from datetime import tzinfo
from functools import lru_cache
from itertools import compress
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from ..core.vault import NoteFile, VaultScan

MEMO_FILE = "agenda.memo"


#: What an update after an edit changed of the memo (`Delta`).
DELTA_FILE = "agenda.delta"


#: What an update needs to know of the notes (`incremental.Structure`).
STRUCTURE_FILE = "agenda.structure"


#: A memo larger than this is neither written nor read (the agenda is computed instead):
#: 4.6 MB at 8,000 notes, so this holds vaults of 400,000 notes, and a file planted in a
#: shared vault's `.infoint/` costs no more memory than that.
MAX_MEMO_BYTES = 256 * 1024 * 1024


MAGIC = b"infoint-agenda-memo\x00"


FORMAT = 7


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


def files_identity(folder: Path, names: Sequence[str]) -> str:
    """Names each file's version by its modification time and size (as `_code_identity`
    does the modules'): what prints an answer that is remembered."""
    found = []
    for name in names:
        try:
            stat = os.stat(folder / name)
            found.append(f"{name}:{stat.st_mtime_ns}:{stat.st_size}")
        except OSError:
            found.append(name)
    return "/".join(found)


def zone_identity(zone: tzinfo) -> str:
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
    #: Every note's path, mtime, size, inode and change time, in walk order (`_states`).
    states: bytes
    #: The vault's other files (which links may reach), joined by NUL.
    others: str


#: marshal's format 2 marks no object as seen before (later ones do, by identity and
#: reference count): its bytes depend on the values alone, and decode back to them.
_PLAIN_MARSHAL = 2


#: The size of a note read while young enough to change unseen (the store's racy
#: window) or unreadable: no walk gives a negative size, so the file is read again.
_UNSETTLED = -1


def _states(
    rels: Sequence[str],
    mtimes: list[int],
    sizes: list[int],
    inos: list[int],
    ctimes: list[int],
    unsettled: Collection[str],
) -> bytes:
    """The notes' state, column by column: the paths joined by NUL (never in a file
    name), then one list of integers per field. (Four lists of integers marshalled cost
    a third of one text per note: this is computed on every run.)"""
    if unsettled:
        for place, rel in enumerate(rels):
            if rel in unsettled:
                sizes[place] = _UNSETTLED
    columns = ("\0".join(rels), mtimes, sizes, inos, ctimes)
    return marshal.dumps(columns, _PLAIN_MARSHAL)


def memo_head(config_bytes: bytes) -> bytes:
    """The part of the key that is not the vault's files."""
    head = (
        f"{FORMAT}\0{_code_identity()}\0{_zone_environment()}\0"
        f"{_holidays_identity(config_bytes)}\0{len(config_bytes)}\0"
    )
    return head.encode("utf-8", "surrogateescape") + config_bytes


def memo_key(
    files: Sequence[NoteFile],
    config_bytes: bytes,
    others: Sequence[str] = (),
    unsettled: Collection[str] = (),
) -> MemoKey:
    """The key of the vault with these notes, other files and infoint.yaml; the notes
    at `unsettled` paths are marked so that no walk matches them."""
    states = _states(
        [file.rel for file in files],
        list(map(attrgetter("mtime_ns"), files)),
        list(map(attrgetter("size"), files)),
        list(map(attrgetter("ino"), files)),
        list(map(attrgetter("ctime_ns"), files)),
        unsettled,
    )
    return MemoKey(memo_head(config_bytes), states, "\0".join(others))


def scan_key(scan: VaultScan, config_bytes: bytes) -> MemoKey:
    """`memo_key` of the notes and other files the walk saw, read off its tuples (no
    NoteFile built: a remembered agenda needs none)."""
    notes = scan.notes
    rels, _, mtimes, sizes, inos, ctimes = (list(map(itemgetter(at), notes)) for at in range(6))
    states = _states(rels, mtimes, sizes, inos, ctimes, ())
    return MemoKey(memo_head(config_bytes), states, "\0".join(scan.others))


def note_paths(states: bytes) -> str:
    """The notes' paths of a `states`, joined by NUL (in walk order)."""
    paths: str = marshal.loads(states)[0]
    return paths


def with_unsettled(states: bytes, places: Collection[int]) -> bytes:
    """`states` with the notes at `places` marked so that no walk matches them."""
    paths, mtimes, sizes, inos, ctimes = marshal.loads(states)
    for place in places:
        sizes[place] = _UNSETTLED
    return marshal.dumps((paths, mtimes, sizes, inos, ctimes), _PLAIN_MARSHAL)


def changed_files(stored: bytes, current: bytes) -> list[int] | None:
    """The positions of the notes whose state differs between two `states` of the same
    notes; None when notes were added, removed or renamed."""
    try:
        (paths, *before), (now_paths, *now) = marshal.loads(stored), marshal.loads(current)
    except (ValueError, TypeError, EOFError):
        return None
    if paths != now_paths:
        return None
    return _differing(before, now)


def _differing(before: list[list[Any]], now: list[list[Any]]) -> list[int] | None:
    """The places where any column of `before` and `now` (lined up) differ; None when
    the columns are not of one length."""
    changed: set[int] = set()
    for old, new in zip(before, now, strict=True):
        if len(old) != len(new):
            return None
        changed.update(compress(range(len(old)), map(operator.ne, old, new)))
    return sorted(changed)


class FileChanges(NamedTuple):
    """How the notes of one `states` became those of another."""

    #: The positions (in the later walk) of the notes whose state differs.
    changed: list[int]
    #: The positions of the notes the earlier state does not hold.
    added: list[int]
    #: The paths of the notes the later state does not hold.
    removed: list[str]


def file_changes(stored: bytes, current: bytes) -> FileChanges | None:
    """The notes changed, added and removed (a rename is both) between two `states`;
    None when either cannot be read."""
    try:
        (paths, *before), (now_paths, *now) = marshal.loads(stored), marshal.loads(current)
    except (ValueError, TypeError, EOFError):
        return None
    if paths == now_paths:
        same = _differing(before, now)
        return None if same is None else FileChanges(same, [], [])
    old_paths, new_paths = _paths(paths), _paths(now_paths)
    present = set(new_paths)
    removed = [place for place, path in enumerate(old_paths) if path not in present]
    kept = set(old_paths)
    added = [place for place, path in enumerate(new_paths) if path not in kept]
    # The walk's order is the same for the notes both hold: line the earlier columns up
    # with the later ones (a gap where a note was added), then compare them.
    lined_up = []
    for column in (old_paths, *before):
        if len(column) != len(old_paths):
            return None
        column = list(column)
        for place in reversed(removed):
            del column[place]
        for place in added:
            column.insert(place, None)
        lined_up.append(column)
    expected: list[str | None] = list(new_paths)
    for place in added:
        expected[place] = None
    if lined_up[0] != expected:
        return None  # another order: not a walk of the same vault
    differ = _differing(lined_up[1:], now)
    if differ is None:
        return None
    fresh = set(added)
    changed = [place for place in differ if place not in fresh]
    return FileChanges(changed, added, [old_paths[place] for place in removed])


def _paths(joined: str) -> list[str]:
    return joined.split("\0") if joined else []


def sealed(payload: Any) -> bytes | None:
    """The file's bytes: magic, checksum, marshalled payload; None when too large."""
    data = marshal.dumps(payload)
    found = MAGIC + zlib.crc32(data).to_bytes(4, "big") + data
    return found if len(found) <= MAX_MEMO_BYTES else None


def opened(data: bytes | None) -> Any:
    """The payload `sealed` wrote; raises (anything) on any other bytes."""
    start = len(MAGIC) + 4
    if data is None or not data.startswith(MAGIC):
        raise ValueError("not a memo")
    payload = memoryview(data)[start:]  # a view: the file is megabytes, not copied
    if zlib.crc32(payload) != int.from_bytes(data[len(MAGIC) : start], "big"):
        raise ValueError("damaged")
    return marshal.loads(payload)
