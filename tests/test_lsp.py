"""`infoint lsp` end to end: the real server in a subprocess, driven by pytest-lsp's
client as an editor would drive it."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcMethodNotFound
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.conftest import NOW, write_vault

pytestmark = pytest.mark.asyncio

SERVER = [sys.executable, "-m", "infoint_notes", "lsp"]
ENV = {
    **{key: value for key, value in os.environ.items() if not key.startswith("INFOINT_")},
    "INFOINT_NOW": NOW,
}

FILES = {
    "contacts/ana-ruiz.md": """
        ---
        type: contact
        name: Ana Ruiz
        organization: Contoso
        ---
        """,
    "contacts/maria-chen.md": """
        ---
        type: contact
        name: Maria Chen
        aliases: [Mimi]
        organization: "[[contoso]]"
        referred_by: "[[ana-ruiz]]"
        requested: 2026-11-01
        request_via: email
        email: maria@example.com
        ---
        Met at the alumni mixer. Knows [[ana-ruiz]].
        """,
    "organizations/contoso.md": """
        ---
        type: organization
        name: Contoso
        ---
        """,
    "interviews/2026-11-18-maria-chen.md": """
        ---
        type: interview
        contact: "[[maria-chen]]"
        date: 2026-11-18T10:00
        referrals:
          - name: Sam Lee
            organization: Fabrikam
            may_use_name: true
        ---
        ## Preparation
        - [x] Read about Contoso

        ## Questions
        - Do you like your job?
        - What does a week look like?

        ## Notes
        Talked with [[Maria Chen]] about data teams.

        ## Reflection
        """,
    "contacts/phone-person.md": """
        ---
        type: contact
        name: Phone Person
        phone: 5550100
        referred_by: [[maria-chen]]
        ---
        """,
}


def uri(root: Path, rel: str) -> str:
    return (root / rel).as_uri()


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return write_vault(tmp_path / "vault", FILES)


def accept_registrations(client: LanguageClient, params: types.RegistrationParams) -> None:
    client.registered = [item.method for item in params.registrations]  # type: ignore[attr-defined]


async def start(client: LanguageClient, root: Path, capabilities: str = "visual-studio-code"):
    client.feature(types.CLIENT_REGISTER_CAPABILITY)(accept_registrations)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(capabilities),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="vault")],
        )
    )


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, server_env=ENV))
async def client(lsp_client: LanguageClient, vault: Path):
    await start(lsp_client, vault)
    yield
    await lsp_client.shutdown_session()


async def open_note(client: LanguageClient, root: Path, rel: str, text: str | None = None):
    """Open a note as an editor does, and wait for its diagnostics."""
    text = (root / rel).read_text(encoding="utf-8") if text is None else text
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri(root, rel), language_id="markdown", version=1, text=text
            )
        )
    )
    return await diagnostics_of(client, uri(root, rel))


async def diagnostics_of(client: LanguageClient, wanted: str):
    """The next diagnostics published for `wanted`."""
    while True:
        params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if params.uri == wanted:
            return list(params.diagnostics)


def change(client: LanguageClient, root: Path, rel: str, text: str, version: int = 2) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(
                uri=uri(root, rel), version=version
            ),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def shown(diagnostics) -> list[tuple[int, int, str, str]]:
    return [
        (d.range.start.line, d.range.start.character, d.severity.name, d.code) for d in diagnostics
    ]


def validate_json(run, root: Path) -> list[dict]:
    return json.loads(run(root, "validate", "--format", "json").stdout)


# --- diagnostics -------------------------------------------------------------------------


async def test_an_open_note_gets_validates_codes_lines_and_columns(client, vault, run):
    rel = "interviews/2026-11-18-maria-chen.md"
    found = await open_note(client, vault, rel)
    expected = [
        (
            p["line"] - 1,
            p["column"] - 1,
            p["severity"].title().replace("Info", "Information"),
            p["code"],
        )
        for p in validate_json(run, vault)
        if p["path"] == rel
    ]
    assert shown(found) == expected
    assert ("closed-question", 13) in {(d.code, d.range.start.line) for d in found}
    assert all(d.source == "infoint" for d in found)


async def test_unsaved_text_counts_as_you_type(client, vault):
    rel = "contacts/ana-ruiz.md"
    assert await open_note(client, vault, rel) == []
    text = (vault / rel).read_text() + "Ask [[sam-le]] too.\n"
    change(client, vault, rel, text)
    found = await diagnostics_of(client, uri(vault, rel))
    assert shown(found) == [(5, 4, "Warning", "broken-link")]
    assert found[0].range.end.character == 14  # the whole [[sam-le]]
    assert "points to no note" in found[0].message
    change(client, vault, rel, text.replace("[[sam-le]]", "[[maria-chen]]"), version=3)
    assert await diagnostics_of(client, uri(vault, rel)) == []


async def test_a_contact_renamed_in_one_buffer_breaks_links_in_another(client, vault):
    interview = "interviews/2026-11-18-maria-chen.md"
    contact = "contacts/maria-chen.md"
    before = await open_note(client, vault, interview)
    assert "broken-link" not in {d.code for d in before}
    await open_note(client, vault, contact)
    renamed = (vault / contact).read_text().replace("name: Maria Chen", "name: Maria Chen-Li")
    change(client, vault, contact, renamed)
    after = await diagnostics_of(client, uri(vault, interview))
    broken = [d for d in after if d.code == "broken-link"]
    assert [d.range.start.line for d in broken] == [17]  # [[Maria Chen]] in the notes
    assert "did you mean" in broken[0].message


async def test_a_file_changed_outside_the_editor_counts(client, vault):
    rel = "contacts/ana-ruiz.md"
    assert await open_note(client, vault, rel) == []
    (vault / rel).write_text((vault / rel).read_text() + "See [[priya-patel]].\n")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri(vault, rel), type=types.FileChangeType.Changed)]
        )
    )
    # The open buffer still holds the old text: the editor's version wins ...
    other = "contacts/phone-person.md"
    await open_note(client, vault, other)
    # ... and a note that appears on disk is seen: the buffer's link to it resolves.
    change(client, vault, other, (vault / other).read_text() + "[[priya-patel]]\n")
    assert "broken-link" in {d.code for d in await diagnostics_of(client, uri(vault, other))}
    (vault / "contacts" / "priya-patel.md").write_text("---\ntype: contact\nname: Priya\n---\n")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(
                    uri=uri(vault, "contacts/priya-patel.md"), type=types.FileChangeType.Created
                )
            ]
        )
    )
    after = await diagnostics_of(client, uri(vault, other))
    assert "broken-link" not in {d.code for d in after}


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, server_env=ENV))
async def bare_client(lsp_client: LanguageClient, vault: Path):
    """A client that watches no files and cannot create files through an edit."""
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                window=types.WindowClientCapabilities(show_document=None)
            ),
            root_uri=vault.as_uri(),
        )
    )
    yield
    await lsp_client.shutdown_session()


async def test_without_client_watchers_the_server_watches_files_itself(bare_client, vault):
    rel = "contacts/ana-ruiz.md"
    await open_note(bare_client, vault, rel, "Links [[priya-patel]].\n")
    (vault / "contacts" / "priya-patel.md").write_text("---\ntype: contact\nname: Priya\n---\n")
    assert await diagnostics_of(bare_client, uri(vault, rel)) == []


async def test_closing_a_buffer_clears_its_diagnostics_and_the_file_counts_again(client, vault):
    rel = "contacts/ana-ruiz.md"
    await open_note(client, vault, rel, "---\ntype: contact\n---\n")  # unsaved: no name
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri(vault, rel))
        )
    )
    assert await diagnostics_of(client, uri(vault, rel)) == []


# --- completion --------------------------------------------------------------------------


async def complete(client, root, rel, text, line, character):
    """Open `text` at `rel`, then ask for completion at (line, character)."""
    await open_note(client, root, rel, text)
    return await completion_at(client, root, rel, line, character)


async def completion_at(client, root, rel, line, character):
    return await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri(root, rel)),
            position=types.Position(line, character),
        )
    )


async def test_completion_after_brackets_offers_notes_by_id_name_and_alias(client, vault):
    text = "---\ntype: contact\nname: X\n---\nAsk [[mar]] or [[mim\n"
    result = await complete(client, vault, "contacts/x.md", text, 4, 9)
    # Those that start with what is typed first.
    assert [(item.label, item.detail) for item in result.items] == [
        ("Maria Chen", "contact · interviewed · Contoso"),
        ("maria-chen", "contact · interviewed · Contoso"),
        ("2026-11-18-maria-chen", "interview · 2026-11-18 10:00 · Maria Chen"),
    ]
    edit = result.items[0].text_edit
    assert edit.new_text == "maria-chen]]"
    # The typed `mar` and the editor's closing `]]` are replaced.
    assert (edit.range.start.character, edit.range.end.character) == (6, 11)
    alias = await completion_at(client, vault, "contacts/x.md", 4, 20)
    assert [(item.label, item.text_edit.new_text) for item in alias.items] == [
        ("Mimi", "maria-chen]]")
    ]


async def test_completion_in_a_link_field_writes_a_quoted_link(client, vault):
    text = "---\ntype: contact\nname: X\nreferred_by: ana\n---\n"
    result = await complete(client, vault, "contacts/x.md", text, 3, 16)
    assert {item.label: item.text_edit.new_text for item in result.items} == {
        "Ana Ruiz": '"[[ana-ruiz]]"',
        "ana-ruiz": '"[[ana-ruiz]]"',
    }
    assert all(item.detail.startswith("contact") for item in result.items)
    organization = await complete(
        client, vault, "contacts/y.md", "---\ntype: contact\norganization: \n---\n", 2, 14
    )
    assert [item.text_edit.new_text for item in organization.items] == ['"[[contoso]]"']


async def test_completion_offers_field_names_allowed_values_and_today(client, vault):
    text = "---\ntype: contact\nname: X\nre\nsource: \nrequested: \n---\n"
    keys = await complete(client, vault, "contacts/x.md", text, 3, 2)
    labels = [item.label for item in keys.items]
    # Fields of a contact that start so, less those the note has already.
    assert labels == ["referred_by", "referrer_ok", "request_via", "responded"]
    assert keys.items[2].text_edit.new_text == "request_via: "
    values = await completion_at(client, vault, "contacts/x.md", 4, 8)
    assert "alumni" in [item.label for item in values.items]
    today = await completion_at(client, vault, "contacts/x.md", 5, 11)
    assert [(item.label, item.text_edit.new_text) for item in today.items] == [
        ("today", "2026-11-20")
    ]
    kinds = await complete(client, vault, "notes/n.md", "---\ntype: \n---\n", 1, 6)
    assert [item.label for item in kinds.items] == [
        "contact",
        "interview",
        "organization",
        "milestone",
    ]


# --- hover, definition, references -------------------------------------------------------


async def hover(client, root, rel, line, character):
    return await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri(root, rel)),
            position=types.Position(line, character),
        )
    )


async def test_hover_on_a_link_tells_stage_organization_last_interview_referrer_and_dues(
    client, vault
):
    rel = "interviews/2026-11-18-maria-chen.md"
    await open_note(client, vault, rel)
    card = (await hover(client, vault, rel, 2, 14)).contents.value
    assert card.startswith("**Maria Chen** · contact · interviewed · Contoso")
    assert "Last interview: 2026-11-18 10:00" in card
    assert "Referred by: Ana Ruiz" in card
    assert "thank-you 2026-11-19 10:30 (overdue): Send Maria Chen a thank-you note" in card
    pending = (await hover(client, vault, rel, 5, 12)).contents.value
    assert "pending" in pending


async def test_hover_in_a_contacts_own_front_matter_describes_them(client, vault):
    rel = "contacts/ana-ruiz.md"
    await open_note(client, vault, rel)
    card = (await hover(client, vault, rel, 2, 3)).contents.value
    assert card.startswith("**Ana Ruiz** · contact · prospect · Contoso")


async def test_definition_follows_links_fields_and_referral_names(client, vault):
    rel = "interviews/2026-11-18-maria-chen.md"
    # A contact for the referral, in a buffer not yet saved.
    await open_note(
        client, vault, "contacts/sam-lee.md", "---\ntype: contact\nname: Sam Lee\n---\n"
    )
    await open_note(client, vault, rel)

    async def definition(line, character):
        return await client.text_document_definition_async(
            types.DefinitionParams(
                text_document=types.TextDocumentIdentifier(uri(vault, rel)),
                position=types.Position(line, character),
            )
        )

    assert [loc.uri for loc in await definition(2, 14)] == [uri(vault, "contacts/maria-chen.md")]
    assert [loc.uri for loc in await definition(17, 16)] == [uri(vault, "contacts/maria-chen.md")]
    assert [loc.uri for loc in await definition(5, 12)] == [uri(vault, "contacts/sam-lee.md")]
    assert await definition(9, 1) is None


async def test_references_are_the_backlinks(client, vault):
    rel = "contacts/maria-chen.md"
    await open_note(client, vault, rel)
    found = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri(vault, rel)),
            position=types.Position(1, 0),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    places = [
        (Path(loc.uri.removeprefix("file://")).relative_to(vault).as_posix(), loc.range.start.line)
        for loc in found
    ]
    assert places == [
        ("contacts/phone-person.md", 4),
        ("interviews/2026-11-18-maria-chen.md", 2),
        ("interviews/2026-11-18-maria-chen.md", 17),
    ]
    body = next(loc for loc in found if loc.range.start.line == 17)
    assert (body.range.start.character, body.range.end.character) == (12, 26)


# --- code actions ------------------------------------------------------------------------


async def actions_at(client, root, rel, line, diagnostics=(), character=0):
    cursor = types.Position(line, character)
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri(root, rel)),
            range=types.Range(start=cursor, end=cursor),
            context=types.CodeActionContext(diagnostics=list(diagnostics)),
        )
    )


def applied(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.splitlines(keepends=True)

    def offset(position: types.Position) -> int:
        return sum(len(line) for line in lines[: position.line]) + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


async def test_code_actions_make_validate_fix_s_fixes(client, vault, run, tmp_path):
    rel = "contacts/phone-person.md"
    found = await open_note(client, vault, rel)
    text = (vault / rel).read_text()
    quote = await actions_at(client, vault, rel, 4, [d for d in found if d.range.start.line == 4])
    assert [a.title for a in quote][:1] == ["infoint: quoted wikilink in referred_by"]
    assert quote[0].diagnostics and quote[0].diagnostics[0].code == "unquoted-wikilink"
    everything = next(
        a for a in await actions_at(client, vault, rel, 0) if a.kind == "source.fixAll"
    )
    fixed = applied(text, everything.edit.changes[uri(vault, rel)])
    copy = shutil.copytree(vault, tmp_path / "copy")
    run(copy, "validate", "--fix")
    assert fixed == (copy / rel).read_text()


async def test_code_action_creates_the_contact_a_pending_referral_needs(
    client, vault, run, tmp_path
):
    rel = "interviews/2026-11-18-maria-chen.md"
    await open_note(client, vault, rel)
    found = await actions_at(client, vault, rel, 5, character=12)
    offered = next(a for a in found if "create contact note" in a.title)
    assert offered.title == "infoint: create contact note contacts/sam-lee.md"
    # The edit comes once the action is chosen, after the checks `infoint new` makes.
    assert offered.edit is None
    create = await client.code_action_resolve_async(offered)
    made, edit = create.edit.document_changes
    assert made.kind == "create" and made.uri == uri(vault, "contacts/sam-lee.md")
    assert made.options.overwrite is False and made.options.ignore_if_exists is False
    copy = shutil.copytree(vault, tmp_path / "copy")
    result = run(
        copy,
        "new",
        "contact",
        "Sam Lee",
        "--org",
        "Fabrikam",
        "--source",
        "referral",
        "--referred-by",
        "maria-chen",
        "--referrer-ok",
    )
    assert result.exit_code == 0, result.stderr
    assert edit.edits[0].new_text == (copy / "contacts/sam-lee.md").read_text()
    assert not (vault / "contacts/sam-lee.md").exists()  # the editor writes it


async def test_clients_without_file_creation_get_the_safe_writer_as_a_command(bare_client, vault):
    rel = "contacts/ana-ruiz.md"
    found = await open_note(bare_client, vault, rel, "Call [[Sam Lee]].\n")
    assert [d.code for d in found] == ["broken-link"]
    found = await actions_at(bare_client, vault, rel, 0, character=7)
    create = next(a for a in found if "create contact note" in a.title)
    command = create  # a bare command: what every client can run
    assert isinstance(command, types.Command) and command.command == "infoint.createNote"
    await bare_client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command.command, arguments=command.arguments)
    )
    assert (
        (vault / "contacts/sam-lee.md")
        .read_text()
        .startswith('---\ntype: contact\nname: "Sam Lee"\n')
    )
    again = await bare_client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command.command, arguments=command.arguments)
    )
    assert again is False  # never over an existing file
    # The server read the new note before it answered: the link resolves.
    assert list(bare_client.diagnostics[uri(vault, rel)]) == []


async def test_code_action_marks_a_due_thank_you_sent_today(client, vault, run, tmp_path):
    rel = "interviews/2026-11-18-maria-chen.md"
    await open_note(client, vault, rel)
    found = await actions_at(client, vault, rel, 0)
    mark = next(a for a in found if "thank-you" in a.title)
    assert mark.title == "infoint: mark thank-you sent today (2026-11-20)"
    text = (vault / rel).read_text()
    edited = applied(text, mark.edit.changes[uri(vault, rel)])
    copy = shutil.copytree(vault, tmp_path / "copy")
    assert run(copy, "log", "thank-you", rel, "--date", "2026-11-20").exit_code == 0
    assert edited == (copy / rel).read_text()
    change(client, vault, rel, edited)
    await diagnostics_of(client, uri(vault, rel))
    assert not [a for a in await actions_at(client, vault, rel, 0) if "thank-you" in a.title]


# --- symbols -----------------------------------------------------------------------------


async def test_the_outline_of_an_interview_shows_its_sections(client, vault):
    rel = "interviews/2026-11-18-maria-chen.md"
    await open_note(client, vault, rel)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri(vault, rel)))
    )
    names = [(s.name, s.detail, s.range.start.line) for s in symbols]
    assert names == [
        ("front matter", "interview", 0),
        ("Preparation", "1 of 1 tasks done", 9),
        ("Questions", "2 questions", 12),
        ("Notes", None, 16),
        ("Reflection", "not written yet", 19),
    ]
    assert [child.name for child in symbols[0].children] == ["type", "contact", "date", "referrals"]


# --- bad input ---------------------------------------------------------------------------


async def test_unknown_requests_get_the_protocols_error(client, vault):
    with pytest.raises(JsonRpcMethodNotFound):
        await client.protocol.send_request_async("infoint/nothing", {})
    assert await open_note(client, vault, "contacts/ana-ruiz.md") == []  # still serving


FAILING = [
    sys.executable,
    "-c",
    "import sys; import infoint_notes.lsp.navigate as n\n"
    "def boom(*a): raise RuntimeError('planted')\n"
    "n.card = boom\n"
    "from infoint_notes.cli import main; sys.argv[1:] = ['lsp']; main()",
]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=FAILING, server_env=ENV))
async def failing_client(lsp_client: LanguageClient, vault: Path):
    await start(lsp_client, vault)
    yield
    await lsp_client.shutdown_session()


async def test_an_exception_in_a_handler_is_logged_and_the_server_goes_on(failing_client, vault):
    rel = "contacts/ana-ruiz.md"
    await open_note(failing_client, vault, rel)
    assert await hover(failing_client, vault, rel, 2, 3) is None
    logged = [m.message for m in failing_client.log_messages if m.type == types.MessageType.Error]
    assert any("hover failed: RuntimeError: planted" in message for message in logged)
    change(failing_client, vault, rel, "[[nobody]]\n")
    assert [d.code for d in await diagnostics_of(failing_client, uri(vault, rel))] == [
        "broken-link"
    ]
