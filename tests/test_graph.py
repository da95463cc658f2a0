"""The referral graph: edges, merging, pending nodes, loops, subtrees, and every format."""

from __future__ import annotations

import json

import pydot
import pytest

from infoint_notes.core.config import load_config
from infoint_notes.core.dates import parse_now
from infoint_notes.formats.graph_render import dot_quote, mermaid_text, render_tree
from infoint_notes.rules.graph import Edge, build_graph, pending_id
from infoint_notes.speed.loader import load_index

NETWORK = {
    "contacts/ada.md": """
        ---
        type: contact
        name: Ada Lovelace
        organization: "[[acme]]"
        requested: 2026-10-01
        ---
        """,
    "interviews/2026-10-10-ada.md": """
        ---
        type: interview
        contact: "[[ada]]"
        date: 2026-10-10T10:00
        status: done
        referrals:
          - "[[bob]]"
          - name: José Núñez
            organization: Acme
          - Carol King
        ---
        """,
    # A second interview naming Bob again: still one edge, via the first interview.
    "interviews/2026-10-20-ada.md": """
        ---
        type: interview
        contact: "[[ada]]"
        date: 2026-10-20T10:00
        status: done
        referrals: ["[[bob]]", "Jose Nunez"]
        ---
        """,
    "contacts/bob.md": """
        ---
        type: contact
        name: Bob Stone
        referred_by: "[[ada]]"
        requested: 2026-10-15
        ---
        """,
    "contacts/carol.md": """
        ---
        type: contact
        name: Carol King
        ---
        """,
    "contacts/dan.md": """
        ---
        type: contact
        name: Dan Wu
        referred_by: "[[bob]]"
        ---
        """,
    "contacts/eve.md": """
        ---
        type: contact
        name: Eve Adams
        referred_by: "[[frank]]"
        ---
        """,
    "contacts/frank.md": """
        ---
        type: contact
        name: Frank Ives
        referred_by: "[[eve]]"
        ---
        """,
    "organizations/acme.md": """
        ---
        type: organization
        name: Acme Corp
        aliases: [Acme]
        ---
        """,
}

NOW = "2026-11-20T12:00"


def graph_of(root):
    config = load_config(root)
    return build_graph(load_index(root, config), parse_now(NOW, config.zone))


@pytest.fixture
def network(make_vault):
    return make_vault(NETWORK)


def test_edges_are_exact_and_merged(network):
    graph = graph_of(network)
    assert graph.edges == (
        Edge("ada", "bob", "2026-10-10-ada"),  # referred_by + both interviews: one edge
        Edge("ada", "carol", "2026-10-10-ada"),  # resolved by name
        Edge("ada", "pending:jose-nunez", "2026-10-10-ada"),  # both spellings: one node
        Edge("bob", "dan", None),  # referred_by only
        Edge("eve", "frank", None),
        Edge("frank", "eve", None),
    )


def test_nodes_stages_and_pending(network):
    graph = graph_of(network)
    summary = {node.id: (node.name, node.stage, node.pending) for node in graph.nodes}
    assert summary == {
        "ada": ("Ada Lovelace", "interviewed", False),
        "bob": ("Bob Stone", "requested", False),
        "carol": ("Carol King", "prospect", True),  # referred, not asked yet
        "dan": ("Dan Wu", "prospect", True),
        "eve": ("Eve Adams", "prospect", True),
        "frank": ("Frank Ives", "prospect", True),
        "pending:jose-nunez": ("José Núñez", "prospect", True),
    }
    assert [node.id for node in graph.nodes] == sorted(summary)
    assert graph.node("pending:jose-nunez").organization == "Acme"
    assert graph.node("ada").organization == "Acme Corp"  # the note's name


def test_roots_cycles_and_longest_chain(network):
    graph = graph_of(network)
    assert graph.roots() == ("ada",)
    assert graph.cycles() == [("eve", "frank")]
    assert graph.drawing_order() == ["ada", "eve"]
    assert graph.longest_chain() == ("ada", "bob", "dan")


def tree_text(graph) -> str:
    return "".join(f"{line}\n" for line in render_tree(graph))


def test_self_referral_is_a_cycle(make_vault):
    root = make_vault(
        {"contacts/gil.md": '---\ntype: contact\nname: Gil\nreferred_by: "[[gil]]"\n---\n'}
    )
    graph = graph_of(root)
    assert graph.cycles() == [("gil",)]
    assert (
        tree_text(graph)
        == "Gil · prospect · pending referral\n└── ↻ Gil (referral loop, drawn once above)\n"
    )
    assert graph.longest_chain() == ("gil",)


