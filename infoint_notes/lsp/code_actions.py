"""Code actions as LSP has them: each fix or log entry as an edit of the buffer, a new
contact note as a `CreateFile` and its text (checked as `infoint new` checks it once
chosen, through `codeAction/resolve`), or, for clients that cannot create files
through an edit, as a command that writes it with `infoint new`'s writer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lsprotocol import types

from ..write.create import NewNote
from . import actions
from .convert import Lines, text_edit
from .live import LiveVault
from .text import link_at

CREATE_NOTE = "infoint.createNote"


@dataclass(frozen=True, slots=True)
class Client:
    """What the editor can do with an action, and how it names files."""

    creates_files: bool
    resolves_edits: bool
    uri: Callable[[str], str]

    @classmethod
    def of(cls, capabilities: types.ClientCapabilities, uri: Callable[[str], str]) -> Client:
        workspace = capabilities.workspace
        edit = workspace.workspace_edit if workspace else None
        creates = bool(
            edit is not None
            and edit.document_changes
            and types.ResourceOperationKind.Create in (edit.resource_operations or ())
        )
        document = capabilities.text_document
        action = document.code_action if document else None
        support = action.resolve_support if action else None
        return cls(creates, bool(support and "edit" in support.properties), uri)


def code_actions(
    live: LiveVault,
    rel: str,
    lines: Lines,
    cursor: tuple[int, int],
    last_line: int,
    diagnostics: list[types.Diagnostic],
    now: datetime,
    client: Client,
) -> list[types.CodeAction | types.Command]:
    """The actions for lines `cursor[0]` to `last_line` of the buffer at `rel`."""
    note = live.note(rel)
    text = live.text(rel)
    if note is None or text is None:
        return []
    uri = client.uri(rel)
    wanted = set(range(cursor[0] + 1, last_line + 2))
    found: list[types.CodeAction | types.Command] = []
    for change in actions.fixes(note, text):
        if change.kind == "quickfix" and change.line not in wanted:
            continue
        found.append(_edit_action(change, uri, text, lines, diagnostics))
    thank_you = actions.thank_you_today(note, text, lambda: live.agenda(now), now, live.index)
    if thank_you is not None:
        found.append(_edit_action(thank_you, uri, text, lines, []))
    span = link_at(note, lines.lines, *cursor)
    target = actions.missing_contact(live.index, span) if span is not None else None
    new = actions.plan_contact(live.index, note, target, now) if target else None
    if new is not None:
        broken = [d for d in diagnostics if d.code == "broken-link"]
        offered = _create_action(new, broken, live, now, client)
        if offered is not None:
            found.append(offered)
    return found


def _edit_action(
    change: actions.TextChange,
    uri: str,
    text: str,
    lines: Lines,
    diagnostics: list[types.Diagnostic],
) -> types.CodeAction:
    edit = text_edit(text, change.text, lines)
    fixed = [d for d in diagnostics if change.line and d.range.start.line == change.line - 1]
    return types.CodeAction(
        title=change.title,
        kind=change.kind,
        diagnostics=fixed or None,
        is_preferred=bool(fixed) or None,
        edit=types.WorkspaceEdit(changes={uri: [edit] if edit else []}),
    )


def _create_action(
    new: actions.NewContact,
    broken: list[types.Diagnostic],
    live: LiveVault,
    now: datetime,
    client: Client,
) -> types.CodeAction | types.Command | None:
    rel, text = new.note.rel, new.note.text
    if not client.creates_files:
        # A bare command (a code action holding one is misread by some clients); the
        # command checks the note as `new` does before it writes.
        return types.Command(title=new.title, command=CREATE_NOTE, arguments=[rel, text])
    action = types.CodeAction(
        title=new.title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=broken or None,
        data={"rel": rel, "text": text},
    )
    if client.resolves_edits:
        return action  # checked and given its edit once chosen (`resolve`)
    return action if resolve(action, live, now, client) is None else None


def resolve(action: types.CodeAction, live: LiveVault, now: datetime, client: Client) -> str | None:
    """Give a "create contact note" action its edit, unless `infoint new` would refuse
    the note; then say why."""
    data: Any = action.data
    if not isinstance(data, dict) or not {"rel", "text"} <= set(data):
        return None
    new = actions.NewContact(action.title, NewNote(str(data["rel"]), str(data["text"]), ""))
    why = actions.refusal(live.index, new, now)
    if why is not None:
        return f"nothing written: the new note would bring these problems: {why}"
    action.edit = create_file(client.uri(new.note.rel), new.note.text)
    return None


def create_file(uri: str, text: str) -> types.WorkspaceEdit:
    """Create the file (never over an existing one) and put `text` in it."""
    start = types.Range(start=types.Position(0, 0), end=types.Position(0, 0))
    return types.WorkspaceEdit(
        document_changes=[
            types.CreateFile(
                uri=uri, options=types.CreateFileOptions(overwrite=False, ignore_if_exists=False)
            ),
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                edits=[types.TextEdit(range=start, new_text=text)],
            ),
        ]
    )
