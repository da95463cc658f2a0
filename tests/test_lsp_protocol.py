"""`infoint lsp` at the level of bytes: garbage in, the protocol's errors out, and a clean
exit on `shutdown`/`exit` and when stdin closes. Also: the hostile vault never stops it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.hostile.vault import HOSTILE, add_fifo, build
from tests.test_lsp import ENV, SERVER, diagnostics_of, start, uri


def frame(message: dict | bytes) -> bytes:
    body = message if isinstance(message, bytes) else json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def request(number: int, method: str, params: dict | None = None) -> bytes:
    return frame({"jsonrpc": "2.0", "id": number, "method": method, "params": params})


def notify(method: str, params: dict | None = None) -> bytes:
    return frame({"jsonrpc": "2.0", "method": method, "params": params})


def replies(output: bytes) -> dict[int, dict]:
    """The responses in the server's output, by request id."""
    found = {}
    while output:
        header, _, rest = output.partition(b"\r\n\r\n")
        length = int(header.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        message = json.loads(rest[:length])
        output = rest[length:]
        if "id" in message and "method" not in message:
            found[message["id"]] = message
    return found


def talk(vault: Path, *messages: bytes) -> tuple[int, dict[int, dict]]:
    """Send the messages, close stdin, and wait for the server to end."""
    done = subprocess.run(
        SERVER, input=b"".join(messages), capture_output=True, env=ENV, timeout=120, check=False
    )
    return done.returncode, replies(done.stdout)


def initialize(vault: Path) -> bytes:
    return request(
        1, "initialize", {"processId": None, "rootUri": vault.as_uri(), "capabilities": {}}
    )


@pytest.fixture
def vault(make_vault) -> Path:
    return make_vault({"contacts/a.md": "---\ntype: contact\nname: A\n---\n"})


def test_shutdown_then_exit_ends_the_server_with_0(vault):
    code, answers = talk(
        vault, initialize(vault), notify("initialized", {}), request(2, "shutdown"), notify("exit")
    )
    assert code == 0
    assert "capabilities" in answers[1]["result"] and answers[2]["result"] is None


def test_exit_without_shutdown_ends_it_with_1(vault):
    code, _ = talk(vault, initialize(vault), notify("exit"))
    assert code == 1


def test_closing_stdin_ends_the_server_with_0(vault):
    code, answers = talk(vault, initialize(vault), notify("initialized", {}))
    assert code == 0 and 1 in answers


def test_garbage_and_bad_requests_get_errors_and_the_server_goes_on(vault):
    code, answers = talk(
        vault,
        initialize(vault),
        notify("initialized", {}),
        frame(b"{not json"),
        request(2, "textDocument/hover", {"nonsense": True}),
        request(3, "infoint/unknown", {}),
        request(4, "shutdown"),
        notify("exit"),
    )
    assert code == 0
    assert answers[2]["error"]["code"] == -32602  # invalid params
    assert answers[3]["error"]["code"] == -32601  # method not found
    assert answers[4]["result"] is None


def test_a_folder_that_is_no_vault_leaves_the_server_idle_not_dead(tmp_path):
    code, answers = talk(
        tmp_path,
        initialize(tmp_path),
        notify("initialized", {}),
        request(
            2,
            "textDocument/hover",
            {
                "textDocument": {"uri": (tmp_path / "x.md").as_uri()},
                "position": {"line": 0, "character": 0},
            },
        ),
        request(3, "shutdown"),
        notify("exit"),
    )
    assert code == 0 and answers[2]["result"] is None


# --- the hostile vault -------------------------------------------------------------------


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    root = build(tmp_path / "vault", tmp_path / "outside")
    add_fifo(root)
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, server_env=ENV))
async def hostile_client(lsp_client: LanguageClient, hostile: Path):
    await start(lsp_client, hostile)
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_every_hostile_note_gets_diagnostics_and_answers(hostile_client, hostile):
    client = hostile_client
    for rel, content in sorted(HOSTILE.items()):
        if rel.startswith("templates/") or "dir-named" in rel:
            continue
        text = content if isinstance(content, str) else content.decode("utf-8", "replace")
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri(hostile, rel), language_id="markdown", version=1, text=text
                )
            )
        )
        await diagnostics_of(client, uri(hostile, rel))
        document = types.TextDocumentIdentifier(uri(hostile, rel))
        for line, character in ((0, 0), (1, 5), (3, 2)):
            position = types.Position(line, character)
            await client.text_document_hover_async(types.HoverParams(document, position))
            await client.text_document_completion_async(types.CompletionParams(document, position))
            await client.text_document_definition_async(types.DefinitionParams(document, position))
            await client.text_document_code_action_async(
                types.CodeActionParams(
                    document,
                    types.Range(position, position),
                    types.CodeActionContext(diagnostics=[]),
                )
            )
        await client.text_document_document_symbol_async(types.DocumentSymbolParams(document))
    unreadable = client.diagnostics[uri(hostile, "h/binary.md")]
    assert [d.code for d in unreadable] == ["unreadable"] or unreadable
    failures = [m.message for m in client.log_messages if "failed" in m.message]
    assert failures == []
