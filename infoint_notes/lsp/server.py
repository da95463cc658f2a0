"""`infoint lsp`: the pygls wiring. Each handler finds the note and its text, asks the
live vault (`live.py`) and the feature modules, and answers in LSP's types.

The vault is found as the command line finds it (`--vault`, INFOINT_VAULT, else the
nearest `infoint.yaml` at or above the workspace folder), loaded once from the cache in
a worker thread (`initialize` is answered at once; requests wait for the vault), and
then kept current note by note: buffers from `didOpen`/`didChange`, files from the
client's `workspace/didChangeWatchedFiles` or, when the client has none, a watchdog
observer. A failure inside a handler is logged to the client and answered with
nothing; the server goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

from lsprotocol import types
from pygls import uris
from pygls.exceptions import FeatureRequestError, JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from .. import __version__
from ..core.config import CONFIG_NAME
from ..core.dates import parse_now
from ..core.errors import UsageError, WriteRefused
from ..core.files import MAX_NOTE_BYTES, read_capped
from ..core.index import VaultIndex
from ..core.model import Diagnostic, Note
from ..core.parse import decode, split_lines
from ..core.vault import NoteFile
from ..live.watch import VaultState
from . import navigate
from .code_actions import CREATE_NOTE, Client, code_actions, resolve
from .completion import complete
from .convert import Lines, diagnostic
from .disk import DiskWatch, find_root, load
from .live import LiveVault
from .symbols import document_symbols
from .text import LinkSpan

Handler = TypeVar("Handler", bound=Callable[..., Awaitable[Any]])


def guarded(handler: Handler) -> Handler:
    """Runs a handler so that no exception leaves it: the error and its traceback go to
    the client's log, the request is answered with nothing, and the server goes on."""

    @functools.wraps(handler)
    async def run(ls: InfointServer, *args: Any) -> Any:
        try:
            return await handler(ls, *args)
        except Exception as exc:
            ls.log(
                types.MessageType.Error,
                f"infoint: {handler.__name__} failed: {type(exc).__name__}: {exc}\n"
                + "".join(traceback.format_exc(limit=8)),
            )
            return None

    return run  # type: ignore[return-value]


