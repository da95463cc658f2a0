"""The checks of `infoint validate` (SPEC 4.2). Each `check_*` owns its codes and
returns diagnostics as values; none of them reads the disk or the clock."""

from __future__ import annotations

import bisect
import math
import re
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime

from ..core import dates
from ..core.friendly import friendly
from ..core.identity import KEY_WORDS, contact_keys, organization_keys
from ..core.index import VaultIndex
from ..core.links import FILE_KIND
from ..core.model import ERROR, INFO, WARNING, Contact, Diagnostic, Interview, LinkRef, Note
from ..core.parse import normalise_key
from ..core.schema import CONTACT_LINK_FIELDS, KINDS
from .chains import referral_loops

_KIND_PHRASE = {"interview": "an interview", "organization": "an organization"}
_JOB = re.compile(
    r"\b(?:any|have|got|know of)\b[^?.]{0,25}"
    r"\b(?:jobs?|openings?|vacanc(?:y|ies)|positions? open)\b"
    r"|\bare you(?: guys)? hiring\b|\bhire me\b"
    r"|\b(?:get|give|find|offer) me an? (?:job|position|role|internship)\b"
    r"|\bjob openings?\b|\bany (?:open )?positions\b",
    re.I,
)
_AUXILIARY = frozenset(
    (
        "do does did is are was were am can could will would shall should may might must "
        "have has had isn't aren't don't doesn't didn't won't wouldn't can't couldn't"
    ).split()
)
_OPENER = re.compile(
    r"\s*(?:could|can|would|will)\s+you\s+(?:please\s+)?"
    r"(?:tell|describe|explain|walk|share|talk|give|elaborate|say|recommend|suggest|"
    r"outline|help me understand)\b",
    re.I,
)


def check_parse(index: VaultIndex) -> list[Diagnostic]:
    """yaml-syntax, not-a-mapping, conflict-marker, unreadable, duplicate-key,
    unterminated-front-matter: found while reading each file."""
    return [problem for note in index.notes for problem in note.parsed.diagnostics]


def check_fields(index: VaultIndex) -> list[Diagnostic]:
    """missing-field, bad-value, unknown-type, unquoted-wikilink: found while typing notes."""
    return [problem for note in index.notes for problem in note.issues]


def check_config(index: VaultIndex) -> list[Diagnostic]:
    """unknown-config-key."""
    return list(index.config.diagnostics)


#: How many notes a message names; the rest are counted. 2,000 notes sharing one name
#: (or one link matching 2,000 notes) made each of 2,000 messages name all the others.
_PATHS_SHOWN = 5


def _paths(notes: Sequence[Note], total: int | None = None) -> str:
    """The paths of the first notes, `and N more` for the rest of `total` (len(notes))."""
    total = len(notes) if total is None else total
    shown = ", ".join(note.path for note in notes[:_PATHS_SHOWN])
    return f"{shown} and {total - _PATHS_SHOWN:,} more" if total > _PATHS_SHOWN else shown


def check_ids(index: VaultIndex) -> list[Diagnostic]:
    """duplicate-id: two notes of infoint's kinds share a file name (case-insensitively,
    after NFC). Plain notes may, as in Obsidian: each is known by its path suffix."""
    groups: dict[str, list[Note]] = defaultdict(list)
    for note in index.notes:
        if note.kind in KINDS:
            groups[normalise_key(note.parsed.id)].append(note)
    found = []
    for notes in groups.values():
        if len(notes) < 2:
            continue
        for note in notes:
            others = _paths(
                [other for other in notes[: _PATHS_SHOWN + 1] if other is not note], len(notes) - 1
            )
            found.append(
                Diagnostic(
                    note.path,
                    1,
                    1,
                    WARNING,
                    "duplicate-id",
                    f"file name '{note.parsed.id}' is also used by {others}; rename one "
                    f"(a link by that name may mean either; this note's id is '{note.id}')",
                )
            )
    return found


#: The least `fuzz.ratio` of a suggestion. It bounds the lengths worth comparing: the
#: ratio is 200 * common / (a + b) <= 200 * min / (a + b), so min / max >= 0.6.
_SIMILAR = 75
_LENGTHS = _SIMILAR / (200 - _SIMILAR)


