"""Vaults as Obsidian users bring them (issue 16): links resolved as Obsidian resolves
them, ids for notes that share a file name, template folders, property links, and a
small corpus in the real format (`tests/fixtures/obsidian-vault/`)."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from infoint_notes.core.body import split_target
from infoint_notes.core.config import Config
from infoint_notes.core.index import VaultIndex
from infoint_notes.core.notes import build_note
from infoint_notes.core.parse import parse_note
from infoint_notes.core.vault import note_rules, walk_vault

FIXTURE = Path(__file__).parent / "fixtures" / "obsidian-vault"
CONFIG = Config(timezone="UTC")


def index_of(files: dict[str, str], attachments: tuple[str, ...] = ()) -> VaultIndex:
    notes = [build_note(parse_note(rel, text.encode()), CONFIG.zone) for rel, text in files.items()]
    return VaultIndex(None, CONFIG, notes, attachments)  # type: ignore[arg-type]


def resolved(index: VaultIndex, target: str, source: str | None = None) -> list[str]:
    return [found.path for found in index.resolver.resolve(target, source)]


def codes(result) -> list[tuple[str, int, int, str]]:
    return [
        (item["path"], item["line"], item["column"], item["code"])
        for item in json.loads(result.stdout)
    ]


# --- the corpus ----------------------------------------------------------------------


def test_the_obsidian_style_vault_has_no_false_diagnostic(tmp_path, run):
    """Tables with escaped pipes, attachments of every kind, notes sharing a file name,
    partial and relative paths, template folders from Obsidian's settings, an excluded
    folder: only the three links that really point at nothing are reported."""
    vault = tmp_path / "vault"
    shutil.copytree(FIXTURE, vault)
    result = run(vault, "validate", "--format", "json")
    assert codes(result) == [
        ("Notes/Unresolved.md", 2, 11, "broken-link"),  # see_also: "[[Nowhere]]"
        ("Notes/Unresolved.md", 4, 40, "broken-link"),  # [[Release 2.0]]
        ("Notes/Unresolved.md", 5, 1, "broken-link"),  # ![[nope.png]]
    ]
    assert result.exit_code == 0
    assert "checked 15 notes" in result.stderr  # no template, nothing archived


def test_the_corpus_links_as_obsidian_shows_them(tmp_path, run):
    vault = tmp_path / "vault"
    shutil.copytree(FIXTURE, vault)
    data = json.loads(run(vault, "links", "Home", "--json").stdout)
    outgoing = {(use["target"], use["to"]) for use in data["outgoing"]}
    assert {
        ("Views", "Bases/Views.md"),  # the `related` property
        ("Layouts/Table view", "Bases/Layouts/Table view.md"),
        ("Bases/Layouts/Cards view.md", "Bases/Layouts/Cards view.md"),
        ("board.canvas", "Canvas/board.canvas"),
        ("Projects.base", "Projects.base"),
        ("diagram.png", "Attachments/diagram.png"),
        ("Manual.pdf", "Attachments/Manual.pdf"),
        ("Plugins/Templates", "Plugins/Templates.md"),
        ("Sync/Security and privacy", "Sync/Security and privacy.md"),
        ("Old plan", "Archive/Old plan.md"),  # excluded: not a note, still a file
        ("Album Template", "Templates/Album Template.md"),
    } <= outgoing
    assert all(use["status"] == "resolved" for use in data["outgoing"])


# --- link resolution -----------------------------------------------------------------


def test_an_escaped_pipe_in_a_table_cell_separates_the_label():
    assert split_target("Table view\\|Table") == ("Table view", None, "Table")
    assert split_target("diagram.png\\|200") == ("diagram.png", None, "200")
    assert split_target("Views#Layouts\\|the layouts") == ("Views", "Layouts", "the layouts")


def test_a_table_cell_link_resolves(make_vault, run):
    vault = make_vault(
        {
            "Bases/Layouts/Table view.md": "The table.\n",
            "Bases/Views.md": "| Layout |\n| --- |\n| [[Table view\\|Table]] |\n",
        }
    )
    result = run(vault, "validate", "--format", "json")
    assert codes(result) == []


def test_the_note_beside_the_linking_note_wins():
    index = index_of(
        {
            "Publish/Security and privacy.md": "",
            "Sync/Security and privacy.md": "",
            "Sync/Set up.md": "[[Security and privacy]]",
            "Publish/Intro.md": "[[Security and privacy]]",
        }
    )
    assert resolved(index, "Security and privacy", "Sync/Set up.md") == [
        "Sync/Security and privacy.md"
    ]
    assert resolved(index, "Security and privacy", "Publish/Intro.md") == [
        "Publish/Security and privacy.md"
    ]


def test_an_exact_vault_path_wins_then_the_shortest_path():
    index = index_of({"Note.md": "", "b/Note.md": "", "a/b/Note.md": "", "zzzz/x.md": ""})
    # The vault's root file is the exact path, even from beside another.
    assert resolved(index, "Note", "b/x.md") == ["Note.md"]
    assert resolved(index, "b/Note", "zzzz/x.md") == ["b/Note.md"]
    index = index_of({"a/b/Note.md": "", "zzzz/Note.md": "", "zzzz/deep/x.md": ""})
    # Not beside (an ancestor folder counts for nothing): the shorter path string.
    assert resolved(index, "Note", "zzzz/deep/x.md") == ["a/b/Note.md"]
    # Two of one length: nothing to choose by.
    index = index_of({"team/x.md": "", "work/x.md": "", "notes/n.md": ""})
    assert resolved(index, "x", "notes/n.md") == ["team/x.md", "work/x.md"]


def test_partial_and_relative_paths():
    index = index_of(
        {
            "Bases/Views.md": "",
            "Bases/Layouts/Table view.md": "",
            "Bases/Layouts/Cards view.md": "",
            "Other/Layouts.md": "",
        }
    )
    assert resolved(index, "Layouts/Table view") == ["Bases/Layouts/Table view.md"]
    assert resolved(index, "layouts/TABLE  view.md") == ["Bases/Layouts/Table view.md"]
    assert resolved(index, "ayouts/Table view") == []  # a suffix of whole parts only
    source = "Bases/Layouts/Table view.md"
    assert resolved(index, "./Cards view", source) == ["Bases/Layouts/Cards view.md"]
    assert resolved(index, "../Views", source) == ["Bases/Views.md"]
    assert resolved(index, "../../../Views", source) == []  # out of the vault


def test_attachments_of_any_extension_resolve_and_missing_ones_are_broken(make_vault, run):
    vault = make_vault(
        {
            "Canvas/board.canvas": '{"nodes":[]}',
            "Projects.base": "views: []\n",
            "a/photo.PNG": b"\x89PNG",
            "note.md": (
                "[[board.canvas]] ![[Projects.base]] ![[photo.png|200]] [[board]]\n"
                "![[nope.png]] [[Release 2.0]]\n"
            ),
        }
    )
    result = run(vault, "validate", "--format", "json")
    assert codes(result) == [
        ("note.md", 1, 56, "broken-link"),  # [[board]] names a note, not board.canvas
        ("note.md", 2, 1, "broken-link"),
        ("note.md", 2, 15, "broken-link"),
    ]


def test_names_and_aliases_are_infoints_and_come_after_files():
    index = index_of(
        {
            "people/jane.md": "---\ntype: contact\nname: Jane Doe\naliases: [JD]\n---\n",
            "acme.md": "---\ntype: organization\nname: Acme Corp\n---\n",
            "Jane Doe.md": "A page about the name.\n",
            "topic.md": "---\naliases: [Topic alias]\nname: Topic name\n---\n",
        }
    )
    assert resolved(index, "JD") == ["people/jane.md"]
    assert resolved(index, "acme corp") == ["acme.md"]
    assert resolved(index, "Jane Doe") == ["Jane Doe.md"]  # the file first, as Obsidian
    # A plain note's aliases are suggestions in Obsidian, not link targets.
    assert resolved(index, "Topic alias") == []
    assert resolved(index, "Topic name") == []


# --- ids -------------------------------------------------------------------------------


def test_plain_notes_sharing_a_file_name_are_not_duplicate_ids(make_vault, run):
    vault = make_vault(
        {
            "Plugins/Templates.md": "The core plugin.\n",
            "Web Clipper/Templates.md": "Clipper templates.\n",
            "Plugins/Core.md": "See [[Templates]].\n",
        }
    )
    result = run(vault, "validate", "--strict", "--format", "json")
    assert codes(result) == []
    assert result.exit_code == 0


def test_ids_are_the_shortest_unique_path_suffix(make_vault, run):
    contact = "---\ntype: contact\nname: {}\n---\n"
    vault = make_vault(
        {
            "jane.md": contact.format("Jane at the root"),
            "work/jane.md": contact.format("Jane at work"),
            "old/work/jane.md": contact.format("Jane, old"),
            "people/sam.md": contact.format("Sam"),
            "x/sam.md": contact.format("Sam X"),
        }
    )
    listed = json.loads(run(vault, "list", "--json").stdout)
    assert sorted(item["id"] for item in listed) == [
        "jane",
        "old/work/jane",
        "people/sam",
        "work/jane",
        "x/sam",
    ]
    # Each id, given as an argument, names its note.
    shown = run(vault, "show", "old/work/jane", "--json")
    assert json.loads(shown.stdout)["path"] == "old/work/jane.md"
    assert json.loads(run(vault, "show", "jane", "--json").stdout)["path"] == "jane.md"
    # A name that several share is not settled by folder or length on the command line.
    result = run(vault, "show", "sam")
    assert result.exit_code == 2
    assert result.stderr == "'sam' matches several notes: people/sam.md, x/sam.md; give the path\n"
    graph = json.loads(run(vault, "graph", "--format", "json").stdout)
    assert sorted(node["id"] for node in graph["nodes"]) == [
        "jane",
        "old/work/jane",
        "people/sam",
        "work/jane",
        "x/sam",
    ]


def test_contacts_sharing_a_file_name_are_a_warning(make_vault, run):
    contact = "---\ntype: contact\nname: {}\n---\n"
    vault = make_vault(
        {"team/sam.md": contact.format("Sam A"), "work/Sam.md": contact.format("Sam B")}
    )
    result = run(vault, "validate", "--format", "json")
    items = json.loads(result.stdout)
    assert [(i["path"], i["severity"], i["code"]) for i in items] == [
        ("team/sam.md", "warning", "duplicate-id"),
        ("work/Sam.md", "warning", "duplicate-id"),
    ]
    assert "this note's id is 'team/sam'" in items[0]["message"]
    assert result.exit_code == 0


# --- template folders and exclude ---------------------------------------------------------


TEMPLATE = "---\ncreated: {{date}}\n---\n# {{title}}\n[[{{date}}]]\n"


@pytest.mark.parametrize(
    ("files", "skipped"),
    [
        ({"Templates/Album Template.md": TEMPLATE}, "Templates/Album Template.md"),
        ({"TEMPLATES/x.md": TEMPLATE}, "TEMPLATES/x.md"),
        (
            {
                ".obsidian/templates.json": '{"folder": "Meta/Note templates/"}',
                "Meta/Note templates/Meeting.md": TEMPLATE,
            },
            "Meta/Note templates/Meeting.md",
        ),
        (
            {
                ".obsidian/plugins/templater-obsidian/data.json": (
                    '{"templates_folder": "_tpl", "trigger_on_file_creation": true}'
                ),
                "_tpl/Daily.md": TEMPLATE,
            },
            "_tpl/Daily.md",
        ),
    ],
)
def test_template_folders_are_not_notes(make_vault, run, files, skipped):
    vault = make_vault({**files, "note.md": "Plain.\n"})
    result = run(vault, "validate", "--format", "json")
    assert codes(result) == []
    assert "checked 1 note" in result.stderr
    found = walk_vault(vault, note_rules(vault))
    assert [file.rel for file in found.notes] == ["note.md"]
    assert skipped in found.others


def test_broken_obsidian_settings_name_no_folder(make_vault):
    vault = make_vault(
        {
            ".obsidian/templates.json": "{not json",
            ".obsidian/plugins/templater-obsidian/data.json": '{"templates_folder": "/"}',
            "Meta/x.md": "",
        }
    )
    assert [file.rel for file in walk_vault(vault).notes] == ["Meta/x.md"]


def test_exclude_globs(make_vault, run):
    vault = make_vault(
        {
            "Archive/2019/plan.md": "---\nbroken: [\n---\n",
            "drawing.excalidraw.md": "---\nbroken: [\n---\n",
            "sub/more.excalidraw.md": "---\nbroken: [\n---\n",
            "note.md": "[[plan]] and [[drawing.excalidraw]]\n",
        },
        config='exclude: ["Archive/**", "*.excalidraw.md"]\n',
    )
    result = run(vault, "validate", "--format", "json")
    assert codes(result) == []  # not notes, and links to them still resolve
    assert "checked 1 note" in result.stderr


def test_exclude_must_be_globs(make_vault, run):
    vault = make_vault({"note.md": ""}, config="exclude: 3\n")
    result = run(vault, "validate")
    assert result.exit_code == 2
    assert "'exclude' must be a list of globs" in result.stderr


# --- property links ------------------------------------------------------------------


def test_property_links_are_links_and_backlinks(make_vault, run):
    vault = make_vault(
        {
            "B.md": "The target.\n",
            "A.md": '---\nrelated: "[[B]]"\ncategories: ["[[B]]", plain text]\n---\n',
            "C.md": '---\nsee_also: "[[Nowhere|label]]"\nnot_a_link: "see [[B]]"\n---\n',
        }
    )
    data = json.loads(run(vault, "links", "B", "--json").stdout)
    back = data["backlinks"]
    assert [(use["path"], use["line"], use["column"], use["field"]) for use in back] == [
        ("A.md", 2, 10, "related"),
        ("A.md", 3, 14, "categories"),
    ]
    result = run(vault, "validate", "--format", "json")
    items = json.loads(result.stdout)
    assert [(i["path"], i["line"], i["column"], i["severity"], i["code"]) for i in items] == [
        ("C.md", 2, 11, "warning", "broken-link")
    ]
    assert result.exit_code == 0


def test_a_contacts_own_link_fields_keep_their_rules(make_vault, run):
    vault = make_vault(
        {
            "c.md": (
                '---\ntype: contact\nname: C\nreferred_by: "[[ghost]]"\nmentor: "[[ghost]]"\n---\n'
            ),
        }
    )
    items = json.loads(run(vault, "validate", "--format", "json").stdout)
    assert [(i["line"], i["severity"], i["code"]) for i in items] == [
        (4, "error", "broken-link"),  # referred_by: infoint's link field
        (5, "warning", "broken-link"),  # mentor: a property link
    ]


# --- suggestions -----------------------------------------------------------------------


def test_suggestions_index_the_candidates_once(monkeypatch):
    """3,000 notes with one unresolved link each took 6.7 s: difflib compared every
    target with every id. The candidates are now listed once per run, by length; each
    distinct target is looked up once, among candidates of a length that can match."""
    from rapidfuzz import process

    from infoint_notes.rules.validate import validate

    compared: list[tuple[str, int]] = []
    real = process.extractOne

    def counted(query, choices, **options):  # type: ignore[no-untyped-def]
        compared.append((query, len(choices)))
        return real(query, choices, **options)

    monkeypatch.setattr(process, "extractOne", counted)
    size = 200
    files = {f"n{i:03d}.md": f"[[missing {i % 50}]] [[n{i:03d}x]]\n" for i in range(size)}
    files["jane-doe.md"] = "---\ntype: contact\nname: Jane Doe\n---\n[[jane-dooe]]\n"
    found = validate(index_of(files), datetime(2026, 1, 1, tzinfo=timezone.utc))
    # One lookup per distinct target (the 50 `missing k` share 50 targets) ...
    assert len(compared) == 50 + size + 1
    # ... and `missing 7` is never compared with the four-letter ids `n007`.
    assert {size for query, size in compared if query.startswith("missing")} == {2}
    messages = {problem.path: problem.message for problem in found if "jane" in problem.path}
    assert messages["jane-doe.md"].endswith("(did you mean [[jane-doe]]?)")
    near = [p.message for p in found if p.path == "n007.md" and "n007x" in p.message]
    assert near == ["[[n007x]] points to no note (did you mean [[n007]]?)"]


def test_replacing_a_note_gives_the_resolver_built_afresh():
    """The language server swaps one note per keystroke (`LinkResolver.replacing`): the
    answer must be the one a resolver of the new notes gives."""
    from infoint_notes.core.links import LinkResolver

    def note(rel: str, text: str = ""):
        return build_note(parse_note(rel, text.encode()), CONFIG.zone)

    contact = "---\ntype: contact\nname: Sam Lee\naliases: [Sam]\n---\n"
    notes = [note("a/x.md"), note("b/c/x.md"), note("people/sam.md", contact)]
    files = ("a/x.png",)
    steps = [
        (None, note("c/x.md")),  # added
        (notes[0], note("a/x.md", contact)),  # changed: now a contact
        (notes[1], None),  # removed
    ]
    current = list(notes)
    resolver = LinkResolver(current, files)
    for old, new in steps:
        resolver = resolver.replacing(old, new)
        current = [n for n in current if n is not old] + ([new] if new else [])
        fresh = LinkResolver(current, files)
        for name in ("by_path", "by_id", "by_suffix", "by_name", "by_alias"):
            mine = {k: [n.path for n in v] for k, v in getattr(resolver, name).items()}
            theirs = {k: [n.path for n in v] for k, v in getattr(fresh, name).items()}
            assert mine == theirs, name
        for target in ("x", "c/x", "Sam", "sam lee", "x.png"):
            assert [n.path for n in resolver.resolve(target, "a/n.md")] == [
                n.path for n in fresh.resolve(target, "a/n.md")
            ]
