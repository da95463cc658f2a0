"""`infoint draft thank-you|request|update` (SPEC 4.10)."""

from __future__ import annotations

import click

from ..cli import App, now_option, pass_app


@click.group("draft")
def draft_command() -> None:
    """Print a message ready to edit and send: subject line, blank line, body.

    Rendered from templates/message-request.md, message-thank-you.md and
    message-update.md in the vault (the built-in ones when missing). Nothing is
    written; record the message afterwards with `infoint log`.

    Example:

        infoint draft request sam-lee | pbcopy
        infoint draft thank-you 2026-11-20-jane-doe
    """


def _print(app: App, kind: str, target: str, now_text: str | None) -> None:
    from .. import drafts

    index = app.index()
    now = app.now(now_text)
    if kind == "thank-you":
        draft = drafts.thank_you_draft(index, index.find(target, ("interview",)), now)
    else:
        contact = index.find(target, ("contact",))
        render = drafts.request_draft if kind == "request" else drafts.update_draft
        draft = render(index, contact, now)
    click.echo(draft.text(), nl=False)


@draft_command.command("request")
@click.argument("contact")
@now_option
@pass_app
def draft_request(app: App, contact: str, now_text: str | None) -> None:
    """Ask CONTACT for 15–20 minutes (and say plainly it is not about a job).

    The referrer is named only when the contact has referrer_ok: true.

    Example:

        infoint draft request "Sam Lee"
    """
    _print(app, "request", contact, now_text)


@draft_command.command("thank-you")
@click.argument("interview")
@now_option
@pass_app
def draft_thank_you(app: App, interview: str, now_text: str | None) -> None:
    """Thank the person you met in INTERVIEW: the date, a point from your notes, the
    referrals you will contact.

    Example:

        infoint draft thank-you 2026-11-20-jane-doe
    """
    _print(app, "thank-you", interview, now_text)


@draft_command.command("update")
@click.argument("contact")
@now_option
@pass_app
def draft_update(app: App, contact: str, now_text: str | None) -> None:
    """Tell CONTACT what happened since you were last in touch.

    Example:

        infoint draft update jane-doe
    """
    _print(app, "update", contact, now_text)
