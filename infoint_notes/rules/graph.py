"""The referral graph (SPEC 4.5): who suggested whom, as nodes and edges.

Nodes are contacts plus referrals that have no note yet (`pending:<slug>`). Edges come
from two places that often say the same thing: a contact's `referred_by` (referrer ->
contact) and an interview's `referrals` (interviewee -> referral). Both are merged into
one edge per (from, to) pair, carrying the interview id when an interview said it.

Everything here is plain data with a deterministic order; drawing it (tree, dot,
mermaid, json) is `graph_render.py`'s job. All walks are iterative, so a very long or
looping chain never hits Python's recursion limit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ..core import dates
from ..core.errors import UsageError
from ..core.index import VaultIndex
from ..core.model import Contact, Interview, Referral, When
from ..core.organizations import OrganizationLookup
from ..core.slug import slugify

PENDING_PREFIX = "pending:"


@dataclass(frozen=True, slots=True)
class Node:
    """A person in the graph: a contact, or a referral nobody has written a note for."""

    id: str  #: the contact's note id, or `pending:<slug of the name>`
    name: str
    stage: str  #: the contact's stage; `prospect` for a referral without a note
    #: A referral not acted on yet (SPEC 3.2): no note, or a referred contact still a
    #: prospect (not requested, no interview).
    pending: bool
    contact: Contact | None = None  #: None for a referral without a note
    organization: str | None = None  #: display name (the organization note's name if linked)
    last_interview: When | None = None  #: start of the latest done interview
    next_interview: When | None = None  #: start of the earliest planned interview

    @property
    def has_note(self) -> bool:
        return self.contact is not None

    def order_key(self) -> tuple[str, str]:
        """How siblings and roots are ordered when drawn: by name, then id."""
        return (self.name.casefold(), self.id)


@dataclass(frozen=True, slots=True)
class Edge:
    """`source` suggested `target`; `via` is the interview where they did, if known."""

    source: str
    target: str
    via: str | None


@dataclass(frozen=True)
class ReferralGraph:
    """Nodes sorted by id, edges sorted by (source, target)."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    #: Set for a subtree (`--root`): where drawing starts.
    root: str | None = None
    _by_id: dict[str, Node] = field(init=False, repr=False, compare=False)
    _children: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _parents: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {node.id: node for node in self.nodes}
        children: dict[str, list[str]] = defaultdict(list)
        parents: dict[str, list[str]] = defaultdict(list)
        for edge in self.edges:
            children[edge.source].append(edge.target)
            parents[edge.target].append(edge.source)

        def ordered(ids: list[str]) -> tuple[str, ...]:
            return tuple(sorted(ids, key=lambda node_id: by_id[node_id].order_key()))

        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_children", {k: ordered(v) for k, v in children.items()})
        object.__setattr__(self, "_parents", {k: ordered(v) for k, v in parents.items()})

    def node(self, node_id: str) -> Node:
        return self._by_id[node_id]

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._by_id

    def children(self, node_id: str) -> tuple[str, ...]:
        """Whom this person referred, in drawing order."""
        return self._children.get(node_id, ())

    def parents(self, node_id: str) -> tuple[str, ...]:
        """Who referred this person (usually one), in drawing order."""
        return self._parents.get(node_id, ())

    def roots(self) -> tuple[str, ...]:
        """Where drawing starts: the subtree's root, or everyone nobody referred."""
        if self.root is not None:
            return (self.root,)
        found = [node for node in self.nodes if not self.parents(node.id)]
        return tuple(node.id for node in sorted(found, key=Node.order_key))

    def drawing_order(self) -> list[str]:
        """Roots first, then a start inside each loop that nobody outside it referred
        into (its first member by name), so every node is reachable from some start and
        a loop is drawn from inside it, with what hangs off it below."""
        starts = list(self.roots())
        reached: dict[str, None] = {}
        _reach(self, starts, reached)
        if len(reached) == len(self.nodes):
            return starts
        component_of: dict[str, int] = {}
        for number, component in enumerate(_strong_components(self)):
            for member in component:
                component_of[member] = number
        # A loop someone outside it referred into is reached from there.
        fed = {
            component_of[edge.target]
            for edge in self.edges
            if component_of[edge.source] != component_of[edge.target]
        }
        for node in sorted(self.nodes, key=Node.order_key):
            if node.id not in reached and component_of[node.id] not in fed:
                starts.append(node.id)
                # Only the part not reached yet is walked: many loops feeding one long
                # chain would otherwise walk the chain once per loop (quadratic).
                _reach(self, [node.id], reached)
        return starts

    def subgraph(self, root: str) -> ReferralGraph:
        """`root` and everyone reachable from it through referrals."""
        keep = set(_reachable(self, [root]))
        return ReferralGraph(
            tuple(node for node in self.nodes if node.id in keep),
            tuple(e for e in self.edges if e.source in keep and e.target in keep),
            root=root,
        )

    def cycles(self) -> list[tuple[str, ...]]:
        """Groups of people who (indirectly) referred each other, each sorted by id."""
        groups = []
        for component in _strong_components(self):
            looped = len(component) > 1 or component[0] in self.children(component[0])
            if looped:
                groups.append(tuple(sorted(component)))
        return sorted(groups)

    def longest_chain(self) -> tuple[str, ...]:
        """The longest line of contacts each referred by the one before, without
        repeating anyone; referrals without a note are not counted (they are not in the
        network yet). Edges that close a loop are ignored, so this stays linear."""
        forward = _forward_edges(self)
        best: dict[str, tuple[int, str | None]] = {}  # id -> (length, next id)
        for node_id in _postorder(self, forward):
            if not self.node(node_id).has_note:
                continue
            length, after = 1, None
            for child in forward.get(node_id, ()):
                if child in best and best[child][0] + 1 > length:
                    length, after = best[child][0] + 1, child
            best[node_id] = (length, after)
        if not best:
            return ()
        start = min(best, key=lambda k: (-best[k][0], self.node(k).order_key()))
        chain = [start]
        while best[chain[-1]][1] is not None:
            chain.append(best[chain[-1]][1])  # type: ignore[arg-type]
        return tuple(chain)


