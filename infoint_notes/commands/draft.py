"""`infoint draft thank-you|request|update` (SPEC 4.10)."""

from __future__ import annotations

from typing import Any

import click

from ..core.model import Contact, Interview
from ..write import drafts
from .app import App, now_option, pass_app
from .output import echo, echo_document


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
        " named only when allowed (referrer_ok: true, or may_use_name: true on the"
        " interview referral that names them).",
        'infoint draft request "Sam Lee"',
    ),
    (
        "thank-you",
        "INTERVIEW",
        "Thank the person you met in INTERVIEW: the date, a point from your notes, the"
        " referrals you will contact. Refused for an interview that did not happen.",
        "infoint draft thank-you 2026-11-20-jane-doe",
    ),
    (
        "update",
        "CONTACT",
        "Tell CONTACT what happened since you were last in touch. Refused for someone you"
        " have not talked with.",
        "infoint draft update jane-doe",
    ),
)


def _make(name: str, argument: str, summary: str, example: str) -> None:
    def callback(app: App, target: str, now_text: str | None, force: bool = False) -> None:
        index = app.index()
        now = app.now(now_text)
        # `find` gives a note of the kind asked for; the isinstance says so to mypy.
        if name == "thank-you":
            interview = index.find(target, ("interview",))
            assert isinstance(interview, Interview)
            draft = drafts.thank_you_draft(index, interview, now, force)
        else:
            contact = index.find(target, ("contact",))
            assert isinstance(contact, Contact)
            if name == "request":
                draft = drafts.request_draft(index, contact, now)
            else:
                draft = drafts.update_draft(index, contact, now, force)
        echo_document(draft.text())
        for hint in draft.hints:
            echo(f"note: {hint}", err=True)

    callback.__doc__ = f"{summary}\n\n    Example:\n\n        {example}\n    "
    command: Any = click.argument("target", metavar=argument)(callback)
    if name in _FORCEABLE:
        command = click.option("--force", is_flag=True, help=_FORCEABLE[name])(command)
    draft_command.command(name)(now_option(pass_app(command)))


#: The drafts refused for a conversation that did not happen, and what --force does.
_FORCEABLE = {
    "thank-you": "Draft it even if the interview was cancelled, a no-show or has not started.",
    "update": "Draft it even if you have not talked with them yet.",
}


for _draft in _DRAFTS:
    _make(*_draft)