class _Protocol(LanguageServerProtocol):
    """pygls drops a request whose parameters do not fit the method; LSP wants an
    answer to every request, so it gets the protocol's error (invalid params)."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if "id" not in data or "method" not in data:
                raise
            self._send_response(data["id"], error=exc.to_response_error())
            return SimpleNamespace(jsonrpc="answered")  # handle_message ignores it


class InfointServer(LanguageServer):
    """The language server, with the vault it serves once loaded."""

    def __init__(self, vault_option: str | None, now_text: str | None) -> None:
        super().__init__("infoint", __version__, protocol_cls=_Protocol)
        self.vault_option = vault_option
        self.now_text = now_text or os.environ.get("INFOINT_NOW") or None
        self.live: LiveVault | None = None
        self.disk: DiskWatch | None = None
        self.loaded: asyncio.Future[LiveVault | None] | None = None
        #: vault-relative path -> URI of each open document, as the client wrote it.
        self.open_uris: dict[str, str] = {}
        self.problem: str | None = None
        self.shut_down = False
        self.exited = False

    # --- talking to the client ---------------------------------------------------------

    def log(self, level: types.MessageType, message: str) -> None:
        with contextlib.suppress(Exception):  # a client gone cannot be told anything
            self.window_log_message(types.LogMessageParams(type=level, message=message))

    def report_server_error(self, error: Exception, source: Any) -> None:
        """pygls' own errors (a message that does not parse) go to the log, not to a
        pop-up: the server goes on. A failed request has had its error answer already."""
        if source is not FeatureRequestError:
            self.log(types.MessageType.Error, f"infoint: {type(error).__name__}: {error}")

    def shutdown(self) -> None:
        """Stop watching and reading; never wait for stdin, which the client may keep open."""
        if self.disk is not None:
            self.disk.stop()
        if self._stop_event is not None:
            self._stop_event.set()
        if self._thread_pool is not None:
            self._thread_pool.shutdown(wait=False, cancel_futures=True)

    # --- the vault ---------------------------------------------------------------------

    def now(self) -> datetime:
        assert self.live is not None
        zone = self.live.config.zone
        if self.now_text:
            with contextlib.suppress(ValueError):
                return parse_now(self.now_text, zone)
        return datetime.now(zone)

    def start_loading(self, folders: list[Path]) -> None:
        loop = asyncio.get_running_loop()
        self.loaded = loop.create_future()
        try:
            root = find_root(self.vault_option, folders)
        except UsageError as exc:
            self.loaded.set_result(None)
            self.problem = str(exc)
            return
        self.problem = None
        work = loop.run_in_executor(None, load, root)
        work.add_done_callback(self._loaded)

    def _loaded(self, work: asyncio.Future[tuple[VaultIndex, list[NoteFile]]]) -> None:
        assert self.loaded is not None
        if self.loaded.done() or work.cancelled():
            # The client shut the server down while the vault was loading: the waiting
            # requests were cancelled with the loop, and nobody wants the vault now.
            return
        try:
            index, files = work.result()
        except Exception as exc:  # an unusable infoint.yaml, an unreadable vault
            self.problem = str(exc) if isinstance(exc, UsageError) else repr(exc)
            self.loaded.set_result(None)
            return
        self.live = LiveVault(index, self.now)
        self.disk = DiskWatch(
            self.live,
            VaultState.loaded(index, files),
            self.publish,
            lambda message: self.log(types.MessageType.Warning, f"infoint: {message}"),
        )
        self.loaded.set_result(self.live)

    async def vault(self) -> LiveVault | None:
        if self.loaded is None:
            return None
        return await self.loaded

    def rel(self, uri: str) -> str | None:
        """The vault-relative path of a note's URI; None for anything else."""
        if self.live is None:
            return None
        path = uris.to_fs_path(uri)
        if path is None:
            return None
        root = self.live.root
        for candidate in (Path(os.path.abspath(path)), Path(os.path.realpath(path))):
            with contextlib.suppress(ValueError):
                rel = candidate.relative_to(root).as_posix()
                return rel if self.is_note_path(rel) else None
        return None

    def is_note_path(self, rel: str) -> bool:
        """Whether the walk would find a note at `rel` (template folders and `exclude`
        globs included)."""
        return self.live is not None and self.live.index.rules.is_note(rel)

    def uri(self, rel: str) -> str:
        assert self.live is not None
        return self.open_uris.get(rel) or uris.from_fs_path(str(self.live.root / rel)) or ""

    def client(self) -> Client:
        return Client.of(self.client_capabilities, self.uri)

    def lines(self, rel: str) -> Lines:
        """The note's lines as the editor has them (the file's, when it is not open)."""
        assert self.live is not None
        text = self.live.text(rel)
        if text is None:
            try:
                text = decode(read_capped(self.live.root / rel, MAX_NOTE_BYTES))[0] or ""
            except OSError:
                text = ""
        return Lines(split_lines(text), self.workspace.position_codec)

    def publish(
        self, changes: dict[str, list[Diagnostic]], uris_: dict[str, str] | None = None
    ) -> None:
        for rel, problems in changes.items():
            uri = (uris_ or {}).get(rel) or self.uri(rel)
            shown = []
            if problems:  # (a closed buffer's are cleared: its text is not needed)
                lines = self.lines(rel)
                shown = [diagnostic(problem, lines) for problem in problems]
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=shown)
            )


def _folders(params: types.InitializeParams) -> list[Path]:
    found = []
    for folder in params.workspace_folders or []:
        path = uris.to_fs_path(folder.uri)
        if path:
            found.append(Path(path))
    if params.root_uri:
        path = uris.to_fs_path(params.root_uri)
        if path:
            found.append(Path(path))
    if params.root_path:
        found.append(Path(params.root_path))
    return found