class _Suggestions:
    """ "did you mean" for targets that reach nothing: the closest id or name. The
    candidates are listed once, by length, and a target is compared (by rapidfuzz, in
    C) only with those of a length that can be similar enough; each distinct target is
    looked up once. A vault of deliberate unresolved links stays fast."""

    def __init__(self, index: VaultIndex, choices: Sequence[tuple[str, str]] | None = None) -> None:
        # The notes, not the index: this is kept in `_SUGGESTIONS` under the index, and a
        # value that held its key would keep every index ever checked alive (a language
        # server session made one per keystroke).
        self._notes = index.notes
        self._choices = choices
        self._keys: list[str] | None = None
        self._lengths: list[int] = []
        self._ids: list[str] = []
        self._found: dict[str, str] = {}

    def _build(self) -> list[str]:
        ordered = self._choices if self._choices is not None else _choices_of(self._notes)
        self._lengths = [len(key) for key, _ in ordered]
        self._ids = [note_id for _, note_id in ordered]
        return [key for key, _ in ordered]

    def __call__(self, target: str) -> str:
        key = normalise_key(target)
        if key in self._found:
            return self._found[key]
        from rapidfuzz import fuzz, process  # only a vault with unresolved links needs it

        if self._keys is None:
            self._keys = self._build()
        low = bisect.bisect_left(self._lengths, math.ceil(len(key) * _LENGTHS))
        high = bisect.bisect_right(self._lengths, math.floor(len(key) / _LENGTHS))
        best = None
        if low < high:
            window = self._keys if (low, high) == (0, len(self._keys)) else self._keys[low:high]
            best = process.extractOne(key, window, scorer=fuzz.ratio, score_cutoff=_SIMILAR)
        text = f" (did you mean [[{self._ids[low + best[2]]}]]?)" if best else ""
        self._found[key] = text
        return text


def suggestion_choices(index: VaultIndex) -> list[tuple[str, str]]:
    """What "did you mean" picks from: (normalised id or name, the note's id), shortest
    first; an index of a few notes is given those of its whole vault (`use_suggestions`)."""
    return _choices_of(index.notes)


def _choices_of(notes: Sequence[Note]) -> list[tuple[str, str]]:
    choices: dict[str, str] = {}
    for note in notes:
        choices.setdefault(normalise_key(note.id), note.id)
    for note in notes:
        if note.name:
            choices.setdefault(normalise_key(note.name), note.id)
    return [(key, choices[key]) for key in sorted(choices, key=len)]


def use_suggestions(index: VaultIndex, choices: Sequence[tuple[str, str]]) -> None:
    """`index` (a few notes of a vault) suggests from `choices`, its vault's."""
    _SUGGESTIONS[index] = _Suggestions(index, choices)


#: The suggestions worked out for an index: the language server asks again for the same
#: targets on every keystroke, with an index that differs only by the edited note.
_SUGGESTIONS: weakref.WeakKeyDictionary[VaultIndex, _Suggestions] = weakref.WeakKeyDictionary()


def suggestions_for(index: VaultIndex) -> _Suggestions:
    """The one `_Suggestions` of `index`."""
    found = _SUGGESTIONS.get(index)
    if found is None:
        found = _SUGGESTIONS[index] = _Suggestions(index)
    return found


def reuse_suggestions(index: VaultIndex, earlier: VaultIndex) -> None:
    """`index` has the ids and names of `earlier` (a note's other fields or body
    changed): it keeps the close matches `earlier` worked out."""
    found = _SUGGESTIONS.get(earlier)
    if found is not None:
        _SUGGESTIONS[index] = found