def _reachable(graph: ReferralGraph, starts: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    _reach(graph, starts, seen)
    return list(seen)


def _reach(graph: ReferralGraph, starts: Iterable[str], seen: dict[str, None]) -> None:
    """Add to `seen` everyone reachable from `starts` (themselves included); the walk
    stops at anyone already in it."""
    stack = list(starts)
    while stack:
        node_id = stack.pop()
        if node_id in seen:
            continue
        seen[node_id] = None
        stack.extend(graph.children(node_id))


def _forward_edges(graph: ReferralGraph) -> dict[str, list[str]]:
    """The edges of a depth-first walk in drawing order, minus those that close a loop."""
    forward: dict[str, list[str]] = defaultdict(list)
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    for start in graph.drawing_order():
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(graph.children(start)))]
        while stack:
            node_id, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                state[node_id] = 2
                stack.pop()
                continue
            if state.get(child) == 1:
                continue  # back to someone on the path: the edge that closes a loop
            forward[node_id].append(child)
            if child not in state:
                state[child] = 1
                stack.append((child, iter(graph.children(child))))
    return forward


def _postorder(graph: ReferralGraph, forward: dict[str, list[str]]) -> list[str]:
    """Nodes with everyone they lead to (by forward edges) before them."""
    order: list[str] = []
    done: set[str] = set()
    for start in graph.drawing_order():
        if start in done:
            continue
        done.add(start)
        stack = [(start, iter(forward.get(start, ())))]
        while stack:
            node_id, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                order.append(node_id)
                stack.pop()
            elif child not in done:
                done.add(child)
                stack.append((child, iter(forward.get(child, ()))))
    return order


