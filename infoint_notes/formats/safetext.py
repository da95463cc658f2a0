"""Text a terminal shows and does not obey (SPEC 5); `output` prints with it, and the
format writers of the core (CSV, vCard, iCalendar, graphs, drafts) escape values with it.

Escapes are written as Python writes them (`\\x1b`, `\\u202e`, `\\n`): readable, and
never mistaken for the character. A backslash itself is left as it is, so escaping
twice changes nothing.
"""

from __future__ import annotations

import re

#: C0 controls, DEL, C1 controls, the line and paragraph separators, and the bidi
#: embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069: "Trojan Source").
#: The marks U+200E/U+200F/U+061C stay: they cannot reverse text, and real names in
#: right-to-left scripts carry them.
BEYOND_C0 = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"  # (a regex class)
_UNSAFE_CHAR = re.compile(f"[\x00-\x1f{BEYOND_C0}]")
#: In a document, LF and CRLF are the format's own line breaks.
_UNSAFE_IN_DOCUMENT = re.compile(f"\r(?!\n)|[\x00-\x09\x0b\x0c\x0e-\x1f{BEYOND_C0}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` as one line that a terminal shows and does not obey: every control
    character (newlines and tabs included), C1 control and bidi override escaped."""
    if _UNSAFE_CHAR.search(text) is None:
        return text
    return _UNSAFE_CHAR.sub(_escape, text)


def printable_document(text: str) -> str:
    """`text` with its line breaks (LF and CRLF) kept and every other control escaped."""
    if _UNSAFE_IN_DOCUMENT.search(text) is None:
        return text
    return _UNSAFE_IN_DOCUMENT.sub(_escape, text)