def test_a_loop_with_a_branch_is_drawn_from_inside_the_loop(make_vault):
    """Michael and Sarah referred each other, and Michael referred Jennifer: nobody is
    a root. Drawing started at Jennifer (first by name), showed her alone under "Not in a
    referral chain", then "Jennifer (see above)" under Michael."""

    def contact(name: str, referrer: str) -> str:
        return f'---\ntype: contact\nname: {name}\nreferred_by: "[[{referrer}]]"\n---\n'

    root = make_vault(
        {
            "contacts/michael.md": contact("Michael", "sarah"),
            "contacts/sarah.md": contact("Sarah", "michael"),
            "contacts/jennifer.md": contact("Jennifer", "michael"),
        }
    )
    graph = graph_of(root)
    assert graph.drawing_order() == ["michael"]
    assert tree_text(graph) == (
        "Michael · prospect · pending referral\n"
        "├── Jennifer · prospect · pending referral\n"
        "└── Sarah · prospect · pending referral\n"
        "    └── ↻ Michael (referral loop, drawn once above)\n"
    )


def test_subgraph_keeps_what_the_root_led_to(network):
    graph = graph_of(network).subgraph("bob")
    assert [node.id for node in graph.nodes] == ["bob", "dan"]
    assert graph.edges == (Edge("bob", "dan", None),)
    assert graph.roots() == ("bob",)


def test_tree_draws_chains_and_loops(network):
    assert tree_text(graph_of(network)) == (
        "Ada Lovelace · Acme Corp · interviewed · last interview 2026-10-20\n"
        "├── Bob Stone · requested\n"
        "│   └── Dan Wu · prospect · pending referral\n"
        "├── Carol King · prospect · pending referral\n"
        "└── José Núñez · Acme · pending referral, no note yet\n"
        "\n"
        "Eve Adams · prospect · pending referral\n"
        "└── Frank Ives · prospect · pending referral\n"
        "    └── ↻ Eve Adams (referral loop, drawn once above)\n"
    )


def test_someone_referred_twice_is_drawn_once_in_full(make_vault):
    contact = "---\ntype: contact\nname: {name}\nrequested: 2026-11-01\n{extra}---\n"
    root = make_vault(
        {
            "contacts/a.md": contact.format(name="A", extra=""),
            "contacts/b.md": contact.format(name="B", extra=""),
            "contacts/c.md": contact.format(name="C", extra='referred_by: "[[a]]"\n'),
            "contacts/d.md": contact.format(name="D", extra='referred_by: "[[c]]"\n'),
            "interviews/x.md": '---\ntype: interview\ncontact: "[[b]]"\ndate: 2026-11-02\n'
            'referrals: ["[[c]]"]\n---\n',
        }
    )
    assert tree_text(graph_of(root)) == (
        "A · requested\n└── C · requested\n    └── D · requested\n\n"
        "B · interviewed · last interview 2026-11-02\n└── C (see above)\n"
    )


def test_pending_ids_are_slugs():
    assert pending_id("José Núñez") == "pending:jose-nunez"
    assert pending_id("  Mary-Jane  O'Neil ") == "pending:mary-jane-o-neil"
    assert pending_id("李明") == "pending:li-ming"  # every script is transliterated
    assert pending_id("★ ☆") == "pending:★-☆"  # no letters at all: kept, never empty


# --- the command, each format ----------------------------------------------------------


def test_cli_json_has_exactly_the_spec_keys(run, network):
    result = run(network, "graph", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"nodes", "edges"}
    assert all(set(node) == {"id", "name", "stage", "pending"} for node in data["nodes"])
    assert all(set(edge) == {"from", "to", "via"} for edge in data["edges"])
    assert {"from": "ada", "to": "bob", "via": "2026-10-10-ada"} in data["edges"]
    assert {"from": "bob", "to": "dan", "via": None} in data["edges"]
    assert {
        "id": "pending:jose-nunez",
        "name": "José Núñez",
        "stage": "prospect",
        "pending": True,
    } in data["nodes"]


def test_cli_root_by_name_and_pending_node(run, network):
    result = run(network, "graph", "--root", "Bob Stone", "--format", "json")
    data = json.loads(result.stdout)
    assert [node["id"] for node in data["nodes"]] == ["bob", "dan"]
    alone = run(network, "graph", "--root", "pending:jose-nunez")
    assert alone.stdout == "José Núñez · Acme · pending referral, no note yet\n"


def test_cli_root_that_matches_nothing_is_a_usage_error(run, network):
    result = run(network, "graph", "--root", "nobody")
    assert result.exit_code == 2
    assert "no contact matches 'nobody'" in result.stderr


