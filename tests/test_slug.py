"""Slugs for file names and pending referrals (SPEC 4.8)."""

from __future__ import annotations

import pytest

from infoint_notes.slug import slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("José Núñez", "jose-nunez"),
        ("Jane Doe", "jane-doe"),
        ("  Straße  Øre ", "strasse-ore"),
        ("O'Brien & Co.", "o-brien-co"),
        ("Ｆｕｌｌ width", "full-width"),  # compatibility forms fold to ASCII
        ("../../etc/passwd", "etc-passwd"),  # never a path
        ("李明", ""),  # nothing to transliterate: the caller picks a fallback
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug
