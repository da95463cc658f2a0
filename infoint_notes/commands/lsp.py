"""`infoint lsp`."""

from __future__ import annotations

import click

from .app import App, now_option, pass_app


@click.command("lsp")
@click.option("--stdio", is_flag=True, hidden=True, help="Accepted for clients that pass it.")
@now_option
@pass_app
def lsp_command(app: App, stdio: bool, now_text: str | None) -> None:
    """Run the language server for your editor (LSP 3.17 over stdin and stdout).

    The editor starts it; it finds the vault from the workspace folder (or --vault,
    INFOINT_VAULT) and offers validate's diagnostics as you type, completion of links,
    fields and values, hover, go to definition, references, code actions and an
    outline. See the README, "In your editor", for Neovim, VS Code and Helix.

    Example:

    \b
        infoint lsp
        infoint --vault ~/notes lsp
    """
    from ..lsp.server import serve

    raise SystemExit(serve(app.vault_option, now_text))