def _link_problem(
    index: VaultIndex, note: Note, link: LinkRef, suggest: _Suggestions
) -> Diagnostic | None:
    found = index.resolver.resolve(link.target, note.path)
    where = (note.path, link.line, link.column)
    if len(found) > 1:
        names = _paths(found)
        return Diagnostic(
            *where,
            WARNING,
            "ambiguous-link",
            f"'{link.target}' in '{link.field}' could mean {names}; link by id",
        )
    if link.property:
        if found:
            return None
        return Diagnostic(
            *where,
            WARNING,
            "broken-link",
            f"'{link.field}' links to no note: '{link.target}'{suggest(link.target)}",
        )
    if link.field in CONTACT_LINK_FIELDS:
        if not found:
            return Diagnostic(
                *where,
                ERROR,
                "broken-link",
                f"'{link.field}' points to no note: '{link.target}'{suggest(link.target)}",
            )
        if found[0].kind != "contact":
            what = (
                "a file, not a note"
                if found[0].kind == FILE_KIND
                else f"{_KIND_PHRASE.get(found[0].kind, 'a ' + found[0].kind)} note"
            )
            return Diagnostic(
                *where,
                ERROR,
                "wrong-link-kind",
                f"'{link.field}' must point to a contact, but {found[0].path} is {what}",
            )
        return None
    if link.field == "organization" and link.wikilink and not found:
        # A plain organization name needs no note; an explicit link to nowhere is a slip.
        return Diagnostic(
            *where,
            WARNING,
            "broken-link",
            f"'organization' links to no note: '{link.target}'; create it or "
            "write the name without [[ ]]",
        )
    return None


def link_problems(index: VaultIndex, note: Note) -> list[Diagnostic]:
    """broken-link, ambiguous-link, wrong-link-kind of one note's links (fields, other
    properties, body), resolved from the note they are written in. A referral that
    matches no note is not broken: it is a pending referral."""
    found = []
    suggest = suggestions_for(index)
    for link in note.field_links:
        problem = _link_problem(index, note, link, suggest)
        if problem is not None:
            found.append(problem)
    for body_link in note.parsed.body.links:
        matches = index.resolver.resolve(body_link.target, note.path)
        if len(matches) == 1:
            continue
        where = (note.path, body_link.line, body_link.column)
        if not matches:
            found.append(
                Diagnostic(
                    *where,
                    WARNING,
                    "broken-link",
                    f"[[{body_link.target}]] points to no note{suggest(body_link.target)}",
                )
            )
        else:
            names = _paths(matches)
            found.append(
                Diagnostic(
                    *where,
                    WARNING,
                    "ambiguous-link",
                    f"[[{body_link.target}]] could mean {names}; link by id",
                )
            )
    return found


def check_links(index: VaultIndex) -> list[Diagnostic]:
    """broken-link, ambiguous-link, wrong-link-kind: links in fields and in the body."""
    return [problem for note in index.notes for problem in link_problems(index, note)]


def check_duplicate_contacts(index: VaultIndex) -> list[Diagnostic]:
    """duplicate-contact: same email, LinkedIn URL, or name and organization."""
    first_seen: dict[tuple[str, str], Contact] = {}
    found = []
    organization_key = organization_keys(index)
    for contact in index.contacts:
        reported = False
        for key in contact_keys(contact, organization_key):
            other = first_seen.setdefault(key, contact)
            if other is contact or reported:
                continue
            reported = True
            field = key[0]
            line, column = contact.line_of(field)
            what = KEY_WORDS[field]
            found.append(
                Diagnostic(
                    contact.path,
                    line,
                    column,
                    WARNING,
                    "duplicate-contact",
                    f"same {what} as {other.path}; merge the two notes",
                )
            )
    return found


#: A longer loop is named by its first and last people only: printing every member of
#: a 3,000-person loop in each of its 3,000 warnings would be quadratic.
_LOOP_SHOWN = 10


