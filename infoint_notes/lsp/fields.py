"""The front-matter fields of each kind of note (SPEC 3), as completion offers them.

Until `core/schema` declares every field once (STYLE.md), this is the language server's
list; the allowed values come from `core/notes`, where they are checked.
"""

from __future__ import annotations

from ..core.notes import (
    CONTACT_STATUS,
    FORMATS,
    INTERVIEW_STATUS,
    KINDS,
    REQUEST_VIA,
    SOURCES,
)

COMMON = ("type", "name", "aliases", "tags")

FIELDS: dict[str, tuple[str, ...]] = {
    "contact": (
        *COMMON,
        "organization",
        "title",
        "field",
        "location",
        "email",
        "phone",
        "linkedin",
        "source",
        "referred_by",
        "referrer_ok",
        "requested",
        "request_via",
        "responded",
        "updates",
        "followed_up",
        "other_emails",
        "other_phones",
        "websites",
        "birthday",
        "address",
        "keep_in_touch_days",
        "status",
    ),
    "interview": (
        *COMMON,
        "contact",
        "date",
        "duration",
        "format",
        "location",
        "status",
        "thank_you_sent",
        "referrals",
        "questions",
    ),
    "organization": (
        *COMMON,
        "website",
        "field",
        "location",
        "motivation",
        "posting",
    ),
    "milestone": ("type", "date", "summary", "thanks", "tags"),
}

#: Fields whose value is a link, as `[[id]]` (quoted, so YAML keeps it a string).
LINK_FIELDS = frozenset(("contact", "referred_by", "organization", "thanks", "referrals"))

DATE_FIELDS: dict[str, frozenset[str]] = {
    "contact": frozenset(("requested", "responded", "updates", "followed_up", "birthday")),
    "interview": frozenset(("date", "thank_you_sent")),
    "milestone": frozenset(("date",)),
}

_BOOLEANS = ("true", "false")


def allowed_values(kind: str, field: str) -> tuple[str, ...]:
    """The values an enumerated field takes in a note of `kind` (empty: any value)."""
    if field == "type":
        return KINDS
    if kind == "contact":
        values = {
            "source": SOURCES,
            "request_via": REQUEST_VIA,
            "status": CONTACT_STATUS,
            "referrer_ok": _BOOLEANS,
        }
        return values.get(field, ())
    if kind == "interview":
        return {"format": FORMATS, "status": INTERVIEW_STATUS}.get(field, ())
    if kind == "organization" and field in ("motivation", "posting"):
        return ("0", "1", "2", "3")
    return ()


def is_date_field(kind: str, field: str) -> bool:
    return field in DATE_FIELDS.get(kind, ())
