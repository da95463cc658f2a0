"""`infoint graph`."""

from __future__ import annotations

import click

from .app import App, now_option, pass_app
from .complete import notes
from .output import echo_json, echo_lines


@click.command("graph")
@click.option(
    "--root",
    "root",
    metavar="ID",
    shell_complete=notes("contact"),
    help="Only this contact and whom they led to.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["tree", "dot", "mermaid", "json"]),
    default="tree",
    show_default=True,
    help="tree: indented text; dot: Graphviz; mermaid: for GitHub/Obsidian; json: data.",
)
@now_option
@pass_app
def graph_command(app: App, root: str | None, output_format: str, now_text: str | None) -> None:
    """The referral graph: who suggested whom, with stages and interview dates.

    A referral nobody has written a note for yet shows as a pending node
    (`pending:<slug>`); a loop of referrals is drawn once and marked.

    Example:

    \b
        infoint graph
        infoint graph --root maria-chen
        infoint graph --format dot | dot -Tsvg > referrals.svg
        infoint graph --format mermaid    # paste into a ```mermaid block
    """
    # Imported here: completing an argument loads the command, never the rules.
    from ..formats.graph_render import graph_json, render_dot, render_mermaid, render_tree
    from ..rules.graph import build_graph, find_person

    index = app.index()
    graph = build_graph(index, app.now(now_text))
    if root is not None:
        graph = graph.subgraph(find_person(graph, index, root))
    if output_format == "json":
        echo_json(graph_json(graph))
        return
    render = {"tree": render_tree, "dot": render_dot, "mermaid": render_mermaid}[output_format]
    echo_lines(render(graph))
