"""`infoint draft thank-you|request|update` (SPEC 4.10)."""

from __future__ import annotations

from typing import Any

import click

from .app import App, now_option, pass_app
from .complete import notes
from .output import echo_document


@click.group("draft")
def draft_command() -> None:
    """Print a message ready to edit and send: subject line, blank line, body.

    Rendered from templates/message-request.md, message-thank-you.md and
    message-update.md in the vault (the built-in ones when missing). Nothing is
    written; record the message afterwards with `infoint log`.

    Example:

    \b
        infoint draft request sam-lee | pbcopy
        infoint draft thank-you 2026-11-20-jane-doe
    """


# name, argument, what it does, example
_DRAFTS = (
    (
        "request",
        "CONTACT",
        "Ask CONTACT for 15–20 minutes, saying plainly it is not about a job; the referrer is"
        " named only when the contact has referrer_ok: true.",
        'infoint draft request "Sam Lee"',
    ),
    (
        "thank-you",
        "INTERVIEW",
        "Thank the person you met in INTERVIEW (or their latest interview, given a contact):"
        " the date, a point from your notes, the referrals you will contact.",
        "infoint draft thank-you jane-doe",
    ),
    (
        "update",
        "CONTACT",
        "Tell CONTACT what happened since you were last in touch.",
        "infoint draft update jane-doe",
    ),
)


def _make(name: str, argument: str, summary: str, example: str) -> None:
    def callback(app: App, target: str, now_text: str | None) -> None:
        # Imported here: completing an argument loads the command, never the rules.
        from ..core.model import Contact
        from ..rules.arguments import Pick, find_interview
        from ..write import drafts

        index = app.index()
        now = app.now(now_text)
        # `find` gives a note of the kind asked for; the isinstance says so to mypy.
        if name == "thank-you":
            # A contact means their latest interview that has started (SPEC 4.9).
            interview = find_interview(index, target, now, Pick.STARTED)
            draft = drafts.thank_you_draft(index, interview, now)
        else:
            contact = index.find(target, ("contact",))
            assert isinstance(contact, Contact)
            render = drafts.request_draft if name == "request" else drafts.update_draft
            draft = render(index, contact, now)
        echo_document(draft.text())

    callback.__doc__ = f"{summary}\n\n    Example:\n\n        {example}\n    "
    kinds = ("interview", "contact") if argument == "INTERVIEW" else ("contact",)
    command: Any = click.argument("target", metavar=argument, shell_complete=notes(*kinds))(
        callback
    )
    draft_command.command(name)(now_option(pass_app(command)))


for _draft in _DRAFTS:
    _make(*_draft)
