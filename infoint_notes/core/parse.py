"""One file -> `ParsedNote`. Never raises on bad content: problems become diagnostics."""

from __future__ import annotations

import marshal
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .body import BodyScanner, scan_markdown
from .errors import UsageError
from .files import MAX_NOTE_BYTES, read_command_file, too_large
from .keys import normalise_key as normalise_key  # where the rest of the package finds it
from .model import ERROR, WARNING, BodyScan, Diagnostic, FieldPosition, ListEntry, ParsedNote

try:  # CPython's own BLAKE2, not hashlib's: importing hashlib loads OpenSSL (8 ms in each
    # parsing process of a first run), whose SHA-1 is no faster on a note
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another Python
    from hashlib import blake2b

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .yamlscalars import FrontMatterResult

#: Reads front-matter text whose first line is the given file line (`load_front_matter`,
#: or a faster reader that agrees with it).
FrontReader = Callable[[str, int], "FrontMatterResult"]

_FENCE = re.compile(r"---[ \t]*\Z")
_FENCE_END = re.compile(r"(?:---|\.\.\.)[ \t]*\Z")
_CONFLICT_START = re.compile(r"<{7}(?: |\Z)")
_CONFLICT_END = re.compile(r">{7}(?: |\Z)")


def note_id(rel_path: str) -> str:
    """A note's id: its file name without `.md`."""
    name = rel_path.rsplit("/", 1)[-1]
    return name[:-3] if name.lower().endswith(".md") else name


def content_digest(raw: bytes) -> bytes:
    """What tells one version of a file from another when mtime and size agree (coarse
    timestamps): BLAKE2b, 20 bytes (1.5 us for a note, 2% of its parse)."""
    return blake2b(raw, digest_size=20).digest()


def decode(raw: bytes, limit: int = MAX_NOTE_BYTES) -> tuple[str | None, str | None]:
    """(text, None) for a readable note (or other file up to `limit` bytes), else
    (None, why it is unreadable)."""
    if len(raw) > limit:
        return None, too_large(limit)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, "file is UTF-16; save it as UTF-8"
    if b"\x00" in raw:
        return None, "file is binary (contains NUL bytes), not a Markdown note"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, f"file is not UTF-8 (bad byte on line {line}); save it as UTF-8"
    return text.removeprefix("\ufeff"), None


def read_text_file(
    path: Path, shown: str, limit: int = MAX_NOTE_BYTES, error: type[UsageError] = UsageError
) -> tuple[str, bool]:
    """(text, whether it had a BOM) of a file a command needs (config, template, import
    file), decoded as notes are; anything unusable is `error` naming `shown`. A file
    larger than `limit`, or not a regular file, is refused before it is read."""
    raw = read_command_file(path, shown, limit, error)
    text, problem = decode(raw, limit)
    if text is None:
        raise error(f"{shown}: {problem}")
    return text, raw.startswith(b"\xef\xbb\xbf")


#: A line ends with LF, CRLF or a lone CR (CommonMark 2.1, YAML, and every editor).
_LINE_END = re.compile(r"\r\n?|\n")


