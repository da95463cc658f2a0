"""Slugs: one safe path component from any text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoint_notes.core.slug import slugify, unique_name


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("José Núñez", "jose-nunez"),
        ("Søren Ødegård", "soren-odegard"),
        ("Straße & Łódź", "strasse-lodz"),
        ("../../x", "x"),
        ("..\\..\\etc\\passwd", "etc-passwd"),
        ("a\x00b", "a-b"),
        ("CON", "con-note"),
        ("nul", "nul-note"),
        ("lpt1", "lpt1-note"),
        ("", "note"),
        ("漢字", "han-zi"),
        ("😀 ⚙", "note"),  # symbols are no words
        ("--", "note"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Ελένη Παπαδοπούλου", "eleni-papadopoulou"),  # SPEC 4.8; ου is one sound
        ("Ευάγγελος Κωνσταντίνου", "evangelos-konstantinou"),
        ("김철수", "gim-cheol-su"),
        ("Дмитрий Шостакович", "dmitriy-shostakovich"),
        ("Jane 😀 Doe", "jane-doe"),
    ],
)
def test_names_in_other_scripts_get_readable_slugs(name, slug):
    """They all became `contact`, `contact-2`, ...: nothing told one file from another."""
    assert slugify(name, "contact") == slug


def test_fallback_and_length():
    assert slugify("???", "contact") == "contact"
    long = slugify("word " * 40)
    assert len(long) <= 60 and not long.endswith("-")


@given(st.text())
def test_a_slug_is_always_one_safe_component(text):
    slug = slugify(text)
    assert slug and slug == slug.strip("-")
    assert all(char.isascii() and (char.isalnum() or char == "-") for char in slug)
    assert slug.lower() == slug and ".." not in slug and "/" not in slug


def test_clashes_are_numbered():
    assert unique_name("jane", set()) == "jane"
    assert unique_name("jane", {"jane"}) == "jane-2"
    assert unique_name("Jane", {"jane", "jane-2"}) == "Jane-3"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("José Núñez", "jose-nunez"),
        ("Jane Doe", "jane-doe"),
        ("  Straße  Øre ", "strasse-ore"),
        ("O'Brien & Co.", "o-brien-co"),
        ("Ｆｕｌｌ width", "full-width"),  # compatibility forms fold to ASCII
        ("../../etc/passwd", "etc-passwd"),  # never a path
        ("李明", "li-ming"),
        ("— · —", ""),  # nothing to transliterate: the caller picks a fallback
    ],
)
def test_slugify_without_fallback(text, slug):
    assert slugify(text, fallback="") == slug