def build_server(vault_option: str | None = None, now_text: str | None = None) -> InfointServer:
    """The server with every feature registered."""
    server = InfointServer(vault_option, now_text)

    @server.feature(types.INITIALIZE)
    def initialize(ls: InfointServer, params: types.InitializeParams) -> None:
        ls.start_loading(_folders(params))

    @server.feature(types.INITIALIZED)
    @guarded
    async def initialized(ls: InfointServer, params: types.InitializedParams) -> None:
        live = await ls.vault()
        if live is None:
            ls.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Warning,
                    message=f"infoint: {ls.problem or 'no vault'}; the language server is idle",
                )
            )
            return
        watched = ls.client_capabilities.workspace
        watched_files = watched.did_change_watched_files if watched else None
        if watched_files is not None and watched_files.dynamic_registration:
            try:
                await ls.client_register_capability_async(
                    types.RegistrationParams(
                        registrations=[
                            types.Registration(
                                id="infoint-watched-files",
                                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                register_options=types.DidChangeWatchedFilesRegistrationOptions(
                                    watchers=[
                                        types.FileSystemWatcher(glob_pattern="**/*.md"),
                                        types.FileSystemWatcher(glob_pattern=f"**/{CONFIG_NAME}"),
                                    ]
                                ),
                            )
                        ]
                    )
                )
                return
            except Exception as exc:
                ls.log(types.MessageType.Info, f"infoint: the client watches no files ({exc})")
        if ls.disk is not None:
            ls.disk.watch()

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: InfointServer, params: None) -> None:
        ls.shut_down = True
        if ls.disk is not None:
            ls.disk.stop()

    @server.feature(types.EXIT)
    def exit_(ls: InfointServer, params: None) -> None:
        ls.exited = True

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded
    async def did_open(ls: InfointServer, params: types.DidOpenTextDocumentParams) -> None:
        await _buffer_changed(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded
    async def did_change(ls: InfointServer, params: types.DidChangeTextDocumentParams) -> None:
        await _buffer_changed(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guarded
    async def did_save(ls: InfointServer, params: types.DidSaveTextDocumentParams) -> None:
        if await ls.vault() is not None and ls.disk is not None:
            ls.disk.poke()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded
    async def did_close(ls: InfointServer, params: types.DidCloseTextDocumentParams) -> None:
        live = await ls.vault()
        rel = ls.rel(params.text_document.uri)
        if live is None or rel is None or not live.is_open(rel):
            return
        if ls.disk is not None:
            await ls.disk.refresh()  # the file as saved, before the buffer stops counting
        if params.text_document.uri in ls.workspace.text_documents:
            return  # opened again meanwhile
        ls.open_uris.pop(rel, None)
        ls.publish(live.update(rel, None), {rel: params.text_document.uri})

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded
    async def watched_files(ls: InfointServer, params: types.DidChangeWatchedFilesParams) -> None:
        if await ls.vault() is not None and ls.disk is not None:
            ls.disk.poke()

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=["[", ":", " ", '"']),
    )
    @guarded
    async def completion(
        ls: InfointServer, params: types.CompletionParams
    ) -> types.CompletionList | None:
        at = await _at(ls, params.text_document.uri, params.position)
        if at is None:
            return None
        note = at.live.note(at.rel)
        return complete(at.live.index, note, at.lines, at.line, at.column, ls.now())

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded
    async def hover(ls: InfointServer, params: types.HoverParams) -> types.Hover | None:
        at = await _at(ls, params.text_document.uri, params.position)
        if at is None:
            return None
        span, notes = at.target()
        now = ls.now()
        text = navigate.hover_text(at.live.index, span, notes, at.live.agenda(now), now)
        if text is None:
            return None
        shown = at.lines.range(at.line, span.start, span.end) if span else None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text), range=shown
        )

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @guarded
    async def definition(
        ls: InfointServer, params: types.DefinitionParams
    ) -> list[types.Location] | None:
        at = await _at(ls, params.text_document.uri, params.position)
        if at is None:
            return None
        span, notes = at.target()
        if span is None:
            return None
        start = types.Range(start=types.Position(0, 0), end=types.Position(0, 0))
        return [types.Location(uri=ls.uri(note.path), range=start) for note in notes]

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    @guarded
    async def references(
        ls: InfointServer, params: types.ReferenceParams
    ) -> list[types.Location] | None:
        at = await _at(ls, params.text_document.uri, params.position)
        if at is None:
            return None
        note = at.live.note(at.rel)
        span, notes = at.target()
        if span is None and note is not None:
            notes = (note,)
        known: dict[str, Lines] = {}

        def lines_of(path: str) -> list[str]:
            if path not in known:
                known[path] = ls.lines(path)
            return known[path].lines

        return [
            types.Location(
                uri=ls.uri(source), range=known[source].range(place.line, place.start, place.end)
            )
            for source, place in navigate.references(at.live.index, notes, lines_of)
        ]

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded
    async def symbols(
        ls: InfointServer, params: types.DocumentSymbolParams
    ) -> list[types.DocumentSymbol] | None:
        live = await ls.vault()
        rel = ls.rel(params.text_document.uri)
        note = live.note(rel) if live is not None and rel is not None else None
        if note is None or rel is None:
            return None
        return document_symbols(note, ls.lines(rel))

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll],
            resolve_provider=True,
        ),
    )
    @guarded
    async def code_action(
        ls: InfointServer, params: types.CodeActionParams
    ) -> list[types.CodeAction | types.Command] | None:
        at = await _at(ls, params.text_document.uri, params.range.start)
        if at is None:
            return None
        last_line = at.lines.column(params.range.end)[0]
        return code_actions(
            at.live,
            at.rel,
            at.lines,
            (at.line, at.column),
            last_line,
            list(params.context.diagnostics),
            ls.now(),
            ls.client(),
        )

    @server.feature(types.CODE_ACTION_RESOLVE)
    @guarded
    async def resolve_action(ls: InfointServer, action: types.CodeAction) -> types.CodeAction:
        live = await ls.vault()
        if live is not None:
            why = resolve(action, live, ls.now(), ls.client())
            if why is not None:
                ls.window_show_message(
                    types.ShowMessageParams(type=types.MessageType.Error, message=f"infoint: {why}")
                )
        return action

    @server.command(CREATE_NOTE)
    @guarded
    async def create_note_command(ls: InfointServer, *args: Any) -> bool | None:
        """For clients that cannot create files through an edit: check the note as
        `infoint new` does, write it with its writer (never over a file), open it."""
        from ..write.atomic import create_note

        live = await ls.vault()
        if live is None or len(args) != 2 or not all(isinstance(arg, str) for arg in args):
            return None
        rel, text = args
        if not ls.is_note_path(rel):
            return None
        why = resolve(
            types.CodeAction(title="", data={"rel": rel, "text": text}), live, ls.now(), ls.client()
        )
        try:
            if why is not None:
                raise WriteRefused(why)
            create_note(live.root / rel, live.root, text.encode("utf-8"))
        except (WriteRefused, OSError) as exc:
            ls.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Error, message=f"infoint: {exc}")
            )
            return False
        if ls.disk is not None:
            await ls.disk.refresh()
        window = ls.client_capabilities.window
        if window is not None and window.show_document is not None:
            await ls.window_show_document_async(
                types.ShowDocumentParams(uri=ls.uri(rel), take_focus=True)
            )
        return True

    return server