# pydot's parser calls pyparsing names that pyparsing 3.3 deprecates: not ours to fix.
quiet_pydot = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@quiet_pydot
def test_cli_dot_parses_with_pydot(run, network):
    result = run(network, "graph", "--format", "dot")
    (graph,) = pydot.graph_from_dot_data(result.stdout)
    names = {node.get_name().strip('"') for node in graph.get_nodes()} - {"node", "edge"}
    assert names == {"ada", "bob", "carol", "dan", "eve", "frank", "pending:jose-nunez"}
    edges = {
        (edge.get_source().strip('"'), edge.get_destination().strip('"'))
        for edge in graph.get_edges()
    }
    assert ("ada", "pending:jose-nunez") in edges and ("frank", "eve") in edges
    (ada,) = graph.get_node('"ada"')
    assert ada.get("fillcolor") == '"#d1e7dd"'  # interviewed
    (pending,) = graph.get_node('"pending:jose-nunez"')
    assert "dashed" in pending.get("style")


@quiet_pydot
def test_dot_escapes_quotes_and_backslashes(make_vault, run):
    name = 'Jo "JJ" \\ Smith'
    root = make_vault({"contacts/jo.md": f"---\ntype: contact\nname: '{name}'\n---\n"})
    result = run(root, "graph", "--format", "dot")
    (graph,) = pydot.graph_from_dot_data(result.stdout)
    (node,) = graph.get_node('"jo"')
    assert node.get("label").startswith(dot_quote(name)[:-1])
    assert dot_quote('a"b\\c\nd') == '"a\\"b\\\\c d"'


def test_cli_mermaid_is_a_flowchart_with_escaped_labels(make_vault, run, network):
    result = run(network, "graph", "--format", "mermaid")
    lines = result.stdout.splitlines()
    assert lines[0] == "flowchart LR"
    assert '  n1["Ada Lovelace<br/>Acme Corp · interviewed · last interview 2026-10-20"]' in lines
    assert '  n1 -->|"2026-10-10-ada"| n2' in lines  # ada -> bob
    assert "  n5 --> n6" in lines  # eve -> frank, no interview
    assert mermaid_text('A "B" <C> & #1 | `x`') == (
        "A #quot;B#quot; #lt;C#gt; #amp; #35;1 #124; #96;x#96;"
    )


def test_demo_vault_tree_shows_its_three_chains(run, tmp_path):
    vault = tmp_path / "demo"
    assert run(None, "init", str(vault), "--demo").exit_code == 0
    result = run(vault, "graph")
    assert result.exit_code == 0, result.stderr
    chains = result.stdout.split("\n\n")
    assert chains[0].splitlines() == [
        "Aisha Rahman · Northwind Traders · interviewed · last interview 2026-09-06",
        "└── Chris Novak · Northwind Traders · scheduled · next interview 2026-11-26",
    ]
    assert chains[1].splitlines() == [
        "Daniel Okafor · State University · interviewed · last interview 2026-10-06",
        "├── Lena Fischer · Fabrikam · interviewed · last interview 2026-10-21",
        "│   └── Rita Gomez · Fabrikam · requested",
        "└── Tom Becker · Tailspin Toys · scheduled · next interview 2026-11-22",
    ]
    assert chains[2].splitlines() == [
        "Maria Chen · Contoso · interviewed · last interview 2026-10-30",
        "├── Priya Patel · Contoso · pending referral, no note yet",
        "└── Sam Lee · Contoso · interviewed · last interview 2026-11-19",
        "    └── Alex Romero · Fabrikam · pending referral, no note yet",
    ]
    assert chains[3].startswith("Not in a referral chain:\nBen Carter · Proseware · requested")


def test_output_is_the_same_on_every_run(run, network):
    for fmt in ("tree", "dot", "mermaid", "json"):
        first = run(network, "graph", "--format", fmt).stdout
        assert run(network, "graph", "--format", fmt).stdout == first


def test_contacts_sharing_a_file_name_are_two_nodes_by_path_id(make_vault):
    root = make_vault(
        {
            "a/x.md": "---\ntype: contact\nname: First\n---\n",
            "b/x.md": "---\ntype: contact\nname: Second\n---\n",
        }
    )
    graph = graph_of(root)
    assert [(node.id, node.name) for node in graph.nodes] == [("a/x", "First"), ("b/x", "Second")]


def test_a_chain_longer_than_the_recursion_limit(make_vault):
    size = 1100
    files = {
        f"c/p{i}.md": f'---\ntype: contact\nname: P{i}\nreferred_by: "[[p{i - 1}]]"\n---\n'
        for i in range(1, size)
    }
    files["c/p0.md"] = "---\ntype: contact\nname: P0\n---\n"
    graph = graph_of(make_vault(files))
    assert len(graph.longest_chain()) == size
    lines = render_tree(graph)
    assert len(lines) == size
    assert lines[-1].endswith("└── [depth 1099] P1099 · prospect · pending referral")
