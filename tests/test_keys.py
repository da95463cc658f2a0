"""How ids, names and link targets compare (core/keys.py)."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from infoint_notes.core.keys import normalise_key, target_key


def _slow_target_key(target: str) -> str:
    target = target.strip()
    if target.lower().endswith(".md"):
        target = target[:-3]
    return normalise_key(target)


@given(st.text(max_size=20) | st.text(alphabet="abcXYZ-_./ \t.md0É", max_size=20))
@example("contacts/jane-doe")
@example("x.md.md")
@example("jane-doe.MD")
@example("a\tb")
@example(" jane")
def test_a_slug_is_its_own_key_and_every_other_text_is_normalised(text: str) -> None:
    assert target_key(text) == _slow_target_key(text)


def test_keys_compare_as_links_do() -> None:
    assert target_key("Contacts/Jane  Doe.md ") == "contacts/jane doe"
    assert target_key("contacts/jane-doe") == "contacts/jane-doe"
    assert target_key("notes/x.md.md") == "notes/x.md"
    assert target_key("Cafe\u0301") == "café"
