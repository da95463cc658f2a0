"""What the agenda memo depends on (`agenda_memo`): the vault's files, infoint.yaml,
the zone and its rules, the code, the holidays library; and the memo's files and format."""

from __future__ import annotations

import contextlib
import os
import sys
import zoneinfo
from collections.abc import Collection, Sequence
from datetime import tzinfo
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..core.vault import NoteFile

if TYPE_CHECKING:
    pass


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


FORMAT = 5


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
