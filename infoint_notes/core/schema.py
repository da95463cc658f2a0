"""Every front-matter field of every note kind, declared once (SPEC 3).

A `Field` says what a key holds and how infoint reads, checks, writes and exchanges it.
Everything else derives from these tables: the typed notes (`notes.build_note` reads
each field with the reader of its `Value`), `bad-value` and `missing-field`, the keys
written as dates (`new`, `import`), the dates `list --json` prints in ISO form, the
contacts' CSV columns, vCard properties and LinkedIn columns, the `log` events' keys
and the built-in templates (a test checks each lists its kind's `template` fields).

Adding a contact field is one line in `CONTACT` plus the template. It then gets
checked, exported (a CSV column; JSON; vCard as `X-INFOINT-<KEY>` unless `vcard` names a
standard property), imported (dates written as dates) and filtered by `--where`; its
typed value is in `note.typed[key]`. Give it an `attribute` (and that attribute on the
model's dataclass, of the type its `Value` reads) once a rule needs it by name.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .model import Contact, Interview, Milestone, Note, Organization


class Value(Enum):
    """What a field holds, and so which reader types it (`notes._READERS`)."""

    #: Text (stripped); a number or true/false is `bad-value` ("quote it").
    TEXT = "text"
    #: The note's display name: text, or nothing (never a problem unless required).
    NAME = "name"
    #: One of `Field.choices`.
    CHOICE = "choice"
    #: true or false.
    FLAG = "flag"
    #: A whole number from 1 to `Field.maximum` (of `Field.unit`).
    WHOLE = "whole number"
    #: A date or date-time (SPEC 2.2).
    WHEN = "date"
    #: A list of dates (one date alone counts as a list of one).
    WHENS = "list of dates"
    #: A list of texts (one text alone counts as a list of one).
    TEXTS = "list of texts"
    #: A list of tags: texts, a leading `#` dropped.
    TAGS = "list of tags"
    #: A link to another note (SPEC 2.1): `"[[jane-doe]]"`, `jane-doe` or `Jane Doe`.
    LINK = "link"
    #: A name, or a link to the note of that name; typed as the name or link target.
    NAMED = "name or link"
    #: A list of links.
    LINKS = "list of links"
    #: An interview's referrals: links or mappings with `name` (SPEC 3.2).
    REFERRALS = "referrals"
    #: Prepared questions: texts, followed by the body's `## Questions` items.
    QUESTIONS = "questions"

    @property
    def many(self) -> bool:
        """Whether the typed value is a tuple (empty when the key is absent)."""
        return self in _MANY

    @property
    def dated(self) -> bool:
        return self in (Value.WHEN, Value.WHENS)


_MANY = frozenset(
    {Value.WHENS, Value.TEXTS, Value.TAGS, Value.LINKS, Value.REFERRALS, Value.QUESTIONS}
)


@dataclass(frozen=True, slots=True)
class Field:
    """One front-matter key of one note kind."""

    key: str
    value: Value
    #: The typed note's attribute that holds the typed value; None: `note.typed[key]`.
    attribute: str | None = None
    #: Absent or empty is `missing-field`.
    required: bool = False
    #: For CHOICE: the allowed values, in the order messages list them.
    choices: tuple[str, ...] = ()
    #: For WHOLE: the largest value (keeps date arithmetic in range) and its unit.
    maximum: int = 0
    unit: str = ""
    #: For WHOLE: the smallest value.
    minimum: int = 1
    #: For TEXT and TEXTS: added to "must be text, not 5; quote it".
    hint: str = ""
    #: For LINK / LINKS: the kind of note a link must reach (else `broken-link` and
    #: `wrong-link-kind` are errors).
    links_to: str | None = None
    #: Read and checked when notes are typed. False: infoint writes it (imports) and
    #: nothing reads it, so any value is accepted and kept as written.
    checked: bool = True
    #: Contacts: a column of `export contacts --format csv` in this order, even when no
    #: contact has it (other keys follow, sorted).
    csv: bool = True
    #: Contacts: the standard vCard property that carries it (`formats.contacts` knows
    #: how each is written); None: `X-INFOINT-<KEY>`.
    vcard: str | None = None
    #: Contacts: the column of LinkedIn's Connections.csv it is imported from.
    linkedin: str | None = None
    #: Listed in the kind's built-in template (`vault-template/templates/`).
    template: bool = True


@dataclass(frozen=True, slots=True, eq=False)  # eq=False: hashed by identity, cheaply
class NoteKind:
    """A kind of note (`type:` in front matter), its typed note and its fields."""

    name: str
    note: type[Note]
    fields: tuple[Field, ...]

    def field(self, key: str) -> Field:
        """The field of `key`; KeyError when the kind has none."""
        for field in self.fields:
            if field.key == key:
                return field
        raise KeyError(f"a {self.name} has no field {key!r}")


SOURCES = (
    "linkedin",
    "alumni",
    "association",
    "friends-family",
    "colleague",
    "faculty",
    "career-center",
    "event",
    "article",
    "referral",
    "other",
)
REQUEST_VIA = ("email", "phone", "linkedin", "letter", "in-person", "other")
CONTACT_STATUS = ("active", "declined", "inactive", "do-not-contact")
INTERVIEW_STATUS = ("planned", "done", "cancelled", "no-show")
FORMATS = ("in-person", "phone", "video")

MAX_DURATION_MINUTES = 24 * 60
MAX_KEEP_IN_TOUCH_DAYS = 3650
#: `motivation` and `posting` of an organization: 0 to 3, as "The 2-Hour Job Search" scores.
TARGET_SCORE_MAX = 3

_PHONE_HINT = " as written (infoint validate --fix does)"

# name, aliases and tags belong to every note; kinds whose template does not list them.
_UNTEMPLATED = (
    Field("name", Value.NAME, "name", template=False),
    Field("aliases", Value.TEXTS, "aliases", template=False),
    Field("tags", Value.TAGS, "tags", template=False),
)

#: Notes of no kind of infoint's: only what every note has.
PLAIN = NoteKind("plain", Note, _UNTEMPLATED)

# In the order of the built-in templates (a test checks it), which the CSV columns follow.
CONTACT = NoteKind(
    "contact",
    Contact,
    (
        Field("name", Value.NAME, "name", required=True, vcard="FN"),
        # Not among the fixed CSV columns: it came after them, sorted, before the schema.
        Field("aliases", Value.TEXTS, "aliases", csv=False, vcard="NICKNAME"),
        Field("organization", Value.NAMED, "organization", vcard="ORG", linkedin="Company"),
        Field("title", Value.TEXT, "job_title", vcard="TITLE", linkedin="Position"),
        Field("field", Value.TEXT, "career_field"),
        # Fields sharing a vCard property split it: `location` is the city of the
        # preferred ADR, `address` all of it; the preferred EMAIL, TEL and the LinkedIn
        # URL go to the text field, every other one to the list after it.
        Field("location", Value.TEXT, "location", vcard="ADR"),
        Field("address", Value.TEXT, vcard="ADR"),
        Field("email", Value.TEXT, "email", vcard="EMAIL", linkedin="Email Address"),
        Field("other_emails", Value.TEXTS, vcard="EMAIL"),
        Field("phone", Value.TEXT, "phone", hint=_PHONE_HINT, vcard="TEL"),
        Field("other_phones", Value.TEXTS, hint=_PHONE_HINT, vcard="TEL"),
        Field("linkedin", Value.TEXT, "linkedin", vcard="URL", linkedin="URL"),
        Field("websites", Value.TEXTS, vcard="URL"),
        Field("birthday", Value.WHEN, vcard="BDAY"),
        Field("source", Value.CHOICE, "source", choices=SOURCES),
        Field("referred_by", Value.LINK, "referred_by", links_to="contact"),
        Field("referrer_ok", Value.FLAG, "referrer_ok"),
        Field("tags", Value.TAGS, "tags", vcard="CATEGORIES"),
        Field("requested", Value.WHEN, "requested"),
        Field("request_via", Value.CHOICE, "request_via", choices=REQUEST_VIA),
        Field("responded", Value.WHEN, "responded"),
        Field("updates", Value.WHENS, "updates"),
        Field("followed_up", Value.WHENS),
        Field(
            "keep_in_touch_days",
            Value.WHOLE,
            "keep_in_touch_days",
            maximum=MAX_KEEP_IN_TOUCH_DAYS,
            unit="days",
            template=False,
        ),
        Field("status", Value.CHOICE, "status", choices=CONTACT_STATUS),
        # LinkedIn's "Connected On" (every date style it has used is read as a date).
        Field(
            "connected_on",
            Value.WHEN,
            checked=False,
            csv=False,
            linkedin="Connected On",
            template=False,
        ),
    ),
)

INTERVIEW = NoteKind(
    "interview",
    Interview,
    (
        Field("contact", Value.LINK, "contact", required=True, links_to="contact"),
        Field("date", Value.WHEN, "start", required=True),
        Field("duration", Value.WHOLE, "duration", maximum=MAX_DURATION_MINUTES, unit="minutes"),
        Field("format", Value.CHOICE, "format", choices=FORMATS),
        Field("location", Value.TEXT, "location"),
        Field("status", Value.CHOICE, "status", choices=INTERVIEW_STATUS),
        Field("thank_you_sent", Value.WHEN, "thank_you_sent"),
        Field("referrals", Value.REFERRALS, "referrals"),
        Field("questions", Value.QUESTIONS, "questions", template=False),
        *_UNTEMPLATED,
    ),
)

ORGANIZATION = NoteKind(
    "organization",
    Organization,
    (
        Field("name", Value.NAME, "name", required=True),
        Field("aliases", Value.TEXTS, "aliases"),
        Field("website", Value.TEXT, "website"),
        Field("field", Value.TEXT, "career_field"),
        Field("location", Value.TEXT, "location"),
        # The target-employer list (SPEC 4.20): how much you want to work there, and how
        # relevant its current openings are.
        Field("motivation", Value.WHOLE, "motivation", minimum=0, maximum=TARGET_SCORE_MAX),
        Field("posting", Value.WHOLE, "posting", minimum=0, maximum=TARGET_SCORE_MAX),
        Field("tags", Value.TAGS, "tags"),
    ),
)

MILESTONE = NoteKind(
    "milestone",
    Milestone,
    (
        Field("date", Value.WHEN, "date", required=True),
        Field("summary", Value.TEXT, "summary", required=True),
        Field("thanks", Value.LINKS, "thanks", links_to="contact"),
        *_UNTEMPLATED,
    ),
)

#: infoint's kinds by `type:` value, in the order messages list them. Modules look kinds
#: up here when they run rather than keep copies, so one entry changes every use.
KINDS: dict[str, NoteKind] = {
    kind.name: kind for kind in (CONTACT, INTERVIEW, ORGANIZATION, MILESTONE)
}


def typed_value(note: Note, field: Field) -> Any:
    """The note's typed value of `field` (None for a field that is never read)."""
    if field.attribute is not None:
        return getattr(note, field.attribute)
    return note.typed.get(field.key)


@functools.cache  # per NoteKind object: a kind replaced in KINDS gets its own answer
def dated_fields(kind: NoteKind) -> tuple[Field, ...]:
    """The kind's fields holding a date or a list of dates."""
    return tuple(field for field in kind.fields if field.value.dated)


def date_keys() -> frozenset[str]:
    """Keys that hold one date in some kind: what a template's `{{date}}` fills as a date."""
    return frozenset(
        field.key for kind in KINDS.values() for field in kind.fields if field.value is Value.WHEN
    )


#: Link fields that must reach a contact (an unresolved one is an error). Worked out once,
#: at import: validate asks for every link of the vault.
CONTACT_LINK_FIELDS = tuple(
    dict.fromkeys(
        field.key for kind in KINDS.values() for field in kind.fields if field.links_to == "contact"
    )
)
