"""A vault of hostile and odd notes, beside good ones that must still be counted."""

from __future__ import annotations

import os
from pathlib import Path

GOOD_CONTACTS = {
    "contacts/maria-chen.md": "---\ntype: contact\nname: Maria Chen\norganization: Contoso\n"
    "source: alumni\nrequested: 2026-10-01\nrequest_via: email\nemail: maria@example.com\n---\n",
    "contacts/sam-lee.md": '---\ntype: contact\nname: Sam Lee\nreferred_by: "[[maria-chen]]"\n'
    "referrer_ok: true\nrequested: 2026-11-01\nrequest_via: email\n---\n",
}
GOOD_OTHER = {
    "interviews/2026-11-10-maria-chen.md": '---\ntype: interview\ncontact: "[[maria-chen]]"\n'
    'date: 2026-11-10T10:00\nreferrals:\n  - "[[sam-lee]]"\n  - name: Priya Patel\n---\n'
    "## Questions\n- How did you start?\n",
    "organizations/contoso.md": "---\ntype: organization\nname: Contoso\n---\n",
    "milestones/2026-11-15-offer.md": "---\ntype: milestone\ndate: 2026-11-15\n"
    'summary: Got an interview\nthanks: ["[[maria-chen]]"]\n---\n',
}

_BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n" for n, p in zip("bcdef", "abcde", strict=True)
)