def split_lines(text: str) -> list[str]:
    """Lines without their endings; CRLF, LF, CR and mixed files give the same lines."""
    lines = text.split("\n") if "\r" not in text else _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def find_conflicts(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) 1-based lines of each git conflict block.

    A lone `=======` under text is a setext heading, so it only counts inside a block
    that `<<<<<<<` opened; a stray `>>>>>>>` counts on its own.
    """
    blocks: list[tuple[int, int]] = []
    start: int | None = None
    for number, line in enumerate(lines, 1):
        if not line or line[0] not in "<>":
            continue
        if _CONFLICT_START.match(line):
            start = number if start is None else start
        elif _CONFLICT_END.match(line):
            blocks.append((start or number, number))
            start = None
    if start is not None:
        blocks.append((start, start))
    return blocks


def front_matter_bounds(lines: list[str]) -> tuple[int, int] | None:
    """(index of opening `---`, index of closing line) or None; -1 closing = unterminated."""
    if not lines or not _FENCE.match(lines[0]):
        return None
    match = _FENCE_END.match
    for index, line in enumerate(lines):
        # Only a line starting with `-` or `.` can close it: skip the regex for the rest.
        if index and line[:1] in "-." and match(line):
            return 0, index
    return 0, -1


def front_digest(front_text: str | None) -> bytes:
    """The digest of a note's front-matter text (b"": none was read), which its
    `facts_digest` covers: taken while the text is at hand (1 us), unlike the rest of
    the facts, which only a run that remembers its agenda needs (`facts_digest_of`)."""
    if front_text is None:
        return b""
    return blake2b(front_text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def facts_digest(front: bytes, body: BodyScan) -> bytes:
    """What tells one version of a note's facts from another: its front matter's text
    (`front_digest`) and what the body says (its links, headings, lists and
    reflection), without where they are. Two versions with one digest give the same
    typed note but for positions: an edit to the prose between them changes nothing the
    agenda reads (`speed.answers` skips such an edit)."""
    facts = (
        front,
        tuple((link.target, link.heading, link.label, link.embed) for link in body.links),
        tuple(heading[:2] for heading in body.headings),
        _entries(body.tasks),
        _entries(body.questions),
        body.reflection_written,
    )
    return content_digest(marshal.dumps(facts, 2))[:16]


def facts_digest_of(parsed: ParsedNote) -> bytes:
    """`facts_digest` of a parse result: worked out when asked (7 us a note, a tenth of
    its parse), as a first `agenda` answers before it remembers anything."""
    return facts_digest(parsed.front_digest, parsed.body)


def _entries(entries: Sequence[ListEntry]) -> tuple[tuple[str, bool | None], ...]:
    return tuple((entry.text, entry.checked) for entry in entries)


def _reference_front_reader() -> FrontReader:
    # Imported here: a check after an edit reads no YAML (PyYAML costs 10 ms).
    from .yamlread import load_front_matter

    return load_front_matter


def parse_note(
    rel_path: str,
    raw: bytes,
    scan_body: BodyScanner = scan_markdown,
    read_front: FrontReader | None = None,
    read_front_matter: bool = True,
) -> ParsedNote:
    """Parse one note file given its vault-relative path and its bytes. `scan_body` reads
    the body and `read_front` the front matter (the reference readers, `load_front_matter`
    for None, unless faster ones that agree with them are given).
    `read_front_matter=False` leaves the YAML unread (and unimported): the body and the
    facts digest are all a check after an edit needs."""
    identifier = note_id(rel_path)
    digest = content_digest(raw)
    text, unreadable = decode(raw)
    if text is None:
        problem = Diagnostic(rel_path, 1, 1, ERROR, "unreadable", unreadable or "unreadable")
        return ParsedNote(rel_path, identifier, None, diagnostics=(problem,), digest=digest)
    lines = split_lines(text)
    diagnostics: list[Diagnostic] = []
    # A substring search over the whole text is far cheaper than the per-line check.
    has_marker = "<<<<<<<" in text or ">>>>>>>" in text
    conflicts = find_conflicts(lines) if has_marker else []
    for first, last in conflicts:
        where = f"lines {first}-{last}" if last != first else f"line {first}"
        diagnostics.append(
            Diagnostic(
                rel_path,
                first,
                1,
                ERROR,
                "conflict-marker",
                f"unresolved git merge conflict ({where}): keep the right version, delete the "
                "<<<<<<< ======= >>>>>>> lines, then commit",
            )
        )
    front_matter = None
    front_text = None
    positions: dict[str, FieldPosition] = {}
    body_start = 0
    bounds = front_matter_bounds(lines)
    if bounds is not None and bounds[1] == -1:
        diagnostics.append(
            Diagnostic(
                rel_path,
                1,
                1,
                WARNING,
                "unterminated-front-matter",
                "front matter opened with '---' is never closed; add a '---' line after it",
            )
        )
    elif bounds is not None:
        closing = bounds[1]
        body_start = closing + 1
        conflict_in_front_matter = bool(conflicts) and any(
            first <= closing + 1 for first, _ in conflicts
        )
        if not conflict_in_front_matter:
            front_text = "\n".join(lines[1:closing])
        if front_text is not None and read_front_matter:
            result = (read_front or _reference_front_reader())(front_text, 2)
            front_matter, positions = result.data, result.positions
            for yaml_problem in result.problems:
                diagnostics.append(
                    Diagnostic(
                        rel_path,
                        yaml_problem.line,
                        yaml_problem.column,
                        ERROR,
                        yaml_problem.code,
                        yaml_problem.message,
                    )
                )
    try:
        body = scan_body(lines[body_start:], body_start + 1)
    except Exception:
        body = BodyScan()
    diagnostics.sort(key=Diagnostic.sort_key)
    return ParsedNote(
        rel_path,
        identifier,
        front_matter,
        positions,
        body,
        tuple(diagnostics),
        body_start + 1,
        digest,
        front_digest(front_text),
    )
