"""Drawing the referral graph: a box-drawing tree, Graphviz dot, Mermaid and JSON.

Each renderer takes a `ReferralGraph` and returns lines (or a JSON-ready value); none
prints. Labels are escaped for their format, and control characters in them shown
escaped (`safetext`), so any name a user writes is safe.
"""

from __future__ import annotations

from typing import Any

from ..core.dates import day_of
from ..rules.graph import Node, ReferralGraph
from .safetext import printable

FORMATS = ("tree", "dot", "mermaid", "json")
#: How many levels of referrals the tree indents; deeper ones are drawn at this
#: indentation with their depth written out, so output stays linear in the people drawn.
MAX_INDENT = 16

# Fill colours by stage: grey not yet asked, amber waiting, blue booked, green talked,
# red/dark for people who said no or should not be contacted.
STAGE_COLORS = {
    "prospect": "#f1f3f5",
    "requested": "#fff3cd",
    "scheduled": "#cfe2ff",
    "interviewed": "#d1e7dd",
    "declined": "#f8d7da",
    "inactive": "#e2e3e5",
    "do-not-contact": "#f1aeb5",
}


def node_facts(node: Node) -> list[str]:
    """The short facts shown next to a name: organization, stage, interview dates."""
    facts = [node.organization] if node.organization else []
    if not node.has_note:
        facts.append("pending referral, no note yet")
        return facts
    facts.append(node.stage)
    if node.last_interview is not None:
        facts.append(f"last interview {day_of(node.last_interview).isoformat()}")
    if node.next_interview is not None:
        facts.append(f"next interview {day_of(node.next_interview).isoformat()}")
    if node.pending:
        facts.append("pending referral")
    return facts


def _line(node: Node) -> str:
    return " · ".join([_one_line(node.name), *(_one_line(f) for f in node_facts(node))])


def _one_line(text: str) -> str:
    """`text` on one line: runs of white space (newlines too) made one space, other
    control characters escaped."""
    return printable(" ".join(text.split()))


# --- tree --------------------------------------------------------------------------------


def render_tree(graph: ReferralGraph) -> list[str]:
    """Each start with its descendants, one person a line.

    A person met again on the current path closes a loop: drawn once more, marked, and
    not followed. A person referred by several people is drawn in full under the first
    and marked "see above" under the others.
    """
    chains: list[list[str]] = []
    singles: list[str] = []
    drawn: set[str] = set()
    for start in graph.drawing_order():
        if start in drawn:
            continue
        lines = _draw_from(graph, start, drawn)
        if len(lines) == 1 and graph.root is None:
            singles.extend(lines)
        else:
            chains.append(lines)
    blocks = chains[:]
    if singles:
        blocks.append(["Not in a referral chain:", *singles] if chains else singles)
    drawn_lines: list[str] = []
    for block in blocks:
        if drawn_lines:
            drawn_lines.append("")  # a blank line between chains
        drawn_lines.extend(block)
    return drawn_lines


def _draw_from(graph: ReferralGraph, start: str, drawn: set[str]) -> list[str]:
    """The lines of one start's tree. Past MAX_INDENT levels the indentation stops
    growing and each line names its depth instead (`[depth 17]`): indenting every level
    made a 20,000-person chain 800 MB of mostly spaces (quadratic output)."""
    lines = [_line(graph.node(start))]
    drawn.add(start)
    on_path = {start}
    # Each frame: (node id, its children, index of the next child, prefix for them).
    stack: list[tuple[str, tuple[str, ...], list[int], str]] = [
        (start, graph.children(start), [0], "")
    ]
    while stack:
        node_id, children, position, prefix = stack[-1]
        if position[0] >= len(children):
            stack.pop()
            on_path.discard(node_id)
            continue
        child = children[position[0]]
        position[0] += 1
        last = position[0] == len(children)
        depth = len(stack)
        branch = prefix + ("└── " if last else "├── ")
        if depth > MAX_INDENT:
            branch += f"[depth {depth}] "
        node = graph.node(child)
        if child in on_path:
            lines.append(f"{branch}↻ {_one_line(node.name)} (referral loop, drawn once above)")
        elif child in drawn:
            lines.append(f"{branch}{_one_line(node.name)} (see above)")
        else:
            lines.append(branch + _line(node))
            drawn.add(child)
            on_path.add(child)
            if depth <= MAX_INDENT:
                prefix += "    " if last else "│   "
            stack.append((child, graph.children(child), [0], prefix))
    return lines


# --- Graphviz dot ---------------------------------------------------------------------


def dot_quote(text: str) -> str:
    """A DOT double-quoted string; newlines become spaces so a label is one line each."""
    text = _one_line(text).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def render_dot(graph: ReferralGraph) -> list[str]:
    out = [
        "digraph referrals {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for node in graph.nodes:
        label = "\\n".join(dot_quote(part)[1:-1] for part in [node.name, *node_facts(node)])
        style = "rounded,filled,dashed" if node.pending else "rounded,filled"
        color = STAGE_COLORS.get(node.stage, "#ffffff")
        out.append(
            f'  {dot_quote(node.id)} [label="{label}", fillcolor="{color}", style="{style}"];'
        )
    for edge in graph.edges:
        attributes = f" [label={dot_quote(edge.via)}]" if edge.via else ""
        out.append(f"  {dot_quote(edge.source)} -> {dot_quote(edge.target)}{attributes};")
    out.append("}")
    return out


# --- Mermaid -------------------------------------------------------------------------------


def mermaid_text(text: str) -> str:
    """Text safe inside a Mermaid quoted label: entity codes for the characters Mermaid
    or the HTML it renders into would read as syntax."""
    text = _one_line(text).replace("#", "#35;")
    for char, code in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return text.replace("`", "#96;").replace("|", "#124;")


def _mermaid_class(stage: str) -> str:
    return stage.replace("-", "_")


def render_mermaid(graph: ReferralGraph) -> list[str]:
    """A `flowchart`, which GitHub and Obsidian both render; node ids are `n1`, `n2`, ...
    because note ids may hold characters Mermaid does not allow in ids."""
    short = {node.id: f"n{number}" for number, node in enumerate(graph.nodes, 1)}
    out = ["flowchart LR"]
    for node in graph.nodes:
        facts = " · ".join(mermaid_text(fact) for fact in node_facts(node))
        label = mermaid_text(node.name) + (f"<br/>{facts}" if facts else "")
        out.append(f'  {short[node.id]}["{label}"]')
    for edge in graph.edges:
        text = f'|"{mermaid_text(edge.via)}"|' if edge.via else ""
        out.append(f"  {short[edge.source]} -->{text} {short[edge.target]}")
    classes: dict[str, list[str]] = {}
    for node in graph.nodes:
        name = "pending" if node.pending else _mermaid_class(node.stage)
        classes.setdefault(name, []).append(short[node.id])
    for name in sorted(classes):
        stage = "prospect" if name == "pending" else name.replace("_", "-")
        dashed = ",stroke-dasharray:5 5" if name == "pending" else ""
        out.append(f"  classDef {name} fill:{STAGE_COLORS.get(stage, '#ffffff')}{dashed}")
        out.append(f"  class {','.join(classes[name])} {name}")
    return out


# --- JSON --------------------------------------------------------------------------------


def graph_json(graph: ReferralGraph) -> dict[str, Any]:
    """Exactly SPEC 4.5's shape."""
    return {
        "nodes": [
            {"id": node.id, "name": node.name, "stage": node.stage, "pending": node.pending}
            for node in graph.nodes
        ],
        "edges": [
            {"from": edge.source, "to": edge.target, "via": edge.via} for edge in graph.edges
        ],
    }
