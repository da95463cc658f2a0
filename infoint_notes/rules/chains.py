"""Referral chains answered without walking them (SPEC 3.4, 4.2).

A contact's chain is its referrer, their referrer, and so on, until someone has none or
the chain comes back to someone already in it. Everyone has at most one referrer, so the
contacts form trees hanging off either a person with no referrer or a loop. One
iterative walk numbers every tree (entry and exit order, depth); after it, "is A in
B's chain, and whom did A refer on the way down to B" and "how long is B's chain" are
answered in O(log n) without walking, so a milestone thanking someone at the end of a
20,000-person chain costs no more than one thanking the first person of it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..core.model import Contact

if TYPE_CHECKING:
    from ..core.index import VaultIndex


def referral_loops(
    contacts: Sequence[Contact], referrer_of: Callable[[Contact], Contact | None]
) -> list[list[Contact]]:
    """Each loop of referrers, in link order (a contact, its referrer, ...).

    Following the links from each contact not placed yet either ends, reaches someone
    already placed, or comes back onto the walk itself: each contact is walked once,
    O(contacts), with no recursion."""
    placed: set[str] = set()
    loops = []
    for start in contacts:
        walk: dict[str, int] = {}  # path -> position on this walk
        order: list[Contact] = []
        current: Contact | None = start
        while current is not None and current.path not in placed:
            if current.path in walk:
                loops.append(order[walk[current.path] :])
                break
            walk[current.path] = len(order)
            order.append(current)
            current = referrer_of(current)
        placed.update(walk)
    return loops


def referral_chains(index: VaultIndex) -> ReferralChains:
    """Everyone's referral chain in `index`, numbered once per index (who is above whom,
    how long)."""
    return index.derived(_number_chains)


def _number_chains(index: VaultIndex) -> ReferralChains:
    return ReferralChains(index.contacts, index.referrer_of)


class ReferralChains:
    """Every contact's referral chain, numbered once."""

    def __init__(
        self, contacts: Sequence[Contact], referrer_of: Callable[[Contact], Contact | None]
    ) -> None:
        self.loops = referral_loops(contacts, referrer_of)
        #: path -> (loop number, position in it) for contacts on a loop
        self._on_loop = {
            member.path: (number, position)
            for number, loop in enumerate(self.loops)
            for position, member in enumerate(loop)
        }
        children: dict[str, list[Contact]] = {}
        roots: list[Contact] = []
        for contact in contacts:
            referrer = referrer_of(contact)
            if referrer is None or contact.path in self._on_loop:
                roots.append(contact)  # a loop's link is not a tree's
            else:
                children.setdefault(referrer.path, []).append(contact)
        self._enter: dict[str, int] = {}
        self._exit: dict[str, int] = {}
        self._depth: dict[str, int] = {}
        self._root: dict[str, str] = {}
        #: path -> its children, and the entry numbers of those (ascending)
        self._children = children
        self._child_entries: dict[str, list[int]] = {}
        self._number(roots, children)

    def _number(self, roots: list[Contact], children: dict[str, list[Contact]]) -> None:
        clock = 0
        for root in roots:
            stack: list[tuple[Contact, int]] = [(root, 0)]
            while stack:
                contact, next_child = stack.pop()
                path = contact.path
                if next_child == 0:
                    self._enter[path] = clock
                    clock += 1
                    self._root[path] = root.path
                    self._depth[path] = len(stack)
                below = children.get(path, [])
                if next_child < len(below):
                    stack.append((contact, next_child + 1))
                    stack.append((below[next_child], 0))
                else:
                    self._exit[path] = clock
                    self._child_entries[path] = [self._enter[c.path] for c in below]

    def length(self, contact: Contact) -> int:
        """len(VaultIndex.referral_chain(contact))."""
        root = self._on_loop.get(self._root[contact.path])
        return self._depth[contact.path] + (len(self.loops[root[0]]) - 1 if root else 0)

    def span(self, contact: Contact) -> tuple[int, int]:
        """(entry, exit) numbers: `contact`'s tree descendants are numbered in between."""
        return self._enter[contact.path], self._exit[contact.path]

    def loop_of(self, contact: Contact) -> int | None:
        """The loop the contact's chain ends in, if any."""
        found = self._on_loop.get(self._root[contact.path])
        return found[0] if found else None

    def loop_at(self, contact: Contact) -> int | None:
        """The loop the contact is on, if any."""
        found = self._on_loop.get(contact.path)
        return found[0] if found else None

    def below(self, above: Contact, contact: Contact) -> Contact | None:
        """Whom `above` referred on the way down to `contact` (maybe `contact` itself),
        or None when `above` is not in `contact`'s chain."""
        high, low = above.path, contact.path
        if high == low:
            return None
        if self._enter[high] < self._enter[low] < self._exit[high]:
            entries = self._child_entries[high]
            return self._children[high][bisect_right(entries, self._enter[low]) - 1]
        place = self._on_loop.get(high)
        if place is None or self._on_loop.get(self._root[low], (None,))[0] != place[0]:
            return None
        # Round the loop: whoever names `above` as referrer on it came just before.
        loop = self.loops[place[0]]
        return loop[place[1] - 1]