async def _buffer_changed(ls: InfointServer, uri: str) -> None:
    live = await ls.vault()
    rel = ls.rel(uri)
    if live is None or rel is None:
        return
    ls.open_uris[rel] = uri
    text = ls.workspace.get_text_document(uri).source
    ls.publish(live.update(rel, text))


@dataclass(frozen=True, slots=True)
class _Cursor:
    """Where a request points: the vault, the note's path and lines, line and column
    in characters."""

    live: LiveVault
    rel: str
    lines: Lines
    line: int
    column: int

    def target(self) -> tuple[LinkSpan | None, tuple[Note, ...]]:
        """The link under the cursor and the notes it means (see `navigate.target_of`)."""
        note = self.live.note(self.rel)
        return navigate.target_of(self.live.index, note, self.lines.lines, self.line, self.column)


async def _at(ls: InfointServer, uri: str, position: types.Position) -> _Cursor | None:
    live = await ls.vault()
    rel = ls.rel(uri)
    if live is None or rel is None:
        return None
    lines = ls.lines(rel)
    return _Cursor(live, rel, lines, *lines.column(position))


def serve(vault_option: str | None, now_text: str | None) -> int:
    """Speak LSP on stdin/stdout until the client says `exit` or closes stdin. Nothing
    else may write to stdout: the protocol's stream is a copy of it, and stdout itself
    points at stderr from here on."""
    import sys

    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    server = build_server(vault_option, now_text)
    server.start_io(sys.stdin.buffer, protocol_out)
    # LSP: `exit` without `shutdown` first is an error (1); stdin closing is not.
    return 1 if server.exited and not server.shut_down else 0