def _loop_text(loop: list[Contact], first: int) -> str:
    """The loop read from member `first` back to it; a long one abridged."""
    size = len(loop)
    if size <= _LOOP_SHOWN:
        shown = [loop[(first + step) % size].id for step in range(size)]
    else:
        head = [loop[(first + step) % size].id for step in range(_LOOP_SHOWN // 2)]
        tail = [loop[(first + step) % size].id for step in range(size - 3, size)]
        shown = [*head, f"... ({size - len(head) - len(tail):,} more)", *tail]
    return " -> ".join([*shown, loop[first].id])


def check_referral_cycles(index: VaultIndex) -> list[Diagnostic]:
    """referral-cycle: `referred_by` chains that loop back."""
    found = []
    for loop in referral_loops(index.contacts, index.referrer_of):
        for position, contact in enumerate(loop):
            line, column = contact.line_of("referred_by")
            size = f" of {len(loop):,} people" if len(loop) > _LOOP_SHOWN else ""
            found.append(
                Diagnostic(
                    contact.path,
                    line,
                    column,
                    WARNING,
                    "referral-cycle",
                    f"referred_by goes round in a loop{size}: {_loop_text(loop, position)}",
                )
            )
    return found


def thank_you_problems(interview: Interview, now: datetime) -> list[Diagnostic]:
    """thank-you-before-interview, future-thank-you of one interview."""
    sent = interview.thank_you_sent
    if sent is None:
        return []
    line, column = interview.line_of("thank_you_sent")
    if interview.start is not None and dates.before(sent, interview.start):
        return [
            Diagnostic(
                interview.path,
                line,
                column,
                ERROR,
                "thank-you-before-interview",
                f"thank_you_sent ({friendly(sent)}) is before the "
                f"interview ({friendly(interview.start)})",
            )
        ]
    if dates.before(now, sent):
        return [
            Diagnostic(
                interview.path,
                line,
                column,
                WARNING,
                "future-thank-you",
                f"thank_you_sent ({friendly(sent)}) is in the future",
            )
        ]
    return []


def check_thank_you(index: VaultIndex, now: datetime) -> list[Diagnostic]:
    """thank-you-before-interview, future-thank-you."""
    return [problem for iv in index.interviews for problem in thank_you_problems(iv, now)]


def is_job_question(text: str) -> bool:
    return bool(_JOB.search(text))


def is_closed_question(text: str) -> bool:
    """A yes/no question: it opens with an auxiliary verb ("Do you like ...?")."""
    words = text.strip().lstrip("-*0123456789.) ").split(None, 1)
    if not words or words[0].lower().strip(",") not in _AUXILIARY:
        return False
    return not _OPENER.match(text)


def question_problems(interview: Interview) -> list[Diagnostic]:
    """job-question, closed-question of one interview's prepared questions."""
    found = []
    for question in interview.questions:
        where = (interview.path, question.line, question.column)
        if is_job_question(question.text):
            found.append(
                Diagnostic(
                    *where,
                    WARNING,
                    "job-question",
                    "this asks for a job; an informational interview is "
                    "for advice and insight, so ask what the work is like",
                )
            )
        elif is_closed_question(question.text):
            found.append(
                Diagnostic(
                    *where,
                    INFO,
                    "closed-question",
                    "can be answered yes or no; try 'How ...', 'What ...' or 'Tell me about ...'",
                )
            )
    return found


def check_questions(index: VaultIndex) -> list[Diagnostic]:
    """job-question, closed-question: prepared questions should be open-ended and never
    ask for a job."""
    return [problem for iv in index.interviews for problem in question_problems(iv)]


Check = Callable[[VaultIndex], list[Diagnostic]]


def note_problems(index: VaultIndex, note: Note, now: datetime) -> list[Diagnostic]:
    """What validate finds in one note on its own: its parse and field problems, its
    links as they resolve in `index`, its questions and its thank-you date. (What it
    finds by comparing notes with one another comes from `VAULT_CHECKS`.)"""
    found = [*note.parsed.diagnostics, *note.issues, *link_problems(index, note)]
    if isinstance(note, Interview):
        found.extend(question_problems(note))
        found.extend(thank_you_problems(note, now))
    return found


#: The checks that compare notes with one another (or read the config). With
#: `note_problems` they are all of validate; the language server re-runs each only when
#: a change touches what it reads.
VAULT_CHECKS: tuple[Check, ...] = (
    check_config,
    check_ids,
    check_duplicate_contacts,
    check_referral_cycles,
)

CHECKS: tuple[Check, ...] = (
    check_parse,
    check_fields,
    check_links,
    check_questions,
    *VAULT_CHECKS,
)


#: The fields of a contact the checks comparing notes read (duplicate-contact: its
#: identity keys; referral-cycle: whom it was referred by), where they are written.
_COMPARED_FIELDS = ("name", "organization", "email", "linkedin", "referred_by")


def compared_facts(note: Note) -> tuple[object, ...]:
    """All that validate reads of a note when checking *other* notes, or comparing notes
    (`VAULT_CHECKS`): how links find it (kind, ids, name, aliases), and a contact's
    identity and referrer with their positions. While a note's stay the same, an edit
    of it changes only its own `note_problems` (`speed.validate_memo` relies on it: a
    check that reads more of a note must say so here)."""
    found: tuple[object, ...] = (
        note.kind,
        note.parsed.id,
        note.id,
        note.name,
        tuple(note.aliases),
    )
    if isinstance(note, Contact):
        referrer = note.referred_by.target if note.referred_by else None
        found += (note.organization, note.email, note.linkedin, referrer)
        found += tuple(note.line_of(field) for field in _COMPARED_FIELDS)
    return found


def steady_until(notes: Iterable[Note], now: datetime) -> float:
    """The first instant (POSIX timestamp) after `now` at which the clock changes what
    validate finds in `notes` (a thank-you date stops being in the future); inf: never."""
    until = math.inf
    for note in notes:
        if not isinstance(note, Interview) or note.thank_you_sent is None:
            continue
        sent = note.thank_you_sent
        if not thank_you_problems(note, now) or not dates.before(now, sent):
            continue  # no future-thank-you now: none later either
        if isinstance(sent, datetime):
            # A moment without a zone is never remembered past now.
            flips = sent.timestamp() if sent.tzinfo is not None else now.timestamp()
        else:  # the day starts; an hour early for any zone's shift that day
            midnight = datetime(sent.year, sent.month, sent.day, tzinfo=now.tzinfo)
            flips = midnight.timestamp() - 3600
        until = min(until, flips)
    return until


def validate_parts(
    index: VaultIndex, now: datetime
) -> tuple[list[list[Diagnostic]], list[Diagnostic]]:
    """What validate finds in each note on its own (`note_problems`, in the index's
    order), and by comparing notes (`VAULT_CHECKS`)."""
    own = [note_problems(index, note, now) for note in index.notes]
    return own, [problem for check in VAULT_CHECKS for problem in check(index)]


def merged(
    own: Iterable[Iterable[Diagnostic]],
    compared: Iterable[Diagnostic],
    paths: Iterable[str] | None = None,
) -> list[Diagnostic]:
    """The diagnostics `validate_parts` found (those of the notes at `paths`), sorted."""
    found = [problem for problems in own for problem in problems]
    found.extend(compared)
    if paths is not None:
        wanted = set(paths)
        found = [problem for problem in found if problem.path in wanted]
    return sorted(set(found), key=Diagnostic.sort_key)


def validate(
    index: VaultIndex, now: datetime, paths: Iterable[str] | None = None
) -> list[Diagnostic]:
    """Every diagnostic of the vault (or of the notes at `paths`), sorted."""
    return merged(*validate_parts(index, now), paths)


def counts(diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    tally = {ERROR: 0, WARNING: 0, INFO: 0}
    for problem in diagnostics:
        tally[problem.severity] += 1
    return tally


@dataclass(frozen=True, slots=True)
class Report:
    """What `infoint validate` says: the diagnostics, and how many notes were checked."""

    problems: list[Diagnostic]
    checked: int
    #: error, warning and info: how many of each.
    counts: dict[str, int]

    @classmethod
    def of(
        cls, index: VaultIndex, problems: list[Diagnostic], paths: AbstractSet[str] | None
    ) -> Report:
        """The report of `problems` found in `index` (in the notes at `paths`, if given)."""
        checked = len(index.notes) if paths is None else len(paths & index.by_path.keys())
        return cls(problems, checked, counts(problems))

    def failed(self, strict: bool) -> bool:
        """Exit 1: any error, or with --strict any warning."""
        return self.counts[ERROR] > 0 or (strict and self.counts[WARNING] > 0)


def validate_notes(
    index: VaultIndex, now: datetime, paths: AbstractSet[str] | None = None
) -> Report:
    """`infoint validate`: the whole vault, or the notes at `paths`."""
    return Report.of(index, validate(index, now, paths), paths)
