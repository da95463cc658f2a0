"""`validate --staged` (SPEC 4.17): the vault as the next commit holds it, and which of
its diagnostics the commit is answerable for."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from ..core.index import VaultIndex
from ..core.links import LinkResolver, note_keys, target_key
from ..core.model import Diagnostic, Note
from ..core.notes import build_note
from ..core.parse import parse_note
from ..rules.validate import Report, validate
from .hook import StagedChanges, staged_changes

#: The codes a link gets when what it points at changed.
LINK_CODES = frozenset({"broken-link", "ambiguous-link", "wrong-link-kind"})

Spot = tuple[str, int, int]


@dataclass(frozen=True, slots=True)
class StagedCheck:
    """The committed vault, and what of it the commit changes."""

    index: VaultIndex
    #: Notes the commit adds or changes: every diagnostic of theirs counts.
    staged: frozenset[str]
    #: (path, line, column) of each link in another note that means another note (or
    #: none) after the commit (deleting `maria.md` breaks `referred_by: "[[maria]]"` in
    #: `sam.md`), with what the commit did: `deletes contacts/maria.md`.
    spots: dict[Spot, str]

    @property
    def paths(self) -> frozenset[str]:
        """Every note a reported diagnostic can be about."""
        return self.staged | {path for path, _, _ in self.spots}

    def concerns(self, problem: Diagnostic) -> bool:
        """Whether the commit is answerable for `problem`."""
        if problem.path in self.staged:
            return True
        return problem.code in LINK_CODES and (
            (problem.path, problem.line, problem.column) in self.spots
        )

    def explained(self, problem: Diagnostic) -> Diagnostic:
        """`problem`, saying which change of the commit caused it when the note itself
        is not part of the commit."""
        cause = self.spots.get((problem.path, problem.line, problem.column))
        if problem.path in self.staged or not cause:
            return problem
        return replace(problem, message=f"{problem.message}; this commit {cause}")


def _parsed(contents: dict[str, bytes], zone: tzinfo) -> list[Note]:
    return [build_note(parse_note(rel, raw), zone) for rel, raw in sorted(contents.items())]


def _links(note: Note) -> list[tuple[str, int, int]]:
    """(target, line, column) of each link of `note`, in its fields and its body."""
    found = [(link.target, link.line, link.column) for link in note.field_links]
    found += [(link.target, link.line, link.column) for link in note.parsed.body.links]
    return found


def _cause(paths: list[str], previous: set[str], after: VaultIndex) -> str:
    """What the commit did to the notes a link meant before or means now."""
    done = []
    for path in dict.fromkeys(paths):
        if path not in previous:
            done.append(f"adds {path}")
        else:
            done.append(f"{'changes' if path in after.by_path else 'deletes'} {path}")
    return ", ".join(done)


def _moved_links(
    after: VaultIndex, previous: list[Note], changed: frozenset[str]
) -> dict[Spot, str]:
    """Links of unchanged notes that mean another note (or none) after the commit, with
    what the commit did to the notes they meant."""
    # Only a link under a key of a changed note (as it was or as it is) can move.
    keys: set[str] = set()
    for note in (*previous, *(after.by_path[path] for path in changed if path in after.by_path)):
        keys.update(note_keys(note))
    candidates = [
        (target, note.path, (note.path, line, column))
        for note in after.notes
        if note.path not in changed
        for target, line, column in _links(note)
        if target_key(target) in keys
    ]
    if not candidates:
        return {}
    before = LinkResolver(
        [note for note in after.notes if note.path not in changed] + previous, after.attachments
    )
    previous_paths = {note.path for note in previous}
    spots = {}
    for target, source, spot in candidates:
        was = [(found.path, found.kind) for found in before.resolve(target, source)]
        now = [(found.path, found.kind) for found in after.resolver.resolve(target, source)]
        if was != now:
            involved = [path for path, _ in was + now if path in changed]
            spots[spot] = _cause(involved, previous_paths, after)
    return spots


def staged_check(working: VaultIndex, changes: StagedChanges) -> StagedCheck:
    """The vault as the commit holds it: each note of the working tree the commit holds
    unchanged, the committed version of every other note the commit holds."""
    zone = working.config.zone
    kept = [
        note
        for note in working.notes
        if note.path not in changes.contents and changes.holds(note.path)
    ]
    after = VaultIndex(
        working.root, working.config, kept + _parsed(changes.contents, zone), working.attachments
    )
    changed = changes.staged | frozenset(changes.previous)
    spots = _moved_links(after, _parsed(changes.previous, zone), changed)
    return StagedCheck(after, changes.staged, spots)


def check_staged(working: VaultIndex) -> StagedCheck:
    """The vault as git's next commit holds it, from the working vault `working`."""
    changes = staged_changes(working.root, working.rules.is_note, set(working.by_path))
    return staged_check(working, changes)


def validate_staged(check: StagedCheck, now: datetime) -> Report:
    """`infoint validate --staged`: the diagnostics the commit is answerable for, each
    saying which change of the commit caused it."""
    found = validate(check.index, now, check.paths)
    problems = [check.explained(problem) for problem in found if check.concerns(problem)]
    return Report.of(check.index, problems, check.paths)