class ThankedChains:
    """For one milestone: whether a contact is among the people it thanks (in its
    order), or above one of them in their referral chain, and whom they referred on the
    way down to the first such person.

    Short chains are simply walked. When walking them would take more than `budget`
    steps (a milestone thanking the end of a 20,000-person chain), the chains numbered
    once by `ReferralChains` answer instead, by a range-minimum query over entry
    numbers: one milestone then costs the contacts asked about, not the chains' length."""

    def __init__(
        self,
        thanked: Sequence[Contact],
        referrer_of: Callable[[Contact], Contact | None],
        numbered: Callable[[], ReferralChains],
        budget: int | None = None,
    ) -> None:
        first: dict[str, Contact] = {}
        for contact in thanked:
            first.setdefault(contact.path, contact)  # each person once, where first thanked
        self.thanked = list(first.values())
        self._direct = set(first)
        self._walked = _walk(self.thanked, referrer_of, budget)
        if self._walked is None:
            self._number(numbered())

    def _number(self, chains: ReferralChains) -> None:
        self.chains = chains
        entries = [chains.span(contact)[0] for contact in self.thanked]
        ranked = sorted(range(len(self.thanked)), key=entries.__getitem__)
        self._entries = [entries[n] for n in ranked]
        self._table = [ranked]  # _table[j][i]: the first (in thanks order) of ranked[i:i+2**j]
        width = 1
        while width * 2 <= len(ranked):
            last = self._table[-1]
            self._table.append([min(last[i], last[i + width]) for i in range(len(last) - width)])
            width *= 2
        #: loop number -> the first two thanked (in order) whose chains end in it
        self._by_loop: dict[int, list[int]] = {}
        for number, contact in enumerate(self.thanked):
            loop = chains.loop_of(contact)
            if loop is not None and len(self._by_loop.setdefault(loop, [])) < 2:
                self._by_loop[loop].append(number)

    def _first_between(self, low: int, high: int) -> int | None:
        """The first thanked (in order) with an entry number in (low, high)."""
        start, end = bisect_right(self._entries, low), bisect_left(self._entries, high)
        if start >= end:
            return None
        level = (end - start).bit_length() - 1
        row = self._table[level]
        return min(row[start], row[end - (1 << level)])

    def is_thanked(self, contact: Contact) -> bool:
        return contact.path in self._direct

    def first_below(self, contact: Contact) -> Contact | None:
        """Whom `contact` referred on the way down to the first thanked person whose
        chain holds them; None when no thanked person's chain does."""
        if self._walked is not None:
            return self._walked.get(contact.path)
        # Below `contact` in its tree, or anywhere whose chain ends in the loop it is on
        # (the first two of those: one may be `contact` itself).
        candidates = [self._first_between(*self.chains.span(contact))]
        loop = self.chains.loop_at(contact)
        if loop is not None:
            candidates.extend(self._by_loop.get(loop, ()))
        for number in sorted(n for n in candidates if n is not None):
            found = self.chains.below(contact, self.thanked[number])
            if found is not None:
                return found
        return None


def _walk(
    thanked: list[Contact], referrer_of: Callable[[Contact], Contact | None], budget: int | None
) -> dict[str, Contact] | None:
    """Path -> whom they referred on the way down, walking each thanked person's chain
    (as `VaultIndex.referral_chain` does); None once more than `budget` steps."""
    below_of: dict[str, Contact] = {}
    steps = 0
    for person in thanked:
        seen = {person.path}
        below, current = person, referrer_of(person)
        while current is not None and current.path not in seen:
            steps += 1
            if budget is not None and steps > budget:
                return None
            below_of.setdefault(current.path, below)
            seen.add(current.path)
            below, current = current, referrer_of(current)
    return below_of
