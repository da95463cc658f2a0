"""How organization names compare (core/organizations.py), against cleanco itself."""

from __future__ import annotations

from cleanco.clean import normalized, strip_punct
from hypothesis import given
from hypothesis import strategies as st

from infoint_notes.core.organizations import _compared, organization_key


@given(st.text(max_size=12))
def test_a_word_is_compared_as_cleanco_compares_it(word: str) -> None:
    assert _compared(word) == strip_punct(normalized(word))


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=12))
def test_an_ascii_word_is_compared_as_cleanco_compares_it(word: str) -> None:
    assert _compared(word) == strip_punct(normalized(word))


def test_legal_suffixes_case_and_punctuation_make_no_other_organization() -> None:
    assert organization_key("Fabrikam, Inc.") == organization_key("FABRIKAM INC")
    assert organization_key("Fabrikam Inc, Ltd") == organization_key("fabrikam") == "fabrikam"
    assert organization_key("Müller GmbH") == organization_key("MÜLLER") == "müller"
    assert organization_key("Société Générale S.A.") == organization_key("société générale")
    assert organization_key("Procter & Gamble Co.") == "procter gamble"


def test_a_name_that_is_only_a_suffix_stays() -> None:
    assert organization_key("Inc.") == "inc"
    assert organization_key("Northwind Traders") != organization_key("Northwind")


@given(st.text(max_size=16))
def test_any_name_loses_its_tail_as_cleanco_strips_it(name: str) -> None:
    """What `_without_suffix` skips when a name ends in a word character or a dot."""
    from cleanco.clean import strip_tail

    from infoint_notes.core.organizations import _without_suffix

    stripped = strip_tail(name)
    assert _without_suffix(name) == _without_suffix(stripped)
    if name[-1:].isalnum() or name[-1:] in "._":
        assert stripped == name