#: name -> content of each hostile note (bytes where the encoding is the point).
HOSTILE: dict[str, str | bytes] = {
    "h/alias-bomb.md": f"---\n{_BOMB}---\n",
    "h/recursive-alias.md": "---\na: &a [*a]\n---\n",
    "h/deep-flow.md": "---\nx: " + "[" * 20000 + "]" * 20000 + "\n---\n",
    "h/deep-block.md": "---\n" + "".join("  " * i + f"k{i}:\n" for i in range(60)) + "---\n",
    "h/python-tag.md": '---\nx: !!python/object/apply:os.system ["touch PWNED"]\n---\n',
    "h/custom-tag.md": "---\nname: !vault secret\n---\n",
    "h/duplicate-keys.md": "---\ntype: contact\nname: A\nname: B\n---\n",
    "h/tabs.md": "---\ntype: contact\n\tname: Tab\n---\n",
    "h/unterminated.md": "---\ntype: contact\nname: Never closed\n",
    "h/json-looking.md": '{"type": "contact", "name": "JSON"}\n',
    "h/toml-looking.md": "+++\ntype = 'contact'\n+++\n",
    "h/empty.md": "",
    "h/lone-fence.md": "---",
    "h/lone-fence-nl.md": "---\n",
    "h/impossible-dates.md": "---\ntype: interview\ncontact: maria-chen\ndate: 2026-02-30\n"
    "thank_you_sent: 2026-13-01\n---\n",
    "h/huge.md": "---\ntype: contact\nname: Huge\n---\n" + "x" * (1024 * 1024 + 10),
    "h/latin1.md": "---\ntype: contact\nname: José\n---\n".encode("latin-1"),
    "h/utf16.md": "---\ntype: contact\nname: Wide\n---\n".encode("utf-16"),
    "h/bom.md": "\ufeff---\ntype: contact\nname: Bom Person\n---\n".encode(),
    "h/crlf.md": b"---\r\ntype: contact\r\nname: Crlf Person\r\n---\r\nBody [[maria-chen]]\r\n",
    "h/mixed-endings.md": b"---\r\ntype: contact\nname: Mixed Person\r\n---\nx\r\n",
    "h/binary.md": bytes(range(256)) * 8,
    "h/conflict.md": "---\ntype: contact\n<<<<<<< HEAD\nname: Ours\n=======\nname: Theirs\n"
    ">>>>>>> branch\n---\n",
    "h/setext-not-conflict.md": "Title\n=======\ntext\n",
    "h/unquoted-links.md": "---\ntype: contact\nname: Unquoted\nreferred_by: [[maria-chen]]\n---\n",
    "h/two-unquoted-links.md": "---\ntype: milestone\ndate: 2026-11-01\nsummary: x\n"
    "thanks: [[a]], [[b]]\n---\n",
    "h/at-sign.md": "---\ntype: contact\nname: At\nemail: @jane\n---\n",
    "h/colon-title.md": "---\ntype: contact\nname: Colon\ntitle: Part 1: Intro\n---\n",
    "h/hash-tags.md": "---\ntype: contact\nname: Hash Tags\ntags: #a #b\n---\n",
    "h/odd-keys.md": "---\ncontent: c\nhandler: h\nyes: 1\n3: x\nnull: n\n---\n",
    "h/list-front-matter.md": "---\n- a\n- b\n---\n",
    "h/scalar-front-matter.md": "---\njust text\n---\n",
    "h/wrong-types-interview.md": "---\ntype: interview\ncontact: {a: b}\ndate: [1, 2]\n"
    "duration: soon\nformat: zoom\nstatus: 7\nreferrals: 5\nquestions: {a: 1}\n"
    "thank_you_sent: yes\n---\n",
    "h/wrong-referrals.md": "---\ntype: interview\ncontact: maria-chen\ndate: 2026-11-01\n"
    "referrals:\n  - {organization: x}\n  - name: [1]\n  - 42\n  - [[[nested]]]\n  - null\n---\n",
    "h/wrong-types-contact.md": "---\ntype: contact\nname: [a, b]\naliases: {x: 1}\n"
    "tags: [[a]]\nupdates: yes\nkeep_in_touch_days: -3\nstatus: gone\nreferrer_ok: maybe\n"
    "phone: 5550100\nrequested: tomorrow\n---\n",
    "h/wrong-types-milestone.md": "---\ntype: milestone\ndate: 2026-11-01\nsummary: [x]\n"
    "thanks: 3\n---\n",
    "h/huge-numbers.md": "---\ntype: interview\ncontact: maria-chen\ndate: 2026-11-01T10:00\n"
    "duration: 99999999999999999999999\n---\n",
    "h/huge-keep-in-touch.md": "---\ntype: contact\nname: Forever\nkeep_in_touch_days: "
    "999999999999\n---\n",
    "h/interview-forever.md": '---\ntype: interview\ncontact: "[[h-forever]]"\n'
    "date: 9999-12-31T23:00\nstatus: done\nduration: 600\n---\n",
    "h-forever.md": "---\ntype: contact\nname: H Forever\nkeep_in_touch_days: 999999\n---\n",
    "h/year-one.md": "---\ntype: interview\ncontact: maria-chen\ndate: 0001-01-01\n"
    "thank_you_sent: 0001-01-01\nstatus: done\n---\n",
    "h/year-max-milestone.md": "---\ntype: milestone\ndate: 9999-12-31\nsummary: Late\n---\n",
    "h/special-floats.md": "---\ntype: interview\ncontact: maria-chen\ndate: 2026-11-01\n"
    "duration: .nan\n---\n",
    "h/self-referral.md": '---\ntype: contact\nname: Self\nreferred_by: "[[self-referral]]"\n---\n',
    "h/cycle-a.md": '---\ntype: contact\nname: Cycle A\nreferred_by: "[[cycle-b]]"\n---\n',
    "h/cycle-b.md": '---\ntype: contact\nname: Cycle B\nreferred_by: "[[cycle-a]]"\n---\n',
    "h/many-links.md": " ".join(f"[[n{i}]]" for i in range(5000)) + "\n",
    "h/unclosed-comment.md": "## Reflection\n<!-- never closed [[x]]\n",
    "h/weird-unicode.md": '---\ntype: contact\nname: "\u202eRTL\u200b Zero\U0001f600"\n---\n',
    "h/code-heavy.md": "```\n[[in-code]]\n``\n`[[x]]` ~~~\n    [[indented]]\n> [[quote]]\n",
    # Far deeper than markdown-it nests (20 levels): the links must still be found.
    "h/deep-quote.md": "> " * 10_000 + "[[nowhere-in-a-deep-quote]]\n",
    "h/deep-list.md": "- " * 10_000 + "[[nowhere-in-a-deep-list]]\n",
    "h/deep-indent.md": "".join("  " * n + "- x\n" for n in range(1_000))
    + "  " * 1_000
    + "- [[nowhere-in-a-deep-indent]]\n",
    "h/empty-link.md": (
        '---\ntype: contact\nname: Empty Link\nreferred_by: "[[]]"\n---\n[[]] [[|x]]\n'
    ),
    "h/path-link.md": "[[../../etc/passwd]] [[/abs]] [[contacts/maria-chen]] [[Maria Chen]]\n",
    "h/ambiguous-name.md": "---\ntype: contact\nname: Maria Chen\norganization: Contoso\n---\n",
    "Jose\u0301.md": "---\ntype: contact\nname: NFD Jose\n---\n",
    "José.md": "---\ntype: contact\nname: NFC Jose\n---\n",
    "Case.md": "case a\n",
    "case.md": "case b\n",
    "h/dir-named.md/inside.md": "inside a folder named like a note\n",
    "templates/broken.md": "---\n[[[ not parsed\n",
}

SECRET = "TOP-SECRET-OUTSIDE-THE-VAULT"


def build(root: Path, outside: Path) -> Path:
    """Write the hostile vault at `root`; `outside` receives files it must never read."""
    root.mkdir(parents=True)
    (root / "infoint.yaml").write_text("timezone: America/New_York\n")
    for rel, content in {**GOOD_CONTACTS, **GOOD_OTHER, **HOSTILE}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    outside.mkdir(parents=True)
    (outside / "secret.md").write_text(f"---\ntype: contact\nname: {SECRET}\n---\n")
    os.symlink(outside / "secret.md", root / "h" / "link-out.md")
    os.symlink(outside, root / "h" / "dir-out")
    os.symlink(root, root / "h" / "loop")
    os.symlink(root / "h" / "self-loop.md", root / "h" / "self-loop.md")
    os.symlink(root / "contacts" / "maria-chen.md", root / "h" / "link-in.md")
    return root


def add_fifo(root: Path) -> None:
    """A FIFO named like a note: reading it would block forever."""
    os.mkfifo(root / "h" / "fifo.md")


def good_ids() -> set[str]:
    return {Path(rel).stem for rel in {**GOOD_CONTACTS, **GOOD_OTHER}}