def _strong_components(graph: ReferralGraph) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively."""
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in (node.id for node in graph.nodes):
        if start in index_of:
            continue
        work = [(start, iter(graph.children(start)))]
        index_of[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node_id, pending = work[-1]
            child = next(pending, None)
            if child is not None:
                if child not in index_of:
                    index_of[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.children(child))))
                elif child in on_stack:
                    low[node_id] = min(low[node_id], index_of[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node_id])
            if low[node_id] == index_of[node_id]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node_id:
                        break
                components.append(component)
    return components


# --- building it from the vault ----------------------------------------------------------


def pending_id(name: str) -> str:
    """The node id of a referral without a note: `pending:` + the slug of its name."""
    slug = slugify(name, fallback="")
    if not slug:  # a name with no Latin letters (e.g. 李明): keep it, minus spaces
        slug = "-".join(name.casefold().split())
    return PENDING_PREFIX + slug


def find_person(graph: ReferralGraph, index: VaultIndex, text: str) -> str:
    """The node a user means (`graph --root`): a contact by id, name, alias or path, or a
    `pending:` node id. UsageError when there is none."""
    if text.startswith(PENDING_PREFIX):
        if text in graph:
            return text
        raise UsageError(f"no pending referral {text!r} in the graph")
    return index.find(text, ("contact",)).id


def referral_contact(
    index: VaultIndex, referral: Referral, source: str | None = None
) -> Contact | None:
    """The contact note a referral (written in the note at `source`) means, by link or
    by name, if exactly one."""
    target = referral.link.target if referral.link else referral.name
    found = [note for note in index.resolver.resolve(target, source) if isinstance(note, Contact)]
    return found[0] if len(found) == 1 else None


def _contact_node(
    index: VaultIndex, lookup: OrganizationLookup, contact: Contact, now: datetime, referred: bool
) -> Node:
    interviews = index.interviews_of(contact)
    done = [iv.start for iv in interviews if iv.start and index.status_of(iv, now) == "done"]
    planned = [iv.start for iv in interviews if iv.start and index.status_of(iv, now) == "planned"]
    stage = index.stage_of(contact, now)
    return Node(
        id=contact.id,
        name=contact.title,
        stage=stage,
        pending=referred and stage == "prospect",
        contact=contact,
        organization=lookup.name_of(contact),
        last_interview=max(done, key=dates.sort_key) if done else None,
        next_interview=min(planned, key=dates.sort_key) if planned else None,
    )


def build_graph(index: VaultIndex, now: datetime) -> ReferralGraph:
    """The whole referral graph of the vault at `now` (stages depend on the clock)."""
    # (source, target) -> via; a referral stated by an interview wins over a bare
    # `referred_by`, and of several interviews the earliest (interviews_of order) wins.
    edges: dict[tuple[str, str], str | None] = {}
    pending: dict[str, tuple[str, str | None]] = {}  # id -> (name, organization)
    for contact in index.contacts:
        referrer = index.referrer_of(contact)
        if referrer is not None:
            edges.setdefault((referrer.id, contact.id), None)
    for interviewee in index.contacts:
        for interview in index.interviews_of(interviewee):
            _add_referrals(index, interviewee, interview, edges, pending)

    referred = {target for _, target in edges}
    lookup = OrganizationLookup(index)
    # Two contacts with one id are a `duplicate-id` error; the graph keeps the first.
    contacts = {contact.id: contact for contact in reversed(index.contacts)}
    nodes = [_contact_node(index, lookup, c, now, c.id in referred) for c in contacts.values()]
    for node_id, (name, organization) in pending.items():
        nodes.append(Node(node_id, name, "prospect", True, organization=organization))
    return ReferralGraph(
        tuple(sorted(nodes, key=lambda node: node.id)),
        tuple(Edge(s, t, via) for (s, t), via in sorted(edges.items())),
    )


def _add_referrals(
    index: VaultIndex,
    interviewee: Contact,
    interview: Interview,
    edges: dict[tuple[str, str], str | None],
    pending: dict[str, tuple[str, str | None]],
) -> None:
    for referral in interview.referrals:
        contact = referral_contact(index, referral, interview.path)
        if contact is not None:
            target = contact.id
        else:
            target = pending_id(referral.name)
            name, organization = pending.get(target, (referral.name, None))
            pending[target] = (name, organization or referral.organization)
        if edges.get((interviewee.id, target)) is None:
            edges[(interviewee.id, target)] = interview.id
