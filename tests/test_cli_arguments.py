"""A NOTE / CONTACT / INTERVIEW argument that names the wrong note says why (SPEC 4, 4.9):
the kind it is, or that its front matter did not load, whole sentences, one line."""

from __future__ import annotations

import pytest

BAD_YAML = "---\ntype: contact\nname: Bad Yaml\ntitle: Part 1: Intro\n---\n"
FILES = {
    "contacts/bad-yaml.md": BAD_YAML,
    "contacts/never-closed.md": "---\ntype: contact\nname: Never Closed\n",
    "contacts/latin1.md": b"---\ntype: contact\nname: Ren\xe9\n---\n",
    "contacts/my notes.md": "---\ntype: contact\nname: [a\n---\n",
    "contacts/plain.md": "---\ntitle: just text\n---\n",
    "contacts/sam-lee.md": "---\ntype: contact\nname: Sam Lee\n---\n",
}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["log", "request", "bad-yaml", "--via", "email"],
            "no contact matches 'bad-yaml': contacts/bad-yaml.md is not a contact: its front "
            "matter has errors (infoint validate contacts/bad-yaml.md)\n",
        ),
        (
            ["log", "thank-you", "bad-yaml"],
            "no interview or contact matches 'bad-yaml': contacts/bad-yaml.md is not an "
            "interview or contact: its front matter has errors "
            "(infoint validate contacts/bad-yaml.md)\n",
        ),
        (
            ["draft", "request", "never-closed"],
            "no contact matches 'never-closed': contacts/never-closed.md is not a contact: "
            "its front matter has errors (infoint validate contacts/never-closed.md)\n",
        ),
        (
            ["log", "response", "latin1"],
            "no contact matches 'latin1': contacts/latin1.md is not a contact: it cannot be "
            "read (infoint validate contacts/latin1.md)\n",
        ),
        (
            ["log", "update", "contacts/my notes.md"],
            "no contact matches 'contacts/my notes.md': contacts/my notes.md is not a contact: "
            "its front matter has errors (infoint validate 'contacts/my notes.md')\n",
        ),
        (
            ["log", "request", "plain", "--via", "email"],
            "no contact matches 'plain': contacts/plain.md is a plain note\n",
        ),
        (
            # The name is in the broken front matter: the id is offered, with the reason.
            ["log", "request", "Bad Yaml", "--via", "email"],
            "no contact matches 'Bad Yaml'; did you mean bad-yaml (its front matter has errors)?\n",
        ),
    ],
)
def test_a_note_that_is_not_of_the_kind_says_why(run, make_vault, args, expected):
    vault = make_vault(FILES)
    result = run(vault, *args)
    assert result.exit_code == 2
    assert result.stderr == expected
